import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { HumanDuration } from '@backstage/types';
import { DateTime, Duration } from 'luxon';
import {
  BACKUP_ANNOTATIONS,
  BackupField,
  DataClassification,
} from './annotations';
import {
  AccessReviewRecord,
  BackupRunRecord,
  RestoreTestRecord,
} from './evidence';
import { BackupProfile, parseBackupProfile, profileKey } from './profile';
import { BackupPolicy, BackupScopeRule } from './policy';
import { BACKUP_STATUS_PRECEDENCE, BackupStatus } from './status';
import { parseIsoInstant } from './values';

/** @public */
export type BackupFindingSeverity = 'error' | 'warning' | 'info';

/**
 * Stable finding codes, each with the status it pushes the entity towards
 * (undefined: informational only).
 *
 * @public
 */
export const BACKUP_FINDING_STATUS = {
  'out-of-scope': 'out-of-scope',
  'annotation-invalid': 'invalid',
  'restore-test-in-future': 'invalid',
  'annotation-missing': 'incomplete',
  'encryption-undeclared': 'incomplete',
  'access-control-undeclared': 'incomplete',
  'access-review-in-future': 'invalid',
  'backup-method-none': 'non-compliant',
  'encryption-required': 'non-compliant',
  'restore-test-failed': 'non-compliant',
  'backup-run-failed': 'non-compliant',
  'backup-run-missing': 'non-compliant',
  'rto-exceeded': 'non-compliant',
  'deletion-protection-required': 'non-compliant',
  'access-logging-required': 'non-compliant',
  'access-review-missing': 'non-compliant',
  'access-review-overdue': 'non-compliant',
  'failure-unacknowledged': 'non-compliant',
  'restore-test-missing': 'overdue',
  'restore-test-overdue': 'overdue',
  'restore-test-due-soon': 'due-soon',
  'access-review-due-soon': 'due-soon',
  'restore-test-evidence-missing': undefined,
  'access-review-evidence-missing': undefined,
  'exemption-active': 'exempt',
  'exemption-expired': undefined,
  'exemption-approver-missing': undefined,
  'exemption-approver-not-allowed': undefined,
  'exemption-too-long': undefined,
} as const satisfies Record<string, BackupStatus | undefined>;

/** @public */
export type BackupFindingCode = keyof typeof BACKUP_FINDING_STATUS;

/**
 * One thing the evaluation found, worded for the people who must act on it.
 *
 * @public
 */
export interface BackupFinding {
  code: BackupFindingCode;
  severity: BackupFindingSeverity;
  message: string;
  /** The annotation concerned, if any. */
  annotation?: string;
}

/**
 * The evaluation of one entity against the policy at a moment in time.
 *
 * @public
 */
export interface BackupEvaluation {
  entityRef: string;
  status: BackupStatus;
  /** ISO 8601 (UTC) date the next restore test is due; null if never tested or not applicable. */
  nextRestoreTestDue: string | null;
  lastRestoreTest: string | null;
  /** Where the last restore test comes from: the annotation or a stored record. */
  lastRestoreTestSource: 'annotation' | 'record' | null;
  /** Id of the stored restore-test record used, when it came from the store. */
  lastRestoreTestRecordId?: string;
  /** The last review of who can delete backups: annotation or stored record. */
  lastAccessReview: string | null;
  lastAccessReviewSource: 'annotation' | 'record' | null;
  /** ISO 8601 (UTC) date the next access review is due; null if none is required or none was ever made. */
  nextAccessReviewDue: string | null;
  findings: BackupFinding[];
  profile: BackupProfile;
  policyVersion: string;
  evaluatedAt: string;
}

/**
 * Catalog facts the evaluation needs beyond the entity itself, looked up by
 * the caller so that the evaluation stays a pure function of its inputs.
 *
 * @public
 */
export interface BackupEvaluationContext {
  /**
   * The groups each user named as an exemption approver belongs to, keyed by
   * the user's entity ref (the catalog's `memberOf` relations). A user
   * missing here counts as a member of no group.
   */
  approverMemberOf?: Readonly<Record<string, readonly string[]>>;
}

