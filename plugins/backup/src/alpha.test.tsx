import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import backupPlugin, {
  backupDashboardPage,
  catalogModuleBackupColumn,
  entityBackupCoverageCard,
} from './alpha';
import { screen } from '@testing-library/react';
import { orgBackupApi, orgEntities } from './__testUtils__/backupOrg';
import { backupApiRef } from './api';
import { EntityBackupCoverageCard } from './components/EntityBackupCoverageCard';
import { rootRouteRef } from './routes';

const ofKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'payments', namespace: 'default' },
});

describe('backup plugin (new frontend system)', () => {
  it('mounts the dashboard at /backup on the plugin route', () => {
    const page = createExtensionTester(backupDashboardPage);
    expect(page.get(coreExtensionData.routePath)).toBe('/backup');
    expect(page.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(page.get(coreExtensionData.title)).toBe('Backup assurance');
    expect(backupPlugin.routes.root).toBe(rootRouteRef);
  });

  it('shows the coverage card on Group entities only', () => {
    const card = createExtensionTester(entityBackupCoverageCard);
    const filter = card.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(ofKind('Group'))).toBe(true);
    expect(filter(ofKind('Component'))).toBe(false);
    expect(filter(ofKind('User'))).toBe(false);
  });

  it('names the new extensions by kind, plugin and name', () => {
    expect(backupPlugin.getExtension('page:backup')).toBeDefined();
    expect(
      backupPlugin.getExtension('entity-card:backup/coverage'),
    ).toBeDefined();
    expect(
      backupPlugin.getExtension('catalog-filter:backup/status'),
    ).toBeDefined();
  });

  it('adds the Backup column and the status filter to the catalog page', async () => {
    const api = orgBackupApi();
    renderTestApp({
      features: [catalogPlugin, catalogModuleBackupColumn, backupPlugin],
      apis: [
        [backupApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: orgEntities })],
      ],
      initialRouteEntries: [
        '/catalog?filters[kind]=component&filters[user]=all',
      ],
    });
    expect(
      await screen.findByRole(
        'columnheader',
        { name: 'Backup' },
        // the page and its table load lazily
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findAllByTestId(
        'catalog-backup-status',
        {},
        { timeout: 10_000 },
      ),
    ).toHaveLength(orgEntities.filter(e => e.kind === 'Component').length);
    expect(
      await screen.findByTestId(
        'backup-status-picker-expand',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(api.rowRequests).toHaveLength(1);
  }, 60_000);

  // The test app mounts no pages, so the page's route is mounted by hand; the
  // card's legacy useRouteRef must resolve it through the new system.
  it('links the group card to the dashboard in the new frontend system', async () => {
    renderInTestApp(
      <EntityProvider entity={ofKind('Group')}>
        <EntityBackupCoverageCard />
      </EntityProvider>,
      {
        mountedRoutes: { '/backup': rootRouteRef },
        apis: [[backupApiRef, orgBackupApi()]],
      },
    );
    expect(
      await screen.findByRole('link', { name: /Open in the backup dashboard/ }),
    ).toHaveAttribute('href', '/backup?owner=group%3Adefault%2Fpayments');
  });
});
