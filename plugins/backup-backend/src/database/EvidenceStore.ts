import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEvidenceSummary,
  BackupRunInput,
  BackupRunRecord,
  EvidencePage,
  EvidenceVerification,
  FailureFollowUpState,
  FollowUpAction,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';

/** Who recorded a submission and when; never taken from the request body. */
export interface RecordedBy {
  entityRef: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface AppendResult<T> {
  record: T;
  /** False when the external id matched an earlier record, which is returned. */
  created: boolean;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/** The latest evidence of one entity, as the status evaluation needs it. */
export interface LatestEvidence {
  latestRestoreTest?: RestoreTestRecord;
  lastSuccessfulRestoreTest?: RestoreTestRecord;
  latestBackupRun?: BackupRunRecord;
  lastSuccessfulBackupRun?: BackupRunRecord;
  latestAccessReview?: AccessReviewRecord;
  /** The newest failed or partial restore test, and how it was followed up. */
  latestFailedRestoreTest?: RestoreTestRecord & FailureFollowUpState;
  /** The newest failed backup run, and how it was followed up. */
  latestFailedBackupRun?: BackupRunRecord & FailureFollowUpState;
}

/**
 * How a failure was followed up: the follow-up that stands for each action
 * (the newest, by `at` then sequence) and when the first of any was made.
 */
export interface FailureFollowUps
  extends Partial<Record<FollowUpAction, FollowUpRecord>> {
  /** The `at` of its earliest acknowledgement or resolution. */
  firstAt?: string;
}

/** A failed backup run or restore test, and how it was followed up. */
export type FollowedUpFailure = { followUps: FailureFollowUps } & (
  | { kind: 'backup-run'; record: BackupRunRecord }
  | { kind: 'restore-test'; record: RestoreTestRecord }
);

/**
 * Append-only store of restore-test records, backup-run reports, access
 * reviews and follow-ups of failures. There is
 * no update or delete: a correction is a new record naming the one it
 * supersedes. Only backup-run reports are pruned, by age.
 *
 * An append either returns the stored record or throws for a record that
 * was not stored; it is retried inside the store while the database is
 * briefly unreachable.
 */
export interface EvidenceStore {
  addRestoreTest(
    input: RestoreTestInput,
    meta: RecordedBy,
  ): Promise<AppendResult<RestoreTestRecord>>;
  /**
   * Appends a collector's batch to one entity's chain, in order, all or
   * nothing. Results follow the input order; a repeated external id (stored
   * earlier, or earlier in the batch) returns the first record.
   */
  addRestoreTests(
    inputs: RestoreTestInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<RestoreTestRecord>[]>;
  getRestoreTest(id: string): Promise<RestoreTestRecord | undefined>;
  listRestoreTests(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>>;
  addBackupRun(
    input: BackupRunInput,
    meta: RecordedBy,
  ): Promise<AppendResult<BackupRunRecord>>;
  /** A batch of backup-run reports, as addRestoreTests. */
  addBackupRuns(
    inputs: BackupRunInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<BackupRunRecord>[]>;
  listBackupRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<BackupRunRecord>>;
  addAccessReview(
    input: AccessReviewInput,
    meta: RecordedBy,
  ): Promise<AppendResult<AccessReviewRecord>>;
  /** A batch of access reviews, as addRestoreTests. */
  addAccessReviews(
    inputs: AccessReviewInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<AccessReviewRecord>[]>;
  listAccessReviews(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<AccessReviewRecord>>;
  /**
   * Acknowledgements and resolutions of failed runs and restore tests, as
   * addRestoreTests; each must name a failed record of the entity.
   */
  addFollowUps(
    inputs: FollowUpInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<FollowUpRecord>[]>;
  listFollowUps(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<FollowUpRecord>>;
  getLatestEvidence(entityRef: string): Promise<LatestEvidence>;
  /** The latest evidence of every entity that has any, in one pass. */
  getLatestEvidenceByEntity(): Promise<Map<string, BackupEvidenceSummary>>;
  /**
   * The latest evidence of every entity as it stood at a past time, by the
   * records' own times: slower (it ranks every record), for backfills.
   */
  getLatestEvidenceByEntityAsOf(
    asOf: Date,
  ): Promise<Map<string, BackupEvidenceSummary>>;
  /** All restore tests completed in [from, to), oldest first, in batches. */
  restoreTestsCompletedBetween(
    from: Date,
    to: Date,
    batchSize?: number,
  ): AsyncGenerator<RestoreTestRecord[]>;
  /**
   * Failed backup runs (run in [from, to)) or failed and partial restore
   * tests (completed in [from, to)) that no correction supersedes, oldest
   * first, in batches; each with its follow-ups.
   */
  failuresBetween(
    kind: FollowedUpFailure['kind'],
    from: Date,
    to: Date,
    batchSize?: number,
  ): AsyncGenerator<FollowedUpFailure[]>;
  /**
   * Every follow-up of the failures that failuresBetween finds for the
   * period, by entity and chain sequence, in batches.
   */
  followUpsOfFailuresBetween(
    from: Date,
    to: Date,
    batchSize?: number,
  ): AsyncGenerator<FollowUpRecord[]>;
  verify(entityRef: string, now: Date): Promise<EvidenceVerification>;
  /** Deletes backup-run reports recorded before the cutoff; returns how many. */
  pruneBackupRuns(recordedBefore: Date): Promise<number>;
}
