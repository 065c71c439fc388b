import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { backupApiRef, BackupClient } from './api';

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
