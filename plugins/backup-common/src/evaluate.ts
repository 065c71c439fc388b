import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DateTime, Duration } from 'luxon';
import {
  BACKUP_ANNOTATIONS,
  BackupField,
  DataClassification,
} from './annotations';
import { BackupRunRecord, RestoreTestRecord } from './evidence';
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
  'backup-method-none': 'non-compliant',
  'encryption-required': 'non-compliant',
  'restore-test-failed': 'non-compliant',
  'backup-run-failed': 'non-compliant',
  'backup-run-missing': 'non-compliant',
  'rto-exceeded': 'non-compliant',
  'restore-test-missing': 'overdue',
  'restore-test-overdue': 'overdue',
  'restore-test-due-soon': 'due-soon',
  'restore-test-evidence-missing': undefined,
  'exemption-active': 'exempt',
  'exemption-expired': undefined,
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
  findings: BackupFinding[];
  profile: BackupProfile;
  policyVersion: string;
  evaluatedAt: string;
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
}

/** The last successful restore test, from the annotation or the store. */
interface LastRestoreTest {
  at: DateTime;
  source: 'annotation' | 'record';
  recordId?: string;
  restoreDurationSeconds?: number;
}

function lastRestoreTestOf(
  profile: BackupProfile,
  evidence: BackupEvidenceSummary,
): LastRestoreTest | undefined {
  const record = evidence.lastSuccessfulRestoreTest;
  const fromRecord: LastRestoreTest | undefined = record && {
    at: toDate(record.completedAt),
    source: 'record',
    recordId: record.id,
    restoreDurationSeconds: record.restoreDurationSeconds,
  };
  const fromAnnotation: LastRestoreTest | undefined = profile.lastRestoreTest
    ? { at: toDate(profile.lastRestoreTest), source: 'annotation' }
    : undefined;
  if (!fromRecord || !fromAnnotation) return fromRecord ?? fromAnnotation;
  // the newer wins; on a tie the record, which carries the evidence
  return fromAnnotation.at > fromRecord.at ? fromAnnotation : fromRecord;
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
  if (lastTest.at > now) {
    return {
      findings: [
        finding(
          'restore-test-in-future',
          'error',
          `The last restore test is dated ${formatDay(
            lastTest.at,
          )}, which is in the future.`,
          'lastRestoreTest',
        ),
      ],
      nextDue: null,
    };
  }
  const classification: DataClassification | 'default' =
    profile.dataClassification ?? 'default';
  const interval = policy.restoreTestInterval[classification];
  const nextDue = lastTest.at.plus(interval);
  const findings: BackupFinding[] = [];
  const intervalText = Duration.fromObject(interval).toHuman();
  if (nextDue <= now) {
    findings.push(
      finding(
        'restore-test-overdue',
        'error',
        `The last restore test (${formatDay(
          lastTest.at,
        )}) is older than the policy's ${intervalText} for ${classification} data; it was due on ${formatDay(
          nextDue,
        )}.`,
        'lastRestoreTest',
      ),
    );
  } else if (nextDue.minus(policy.dueSoonWindow) <= now) {
    findings.push(
      finding(
        'restore-test-due-soon',
        'warning',
        `The next restore test is due on ${formatDay(nextDue)}.`,
        'lastRestoreTest',
      ),
    );
  }
  if (lastTest.source === 'annotation' && !profile.restoreTestEvidence) {
    findings.push(
      finding(
        'restore-test-evidence-missing',
        'warning',
        'The last restore test has no evidence link; auditors ask for the record (ticket, log or report).',
        'restoreTestEvidence',
      ),
    );
  }
  return { findings, nextDue };
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

function exemptionFindings(
  profile: BackupProfile,
  now: DateTime,
): BackupFinding[] {
  if (!profile.exemption || !profile.exemptionExpires) {
    return [];
  }
  const expires = toDate(profile.exemptionExpires);
  return expires > now
    ? [
        finding(
          'exemption-active',
          'info',
          `Exempt until ${formatDay(expires)}: ${profile.exemption}`,
          'exemption',
        ),
      ]
    : [
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

function statusOf(findings: BackupFinding[]): BackupStatus {
  const implied = new Set<BackupStatus>(
    findings.flatMap(f => BACKUP_FINDING_STATUS[f.code] ?? []),
  );
  return BACKUP_STATUS_PRECEDENCE.find(s => implied.has(s)) ?? 'compliant';
}

/**
 * Evaluates an entity's backup annotations against the policy at `now`.
 * Pure: the same inputs always give the same evaluation.
 *
 * @public
 */
export function evaluateBackupStatus(
  entity: Entity,
  policy: BackupPolicy,
  now: Date,
  evidence: BackupEvidenceSummary = {},
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
  let nextDue: DateTime | null = null;

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
    if (!invalidFields.has('lastRestoreTest')) {
      const restore = restoreTestFindings(profile, policy, lastTest, at);
      findings.push(...restore.findings);
      nextDue = restore.nextDue;
    }
    findings.push(...evidenceFindings(profile, evidence, lastTest, at));
    findings.push(...exemptionFindings(profile, at));
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
    findings,
    profile,
    policyVersion: policy.version,
    evaluatedAt: at.toISO()!,
  };
}
