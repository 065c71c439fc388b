export { BackupStatusPicker } from './BackupStatusPicker';
export type { BackupCatalogFilters } from './BackupStatusPicker';
export { BackupStatusFilter } from './BackupStatusFilter';
