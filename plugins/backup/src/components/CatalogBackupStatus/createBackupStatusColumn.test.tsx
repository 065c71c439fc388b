import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogTable } from '@backstage/plugin-catalog';
import {
  entityRouteRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { MockEntityListContextProvider } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { orgBackupApi, orgEntities } from '../../__testUtils__/backupOrg';
import { backupApiRef } from '../../api';
import { createBackupStatusColumn } from './createBackupStatusColumn';

const services = orgEntities.filter(e => e.kind === 'Component');

describe('createBackupStatusColumn', () => {
  it('shows each row status linking to its Backup tab, from one batched call', async () => {
    const api = orgBackupApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupApiRef, api],
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        ]}
      >
        <MockEntityListContextProvider value={{ entities: services }}>
          <CatalogTable
            columns={[
              CatalogTable.columns.createNameColumn(),
              createBackupStatusColumn(),
            ]}
          />
        </MockEntityListContextProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    const links = await screen.findAllByTestId('catalog-backup-status');
    expect(links).toHaveLength(services.length);
    expect(
      screen.getByRole('columnheader', { name: 'Backup' }),
    ).toBeInTheDocument();
    const linkOf = (name: string) =>
      links.find(link => link.getAttribute('href')?.includes(`/${name}/`))!;
    expect(linkOf('payments-api')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/backup',
    );
    expect(
      within(linkOf('payments-api')).getByText('Compliant'),
    ).toBeInTheDocument();
    expect(
      within(linkOf('search-api')).getByTestId('backup-status'),
    ).toHaveAttribute('data-status', 'overdue');
    expect(
      within(linkOf('payments-reports')).getByTestId('backup-status'),
    ).toHaveAttribute('data-status', 'exempt');

    expect(api.rowRequests).toHaveLength(1);
    expect([...api.rowRequests[0]].sort()).toEqual(
      services.map(e => stringifyEntityRef(e)).sort(),
    );
  });

  it('shows that the status is unavailable when the batch fails', async () => {
    const api = orgBackupApi();
    api.getEntityRowsByRefs = async () => {
      throw new Error('backend down');
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupApiRef, api],
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        ]}
      >
        <MockEntityListContextProvider
          value={{ entities: services.slice(0, 2) }}
        >
          <CatalogTable columns={[createBackupStatusColumn()]} />
        </MockEntityListContextProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findAllByText('Unavailable')).toHaveLength(2);
  });
});
