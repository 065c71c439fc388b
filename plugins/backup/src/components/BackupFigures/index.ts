export { BackupFiguresTiles } from './BackupFiguresTiles';
export { BackupStatusCounts } from './BackupStatusCounts';
