export { EntityBackupContent } from './EntityBackupContent';
