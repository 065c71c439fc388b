import { BackupJob, BackupJobState } from '@aws-sdk/client-backup';
import { BackupRunOutcome } from '@backup-assurance/plugin-backup-common';
import { CollectedBackupRun } from '@backup-assurance/plugin-backup-node';
import { AWS_BACKUP_SOURCE, clip, defined, secondsBetween } from './values';

/** Finished states only: a job still created, pending or running has no outcome yet. */
const OUTCOMES: Partial<Record<BackupJobState, BackupRunOutcome>> = {
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  EXPIRED: 'failed',
  ABORTED: 'failed',
};

/** The message says which failure it was, as three states share `failed`. */
function messageOf(job: BackupJob, outcome: BackupRunOutcome) {
  if (outcome === 'succeeded') return clip(job.StatusMessage);
  const state = `AWS Backup job ${job.State!.toLowerCase()}`;
  return clip(job.StatusMessage ? `${state}: ${job.StatusMessage}` : state);
}

/** Some resource types report 0 (Aurora, DocumentDB, Neptune): not a size. */
function sizeOf(job: BackupJob): number | undefined {
  const size = job.BackupSizeInBytes;
  return size && Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

/** The backup run a finished backup job reports, or undefined while it runs. */
export function backupRunOfJob(job: BackupJob): CollectedBackupRun | undefined {
  const outcome = job.State ? OUTCOMES[job.State] : undefined;
  const runAt = job.CompletionDate ?? job.CreationDate;
  if (!outcome || !runAt || !job.BackupJobId) return undefined;
  return defined({
    runAt: runAt.toISOString(),
    outcome,
    sizeBytes: sizeOf(job),
    durationSeconds: secondsBetween(job.CreationDate, job.CompletionDate),
    message: messageOf(job, outcome),
    source: AWS_BACKUP_SOURCE,
    externalId: `aws-backup:job:${job.BackupJobId}`,
  });
}
