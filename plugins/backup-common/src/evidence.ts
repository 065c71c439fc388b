import { EARLIEST_INSTANT, parseIsoDateTime, textProblem } from './values';

/**
 * The evidence model: restore-test records, backup-run reports and reviews
 * of who can delete backups, as the API accepts and returns them. Records are append-only; a correction is a
 * new record that names the one it supersedes.
 */

/** @public */
export const RESTORE_TEST_RESULTS = ['succeeded', 'failed', 'partial'] as const;
/** @public */
export type RestoreTestResult = (typeof RESTORE_TEST_RESULTS)[number];

/** The validation steps ISO/IEC 27018 expects of a restore test. @public */
export const VALIDATION_STEP_TYPES = [
  'integrity',
  'recoverability',
  'application',
] as const;
/** @public */
export type ValidationStepType = (typeof VALIDATION_STEP_TYPES)[number];

/** @public */
export const VALIDATION_OUTCOMES = [
  'passed',
  'failed',
  'not-performed',
] as const;
/** @public */
export type ValidationOutcome = (typeof VALIDATION_OUTCOMES)[number];

/** @public */
export const BACKUP_RUN_OUTCOMES = ['succeeded', 'failed'] as const;
/** @public */
export type BackupRunOutcome = (typeof BACKUP_RUN_OUTCOMES)[number];

/**
 * What a review of backup administrator access concluded: the access was as
 * it should be, or it was changed (rights removed or narrowed) in the review.
 *
 * @public
 */
export const ACCESS_REVIEW_OUTCOMES = ['confirmed', 'changed'] as const;
/** @public */
export type AccessReviewOutcome = (typeof ACCESS_REVIEW_OUTCOMES)[number];

/** Size limits shared by the API schema and the frontend form. @public */
export const EVIDENCE_LIMITS = {
  shortText: 200,
  url: 2000,
  longText: 4000,
  validationSteps: 10,
  /** Most administrators an access review may list. */
  accessReviewAdmins: 50,
  /** Clock skew tolerated before a timestamp counts as "in the future". */
  futureToleranceSeconds: 300,
  /** Largest page a history read returns. */
  maxPageSize: 100,
  defaultPageSize: 20,
  /** Deepest page a history or list read may start at. */
  maxOffset: 1_000_000,
  /** Largest duration in seconds: what a 32-bit integer column holds. */
  maxSeconds: 2_147_483_647,
  /** Largest size in bytes: exact in JavaScript and in a 64-bit column. */
  maxBytes: Number.MAX_SAFE_INTEGER,
  /** Most records one batch submission may carry. */
  maxBatchSize: 1000,
  /** Most entity refs one `POST /entities/by-refs` may ask for. */
  maxEntityRefsPerCall: 500,
} as const;

/** `manual`, `ci`, or the name of the tool that submitted the record. @public */
export const EVIDENCE_SOURCE_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';

/** @public */
export interface ValidationStep {
  type: ValidationStepType;
  outcome: ValidationOutcome;
  notes?: string;
}

/**
 * What a person or a machine submits to record a restore test.
 *
 * @public
 */
export interface RestoreTestInput {
  startedAt: string;
  completedAt: string;
  result: RestoreTestResult;
  /** What was restored (systems, data sets, environment). */
  scope: string;
  /** Time of the recovery point that was restored; gives the achieved RPO. */
  recoveryPointAt?: string;
  /** How long the restore itself took; defaults to completed minus started. */
  restoreDurationSeconds?: number;
  validation: ValidationStep[];
  executor: string;
  evidenceUrl?: string;
  issuesFound?: string;
  remediation?: string;
  source?: string;
  /** Makes a submission idempotent: a repeat returns the first record. */
  externalId?: string;
  /** Id of an earlier record of the same entity that this one corrects. */
  supersedes?: string;
}

/** Fields every stored record carries. @public */
export interface EvidenceRecordMeta {
  id: string;
  entityRef: string;
  source: string;
  externalId?: string;
  /** Taken from the caller's credentials, never from the body. */
  recordedBy: string;
  recordedAt: string;
  /** Position in the entity's chain of records of this type, from 1. */
  sequence: number;
  previousHash: string;
  hash: string;
}

/** @public */
export interface RestoreTestRecord
  extends Omit<RestoreTestInput, 'source' | 'externalId'>,
    EvidenceRecordMeta {
  restoreDurationSeconds: number;
  /** Started minus recovery point, when the recovery point is known. */
  achievedRpoSeconds?: number;
  /** Id of a later record that corrects this one, if any. */
  supersededBy?: string;
}

