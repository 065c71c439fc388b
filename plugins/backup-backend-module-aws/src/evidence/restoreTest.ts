import {
  RestoreJobsListMember,
  RestoreJobStatus,
} from '@aws-sdk/client-backup';
import {
  RestoreTestResult,
  ValidationStep,
} from '@backup-assurance/plugin-backup-common';
import { CollectedRestoreTest } from '@backup-assurance/plugin-backup-node';
import { AWS_BACKUP_SOURCE, clip, defined } from './values';

/** Finished statuses only: pending and running jobs are read on a later run. */
const RESULTS: Partial<Record<RestoreJobStatus, RestoreTestResult>> = {
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  ABORTED: 'failed',
};

export const AWS_BACKUP_EXECUTOR = 'AWS Backup';

/** Did the restore produce a resource: the job's own status. */
function recoverabilityStep(
  job: RestoreJobsListMember,
  result: RestoreTestResult,
): ValidationStep {
  const passed = result === 'succeeded';
  const fallback = passed
    ? `Restored to ${job.CreatedResourceArn ?? 'a new resource'}`
    : `Restore job ${job.Status!.toLowerCase()}`;
  return {
    type: 'recoverability',
    outcome: passed ? 'passed' : 'failed',
    notes: clip(job.StatusMessage ?? fallback),
  };
}

/** A restore testing plan's validation (PutRestoreValidationResult), if any ran. */
function applicationStep(job: RestoreJobsListMember): ValidationStep {
  const notes = clip(job.ValidationStatusMessage);
  switch (job.ValidationStatus) {
    case 'SUCCESSFUL':
      return defined({ type: 'application', outcome: 'passed', notes });
    case 'FAILED':
      return defined({ type: 'application', outcome: 'failed', notes });
    case 'TIMED_OUT':
      return {
        type: 'application',
        outcome: 'not-performed',
        notes: notes ?? 'Validation timed out before a result was sent',
      };
    default:
      return {
        type: 'application',
        outcome: 'not-performed',
        notes: notes ?? 'AWS Backup ran no validation of the restored data',
      };
  }
}

function scopeOf(job: RestoreJobsListMember): string {
  const type = job.ResourceType ? ` (${job.ResourceType})` : '';
  const created = job.CreatedResourceArn
    ? `restored to ${job.CreatedResourceArn}`
    : 'no resource created';
  const plan = job.CreatedBy?.RestoreTestingPlanArn
    ? `; restore testing plan ${job.CreatedBy.RestoreTestingPlanArn}`
    : '';
  return clip(
    `Recovery point ${
      job.RecoveryPointArn ?? 'unknown'
    }${type}, ${created}${plan}`,
  )!;
}

/** Only a recovery point from before the restore gives an achieved RPO. */
function recoveryPointAt(job: RestoreJobsListMember): string | undefined {
  const at = job.RecoveryPointCreationDate;
  return at && job.CreationDate && at <= job.CreationDate
    ? at.toISOString()
    : undefined;
}

/** What went wrong: the restore's own failure, or the failed validation. */
function issuesOf(
  job: RestoreJobsListMember,
  result: RestoreTestResult,
  application: ValidationStep,
): string | undefined {
  if (result === 'failed') return clip(job.StatusMessage);
  return result === 'partial' ? application.notes : undefined;
}

/**
 * The restore test a finished restore job reports, or undefined while it (or
 * its validation, whose result a record could never change) is still running.
 * A restore that worked but failed its validation only partly succeeded, as
 * the CLI records it.
 */
export function restoreTestOfJob(
  job: RestoreJobsListMember,
): CollectedRestoreTest | undefined {
  const restored = job.Status ? RESULTS[job.Status] : undefined;
  const started = job.CreationDate;
  if (!restored || !started || !job.RestoreJobId) return undefined;
  if (job.ValidationStatus === 'VALIDATING') return undefined;
  const application = applicationStep(job);
  const result =
    restored === 'succeeded' && application.outcome === 'failed'
      ? 'partial'
      : restored;
  return defined({
    startedAt: started.toISOString(),
    completedAt: (job.CompletionDate ?? started).toISOString(),
    result,
    scope: scopeOf(job),
    recoveryPointAt: recoveryPointAt(job),
    validation: [recoverabilityStep(job, restored), application],
    executor: AWS_BACKUP_EXECUTOR,
    issuesFound: issuesOf(job, result, application),
    source: AWS_BACKUP_SOURCE,
    externalId: `aws-backup:restore:${job.RestoreJobId}`,
  });
}