/** An ISO instant from the profile or a record (already validated). */
const toDate = (iso: string) =>
  parseIsoInstant(iso) ?? DateTime.fromISO(iso, { zone: 'utc' });
const formatDay = (date: DateTime) => date.toISODate()!;

/**
 * The latest stored evidence of an entity, as far as the status depends on it.
 * Superseded records are left out by whoever builds it.
 *
 * @public
 */
export interface BackupEvidenceSummary {
  latestRestoreTest?: Pick<
    RestoreTestRecord,
    'id' | 'completedAt' | 'result' | 'restoreDurationSeconds'
  >;
  lastSuccessfulRestoreTest?: Pick<
    RestoreTestRecord,
    'id' | 'completedAt' | 'result' | 'restoreDurationSeconds'
  >;
  latestBackupRun?: Pick<BackupRunRecord, 'id' | 'runAt' | 'outcome'>;
  lastSuccessfulBackupRun?: Pick<BackupRunRecord, 'id' | 'runAt' | 'outcome'>;
  latestAccessReview?: Pick<
    AccessReviewRecord,
    'id' | 'reviewedAt' | 'outcome'
  >;
  /** The newest failed or partial restore test, and its follow-up. */
  latestFailedRestoreTest?: Pick<
    RestoreTestRecord,
    'id' | 'completedAt' | 'result'
  > &
    FailureFollowUpState;
  /** The newest failed backup run, and its follow-up. */
  latestFailedBackupRun?: Pick<BackupRunRecord, 'id' | 'runAt' | 'outcome'> &
    FailureFollowUpState;
}

/**
 * How a failed record was followed up: when it was first acknowledged and
 * first resolved, if it was.
 *
 * @public
 */
export interface FailureFollowUpState {
  acknowledgedAt?: string;
  resolvedAt?: string;
}

/** When a periodic check last happened: from an annotation or a stored record. */
interface LastOccurrence {
  at: DateTime;
  source: 'annotation' | 'record';
}

/** The last successful restore test, from the annotation or the store. */
interface LastRestoreTest extends LastOccurrence {
  recordId?: string;
  restoreDurationSeconds?: number;
}

type LastAccessReview = LastOccurrence;

/** The newer of the two; on a tie the record, which carries the evidence. */
function newer<T extends LastOccurrence>(
  fromAnnotation: T | undefined,
  fromRecord: T | undefined,
): T | undefined {
  if (!fromRecord || !fromAnnotation) return fromRecord ?? fromAnnotation;
  return fromAnnotation.at > fromRecord.at ? fromAnnotation : fromRecord;
}

const annotated = (iso: string | undefined): LastOccurrence | undefined =>
  iso ? { at: toDate(iso), source: 'annotation' } : undefined;

function lastRestoreTestOf(
  profile: BackupProfile,
  evidence: BackupEvidenceSummary,
): LastRestoreTest | undefined {
  const record = evidence.lastSuccessfulRestoreTest;
  return newer<LastRestoreTest>(
    annotated(profile.lastRestoreTest),
    record && {
      at: toDate(record.completedAt),
      source: 'record',
      recordId: record.id,
      restoreDurationSeconds: record.restoreDurationSeconds,
    },
  );
}

function lastAccessReviewOf(
  profile: BackupProfile,
  evidence: BackupEvidenceSummary,
): LastAccessReview | undefined {
  const record = evidence.latestAccessReview;
  return newer(
    annotated(profile.lastAccessReview),
    record && { at: toDate(record.reviewedAt), source: 'record' },
  );
}

const lower = (value: unknown) =>
  typeof value === 'string' ? value.toLocaleLowerCase('en-US') : undefined;

function matchesRule(entity: Entity, rule: BackupScopeRule): boolean {
  const matches = (allowed: string[] | undefined, value: unknown) =>
    !allowed || allowed.includes(lower(value) ?? '');
  return (
    matches(rule.kind, entity.kind) &&
    matches(rule.type, entity.spec?.type) &&
    matches(rule.lifecycle, entity.spec?.lifecycle)
  );
}