/** @public */
export interface BackupRunInput {
  runAt: string;
  outcome: BackupRunOutcome;
  sizeBytes?: number;
  durationSeconds?: number;
  message?: string;
  source?: string;
  externalId?: string;
}

/** @public */
export interface BackupRunRecord
  extends Omit<BackupRunInput, 'source' | 'externalId'>,
    EvidenceRecordMeta {}

/**
 * A review of who can delete backups or disable backup jobs (ISO/IEC 27018:
 * admin roles controlled and reviewed), submitted by the reviewer or by the
 * access-governance tool that ran it.
 *
 * @public
 */
export interface AccessReviewInput {
  reviewedAt: string;
  reviewer: string;
  outcome: AccessReviewOutcome;
  /** Who holds those rights after the review (people, groups or roles). */
  admins: string[];
  evidenceUrl?: string;
  notes?: string;
  source?: string;
  externalId?: string;
}

/** @public */
export interface AccessReviewRecord
  extends Omit<AccessReviewInput, 'source' | 'externalId'>,
    EvidenceRecordMeta {}

/** @public */
export const FOLLOW_UP_ACTIONS = ['acknowledged', 'resolved'] as const;
/** @public */
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** The kinds of record whose failures are followed up. @public */
export const FOLLOW_UP_FAILURE_KINDS = ['backup-run', 'restore-test'] as const;
/** @public */
export type FollowUpFailureKind = (typeof FOLLOW_UP_FAILURE_KINDS)[number];

/**
 * What happened about a failed backup run or restore test of the entity:
 * acknowledged with a ticket, later resolved with a note. Append-only, like
 * all evidence; a failure may have several follow-ups.
 *
 * @public
 */
export interface FollowUpInput {
  /** The failed record: a failed backup run, or a failed or partial restore test. */
  failure: { kind: FollowUpFailureKind; id: string };
  action: FollowUpAction;
  /** The ticket tracking the failure; required to acknowledge it. */
  ticketUrl?: string;
  /** How the failure was resolved; required to resolve it. */
  resolution?: string;
  /** When it was acknowledged or resolved. */
  at: string;
  /** Who acknowledged or resolved it, if not the caller. */
  by?: string;
  source?: string;
  externalId?: string;
}

/** @public */
export interface FollowUpRecord
  extends Omit<FollowUpInput, 'source' | 'externalId'>,
    EvidenceRecordMeta {}

/** A page of history, newest first. @public */
export interface EvidencePage<T> {
  items: T[];
  totalCount: number;
  limit: number;
  offset: number;
}

/** @public */
export interface EvidenceChainReport {
  intact: boolean;
  count: number;
  /** The first record whose hash or link does not match, if any. */
  brokenAt?: { id: string; sequence: number; problem: string };
}

/** @public */
export interface EvidenceVerification {
  entityRef: string;
  intact: boolean;
  restoreTests: EvidenceChainReport;
  backupRuns: EvidenceChainReport;
  accessReviews: EvidenceChainReport;
  /** Optional only for older backends, which had no follow-ups. */
  followUps?: EvidenceChainReport;
  verifiedAt: string;
}

/** One problem with a submitted value, for an API error or a form field. @public */
export interface EvidenceInputProblem {
  field: string;
  message: string;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * Every text in a submission (at any depth) that could not be stored exactly
 * as it is hashed: a lone surrogate or a NUL. `path` names the field.
 *
 * @public
 */
export function textInputProblems(
  value: unknown,
  path: string,
): EvidenceInputProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [{ field: path, message: `${path} ${problem}` }] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => textInputProblems(item, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const field = path ? `${path}.${key}` : key;
      return textProblem(key)
        ? [{ field, message: `a field name ${textProblem(key)}` }]
        : textInputProblems(item, field);
    });
  }
  return [];
}

/**
 * A submitted date-time must name a real calendar instant with a time zone,
 * from 1970 on and not in the future (beyond the tolerated clock skew).
 */
