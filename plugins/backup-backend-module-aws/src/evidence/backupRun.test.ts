import {
  backupJob,
  hoursAgo,
  PAYMENTS_DB,
} from '../__testUtils__/awsBackupJobs';
import { backupRunOfJob } from './backupRun';

describe('backupRunOfJob', () => {
  it('reports a completed job as a succeeded run with its size and duration', () => {
    expect(backupRunOfJob(backupJob('job-1', PAYMENTS_DB))).toEqual({
      runAt: hoursAgo(2.5).toISOString(),
      outcome: 'succeeded',
      sizeBytes: 21474836480,
      durationSeconds: 1800,
      source: 'aws-backup',
      externalId: 'aws-backup:job:job-1',
    });
  });

  it.each(['FAILED', 'EXPIRED', 'ABORTED'] as const)(
    'reports a %s job as failed, naming the state and the status message',
    State => {
      const run = backupRunOfJob(
        backupJob('job-2', PAYMENTS_DB, {
          State,
          StatusMessage: 'Insufficient privileges to perform this action.',
          BackupSizeInBytes: 0,
        }),
      );
      expect(run).toMatchObject({
        outcome: 'failed',
        message: `AWS Backup job ${State.toLowerCase()}: Insufficient privileges to perform this action.`,
      });
      expect(run).not.toHaveProperty('sizeBytes');
    },
  );

  it('takes the creation date when the job never completed', () => {
    const run = backupRunOfJob(
      backupJob('job-3', PAYMENTS_DB, {
        State: 'EXPIRED',
        CompletionDate: undefined,
      }),
    );
    expect(run).toMatchObject({
      runAt: hoursAgo(3).toISOString(),
      message: 'AWS Backup job expired',
    });
    expect(run).not.toHaveProperty('durationSeconds');
  });

  it.each(['CREATED', 'PENDING', 'RUNNING', 'ABORTING', 'PARTIAL'] as const)(
    'skips a %s job, which has no outcome yet',
    State => {
      expect(
        backupRunOfJob(backupJob('job-4', PAYMENTS_DB, { State })),
      ).toBeUndefined();
    },
  );

  it('keeps a long status message within the evidence limit', () => {
    const run = backupRunOfJob(
      backupJob('job-5', PAYMENTS_DB, {
        State: 'FAILED',
        StatusMessage: 'x'.repeat(5000),
      }),
    );
    expect(run?.message).toHaveLength(4000);
  });
});