/** @public */
export function isInBackupScope(entity: Entity, policy: BackupPolicy): boolean {
  return policy.scope.some(rule => matchesRule(entity, rule));
}

function describeEntity(entity: Entity): string {
  const parts = [`kind ${entity.kind}`];
  if (entity.spec?.type) parts.push(`type ${entity.spec.type}`);
  if (entity.spec?.lifecycle) parts.push(`lifecycle ${entity.spec.lifecycle}`);
  return parts.join(', ');
}

function finding(
  code: BackupFindingCode,
  severity: BackupFindingSeverity,
  message: string,
  field?: BackupField,
): BackupFinding {
  return field
    ? { code, severity, message, annotation: BACKUP_ANNOTATIONS[field] }
    : { code, severity, message };
}

/** A check repeated at an interval: restore tests, access reviews. */
interface PeriodicCheck {
  /** In words, e.g. "restore test". */
  name: string;
  codes: {
    inFuture: BackupFindingCode;
    overdue: BackupFindingCode;
    dueSoon: BackupFindingCode;
    evidenceMissing: BackupFindingCode;
  };
  dateField: BackupField;
  evidenceField: BackupField;
  /** What auditors ask for when the date has no evidence link. */
  evidenceWanted: string;
}

const RESTORE_TEST_CHECK: PeriodicCheck = {
  name: 'restore test',
  codes: {
    inFuture: 'restore-test-in-future',
    overdue: 'restore-test-overdue',
    dueSoon: 'restore-test-due-soon',
    evidenceMissing: 'restore-test-evidence-missing',
  },
  dateField: 'lastRestoreTest',
  evidenceField: 'restoreTestEvidence',
  evidenceWanted: 'the record (ticket, log or report)',
};

const ACCESS_REVIEW_CHECK: PeriodicCheck = {
  name: 'access review',
  codes: {
    inFuture: 'access-review-in-future',
    overdue: 'access-review-overdue',
    dueSoon: 'access-review-due-soon',
    evidenceMissing: 'access-review-evidence-missing',
  },
  dateField: 'lastAccessReview',
  evidenceField: 'accessReviewEvidence',
  evidenceWanted: 'the review record',
};

/**
 * Whether the last run of a periodic check is in the future, overdue or due
 * soon, and whether a date taken from an annotation has its evidence link.
 */
function periodicFindings(
  check: PeriodicCheck,
  last: LastOccurrence,
  interval: { duration: HumanDuration; appliesTo?: string },
  hasEvidenceLink: boolean,
  policy: BackupPolicy,
  now: DateTime,
): { findings: BackupFinding[]; nextDue: DateTime | null } {
  const day = formatDay(last.at);
  if (last.at > now) {
    const message = `The last ${check.name} is dated ${day}, which is in the future.`;
    return {
      findings: [
        finding(check.codes.inFuture, 'error', message, check.dateField),
      ],
      nextDue: null,
    };
  }
  const nextDue = last.at.plus(interval.duration);
  const intervalText = `${Duration.fromObject(interval.duration).toHuman()}${
    interval.appliesTo ? ` for ${interval.appliesTo}` : ''
  }`;
  const findings: BackupFinding[] = [];
  if (nextDue <= now) {
    const message = `The last ${
      check.name
    } (${day}) is older than the policy's ${intervalText}; it was due on ${formatDay(
      nextDue,
    )}.`;
    findings.push(
      finding(check.codes.overdue, 'error', message, check.dateField),
    );
  } else if (nextDue.minus(policy.dueSoonWindow) <= now) {
    const message = `The next ${check.name} is due on ${formatDay(nextDue)}.`;
    findings.push(
      finding(check.codes.dueSoon, 'warning', message, check.dateField),
    );
  }
  if (last.source === 'annotation' && !hasEvidenceLink) {
    const message = `The last ${check.name} has no evidence link; auditors ask for ${check.evidenceWanted}.`;
    findings.push(
      finding(
        check.codes.evidenceMissing,
        'warning',
        message,
        check.evidenceField,
      ),
    );
  }
  return { findings, nextDue };
}

