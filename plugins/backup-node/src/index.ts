/**
 * Node.js library of the backup-assurance `backup` plugin: the service
 * through which backend code appends evidence and reads evaluations, and the
 * extension point for scheduled evidence collectors.
 *
 * @packageDocumentation
 */

export {
  backupEvidenceServiceRef,
  DefaultBackupEvidenceService,
} from './service';
export type {
  BackupEntityRef,
  BackupEvidenceAppendResult,
  BackupEvidenceService,
  BackupEvidenceServiceOptions,
} from './service';
export { backupEvidenceCollectorExtensionPoint } from './extensions';
export type {
  BackupEvidenceCollector,
  BackupEvidenceCollectorExtensionPoint,
  BackupEvidenceCollectorOptions,
  CollectedAccessReview,
  CollectedBackupRun,
  CollectedEntityEvidence,
  CollectedEvidence,
  CollectedExternalId,
  CollectedRestoreTest,
} from './extensions';
