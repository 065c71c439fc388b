import {
  AccessReviewInput,
  BackupEvidenceSummary,
  BackupRunInput,
  FollowUpInput,
  RestoreTestInput,
} from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import { LatestEvidence } from './EvidenceStore';

/* Submissions and helpers shared by the evidence store tests. */

export const ENTITY = 'component:default/payments-api';

export const meta = (recordedAt = '2026-11-20T10:00:00Z') => ({
  entityRef: ENTITY,
  recordedBy: 'user:default/alice',
  recordedAt: new Date(recordedAt),
});

export const restoreTest = (
  overrides: Partial<RestoreTestInput> = {},
): RestoreTestInput => ({
  startedAt: '2026-11-19T08:00:00Z',
  completedAt: '2026-11-19T09:30:00+00:00',
  result: 'succeeded',
  scope: 'payments-db snapshot into the staging account',
  recoveryPointAt: '2026-11-19T02:00:00Z',
  validation: [
    { type: 'integrity', outcome: 'passed' },
    { type: 'application', outcome: 'passed', notes: 'smoke tests green' },
  ],
  executor: 'user:default/alice',
  evidenceUrl: 'https://tickets.example.com/OPS-1',
  ...overrides,
});

export const backupRun = (
  overrides: Partial<BackupRunInput> = {},
): BackupRunInput => ({
  runAt: '2026-11-20T02:00:00Z',
  outcome: 'succeeded',
  sizeBytes: 5_000_000_000,
  durationSeconds: 600,
  source: 'velero',
  ...overrides,
});

export const accessReview = (
  overrides: Partial<AccessReviewInput> = {},
): AccessReviewInput => ({
  reviewedAt: '2026-11-10T10:00:00Z',
  reviewer: 'Sam Security',
  outcome: 'confirmed',
  admins: ['group:default/backup-admins', 'role:aws/BackupVaultAdmin'],
  evidenceUrl: 'https://tickets.example.com/SEC-9',
  ...overrides,
});

export const followUp = (
  failure: FollowUpInput['failure'],
  overrides: Partial<FollowUpInput> = {},
): FollowUpInput => ({
  failure,
  action: 'acknowledged',
  ticketUrl: 'https://tickets.example.com/OPS-42',
  at: '2026-11-20T08:00:00Z',
  ...overrides,
});

/** The summary that latest_evidence should hold for ranked evidence. */
export function summaryOf(latest: LatestEvidence): BackupEvidenceSummary {
  const test = latest.latestRestoreTest;
  const okTest = latest.lastSuccessfulRestoreTest;
  const run = latest.latestBackupRun;
  const okRun = latest.lastSuccessfulBackupRun;
  const review = latest.latestAccessReview;
  const failedTest = latest.latestFailedRestoreTest;
  const failedRun = latest.latestFailedBackupRun;
  const followUpKeys = ['acknowledgedAt', 'resolvedAt'] as const;
  const pick = <T extends object, K extends keyof T>(value: T, keys: K[]) =>
    Object.fromEntries(keys.map(k => [k, value[k]])) as Pick<T, K>;
  const testKeys = [
    'id',
    'completedAt',
    'result',
    'restoreDurationSeconds',
  ] as const;
  return {
    ...(test && { latestRestoreTest: pick(test, [...testKeys]) }),
    ...(okTest && { lastSuccessfulRestoreTest: pick(okTest, [...testKeys]) }),
    ...(run && { latestBackupRun: pick(run, ['id', 'runAt', 'outcome']) }),
    ...(okRun && {
      lastSuccessfulBackupRun: pick(okRun, ['id', 'runAt', 'outcome']),
    }),
    ...(review && {
      latestAccessReview: pick(review, ['id', 'reviewedAt', 'outcome']),
    }),
    ...(failedTest && {
      latestFailedRestoreTest: pick(failedTest, [
        'id',
        'completedAt',
        'result',
        ...followUpKeys,
      ]),
    }),
    ...(failedRun && {
      latestFailedBackupRun: pick(failedRun, [
        'id',
        'runAt',
        'outcome',
        ...followUpKeys,
      ]),
    }),
  };
}

/** What pg or a socket reports when a connection drops. */
export const connectionReset = () =>
  Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

/** How the next transactions of a faulty client fail, in order. */
export type TransactionFault = 'before-begin' | 'after-commit' | 'other-error';

/**
 * A knex client that counts its transactions and makes the next ones fail
 * as told: the connection drops before the transaction starts, or after it
 * committed (the answer to the commit is lost), or any other error.
 */
export function faultyClient(knex: Knex) {
  const state = { transactions: 0, faults: [] as TransactionFault[] };
  const transaction = async (...args: any[]) => {
    state.transactions++;
    const fault = state.faults.shift();
    if (fault === 'before-begin') throw connectionReset();
    if (fault === 'other-error') throw new Error('something else broke');
    const result = await (knex.transaction as any)(...args);
    if (fault === 'after-commit') throw connectionReset();
    return result;
  };
  const client = new Proxy(knex, {
    get: (target, property) =>
      property === 'transaction'
        ? transaction
        : Reflect.get(target, property, target),
  });
  return { client, state };
}
