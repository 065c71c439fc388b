import {
  hoursAgo,
  PAYMENTS_DB,
  restoreJob,
} from '../__testUtils__/awsBackupJobs';
import { restoreTestOfJob } from './restoreTest';

describe('restoreTestOfJob', () => {
  it('records a validated restore testing job as a succeeded restore test', () => {
    expect(restoreTestOfJob(restoreJob('r-1', PAYMENTS_DB))).toEqual({
      startedAt: hoursAgo(6).toISOString(),
      completedAt: hoursAgo(5).toISOString(),
      result: 'succeeded',
      scope:
        'Recovery point arn:aws:rds:eu-west-1:111111111111:snapshot:awsbackup:job-r-1 (RDS), ' +
        'restored to arn:aws:rds:eu-west-1:111111111111:db:awsbackup-restore-test-r-1; ' +
        'restore testing plan arn:aws:backup:eu-west-1:111111111111:restore-testing-plan:weekly-7f2e',
      recoveryPointAt: hoursAgo(20).toISOString(),
      validation: [
        {
          type: 'recoverability',
          outcome: 'passed',
          notes:
            'Restored to arn:aws:rds:eu-west-1:111111111111:db:awsbackup-restore-test-r-1',
        },
        {
          type: 'application',
          outcome: 'passed',
          notes: 'Row counts match the source',
        },
      ],
      executor: 'AWS Backup',
      source: 'aws-backup',
      externalId: 'aws-backup:restore:r-1',
    });
  });

  it.each(['FAILED', 'ABORTED'] as const)(
    'records a %s restore job as failed, with the status message',
    Status => {
      const test = restoreTestOfJob(
        restoreJob('r-2', PAYMENTS_DB, {
          Status,
          StatusMessage: 'DB instance class not supported in this AZ',
          CreatedResourceArn: undefined,
          ValidationStatus: undefined,
          ValidationStatusMessage: undefined,
        }),
      );
      expect(test).toMatchObject({
        result: 'failed',
        issuesFound: 'DB instance class not supported in this AZ',
        validation: [
          {
            type: 'recoverability',
            outcome: 'failed',
            notes: 'DB instance class not supported in this AZ',
          },
          { type: 'application', outcome: 'not-performed' },
        ],
      });
      expect(test?.scope).toContain('no resource created');
    },
  );

  it('records a restore whose validation failed as partly succeeded', () => {
    const test = restoreTestOfJob(
      restoreJob('r-3', PAYMENTS_DB, {
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: 'orders table is empty',
      }),
    );
    expect(test).toMatchObject({
      result: 'partial',
      issuesFound: 'orders table is empty',
    });
    expect(test?.validation[1]).toEqual({
      type: 'application',
      outcome: 'failed',
      notes: 'orders table is empty',
    });
  });

  it.each([
    ['TIMED_OUT', 'Validation timed out before a result was sent'],
    [undefined, 'AWS Backup ran no validation of the restored data'],
  ] as const)(
    'marks the application step not performed when validation is %s',
    (ValidationStatus, notes) => {
      const test = restoreTestOfJob(
        restoreJob('r-4', PAYMENTS_DB, {
          ValidationStatus,
          ValidationStatusMessage: undefined,
        }),
      );
      expect(test?.result).toBe('succeeded');
      expect(test?.validation[1]).toEqual({
        type: 'application',
        outcome: 'not-performed',
        notes,
      });
    },
  );

  it.each([
    ['PENDING', undefined],
    ['RUNNING', undefined],
    ['COMPLETED', 'VALIDATING'],
  ] as const)(
    'waits for a job that is %s (validation %s) to finish',
    (Status, ValidationStatus) => {
      expect(
        restoreTestOfJob(
          restoreJob('r-5', PAYMENTS_DB, { Status, ValidationStatus }),
        ),
      ).toBeUndefined();
    },
  );
});
