import {
  BackupEntityRow,
  BackupFindingCode,
  BackupPolicy,
  failureAcknowledgeDeadline,
  FollowUpRecord,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { HumanDuration } from '@backstage/types';
import { FollowedUpFailure } from '../database/EvidenceStore';

/** What each section of an evidence pack holds, column by column. */

/** A section's columns: CSV header and cells, JSON keys where it has no record of its own. */
export type PackColumns<T> = Array<[name: string, cell: (row: T) => unknown]>;

/** The columns of a row as a JSON object (undefined cells are left out). */
export const columnsObject = <T>(columns: PackColumns<T>, row: T) =>
  Object.fromEntries(columns.map(([name, cell]) => [name, cell(row)]));

export const policyFields = (
  policy: BackupPolicy,
): Array<[string, unknown]> => [
  ['version', policy.version],
  ['approvedBy', policy.approvedBy],
  ['approvedAt', policy.approvedAt],
  ['dueSoonWindow', JSON.stringify(policy.dueSoonWindow)],
  ['encryptionRequiredFor', policy.encryptionRequiredFor],
  ['accessControlRequiredFor', policy.accessControlRequiredFor],
  ['accessReviewInterval', JSON.stringify(policy.accessReviewInterval)],
  ['failureAcknowledgeWithin', JSON.stringify(policy.failureAcknowledgeWithin)],
  // the exception process: who may approve an exemption, for how long
  ['exemptionApprovers', policy.exemptionApprovers],
  ['maxExemption', JSON.stringify(policy.maxExemption)],
  ['requiredAnnotations', policy.requiredAnnotations],
  ...Object.entries(policy.restoreTestInterval).map(
    ([classification, interval]): [string, unknown] => [
      `restoreTestInterval.${classification}`,
      JSON.stringify(interval),
    ],
  ),
];

const EXEMPTION_REFUSALS = new Set<BackupFindingCode>([
  'exemption-approver-missing',
  'exemption-approver-not-allowed',
  'exemption-too-long',
]);

/** The backup register: one column per fact an auditor asks about. */
export const REGISTER_COLUMNS: PackColumns<BackupEntityRow> = [
  ['entity_ref', row => row.entityRef],
  ['kind', row => row.kind],
  ['owner', row => row.owner],
  ['backup_owner', row => row.backupOwner],
  ['system', row => row.system],
  ['data_classification', row => row.dataClassification],
  ['methods', row => row.methods],
  ['locations', row => row.locations],
  ['encryption', row => row.encryption],
  ['provider', row => row.provider],
  ['backup_admins', row => row.backupAdmins],
  ['deletion_protection', row => row.deletionProtection],
  ['access_logging', row => row.accessLogging],
  ['last_access_review', row => row.lastAccessReview],
  ['access_review_evidence', row => row.accessReviewEvidence],
  ['status', row => row.status],
  ['last_restore_test', row => row.lastRestoreTest],
  ['next_restore_test_due', row => row.nextRestoreTestDue],
  ['exemption', row => row.exemption],
  ['exemption_expires', row => row.exemptionExpires],
  ['exemption_approved_by', row => row.exemptionApprovedBy],
  // a declared exemption the policy does not honour, and why
  [
    'exemption_refused_because',
    row =>
      row.findings
        .filter(finding => EXEMPTION_REFUSALS.has(finding.code))
        .map(finding => finding.message)
        .join('; ') || undefined,
  ],
];

export const RESTORE_TEST_COLUMNS: PackColumns<RestoreTestRecord> = [
  ['id', r => r.id],
  ['entity_ref', r => r.entityRef],
  ['sequence', r => r.sequence],
  ['started_at', r => r.startedAt],
  ['completed_at', r => r.completedAt],
  ['result', r => r.result],
  ['scope', r => r.scope],
  ['recovery_point_at', r => r.recoveryPointAt],
  ['restore_duration_seconds', r => r.restoreDurationSeconds],
  ['validation', r => r.validation.map(v => `${v.type}: ${v.outcome}`)],
  ['executor', r => r.executor],
  ['evidence_url', r => r.evidenceUrl],
  ['issues_found', r => r.issuesFound],
  ['remediation', r => r.remediation],
  ['source', r => r.source],
  ['recorded_by', r => r.recordedBy],
  ['recorded_at', r => r.recordedAt],
  ['supersedes', r => r.supersedes],
  ['previous_hash', r => r.previousHash],
  ['hash', r => r.hash],
];

export const FOLLOW_UP_COLUMNS: PackColumns<FollowUpRecord> = [
  ['id', f => f.id],
  ['entity_ref', f => f.entityRef],
  ['sequence', f => f.sequence],
  ['failure_kind', f => f.failure.kind],
  ['failure_id', f => f.failure.id],
  ['action', f => f.action],
  ['at', f => f.at],
  ['by', f => f.by],
  ['ticket_url', f => f.ticketUrl],
  ['resolution', f => f.resolution],
  ['source', f => f.source],
  ['recorded_by', f => f.recordedBy],
  ['recorded_at', f => f.recordedAt],
  ['previous_hash', f => f.previousHash],
  ['hash', f => f.hash],
];

/**
 * Where a failure stands against the policy's `failureAcknowledgeWithin`:
 * acknowledged (or resolved, which counts) by the deadline or after it, or
 * not at all while the window is still open or after it has passed.
 */
export type AcknowledgeWindow =
  | 'acknowledged in time'
  | 'acknowledged late'
  | 'overdue'
  | 'open';

/** A failure as the pack lists it, judged when the pack is generated. */
export type PackFailure = FollowedUpFailure & {
  failedAt: string;
  acknowledgeDeadline: string;
  acknowledgeWindow: AcknowledgeWindow;
};

const failedAtOf = (failure: FollowedUpFailure) =>
  failure.kind === 'backup-run'
    ? failure.record.runAt
    : failure.record.completedAt;

/**
 * The failure with its acknowledgement deadline and window, by the rule the
 * status applies (a finding once the deadline is reached unacknowledged).
 */
export function packFailure(
  failure: FollowedUpFailure,
  window: HumanDuration,
  now: Date,
): PackFailure {
  const failedAt = failedAtOf(failure);
  const deadline = Date.parse(
    failureAcknowledgeDeadline(failedAt, { failureAcknowledgeWithin: window }),
  );
  const { firstAt } = failure.followUps;
  let acknowledgeWindow: AcknowledgeWindow;
  if (firstAt !== undefined) {
    acknowledgeWindow =
      Date.parse(firstAt) <= deadline
        ? 'acknowledged in time'
        : 'acknowledged late';
  } else {
    acknowledgeWindow = deadline <= now.getTime() ? 'overdue' : 'open';
  }
  return {
    ...failure,
    failedAt,
    acknowledgeDeadline: new Date(deadline).toISOString(),
    acknowledgeWindow,
  };
}

/** Who acted: the person named on the follow-up, else who recorded it. */
const actor = (followUp?: FollowUpRecord) =>
  followUp && (followUp.by ?? followUp.recordedBy);

const ofRestoreTest =
  <T>(cell: (record: RestoreTestRecord) => T) =>
  (f: PackFailure) =>
    f.kind === 'restore-test' ? cell(f.record) : undefined;

/**
 * What failed, and how it was followed up: the acknowledgement and the
 * resolution that stand (the newest of each), and when it was first
 * acknowledged or resolved, which the window judges.
 */
export const FAILURE_COLUMNS: PackColumns<PackFailure> = [
  ['entity_ref', f => f.record.entityRef],
  ['failure_kind', f => f.kind],
  ['failure_id', f => f.record.id],
  ['failed_at', f => f.failedAt],
  [
    'result',
    f => (f.kind === 'backup-run' ? f.record.outcome : f.record.result),
  ],
  ['scope', ofRestoreTest(r => r.scope)],
  [
    'failed_validation',
    ofRestoreTest(r =>
      r.validation.filter(v => v.outcome === 'failed').map(v => v.type),
    ),
  ],
  [
    'details',
    f => (f.kind === 'backup-run' ? f.record.message : f.record.issuesFound),
  ],
  [
    'follow_up',
    ({ followUps: { acknowledged, resolved } }) => {
      if (resolved) return 'resolved';
      return acknowledged ? 'acknowledged' : 'not acknowledged';
    },
  ],
  [
    'ticket_url',
    ({ followUps: { acknowledged, resolved } }) =>
      acknowledged?.ticketUrl ?? resolved?.ticketUrl,
  ],
  ['acknowledged_by', f => actor(f.followUps.acknowledged)],
  ['acknowledged_at', f => f.followUps.acknowledged?.at],
  ['resolution', f => f.followUps.resolved?.resolution],
  ['resolved_by', f => actor(f.followUps.resolved)],
  ['resolved_at', f => f.followUps.resolved?.at],
  ['first_acknowledged_at', f => f.followUps.firstAt],
  ['acknowledge_deadline', f => f.acknowledgeDeadline],
  ['acknowledge_window', f => f.acknowledgeWindow],
];
