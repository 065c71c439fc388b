/**
 * The backup-assurance frontend plugin (legacy frontend system). The new
 * frontend system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */

export {
  backupPlugin,
  BackupDashboardPage,
  BackupStatusPicker,
  EntityBackupCard,
  EntityBackupContent,
  EntityBackupCoverageCard,
} from './plugin';
export { backupApiRef, BackupClient } from './api';
export { createBackupStatusColumn } from './components/CatalogBackupStatus';
export { BackupStatusFilter } from './components/BackupStatusPicker';
export type { BackupCatalogFilters } from './components/BackupStatusPicker';
export type {
  BackupApi,
  BackupEntityListRequest,
  BackupTrendsRequest,
  EvidenceExportFormat,
  EvidenceExportRequest,
  EvidencePageRequest,
} from './api';
