/**
 * Catalog module that validates backup-assurance.io annotations.
 *
 * @packageDocumentation
 */

export { catalogModuleBackup as default } from './module';
export { BackupAnnotationsProcessor } from './BackupAnnotationsProcessor';
export type { MissingAnnotationsEnforcement } from './config';
