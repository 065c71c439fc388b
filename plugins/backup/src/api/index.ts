export { backupApiRef } from './BackupApi';
export type { BackupApi } from './BackupApi';
export { BackupClient } from './BackupClient';
