export { backupApiRef } from './BackupApi';
export type {
  BackupApi,
  BackupEntityListRequest,
  BackupTrendsRequest,
  EvidenceExportFormat,
  EvidenceExportRequest,
  EvidencePageRequest,
} from './BackupApi';
export { BackupClient } from './BackupClient';
