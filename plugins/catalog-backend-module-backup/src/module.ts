import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readBackupPolicy } from '@backup-assurance/plugin-backup-common';
import { BackupAnnotationsProcessor } from './BackupAnnotationsProcessor';
import { readMissingAnnotationsEnforcement } from './config';

/**
 * Adds the backup annotation validator to the catalog; with
 * `backup.enforcement.missingAnnotations`, also the policy's required
 * annotations of in-scope entities.
 *
 * @public
 */
export const catalogModuleBackup = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'backup',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ catalog, config, logger }) {
        const missingAnnotations = readMissingAnnotationsEnforcement(config);
        catalog.addProcessor(
          new BackupAnnotationsProcessor({
            logger,
            missingAnnotations,
            // the same policy as the backup plugin, for its scope and
            // required annotations
            policy:
              missingAnnotations === 'off'
                ? undefined
                : readBackupPolicy(config),
          }),
        );
      },
    });
  },
});
