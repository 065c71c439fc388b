/**
 * The `aws` module of the backup-assurance `backup` plugin: backup jobs,
 * restore jobs and restore testing validation results from AWS Backup,
 * collected as evidence on a schedule.
 *
 * @packageDocumentation
 */

export { backupModuleAws as default } from './module';
export { backupModuleAws } from './module';
