export { EntityBackupCard } from './EntityBackupCard';
