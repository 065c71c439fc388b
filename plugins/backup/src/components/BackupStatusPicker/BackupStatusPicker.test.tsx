import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityKindPicker,
  EntityListProvider,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { orgBackupApi, orgEntities } from '../../__testUtils__/backupOrg';
import { backupApiRef } from '../../api';
import { BackupStatusPicker } from './BackupStatusPicker';

/** The names the catalog list would show, as the table reads them. */
const ListedNames = () => {
  const { entities } = useEntityList();
  return (
    <ul aria-label="listed">
      {entities.map(e => (
        <li key={e.metadata.name}>{e.metadata.name}</li>
      ))}
    </ul>
  );
};

const listedNames = () =>
  within(screen.getByRole('list', { name: 'listed' }))
    .queryAllByRole('listitem')
    .map(item => item.textContent)
    .sort();

const services = orgEntities.filter(e => e.kind === 'Component');
const names = (entities: Entity[]) => entities.map(e => e.metadata.name).sort();

/** The catalog page's list with its kind picker, starting at `route`. */
async function renderCatalogList(route = '/') {
  const api = orgBackupApi();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: orgEntities })],
      ]}
    >
      <EntityListProvider>
        <EntityKindPicker initialFilter="component" hidden />
        <BackupStatusPicker />
        <ListedNames />
      </EntityListProvider>
    </TestApiProvider>,
    { routeEntries: [route] },
  );
  return api;
}

describe('BackupStatusPicker', () => {
  it('keeps the entities with a picked status, from one batched call', async () => {
    const api = await renderCatalogList();
    await waitFor(() => expect(listedNames()).toEqual(names(services)));
    expect(api.rowRequests).toHaveLength(0);

    fireEvent.click(screen.getByTestId('backup-status-picker-expand'));
    fireEvent.click(screen.getByText('Restore test overdue'));

    await waitFor(() =>
      expect(listedNames()).toEqual(['payments-worker', 'search-api']),
    );
    expect(api.rowRequests).toHaveLength(1);
    expect([...api.rowRequests[0]].sort()).toEqual(
      services.map(e => `component:default/${e.metadata.name}`).sort(),
    );

    fireEvent.click(screen.getByText('Exempt'));
    await waitFor(() =>
      expect(listedNames()).toEqual([
        'payments-reports',
        'payments-worker',
        'search-api',
      ]),
    );
  });

  it('reads the picked statuses from the URL, ignoring unknown ones', async () => {
    await renderCatalogList(
      '/?filters[kind]=resource&filters[backupStatus]=non-compliant&filters[backupStatus]=nonsense',
    );
    await waitFor(() => expect(listedNames()).toEqual(['payments-db']));
  });
});
