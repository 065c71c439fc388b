import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { backupApiRef, BackupClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The backup plugin for the legacy frontend system.
 *
 * @public
 */
export const backupPlugin = createPlugin({
  id: 'backup',
  apis: [
    createApiFactory({
      api: backupApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new BackupClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * Backup status card for entity pages (legacy frontend system).
 *
 * @public
 */
export const EntityBackupCard = backupPlugin.provide(
  createComponentExtension({
    name: 'EntityBackupCard',
    component: {
      lazy: () =>
        import('./components/EntityBackupCard').then(m => m.EntityBackupCard),
    },
  }),
);

/**
 * Backup evidence tab for entity pages (legacy frontend system): restore-test
 * history, backup runs, chain verification and "Record restore test".
 *
 * @public
 */
export const EntityBackupContent = backupPlugin.provide(
  createComponentExtension({
    name: 'EntityBackupContent',
    component: {
      lazy: () =>
        import('./components/EntityBackupContent').then(
          m => m.EntityBackupContent,
        ),
    },
  }),
);

/**
 * The org-wide backup dashboard (legacy frontend system), usually mounted at
 * `/backup`.
 *
 * @public
 */
export const BackupDashboardPage = backupPlugin.provide(
  createRoutableExtension({
    name: 'BackupDashboardPage',
    mountPoint: rootRouteRef,
    component: () =>
      import('./components/BackupDashboardPage').then(
        m => m.BackupDashboardPage,
      ),
  }),
);

/**
 * Backup coverage of everything a group owns, for Group entity pages (legacy
 * frontend system).
 *
 * @public
 */
export const EntityBackupCoverageCard = backupPlugin.provide(
  createComponentExtension({
    name: 'EntityBackupCoverageCard',
    component: {
      lazy: () =>
        import('./components/EntityBackupCoverageCard').then(
          m => m.EntityBackupCoverageCard,
        ),
    },
  }),
);

/**
 * Backup-status filter for the catalog index page's filters (legacy frontend
 * system), next to the default pickers.
 *
 * @public
 */
export const BackupStatusPicker = backupPlugin.provide(
  createComponentExtension({
    name: 'BackupStatusPicker',
    component: {
      lazy: () =>
        import('./components/BackupStatusPicker').then(
          m => m.BackupStatusPicker,
        ),
    },
  }),
);
