import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import BackupIcon from '@material-ui/icons/Backup';
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
    entityBackupCard,
    entityBackupContent,
    entityBackupCoverageCard,
  ],
});