function restoreTestFindings(
  profile: BackupProfile,
  policy: BackupPolicy,
  lastTest: LastRestoreTest | undefined,
  now: DateTime,
): { findings: BackupFinding[]; nextDue: DateTime | null } {
  if (profile.methods?.includes('none')) {
    return { findings: [], nextDue: null };
  }
  if (!lastTest) {
    return {
      findings: [
        finding(
          'restore-test-missing',
          'error',
          'No restore test is recorded. Restore from a backup, validate the result and record it.',
          'lastRestoreTest',
        ),
      ],
      nextDue: null,
    };
  }
  const classification: DataClassification | 'default' =
    profile.dataClassification ?? 'default';
  return periodicFindings(
    RESTORE_TEST_CHECK,
    lastTest,
    {
      duration: policy.restoreTestInterval[classification],
      appliesTo: `${classification} data`,
    },
    Boolean(profile.restoreTestEvidence),
    policy,
    now,
  );
}

/** Findings from stored evidence: failures and objectives not met. */
function evidenceFindings(
  profile: BackupProfile,
  evidence: BackupEvidenceSummary,
  lastTest: LastRestoreTest | undefined,
  now: DateTime,
): BackupFinding[] {
  const findings: BackupFinding[] = [];
  const latest = evidence.latestRestoreTest;
  if (
    latest &&
    latest.result !== 'succeeded' &&
    (!lastTest || toDate(latest.completedAt) > lastTest.at)
  ) {
    findings.push(
      finding(
        'restore-test-failed',
        'error',
        `The latest restore test (${formatDay(toDate(latest.completedAt))}) ${
          latest.result === 'failed' ? 'failed' : 'only partly succeeded'
        }; fix the cause and test again.`,
      ),
    );
  }
  if (lastTest?.restoreDurationSeconds !== undefined && profile.rto) {
    const rtoSeconds = Duration.fromISO(profile.rto).as('seconds');
    if (lastTest.restoreDurationSeconds > rtoSeconds) {
      findings.push(
        finding(
          'rto-exceeded',
          'error',
          `The last restore took ${Duration.fromObject({
            seconds: lastTest.restoreDurationSeconds,
          })
            .rescale()
            .toHuman({
              unitDisplay: 'short',
            })}, longer than the declared recovery time objective of ${Duration.fromISO(
            profile.rto,
          ).toHuman()}.`,
          'rto',
        ),
      );
    }
  }
  const run = evidence.latestBackupRun;
  if (run?.outcome === 'failed') {
    findings.push(
      finding(
        'backup-run-failed',
        'error',
        `The most recent backup run (${formatDay(
          toDate(run.runAt),
        )}) failed; check the backup job and record the fix.`,
      ),
    );
  }
  // Only entities whose backup tool reports runs can be judged on them.
  if (run && profile.frequency) {
    const successful = evidence.lastSuccessfulBackupRun;
    const window = Duration.fromISO(profile.frequency).mapUnits(x => x * 2);
    if (!successful || toDate(successful.runAt).plus(window) < now) {
      findings.push(
        finding(
          'backup-run-missing',
          'error',
          `No successful backup run in the last ${window.toHuman()} (twice the declared frequency).`,
          'frequency',
        ),
      );
    }
  }
  return findings;
}

/**
 * When a failure at `failedAt` must be acknowledged by under the policy's
 * `failureAcknowledgeWithin` (ISO 8601, UTC): the one rule the status, the
 * Backup tab and the evidence pack apply.
 *
 * @public
 */
export function failureAcknowledgeDeadline(
  failedAt: string,
  policy: Pick<BackupPolicy, 'failureAcknowledgeWithin'>,
): string {
  return toDate(failedAt)
    .plus(policy.failureAcknowledgeWithin)
    .toUTC()
    .toISO()!;
}

/**
 * A failure must be acknowledged with a ticket within the policy's window;
 * a resolution counts as acknowledging it.
 */
