export { backupApiRef } from './BackupApi';
export type { BackupApi, EvidencePageRequest } from './BackupApi';
export { BackupClient } from './BackupClient';
