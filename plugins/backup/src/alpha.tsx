import {
  ApiBlueprint,
  coreExtensionData,
  createFrontendModule,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import BackupIcon from '@material-ui/icons/Backup';
import { Fragment } from 'react';
import { backupApiRef, BackupClient } from './api';
import { rootRouteRef } from './routes';

/** The card belongs on the kinds a backup policy can cover. */
const isBackupCandidate = (entity: Entity) =>
  ['component', 'resource'].includes(entity.kind.toLocaleLowerCase('en-US'));

const isGroup = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'group';

const backupApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: backupApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new BackupClient(deps),
    }),
});

/** @alpha */
export const entityBackupCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: isBackupCandidate,
    loader: () =>
      import('./components/EntityBackupCard').then(m => <m.EntityBackupCard />),
  },
});

/** @alpha */
export const entityBackupContent = EntityContentBlueprint.make({
  name: 'evidence',
  params: {
    path: '/backup',
    title: 'Backup',
    filter: isBackupCandidate,
    loader: () =>
      import('./components/EntityBackupContent').then(m => (
        <m.EntityBackupContent />
      )),
  },
});

/**
 * The org-wide dashboard at `/backup`. Its title and icon make the nav item;
 * the page draws its own header, as in the legacy system.
 *
 * @alpha
 */
export const backupDashboardPage = PageBlueprint.make({
  params: {
    path: '/backup',
    routeRef: rootRouteRef,
    title: 'Backup assurance',
    icon: <BackupIcon fontSize="inherit" />,
    noHeader: true,
    loader: () =>
      import('./components/BackupDashboardPage').then(m => (
        <m.BackupDashboardPage />
      )),
  },
});

/** @alpha */
export const entityBackupCoverageCard = EntityCardBlueprint.make({
  name: 'coverage',
  params: {
    filter: isGroup,
    loader: () =>
      import('./components/EntityBackupCoverageCard').then(m => (
        <m.EntityBackupCoverageCard />
      )),
  },
});

/**
 * The backup-status filter of the catalog index page.
 *
 * @alpha
 */
export const catalogBackupStatusFilter = CatalogFilterBlueprint.make({
  name: 'status',
  params: {
    loader: () =>
      import('./components/BackupStatusPicker').then(m => (
        <m.BackupStatusPicker />
      )),
  },
});

/**
 * The catalog index page with the "Backup" column after the default ones. The
 * page takes filters but not columns as extension inputs, so this replaces
 * its loader while keeping its filters, path and pagination.
 */
const catalogPageWithBackupColumn = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      return originalFactory({
        params: {
          loader: async () => {
            const [
              { CatalogIndexPage },
              { CatalogTable },
              { createBackupStatusColumn },
            ] = await Promise.all([
              import('@backstage/plugin-catalog/alpha'),
              import('@backstage/plugin-catalog'),
              import('./components/CatalogBackupStatus'),
            ]);
            const filters = inputs.filters.map(filter => (
              <Fragment key={filter.node.spec.id}>
                {filter.get(coreExtensionData.reactElement)}
              </Fragment>
            ));
            const backupColumn = createBackupStatusColumn();
            return (
              <CatalogIndexPage
                filters={<>{filters}</>}
                pagination={config.pagination}
                columns={context => [
                  ...CatalogTable.defaultColumnsFunc(context),
                  backupColumn,
                ]}
              />
            );
          },
        },
      });
    },
  });

/**
 * Adds the "Backup" column to the catalog index page: install it next to the
 * catalog plugin (`createApp({ features: [catalogPlugin, catalogModuleBackupColumn] })`).
 *
 * @alpha
 */
export const catalogModuleBackupColumn = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogPageWithBackupColumn],
});

/**
 * The backup plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'backup',
  routes: { root: rootRouteRef },
  extensions: [
    backupApi,
    backupDashboardPage,
    catalogBackupStatusFilter,
    entityBackupCard,
    entityBackupContent,
    entityBackupCoverageCard,
  ],
});