function followUpFindings(
  evidence: BackupEvidenceSummary,
  policy: BackupPolicy,
  now: DateTime,
): BackupFinding[] {
  const window = policy.failureAcknowledgeWithin;
  const failures = [
    evidence.latestFailedBackupRun && {
      what: 'backup run',
      at: evidence.latestFailedBackupRun.runAt,
      ...evidence.latestFailedBackupRun,
    },
    evidence.latestFailedRestoreTest && {
      what: 'restore test',
      at: evidence.latestFailedRestoreTest.completedAt,
      ...evidence.latestFailedRestoreTest,
    },
  ];
  return failures.flatMap(failure =>
    failure &&
    !failure.acknowledgedAt &&
    !failure.resolvedAt &&
    toDate(failureAcknowledgeDeadline(failure.at, policy)) <= now
      ? [
          finding(
            'failure-unacknowledged',
            'error',
            `The ${failure.what} that failed on ${formatDay(
              toDate(failure.at),
            )} was not acknowledged within ${Duration.fromObject(
              window,
            ).toHuman()}; acknowledge it with a ticket.`,
          ),
        ]
      : [],
  );
}

function protectionFindings(
  profile: BackupProfile,
  policy: BackupPolicy,
): BackupFinding[] {
  const findings: BackupFinding[] = [];
  if (profile.methods?.includes('none')) {
    findings.push(
      finding(
        'backup-method-none',
        'error',
        'The backup method is "none", but the policy requires a backup for this entity. Add a method or record an exemption.',
        'method',
      ),
    );
  }
  const classification = profile.dataClassification;
  if (classification && policy.encryptionRequiredFor.includes(classification)) {
    if (!profile.encryption) {
      findings.push(
        finding(
          'encryption-undeclared',
          'error',
          `Backups of ${classification} data must be encrypted; declare how.`,
          'encryption',
        ),
      );
    } else if (profile.encryption === 'none') {
      findings.push(
        finding(
          'encryption-required',
          'error',
          `Backups of ${classification} data must be encrypted like production, but encryption is "none".`,
          'encryption',
        ),
      );
    }
  }
  return findings;
}

/**
 * Whether the policy requires an entity's backups to be access-controlled:
 * its data classification is listed, and it has backups at all.
 *
 * @public
 */
export function backupAccessControlsRequired(
  profile: BackupProfile,
  policy: Pick<BackupPolicy, 'accessControlRequiredFor'>,
): boolean {
  const classification = profile.dataClassification;
  return (
    !!classification &&
    policy.accessControlRequiredFor.includes(classification) &&
    !profile.methods?.includes('none')
  );
}

/**
 * PII backups must be access-controlled like production (ISO/IEC 27018
 * 12.3.1): who can delete backups or disable jobs, what stops a deletion,
 * whether access is logged, and when that access was last reviewed.
 */
function accessControlFindings(
  profile: BackupProfile,
  policy: BackupPolicy,
  invalidFields: Set<BackupField>,
  lastReview: LastAccessReview | undefined,
  now: DateTime,
): { findings: BackupFinding[]; nextDue: DateTime | null } {
  const classification = profile.dataClassification;
  if (!classification || !backupAccessControlsRequired(profile, policy)) {
    return { findings: [], nextDue: null };
  }
  const findings: BackupFinding[] = [];
  const undeclared = (field: BackupField, what: string) => {
    if (!invalidFields.has(field)) {
      findings.push(
        finding(
          'access-control-undeclared',
          'error',
          `Backups of ${classification} data must be access-controlled like production; declare ${what}.`,
          field,
        ),
      );
    }
  };
  if (!profile.backupAdmins) {
    undeclared('backupAdmins', 'who can delete backups or disable backup jobs');
  }
  if (!profile.deletionProtection) {
    undeclared('deletionProtection', 'what protects backups from deletion');
  } else if (profile.deletionProtection === 'none') {
    findings.push(
      finding(
        'deletion-protection-required',
        'error',
        `Backups of ${classification} data can be deleted without a safeguard; enable soft delete or immutable copies.`,
        'deletionProtection',
      ),
    );
  }
  if (!profile.accessLogging) {
    undeclared('accessLogging', 'whether access to the backups is logged');
  } else if (profile.accessLogging === 'none') {
    findings.push(
      finding(
        'access-logging-required',
        'error',
        `Access to backups of ${classification} data is not logged; log reads, deletions and job changes.`,
        'accessLogging',
      ),
    );
  }
  if (invalidFields.has('lastAccessReview')) {
    return { findings, nextDue: null };
  }
  const review = accessReviewFindings(profile, policy, lastReview, now);
  return {
    findings: [...findings, ...review.findings],
    nextDue: review.nextDue,
  };
}

