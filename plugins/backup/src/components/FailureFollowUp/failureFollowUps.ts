import {
  BackupPolicy,
  BackupRunRecord,
  failureAcknowledgeDeadline,
  FollowUpAction,
  FollowUpFailureKind,
  FollowUpRecord,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';

/** A failed backup run or restore test, as a follow-up names it. */
export interface FollowedFailure {
  kind: FollowUpFailureKind;
  id: string;
  /** When it failed: the run's time, or when the restore test completed. */
  failedAt: string;
}

/** The failure a backup run is, if it failed. */
export const failureOfBackupRun = (
  run: BackupRunRecord,
): FollowedFailure | undefined =>
  run.outcome === 'failed'
    ? { kind: 'backup-run', id: run.id, failedAt: run.runAt }
    : undefined;

/**
 * The failure a restore test is, if it failed or partly failed and was not
 * corrected: a correction says what really happened.
 */
export const failureOfRestoreTest = (
  test: RestoreTestRecord,
): FollowedFailure | undefined =>
  test.result !== 'succeeded' && !test.supersededBy
    ? { kind: 'restore-test', id: test.id, failedAt: test.completedAt }
    : undefined;

/** Where a failure stands: nobody acted yet, a ticket tracks it, or it is fixed. */
export type FollowUpState = 'unacknowledged' | FollowUpAction;

/** The newest follow-up of each action on one failure. */
export type FailureFollowUps = Partial<Record<FollowUpAction, FollowUpRecord>>;

const keyOf = (failure: Pick<FollowedFailure, 'kind' | 'id'>) =>
  `${failure.kind}:${failure.id}`;

/**
 * Finds each failure's follow-ups among the entity's follow-up records,
 * which the API lists newest first: a later record of an action (a new
 * ticket, a corrected note) stands for it.
 */
export function followUpsByFailure(
  records: FollowUpRecord[],
): (failure: FollowedFailure) => FailureFollowUps {
  const byFailure = new Map<string, FailureFollowUps>();
  for (const record of records) {
    const followUps = byFailure.get(keyOf(record.failure)) ?? {};
    followUps[record.action] ??= record;
    byFailure.set(keyOf(record.failure), followUps);
  }
  return failure => byFailure.get(keyOf(failure)) ?? {};
}

/** A resolution settles a failure whether or not it was acknowledged first. */
export const followUpStateOf = (followUps: FailureFollowUps): FollowUpState =>
  (followUps.resolved && 'resolved') ||
  (followUps.acknowledged && 'acknowledged') ||
  'unacknowledged';

/** When the policy wants the failure acknowledged by (ISO 8601, UTC). */
export const acknowledgeBy = (
  failure: FollowedFailure,
  window: BackupPolicy['failureAcknowledgeWithin'],
): string =>
  failureAcknowledgeDeadline(failure.failedAt, {
    failureAcknowledgeWithin: window,
  });

/**
 * Whether an unacknowledged failure has outlived the policy's window, as the
 * evaluator's `failure-unacknowledged` finding judges the newest one.
 */
export const isAcknowledgementOverdue = (
  failure: FollowedFailure,
  followUps: FailureFollowUps,
  window: BackupPolicy['failureAcknowledgeWithin'],
  now: Date,
): boolean =>
  followUpStateOf(followUps) === 'unacknowledged' &&
  Date.parse(acknowledgeBy(failure, window)) <= now.getTime();
