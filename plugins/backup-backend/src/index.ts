/**
 * The backup-assurance backend plugin.
 *
 * @packageDocumentation
 */

export { backupPlugin as default } from './plugin';
export { DefaultBackupStatusService } from './service/BackupStatusService';
export type { BackupStatusService } from './service/BackupStatusService';
