import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupEvaluation,
  BackupPolicy,
  BackupRunRecord,
  EvidencePage,
  EvidenceVerification,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';

/** @public */
export interface EvidencePageRequest {
  limit?: number;
  offset?: number;
}

/**
 * Client for the `backup` backend plugin.
 *
 * @public
 */
export interface BackupApi {
  getStatus(entityRef: CompoundEntityRef): Promise<BackupEvaluation>;
  getPolicy(): Promise<BackupPolicy>;
  listRestoreTests(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>>;
  recordRestoreTest(
    entityRef: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<RestoreTestRecord>;
  listBackupRuns(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<BackupRunRecord>>;
  verifyEvidence(entityRef: CompoundEntityRef): Promise<EvidenceVerification>;
}

/** @public */
export const backupApiRef = createApiRef<BackupApi>({
  id: 'plugin.backup.service',
});