function accessReviewFindings(
  profile: BackupProfile,
  policy: BackupPolicy,
  lastReview: LastAccessReview | undefined,
  now: DateTime,
): { findings: BackupFinding[]; nextDue: DateTime | null } {
  if (!lastReview) {
    const missing = finding(
      'access-review-missing',
      'error',
      'No review of who can delete backups or disable backup jobs is recorded; review that access and record the date.',
      'lastAccessReview',
    );
    return { findings: [missing], nextDue: null };
  }
  return periodicFindings(
    ACCESS_REVIEW_CHECK,
    lastReview,
    { duration: policy.accessReviewInterval },
    Boolean(profile.accessReviewEvidence),
    policy,
    now,
  );
}

/** Whether the policy lets this user or group approve exemptions. */
function mayApproveExemptions(
  approver: string,
  policy: BackupPolicy,
  context: BackupEvaluationContext,
): boolean {
  const approvers = new Set(policy.exemptionApprovers);
  const groups = context.approverMemberOf?.[approver] ?? [];
  return approvers.has(approver) || groups.some(group => approvers.has(group));
}

/** Who may approve, in words, for the findings that refuse an exemption. */
function exemptionApproversRule(policy: BackupPolicy): string {
  return policy.exemptionApprovers.length === 0
    ? 'the policy names no exemption approvers yet (backup.policy.exemptionApprovers)'
    : `it must be approved by one of ${policy.exemptionApprovers.join(
        ', ',
      )} or one of their members`;
}

/**
 * Why an unexpired exemption is not honoured: no approver, an approver the
 * policy does not allow, or an expiry further ahead than the policy allows.
 */
function exemptionRefusals(
  profile: BackupProfile,
  policy: BackupPolicy,
  context: BackupEvaluationContext,
  expires: DateTime,
  now: DateTime,
): BackupFinding[] {
  const refusals: BackupFinding[] = [];
  const approver = profile.exemptionApprovedBy;
  if (!approver) {
    refusals.push(
      finding(
        'exemption-approver-missing',
        'warning',
        `The exemption names no approver, so it is not honoured; ${exemptionApproversRule(
          policy,
        )}.`,
        'exemptionApprovedBy',
      ),
    );
  } else if (!mayApproveExemptions(approver, policy, context)) {
    refusals.push(
      finding(
        'exemption-approver-not-allowed',
        'warning',
        `The exemption is approved by ${approver}, who may not approve exemptions, so it is not honoured; ${exemptionApproversRule(
          policy,
        )}.`,
        'exemptionApprovedBy',
      ),
    );
  }
  const latest = now.plus(policy.maxExemption);
  if (expires > latest) {
    refusals.push(
      finding(
        'exemption-too-long',
        'warning',
        `The exemption runs until ${formatDay(
          expires,
        )}, longer than the policy's maximum of ${Duration.fromObject(
          policy.maxExemption,
        ).toHuman()}, so it is not honoured; end it by ${formatDay(
          latest,
        )} and renew it if still needed.`,
        'exemptionExpires',
      ),
    );
  }
  return refusals;
}

/**
 * An exemption is honoured while it is unexpired, approved by someone the
 * policy allows and no longer than the policy's maximum; otherwise the
 * findings say why and the entity is judged like any other.
 */
