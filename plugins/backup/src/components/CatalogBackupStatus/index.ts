export { createBackupStatusColumn } from './createBackupStatusColumn';
export { BackupRowLoader, backupRowLoaderFor } from './BackupRowLoader';
