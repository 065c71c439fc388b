import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { backupApiRef, BackupClient } from './api';

/** The card belongs on the kinds a backup policy can cover. */
const isBackupCandidate = (entity: Entity) =>
  ['component', 'resource'].includes(entity.kind.toLocaleLowerCase('en-US'));

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
 * The backup plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'backup',
  extensions: [backupApi, entityBackupCard, entityBackupContent],
});
