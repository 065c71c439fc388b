import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { backupEvidenceCollectorExtensionPoint } from '@backup-assurance/plugin-backup-node';
import { AwsBackupCollector } from './AwsBackupCollector';
import { SdkAwsBackupJobSource } from './aws/SdkAwsBackupJobSource';
import { CatalogResourceClaimReader } from './catalog/CatalogResourceClaimReader';
import { readAwsBackupCollectorConfig } from './config';

/**
 * The `aws` module of the `backup` plugin: a scheduled collector that records
 * AWS Backup's backup jobs as backup runs and its restore jobs (with restore
 * testing validation) as restore tests of the entities that claim each
 * resource with the `backup-assurance.io/aws-backup-resource-arn` annotation.
 *
 * @public
 */
export const backupModuleAws = createBackendModule({
  pluginId: 'backup',
  moduleId: 'aws',
  register(env) {
    env.registerInit({
      deps: {
        collectors: backupEvidenceCollectorExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ collectors, config, auth, catalog }) {
        // read once: an invalid `backup.aws` stops start-up with the key named
        const collectorConfig = readAwsBackupCollectorConfig(config);
        collectors.addCollector(
          AwsBackupCollector.create({
            config: collectorConfig,
            jobs: SdkAwsBackupJobSource.create({
              credentials: DefaultAwsCredentialsManager.fromConfig(config),
            }),
            claims: CatalogResourceClaimReader.create({ catalog, auth }),
          }),
        );
      },
    });
  },
});
