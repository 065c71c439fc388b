import { BackupJob, RestoreJobsListMember } from '@aws-sdk/client-backup';
import { AwsBackupTarget } from '../config';

/** Which jobs to read: those of one account and region created since a time. */
export interface AwsBackupJobQuery {
  target: AwsBackupTarget;
  createdAfter: Date;
  signal?: AbortSignal;
}

/** Reads AWS Backup's job history, in the API's own shapes. */
export interface AwsBackupJobSource {
  /** Every backup job of the query, across all pages. */
  backupJobs(query: AwsBackupJobQuery): AsyncIterable<BackupJob>;
  /** Every restore job of the query, across all pages. */
  restoreJobs(query: AwsBackupJobQuery): AsyncIterable<RestoreJobsListMember>;
  /**
   * The ARN of the resource a restore job's recovery point was taken from,
   * for jobs that do not carry `SourceResourceArn`; undefined when AWS
   * Backup cannot name it (the recovery point is gone, the vault unknown).
   */
  sourceResourceOf(
    target: AwsBackupTarget,
    job: RestoreJobsListMember,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
}