function instantProblems(
  field: string,
  value: string | undefined,
  now: Date,
): EvidenceInputProblem[] {
  if (value === undefined) return [];
  if (!parseIsoDateTime(value)) {
    return [
      {
        field,
        message: `${field} is not a real date-time with a time zone from ${EARLIEST_INSTANT.slice(
          0,
          4,
        )} on (e.g. 2026-10-01T14:30:00Z)`,
      },
    ];
  }
  const limit = now.getTime() / 1000 + EVIDENCE_LIMITS.futureToleranceSeconds;
  return seconds(value) > limit
    ? [{ field, message: `${field} is in the future` }]
    : [];
}

function integerProblems(
  field: string,
  value: number | undefined,
  max: number,
): EvidenceInputProblem[] {
  if (value === undefined) return [];
  return Number.isSafeInteger(value) && value >= 0 && value <= max
    ? []
    : [{ field, message: `${field} must be a whole number from 0 to ${max}` }];
}

/**
 * The rules a restore-test submission must meet beyond its shape (which the
 * API schema checks): real dates in time order and not in the future, whole
 * numbers a database column holds, text that can be stored as hashed. Used
 * by the backend and by the frontend form.
 *
 * @public
 */
export function restoreTestInputProblems(
  input: Pick<RestoreTestInput, 'startedAt' | 'completedAt'> &
    Partial<RestoreTestInput>,
  now: Date,
): EvidenceInputProblem[] {
  const problems = [
    ...instantProblems('startedAt', input.startedAt, now),
    ...instantProblems('completedAt', input.completedAt, now),
    ...instantProblems('recoveryPointAt', input.recoveryPointAt, now),
    ...integerProblems(
      'restoreDurationSeconds',
      input.restoreDurationSeconds,
      EVIDENCE_LIMITS.maxSeconds,
    ),
    ...textInputProblems(input, ''),
  ];
  if (problems.length > 0) return problems;
  if (seconds(input.completedAt) < seconds(input.startedAt)) {
    problems.push({
      field: 'completedAt',
      message: 'completedAt is before startedAt',
    });
  }
  if (
    input.recoveryPointAt !== undefined &&
    seconds(input.recoveryPointAt) > seconds(input.startedAt)
  ) {
    problems.push({
      field: 'recoveryPointAt',
      message:
        'recoveryPointAt is after startedAt: a restore cannot start before its recovery point exists',
    });
  }
  return problems;
}

/** @public */
export function backupRunInputProblems(
  input: Pick<BackupRunInput, 'runAt'> & Partial<BackupRunInput>,
  now: Date,
): EvidenceInputProblem[] {
  return [
    ...instantProblems('runAt', input.runAt, now),
    ...integerProblems('sizeBytes', input.sizeBytes, EVIDENCE_LIMITS.maxBytes),
    ...integerProblems(
      'durationSeconds',
      input.durationSeconds,
      EVIDENCE_LIMITS.maxSeconds,
    ),
    ...textInputProblems(input, ''),
  ];
}

/** @public */
export function accessReviewInputProblems(
  input: Pick<AccessReviewInput, 'reviewedAt'> & Partial<AccessReviewInput>,
  now: Date,
): EvidenceInputProblem[] {
  return [
    ...instantProblems('reviewedAt', input.reviewedAt, now),
    ...textInputProblems(input, ''),
  ];
}

const HTTP_URL = /^https?:\/\/\S+$/;

/**
 * The rules a follow-up must meet beyond its shape: an acknowledgement names
 * its ticket, a resolution says how, and the time is real and not ahead.
 *
 * @public
 */
export function followUpInputProblems(
  input: Pick<FollowUpInput, 'at' | 'action'> & Partial<FollowUpInput>,
  now: Date,
): EvidenceInputProblem[] {
  const problems = [
    ...instantProblems('at', input.at, now),
    ...textInputProblems(input, ''),
  ];
  if (input.ticketUrl !== undefined && !HTTP_URL.test(input.ticketUrl)) {
    problems.push({
      field: 'ticketUrl',
      message: 'ticketUrl must be an http(s) URL',
    });
  }
  if (input.action === 'acknowledged' && !input.ticketUrl) {
    problems.push({
      field: 'ticketUrl',
      message: 'ticketUrl is required to acknowledge a failure',
    });
  }
  if (input.action === 'resolved' && !input.resolution?.trim()) {
    problems.push({
      field: 'resolution',
      message: 'resolution is required to resolve a failure',
    });
  }
  if ((input.resolution?.length ?? 0) > EVIDENCE_LIMITS.longText) {
    problems.push({
      field: 'resolution',
      message: `resolution is longer than ${EVIDENCE_LIMITS.longText} characters`,
    });
  }
  return problems;
}
