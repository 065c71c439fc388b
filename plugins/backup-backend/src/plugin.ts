import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readBackupPolicy } from '@backup-assurance/plugin-backup-common';
import { DefaultBackupStatusService } from './service/BackupStatusService';
import { createRouter } from './service/router';

/**
 * The `backup` backend plugin: backup status per entity against the agreed
 * backup policy.
 *
 * @public
 */
export const backupPlugin = createBackendPlugin({
  pluginId: 'backup',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, httpAuth, httpRouter, catalog }) {
        // Read once: an invalid policy stops start-up with the key named.
        const policy = readBackupPolicy(config);
        logger.info(`Backup policy ${policy.version} loaded`);
        const statusService = DefaultBackupStatusService.create({
          catalog,
          policy,
        });
        httpRouter.use(await createRouter({ httpAuth, statusService }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
