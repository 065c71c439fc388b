export { EntityBackupCoverageCard } from './EntityBackupCoverageCard';