function exemptionFindings(
  profile: BackupProfile,
  policy: BackupPolicy,
  context: BackupEvaluationContext,
  invalidFields: Set<BackupField>,
  now: DateTime,
): BackupFinding[] {
  if (!profile.exemption || !profile.exemptionExpires) {
    return [];
  }
  const expires = toDate(profile.exemptionExpires);
  if (expires <= now) {
    return [
      finding(
        'exemption-expired',
        'warning',
        `The exemption expired on ${formatDay(
          expires,
        )}; the policy applies again.`,
        'exemptionExpires',
      ),
    ];
  }
  if (invalidFields.has('exemptionApprovedBy')) {
    // its annotation-invalid finding already says why
    return [];
  }
  const refusals = exemptionRefusals(profile, policy, context, expires, now);
  if (refusals.length > 0) {
    return refusals;
  }
  return [
    finding(
      'exemption-active',
      'info',
      `Exempt until ${formatDay(expires)}, approved by ${
        profile.exemptionApprovedBy
      }: ${profile.exemption}`,
      'exemption',
    ),
  ];
}

function statusOf(findings: BackupFinding[]): BackupStatus {
  const implied = new Set<BackupStatus>(
    findings.flatMap(f => BACKUP_FINDING_STATUS[f.code] ?? []),
  );
  return BACKUP_STATUS_PRECEDENCE.find(s => implied.has(s)) ?? 'compliant';
}

/**
 * Evaluates an entity's backup annotations against the policy at `now`.
 * Pure: the same inputs always give the same evaluation, so catalog facts
 * beyond the entity (approvers' group memberships) come in `context`.
 *
 * @public
 */
export function evaluateBackupStatus(
  entity: Entity,
  policy: BackupPolicy,
  now: Date,
  evidence: BackupEvidenceSummary = {},
  context: BackupEvaluationContext = {},
): BackupEvaluation {
  const at = DateTime.fromJSDate(now, { zone: 'utc' });
  const { profile, errors } = parseBackupProfile(entity);
  const findings: BackupFinding[] = errors.map(error =>
    finding(
      'annotation-invalid',
      'error',
      `${error.annotation} is "${error.value}"; expected ${error.expected}.`,
      error.field,
    ),
  );
  const invalidFields = new Set(errors.map(e => e.field));
  const lastTest = lastRestoreTestOf(profile, evidence);
  const lastReview = lastAccessReviewOf(profile, evidence);
  let nextDue: DateTime | null = null;
  let nextReviewDue: DateTime | null = null;

  if (!isInBackupScope(entity, policy)) {
    findings.unshift(
      finding(
        'out-of-scope',
        'info',
        `Not covered by backup policy ${policy.version} (${describeEntity(
          entity,
        )}).`,
      ),
    );
  } else {
    for (const field of policy.requiredAnnotations) {
      if (profile[profileKey(field)] === undefined) {
        if (!invalidFields.has(field)) {
          findings.push(
            finding(
              'annotation-missing',
              'error',
              `Required annotation ${BACKUP_ANNOTATIONS[field]} is missing.`,
              field,
            ),
          );
        }
      }
    }
    findings.push(...protectionFindings(profile, policy));
    const access = accessControlFindings(
      profile,
      policy,
      invalidFields,
      lastReview,
      at,
    );
    findings.push(...access.findings);
    nextReviewDue = access.nextDue;
    if (!invalidFields.has('lastRestoreTest')) {
      const restore = restoreTestFindings(profile, policy, lastTest, at);
      findings.push(...restore.findings);
      nextDue = restore.nextDue;
    }
    findings.push(...evidenceFindings(profile, evidence, lastTest, at));
    findings.push(...followUpFindings(evidence, policy, at));
    findings.push(
      ...exemptionFindings(profile, policy, context, invalidFields, at),
    );
  }

  return {
    entityRef: stringifyEntityRef(entity),
    status: statusOf(findings),
    nextRestoreTestDue: nextDue ? nextDue.toISO() : null,
    lastRestoreTest: lastTest?.at.toISO() ?? null,
    lastRestoreTestSource: lastTest?.source ?? null,
    ...(lastTest?.recordId
      ? { lastRestoreTestRecordId: lastTest.recordId }
      : {}),
    lastAccessReview: lastReview?.at.toISO() ?? null,
    lastAccessReviewSource: lastReview?.source ?? null,
    nextAccessReviewDue: nextReviewDue ? nextReviewDue.toISO() : null,
    findings,
    profile,
    policyVersion: policy.version,
    evaluatedAt: at.toISO()!,
  };
}
