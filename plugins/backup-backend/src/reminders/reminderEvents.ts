import { Entity } from '@backstage/catalog-model';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { HumanDuration } from '@backstage/types';
import {
  BackupEntityRow,
  BackupEvidenceSummary,
  BackupFinding,
  BackupFindingCode,
  BackupPolicy,
  evaluateBackupStatus,
} from '@backup-assurance/plugin-backup-common';
import { DateTime } from 'luxon';

/** The reminders an owner can get, each switchable in config. */
export type ReminderEventKind =
  | 'restore-test-due-soon'
  | 'restore-test-overdue'
  | 'failure-unacknowledged'
  | 'access-review-due'
  | 'exemption-expiring';

/** Something an entity's owners are reminded of, once per occurrence. */
export interface ReminderEvent {
  kind: ReminderEventKind;
  /** Tells this occurrence from later ones of the same kind. */
  key: string;
  /**
   * What the reminder is about; a later reminder on the same subject
   * replaces the earlier one in the owners' inbox (an overdue restore test
   * replaces its due-soon reminder).
   */
  subject: string;
  severity: NotificationSeverity;
  /** Short, without the entity's name. */
  title: string;
  /** The evaluation's own words, so reminders and the card agree. */
  description: string;
}

/**
 * Gaps are not reminded of where they do not apply (out of scope), cannot be
 * trusted (invalid annotations) or are covered by an exemption.
 */
const GAPS_NOT_REMINDED = new Set(['out-of-scope', 'invalid', 'exempt']);

/**
 * Whether the entity has unacknowledged failures to remind of, which
 * {@link unacknowledgedFailureEvents} then names from the stored records.
 */
export function remindsOfFailures(
  row: BackupEntityRow,
  kinds: ReadonlySet<ReminderEventKind>,
): boolean {
  return (
    kinds.has('failure-unacknowledged') &&
    !GAPS_NOT_REMINDED.has(row.status) &&
    row.findings.some(f => f.code === 'failure-unacknowledged')
  );
}

const day = (iso: string | null | undefined) => (iso ?? '').slice(0, 10);

function findingOf(row: BackupEntityRow, code: BackupFindingCode) {
  return row.findings.find(f => f.code === code);
}

type EventRule = (row: BackupEntityRow) => ReminderEvent | undefined;

const restoreTestDueSoon: EventRule = row => {
  const found = findingOf(row, 'restore-test-due-soon');
  return found
    ? {
        kind: 'restore-test-due-soon',
        key: day(row.nextRestoreTestDue),
        subject: 'restore-test',
        severity: 'normal',
        title: 'Restore test due soon',
        description: found.message,
      }
    : undefined;
};

const restoreTestOverdue: EventRule = row => {
  const overdue = findingOf(row, 'restore-test-overdue');
  const missing = findingOf(row, 'restore-test-missing');
  const found = overdue ?? missing;
  return found
    ? {
        kind: 'restore-test-overdue',
        key: overdue ? day(row.nextRestoreTestDue) : 'never-tested',
        subject: 'restore-test',
        severity: 'high',
        title: overdue ? 'Restore test overdue' : 'No restore test recorded',
        description: found.message,
      }
    : undefined;
};

/**
 * Due soon, overdue or never made. The last review names the review cycle:
 * a new review starts a new one.
 */
const accessReviewDue: EventRule = row => {
  const stages: Array<[BackupFindingCode, string, NotificationSeverity]> = [
    ['access-review-due-soon', 'Access review due soon', 'normal'],
    ['access-review-overdue', 'Access review overdue', 'high'],
    ['access-review-missing', 'No access review recorded', 'high'],
  ];
  for (const [code, title, severity] of stages) {
    const found = findingOf(row, code);
    if (found) {
      const stage = code.replace('access-review-', '');
      return {
        kind: 'access-review-due',
        key: row.lastAccessReview
          ? `${stage}:${day(row.lastAccessReview)}`
          : stage,
        subject: 'access-review',
        severity,
        title,
        description: found.message,
      };
    }
  }
  return undefined;
};

function exemptionExpiring(within: HumanDuration, now: Date): EventRule {
  return row => {
    const active = findingOf(row, 'exemption-active');
    if (row.status !== 'exempt' || !active || !row.exemptionExpires) {
      return undefined;
    }
    const expires = DateTime.fromISO(row.exemptionExpires, { zone: 'utc' });
    const at = DateTime.fromJSDate(now);
    if (expires <= at || expires.minus(within) > at) return undefined;
    return {
      kind: 'exemption-expiring',
      key: day(row.exemptionExpires),
      subject: 'exemption',
      severity: 'normal',
      title: 'Backup exemption ending',
      description: `${active.message} After that the backup policy applies again; renew the exemption or meet the policy.`,
    };
  };
}

/**
 * The reminders an evaluated entity calls for now, except failures (see
 * {@link unacknowledgedFailureEvents}, which need the stored records). Only
 * the enabled kinds are returned.
 */
export function reminderEventsOf(
  row: BackupEntityRow,
  options: {
    kinds: ReadonlySet<ReminderEventKind>;
    exemptionExpiringWithin: HumanDuration;
    now: Date;
  },
): ReminderEvent[] {
  const rules: Array<[ReminderEventKind, EventRule]> = [
    [
      'exemption-expiring',
      exemptionExpiring(options.exemptionExpiringWithin, options.now),
    ],
  ];
  if (!GAPS_NOT_REMINDED.has(row.status)) {
    rules.push(
      ['restore-test-due-soon', restoreTestDueSoon],
      ['restore-test-overdue', restoreTestOverdue],
      ['access-review-due', accessReviewDue],
    );
  }
  return rules.flatMap(([kind, rule]) =>
    options.kinds.has(kind) ? rule(row) ?? [] : [],
  );
}

const FAILURES = [
  { kind: 'backup-run', field: 'latestFailedBackupRun' },
  { kind: 'restore-test', field: 'latestFailedRestoreTest' },
] as const;

/**
 * One reminder per stored failure that is past the policy's acknowledgement
 * window, keyed by its record id. Each failure is evaluated on its own, so
 * that the window is judged by the evaluator and nowhere else.
 */
export function unacknowledgedFailureEvents(
  entity: Entity,
  evidence: BackupEvidenceSummary,
  policy: BackupPolicy,
  now: Date,
): ReminderEvent[] {
  return FAILURES.flatMap(({ kind, field }) => {
    const failure = evidence[field];
    if (!failure) return [];
    const found: BackupFinding | undefined = evaluateBackupStatus(
      entity,
      policy,
      now,
      { [field]: failure },
    ).findings.find(f => f.code === 'failure-unacknowledged');
    return found
      ? [
          {
            kind: 'failure-unacknowledged' as const,
            key: `${kind}:${failure.id}`,
            subject: `failure:${kind}`,
            severity: 'high' as const,
            title:
              kind === 'backup-run'
                ? 'Failed backup run not acknowledged'
                : 'Failed restore test not acknowledged',
            description: found.message,
          },
        ]
      : [];
  });
}
