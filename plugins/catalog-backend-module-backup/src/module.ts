import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { BackupAnnotationsProcessor } from './BackupAnnotationsProcessor';

/**
 * Adds the backup annotation validator to the catalog.
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
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addProcessor(new BackupAnnotationsProcessor({ logger }));
      },
    });
  },
});
