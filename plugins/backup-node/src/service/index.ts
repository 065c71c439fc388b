export { backupEvidenceServiceRef } from './backupEvidenceServiceRef';
export { DefaultBackupEvidenceService } from './DefaultBackupEvidenceService';
export type { BackupEvidenceServiceOptions } from './DefaultBackupEvidenceService';
export type {
  BackupEntityRef,
  BackupEvidenceAppendResult,
  BackupEvidenceService,
} from './BackupEvidenceService';
