import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { BackupEvidenceService } from './BackupEvidenceService';
import { DefaultBackupEvidenceService } from './DefaultBackupEvidenceService';

/**
 * The {@link BackupEvidenceService} of the plugin that depends on it;
 * by default a {@link DefaultBackupEvidenceService}.
 *
 * @public
 */
export const backupEvidenceServiceRef = createServiceRef<BackupEvidenceService>(
  {
    id: 'backup.evidence',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          auth: coreServices.auth,
          discovery: coreServices.discovery,
        },
        factory({ auth, discovery }) {
          return DefaultBackupEvidenceService.create({ auth, discovery });
        },
      }),
  },
);
