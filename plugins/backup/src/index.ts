/**
 * The backup-assurance frontend plugin (legacy frontend system). The new
 * frontend system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */

export {
  backupPlugin,
  BackupDashboardPage,
  EntityBackupCard,
  EntityBackupContent,
  EntityBackupCoverageCard,
} from './plugin';
export { backupApiRef, BackupClient } from './api';
export type {
  BackupApi,
  BackupEntityListRequest,
  BackupTrendsRequest,
  EvidenceExportFormat,
  EvidenceExportRequest,
  EvidencePageRequest,
} from './api';
