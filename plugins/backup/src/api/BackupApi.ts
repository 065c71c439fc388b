import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupEvaluation,
  BackupPolicy,
} from '@backup-assurance/plugin-backup-common';

/**
 * Client for the `backup` backend plugin.
 *
 * @public
 */
export interface BackupApi {
  getStatus(entityRef: CompoundEntityRef): Promise<BackupEvaluation>;
  getPolicy(): Promise<BackupPolicy>;
}

/** @public */
export const backupApiRef = createApiRef<BackupApi>({
  id: 'plugin.backup.service',
});
