import { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEvidenceSummary,
  BackupRunInput,
  BackupRunRecord,
  EvidencePage,
  EvidenceRecordMeta,
  EvidenceVerification,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { createHash, randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isDatabaseUnavailable } from './databaseErrors';
import {
  GENESIS_HASH,
  hashEvidence,
  verifyEvidenceChain,
} from './evidenceChain';
import { migratedClient } from './migrations';
import {
  AppendResult,
  EvidenceStore,
  LatestEvidence,
  PageRequest,
  RecordedBy,
} from './EvidenceStore';

const RESTORE_TESTS = 'restore_tests';
const LATEST_EVIDENCE = 'latest_evidence';
const BACKUP_RUNS = 'backup_runs';
const ACCESS_REVIEWS = 'access_reviews';
type EvidenceTable =
  | typeof RESTORE_TESTS
  | typeof BACKUP_RUNS
  | typeof ACCESS_REVIEWS;

/**
 * Pauses before each retry of a write that met an unreachable database: a
 * few seconds in all, enough to ride out a failover or a dropped connection.
 */
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

/**
 * Rows per statement in a batch: bounds the bound parameters (PostgreSQL
 * allows 65535) and SQLite's compound SELECT that knex builds multi-row
 * inserts from (500 terms at most).
 */
const ROWS_PER_STATEMENT = 250;

type Row = Record<string, any>;

/** Timestamps come back as Date (PostgreSQL) or number/string (SQLite). */
const toIso = (value: unknown): string => new Date(value as any).toISOString();
const toTime = (value: unknown): number => new Date(value as any).getTime();
const toIsoOptional = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : toIso(value);
const orUndefined = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;
const toNumberOptional = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/** What every submission may carry besides its own fields. */
interface Submission {
  source?: string;
  externalId?: string;
}

interface ChainPosition {
  id: string;
  sequence: number;
  previousHash: string;
}

/** The columns every evidence table has, read into a record's fields. */
function metaFromRow(row: Row): EvidenceRecordMeta {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    sequence: Number(row.sequence),
    source: row.source,
    externalId: orUndefined(row.external_id),
    recordedBy: row.recorded_by,
    recordedAt: toIso(row.recorded_at),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

function metaToRow(record: EvidenceRecordMeta): Row {
  return {
    id: record.id,
    entity_ref: record.entityRef,
    sequence: record.sequence,
    source: record.source,
    external_id: record.externalId ?? null,
    recorded_by: record.recordedBy,
    recorded_at: new Date(record.recordedAt),
    previous_hash: record.previousHash,
    hash: record.hash,
  };
}

/** A new record's shared fields: its chain position, submitter and recorder. */
function newRecordMeta(
  position: ChainPosition,
  meta: RecordedBy,
  input: Submission,
): EvidenceRecordMeta {
  return {
    ...position,
    entityRef: meta.entityRef,
    source: input.source ?? 'manual',
    externalId: input.externalId,
    recordedBy: meta.recordedBy,
    recordedAt: meta.recordedAt.toISOString(),
    hash: '',
  };
}

function restoreTestFields(input: RestoreTestInput) {
  const startedAt = new Date(input.startedAt);
  const completedAt = new Date(input.completedAt);
  return {
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    result: input.result,
    scope: input.scope,
    recoveryPointAt: toIsoOptional(input.recoveryPointAt),
    restoreDurationSeconds:
      input.restoreDurationSeconds ??
      Math.round((completedAt.getTime() - startedAt.getTime()) / 1000),
    validation: input.validation.map(({ type, outcome, notes }) => ({
      type,
      outcome,
      ...(notes !== undefined ? { notes } : {}),
    })),
    executor: input.executor,
    evidenceUrl: input.evidenceUrl,
    issuesFound: input.issuesFound,
    remediation: input.remediation,
    supersedes: input.supersedes,
  };
}

function restoreTestFromRow(row: Row): RestoreTestRecord {
  return {
    ...metaFromRow(row),
    startedAt: toIso(row.started_at),
    completedAt: toIso(row.completed_at),
    result: row.result,
    scope: row.scope,
    recoveryPointAt: toIsoOptional(row.recovery_point_at),
    restoreDurationSeconds: Number(row.restore_duration_seconds),
    validation: JSON.parse(row.validation),
    executor: row.executor,
    evidenceUrl: orUndefined(row.evidence_url),
    issuesFound: orUndefined(row.issues_found),
    remediation: orUndefined(row.remediation),
    supersedes: orUndefined(row.supersedes),
  };
}

function restoreTestToRow(record: RestoreTestRecord): Row {
  return {
    ...metaToRow(record),
    started_at: new Date(record.startedAt),
    completed_at: new Date(record.completedAt),
    result: record.result,
    scope: record.scope,
    recovery_point_at: record.recoveryPointAt
      ? new Date(record.recoveryPointAt)
      : null,
    restore_duration_seconds: record.restoreDurationSeconds,
    validation: JSON.stringify(record.validation),
    executor: record.executor,
    evidence_url: record.evidenceUrl ?? null,
    issues_found: record.issuesFound ?? null,
    remediation: record.remediation ?? null,
    supersedes: record.supersedes ?? null,
  };
}

/** Fields of a restore-test record that the chain hash covers. */
function restoreTestHashContent(record: RestoreTestRecord) {
  const { supersededBy: _derived, ...content } = record;
  return content;
}

/** A correction must name a restore test of the same entity. */
async function checkSupersedes(
  db: Knex,
  entityRef: string,
  inputs: RestoreTestInput[],
) {
  const named = [...new Set(inputs.flatMap(input => input.supersedes ?? []))];
  for (const ids of chunks(named)) {
    const found = await db(RESTORE_TESTS)
      .where({ entity_ref: entityRef })
      .whereIn('id', ids)
      .pluck('id');
    const missing = ids.find(id => !found.includes(id));
    if (missing !== undefined) {
      throw new InputError(
        `supersedes: no restore test ${missing} of ${entityRef}`,
      );
    }
  }
}

/** Adds `supersededBy` to each record that a later record corrects. */
async function withSupersededBy(
  db: Knex,
  records: RestoreTestRecord[],
): Promise<RestoreTestRecord[]> {
  const supersededBy = new Map<string, string>();
  for (const ids of chunks(records.map(r => r.id))) {
    const corrections = await db(RESTORE_TESTS)
      .whereIn('supersedes', ids)
      .select('id', 'supersedes');
    corrections.forEach(c => supersededBy.set(c.supersedes, c.id));
  }
  return records.map(record =>
    supersededBy.has(record.id)
      ? { ...record, supersededBy: supersededBy.get(record.id) }
      : record,
  );
}

function backupRunFields(input: BackupRunInput) {
  return {
    runAt: new Date(input.runAt).toISOString(),
    outcome: input.outcome,
    sizeBytes: input.sizeBytes,
    durationSeconds: input.durationSeconds,
    message: input.message,
  };
}

function backupRunFromRow(row: Row): BackupRunRecord {
  return {
    ...metaFromRow(row),
    runAt: toIso(row.run_at),
    outcome: row.outcome,
    sizeBytes: toNumberOptional(row.size_bytes),
    durationSeconds: toNumberOptional(row.duration_seconds),
    message: orUndefined(row.message),
  };
}

function backupRunToRow(record: BackupRunRecord): Row {
  return {
    ...metaToRow(record),
    run_at: new Date(record.runAt),
    outcome: record.outcome,
    size_bytes: record.sizeBytes ?? null,
    duration_seconds: record.durationSeconds ?? null,
    message: record.message ?? null,
  };
}

function accessReviewFields(input: AccessReviewInput) {
  return {
    reviewedAt: new Date(input.reviewedAt).toISOString(),
    reviewer: input.reviewer,
    outcome: input.outcome,
    admins: input.admins,
    evidenceUrl: input.evidenceUrl,
    notes: input.notes,
  };
}

function accessReviewFromRow(row: Row): AccessReviewRecord {
  return {
    ...metaFromRow(row),
    reviewedAt: toIso(row.reviewed_at),
    reviewer: row.reviewer,
    outcome: row.outcome,
    admins: JSON.parse(row.admins),
    evidenceUrl: orUndefined(row.evidence_url),
    notes: orUndefined(row.notes),
  };
}

function accessReviewToRow(record: AccessReviewRecord): Row {
  return {
    ...metaToRow(record),
    reviewed_at: new Date(record.reviewedAt),
    reviewer: record.reviewer,
    outcome: record.outcome,
    admins: JSON.stringify(record.admins),
    evidence_url: record.evidenceUrl ?? null,
    notes: record.notes ?? null,
  };
}

/** How one kind of evidence is built, hashed, stored and read. */
interface EvidenceKind<I extends Submission, R extends EvidenceRecordMeta> {
  table: EvidenceTable;
  /** The time that history and latest evidence rank by (then sequence). */
  rankedBy: string;
  fields(input: I): Omit<R, keyof EvidenceRecordMeta>;
  hashContent(record: R): { hash?: string };
  toRow(record: R): Row;
  fromRow(row: Row): R;
  /** Rejects submissions naming records they may not; in the write. */
  check?(db: Knex, entityRef: string, inputs: I[]): Promise<void>;
  /** Adds fields derived from later records to stored records. */
  derive?(db: Knex, records: R[]): Promise<R[]>;
}

const RESTORE_TEST: EvidenceKind<RestoreTestInput, RestoreTestRecord> = {
  table: RESTORE_TESTS,
  rankedBy: 'completed_at',
  fields: restoreTestFields,
  hashContent: restoreTestHashContent,
  toRow: restoreTestToRow,
  fromRow: restoreTestFromRow,
  check: checkSupersedes,
  derive: withSupersededBy,
};

const BACKUP_RUN: EvidenceKind<BackupRunInput, BackupRunRecord> = {
  table: BACKUP_RUNS,
  rankedBy: 'run_at',
  fields: backupRunFields,
  hashContent: record => record,
  toRow: backupRunToRow,
  fromRow: backupRunFromRow,
};

const ACCESS_REVIEW: EvidenceKind<AccessReviewInput, AccessReviewRecord> = {
  table: ACCESS_REVIEWS,
  rankedBy: 'reviewed_at',
  fields: accessReviewFields,
  hashContent: record => record,
  toRow: accessReviewToRow,
  fromRow: accessReviewFromRow,
};

/**
 * One piece of an entity's latest evidence: the newest record of a kind (by
 * its time, then sequence) among those that qualify, and the columns of
 * latest_evidence that name it.
 */
interface LatestSlot {
  key: keyof LatestEvidence;
  kind: EvidenceKind<any, any>;
  /** Only records with these column values qualify. */
  where: Row;
  /** Skips records that a later record supersedes. */
  currentOnly: boolean;
  idColumn: string;
  atColumn: string;
  /** Further latest_evidence columns, copied from record columns. */
  copies: Record<string, string>;
}

const LATEST_SLOTS: LatestSlot[] = [
  {
    key: 'latestRestoreTest',
    kind: RESTORE_TEST,
    where: {},
    currentOnly: true,
    idColumn: 'latest_test_id',
    atColumn: 'latest_test_completed_at',
    copies: {
      latest_test_result: 'result',
      latest_test_duration_seconds: 'restore_duration_seconds',
    },
  },
  {
    key: 'lastSuccessfulRestoreTest',
    kind: RESTORE_TEST,
    where: { result: 'succeeded' },
    currentOnly: true,
    idColumn: 'successful_test_id',
    atColumn: 'successful_test_completed_at',
    copies: { successful_test_duration_seconds: 'restore_duration_seconds' },
  },
  {
    key: 'latestBackupRun',
    kind: BACKUP_RUN,
    where: {},
    currentOnly: false,
    idColumn: 'latest_run_id',
    atColumn: 'latest_run_at',
    copies: { latest_run_outcome: 'outcome' },
  },
  {
    key: 'lastSuccessfulBackupRun',
    kind: BACKUP_RUN,
    where: { outcome: 'succeeded' },
    currentOnly: false,
    idColumn: 'successful_run_id',
    atColumn: 'successful_run_at',
    copies: {},
  },
  {
    key: 'latestAccessReview',
    kind: ACCESS_REVIEW,
    where: {},
    currentOnly: false,
    idColumn: 'latest_review_id',
    atColumn: 'latest_review_at',
    copies: { latest_review_outcome: 'outcome' },
  },
];

/** The slot's latest_evidence columns for a record row (null for none). */
function slotColumns(slot: LatestSlot, row?: Row): Row {
  const sources = {
    [slot.idColumn]: 'id',
    [slot.atColumn]: slot.kind.rankedBy,
    ...slot.copies,
  };
  return Object.fromEntries(
    Object.entries(sources).map(([to, from]) => [to, row?.[from] ?? null]),
  );
}

function qualifies(slot: LatestSlot, row: Row): boolean {
  return Object.entries(slot.where).every(([column, v]) => row[column] === v);
}

/** The newest of rows given in sequence order: a later one wins a tie. */
function newestRow(rows: Row[], timeColumn: string): Row | undefined {
  return rows.reduce<Row | undefined>(
    (best, row) =>
      !best || toTime(row[timeColumn]) >= toTime(best[timeColumn]) ? row : best,
    undefined,
  );
}

/** A slot's newest qualifying row of each entity, by kind. */
type NewestRows = Partial<Record<keyof LatestEvidence, Row>>;

function summaryFromRow(row: Row): BackupEvidenceSummary {
  const summary: BackupEvidenceSummary = {};
  if (row.latest_test_id) {
    summary.latestRestoreTest = {
      id: row.latest_test_id,
      completedAt: toIso(row.latest_test_completed_at),
      result: row.latest_test_result,
      restoreDurationSeconds: Number(row.latest_test_duration_seconds),
    };
  }
  if (row.successful_test_id) {
    summary.lastSuccessfulRestoreTest = {
      id: row.successful_test_id,
      completedAt: toIso(row.successful_test_completed_at),
      result: 'succeeded',
      restoreDurationSeconds: Number(row.successful_test_duration_seconds),
    };
  }
  if (row.latest_run_id) {
    summary.latestBackupRun = {
      id: row.latest_run_id,
      runAt: toIso(row.latest_run_at),
      outcome: row.latest_run_outcome,
    };
  }
  if (row.successful_run_id) {
    summary.lastSuccessfulBackupRun = {
      id: row.successful_run_id,
      runAt: toIso(row.successful_run_at),
      outcome: 'succeeded',
    };
  }
  if (row.latest_review_id) {
    summary.latestAccessReview = {
      id: row.latest_review_id,
      reviewedAt: toIso(row.latest_review_at),
      outcome: row.latest_review_outcome,
    };
  }
  return summary;
}

/** The first (asc) or last (desc) link of a chain, on its unique index. */
function chainEnd(
  db: Knex,
  table: EvidenceTable,
  entityRef: string,
  order: 'asc' | 'desc',
) {
  return db(table)
    .where({ entity_ref: entityRef })
    .orderBy('sequence', order)
    .limit(1);
}

/** A 64-bit advisory lock key per entity, stable across processes. */
function entityLockKey(entityRef: string): string {
  return createHash('sha256')
    .update(`backup-evidence:${entityRef}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * Runs tasks one at a time per key, in arrival order, so that writers to
 * one entity wait here instead of each holding a pooled connection while
 * waiting for the entity's database lock.
 */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** A submission with the id its record gets, fixed before any attempt. */
interface Draft<I> {
  id: string;
  input: I;
}

/**
 * The knex implementation of the evidence store (SQLite and PostgreSQL).
 *
 * Writes to one entity are serialized: in-process by a queue (enough for
 * SQLite, which knex gives a single connection anyway), and across replicas
 * by a PostgreSQL advisory lock held by the write transaction. Under the
 * lock a write finds repeats, reads the chain's end, inserts, and updates
 * latest_evidence incrementally.
 *
 * @public
 */
export class DatabaseEvidenceStore implements EvidenceStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseEvidenceStore> {
    const store = new DatabaseEvidenceStore(
      await migratedClient(options.database),
    );
    await store.fillLatestEvidenceIfMissing();
    return store;
  }

  private readonly writers = new KeyedQueue();

  private constructor(private readonly db: Knex) {}

  /** Derives latest_evidence for records stored before it existed. */
  private async fillLatestEvidenceIfMissing() {
    const hasRows = async (table: string) =>
      (await this.db(table).first(this.db.raw('1 as found'))) !== undefined;
    if (await hasRows(LATEST_EVIDENCE)) return;
    for (const table of [RESTORE_TESTS, BACKUP_RUNS, ACCESS_REVIEWS]) {
      if (await hasRows(table)) {
        await this.refreshLatestEvidence(this.db);
        return;
      }
    }
  }

  async addRestoreTest(
    input: RestoreTestInput,
    meta: RecordedBy,
  ): Promise<AppendResult<RestoreTestRecord>> {
    return (await this.addRestoreTests([input], meta))[0];
  }

  async addRestoreTests(
    inputs: RestoreTestInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<RestoreTestRecord>[]> {
    return this.append(RESTORE_TEST, inputs, meta);
  }

  async getRestoreTest(id: string): Promise<RestoreTestRecord | undefined> {
    const row = await this.db(RESTORE_TESTS).where({ id }).first();
    return row
      ? (await withSupersededBy(this.db, [restoreTestFromRow(row)]))[0]
      : undefined;
  }

  async listRestoreTests(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>> {
    const result = await this.newestFirst(RESTORE_TEST, entityRef, page);
    return { ...result, items: await withSupersededBy(this.db, result.items) };
  }

  async addBackupRun(
    input: BackupRunInput,
    meta: RecordedBy,
  ): Promise<AppendResult<BackupRunRecord>> {
    return (await this.addBackupRuns([input], meta))[0];
  }

  async addBackupRuns(
    inputs: BackupRunInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<BackupRunRecord>[]> {
    return this.append(BACKUP_RUN, inputs, meta);
  }

  async listBackupRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.newestFirst(BACKUP_RUN, entityRef, page);
  }

  async addAccessReview(
    input: AccessReviewInput,
    meta: RecordedBy,
  ): Promise<AppendResult<AccessReviewRecord>> {
    return (await this.addAccessReviews([input], meta))[0];
  }

  async addAccessReviews(
    inputs: AccessReviewInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<AccessReviewRecord>[]> {
    return this.append(ACCESS_REVIEW, inputs, meta);
  }

  async listAccessReviews(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<AccessReviewRecord>> {
    return this.newestFirst(ACCESS_REVIEW, entityRef, page);
  }

  async getLatestEvidence(entityRef: string): Promise<LatestEvidence> {
    const newest = (await this.rankNewest(this.db, entityRef)).get(entityRef);
    const latest: LatestEvidence = {};
    for (const slot of LATEST_SLOTS) {
      const row = newest?.[slot.key];
      if (row) latest[slot.key] = slot.kind.fromRow(row);
    }
    return latest;
  }

  async getLatestEvidenceByEntity(): Promise<
    Map<string, BackupEvidenceSummary>
  > {
    const rows = await this.db(LATEST_EVIDENCE);
    return new Map(rows.map(row => [row.entity_ref, summaryFromRow(row)]));
  }

  async *restoreTestsCompletedBetween(
    from: Date,
    to: Date,
    batchSize = 1000,
  ): AsyncGenerator<RestoreTestRecord[]> {
    // keyset pagination keeps memory bounded whatever the number of records
    let after: { completedAt: Date; id: string } | undefined;
    for (;;) {
      const query = this.db(RESTORE_TESTS)
        .where('completed_at', '>=', from)
        .where('completed_at', '<', to)
        .orderBy([
          { column: 'completed_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(batchSize);
      if (after) {
        const { completedAt, id } = after;
        query.where(q =>
          q
            .where('completed_at', '>', completedAt)
            .orWhere(q2 =>
              q2.where('completed_at', '=', completedAt).where('id', '>', id),
            ),
        );
      }
      const rows = await query;
      if (rows.length === 0) return;
      yield rows.map(restoreTestFromRow);
      const last = rows[rows.length - 1];
      after = { completedAt: new Date(toIso(last.completed_at)), id: last.id };
    }
  }

  async verify(entityRef: string, now: Date): Promise<EvidenceVerification> {
    const chain = async <R extends EvidenceRecordMeta>(
      kind: EvidenceKind<any, R>,
    ) =>
      verifyEvidenceChain(
        (
          await this.db(kind.table)
            .where({ entity_ref: entityRef })
            .orderBy('sequence')
        ).map(kind.fromRow),
        kind.hashContent,
      );
    const restoreTests = await chain(RESTORE_TEST);
    const backupRuns = await chain(BACKUP_RUN);
    const accessReviews = await chain(ACCESS_REVIEW);
    return {
      entityRef,
      intact: restoreTests.intact && backupRuns.intact && accessReviews.intact,
      restoreTests,
      backupRuns,
      accessReviews,
      verifiedAt: now.toISOString(),
    };
  }

  async pruneBackupRuns(recordedBefore: Date): Promise<number> {
    const expired = await this.db(BACKUP_RUNS)
      .distinct('entity_ref')
      .where('recorded_at', '<', recordedBefore);
    let pruned = 0;
    for (const { entity_ref: entityRef } of expired) {
      pruned += await this.writeEntity(entityRef, tx =>
        this.pruneEntityRuns(tx, entityRef, recordedBefore),
      );
    }
    return pruned;
  }

  /**
   * Prunes one entity's runs from the start of its chain up to its newest
   * expired run, so that what remains is one unbroken chain.
   */
  private async pruneEntityRuns(
    tx: Knex.Transaction,
    entityRef: string,
    recordedBefore: Date,
  ): Promise<number> {
    const expiredUpTo = tx(BACKUP_RUNS)
      .max('sequence')
      .where({ entity_ref: entityRef })
      .where('recorded_at', '<', recordedBefore);
    const pruned = await tx(BACKUP_RUNS)
      .where({ entity_ref: entityRef })
      .where('sequence', '<=', expiredUpTo)
      .delete();
    if (pruned > 0) {
      await this.refreshLatestEvidence(tx, entityRef);
    }
    return pruned;
  }

  /**
   * Appends records to the end of an entity's chain, in order, in one
   * transaction; what it returns is exactly what was stored. A repeated
   * external id (stored before, or earlier in the batch) returns the first
   * record. The ids are fixed up front, so a retry after a failure whose
   * commit went unseen finds the records instead of storing them twice.
   */
  private async append<I extends Submission, R extends EvidenceRecordMeta>(
    kind: EvidenceKind<I, R>,
    inputs: I[],
    meta: RecordedBy,
  ): Promise<AppendResult<R>[]> {
    if (inputs.length === 0) return [];
    const drafts = inputs.map(input => ({ id: randomUUID(), input }));
    return this.writeEntity(meta.entityRef, async tx => {
      await kind.check?.(tx, meta.entityRef, inputs);
      const stored = await this.storedRecords(tx, kind, meta.entityRef, drafts);
      const last = await chainEnd(tx, kind.table, meta.entityRef, 'desc')
        .select('sequence', 'hash')
        .first();
      const { results, rows } = this.chainDrafts(kind, drafts, meta, stored, {
        sequence: last ? Number(last.sequence) : 0,
        hash: last?.hash ?? GENESIS_HASH,
      });
      for (const chunk of chunks(rows)) {
        await tx(kind.table).insert(chunk);
      }
      if (rows.length > 0) {
        await this.updateLatestEvidence(tx, kind, meta.entityRef, rows);
      }
      return results;
    });
  }

  /**
   * Records already stored under the drafts' ids (by an attempt whose
   * outcome went unseen) or external ids.
   */
  private async storedRecords<
    I extends Submission,
    R extends EvidenceRecordMeta,
  >(
    tx: Knex.Transaction,
    kind: EvidenceKind<I, R>,
    entityRef: string,
    drafts: Draft<I>[],
  ): Promise<R[]> {
    const rows: Row[] = [];
    for (const chunk of chunks(drafts)) {
      const externalIds = chunk.flatMap(d => d.input.externalId ?? []);
      rows.push(
        ...(await tx(kind.table)
          .where({ entity_ref: entityRef })
          .where(q =>
            q
              .whereIn(
                'id',
                chunk.map(d => d.id),
              )
              .orWhereIn('external_id', externalIds),
          )),
      );
    }
    const records = rows.map(kind.fromRow);
    return kind.derive ? kind.derive(tx, records) : records;
  }

  /** Turns the drafts into results, chaining the new records from `end`. */
  private chainDrafts<I extends Submission, R extends EvidenceRecordMeta>(
    kind: EvidenceKind<I, R>,
    drafts: Draft<I>[],
    meta: RecordedBy,
    stored: R[],
    end: { sequence: number; hash: string },
  ): { results: AppendResult<R>[]; rows: Row[] } {
    const byId = new Map(stored.map(record => [record.id, record]));
    const byExternalId = new Map(
      stored.flatMap(r => (r.externalId ? [[r.externalId, r] as const] : [])),
    );
    const rows: Row[] = [];
    let previous = end;
    const results = drafts.map(({ id, input }): AppendResult<R> => {
      const earlier =
        byId.get(id) ??
        (input.externalId !== undefined
          ? byExternalId.get(input.externalId)
          : undefined);
      if (earlier) {
        return { record: earlier, created: earlier.id === id };
      }
      const position = {
        id,
        sequence: previous.sequence + 1,
        previousHash: previous.hash,
      };
      const record = {
        ...newRecordMeta(position, meta, input),
        ...kind.fields(input),
      } as R;
      record.hash = hashEvidence(kind.hashContent(record));
      rows.push(kind.toRow(record));
      if (input.externalId !== undefined) {
        byExternalId.set(input.externalId, record);
      }
      previous = record;
      return { record, created: true };
    });
    return { results, rows };
  }

  /**
   * Runs one entity's write: queued behind the entity's other writes in this
   * process, in a transaction holding the entity's lock, and again when the
   * database was unreachable (the work must find what an attempt whose
   * outcome went unseen committed). Other errors are thrown at once.
   */
  private writeEntity<T>(
    entityRef: string,
    work: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.writers.run(entityRef, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.db.transaction(async tx => {
            await this.lockEntity(tx, entityRef);
            return work(tx);
          });
        } catch (error) {
          if (
            !isDatabaseUnavailable(error) ||
            attempt >= RETRY_DELAYS_MS.length
          ) {
            throw error;
          }
          await pause(RETRY_DELAYS_MS[attempt] * (0.5 + Math.random()));
        }
      }
    });
  }

  /** Serializes writers to one entity across replicas, until commit. */
  private async lockEntity(tx: Knex.Transaction, entityRef: string) {
    if (this.db.client.dialect === 'postgresql') {
      await tx.raw('select pg_advisory_xact_lock(cast(? as bigint))', [
        entityLockKey(entityRef),
      ]);
    }
  }

  /**
   * Brings the entity's latest_evidence row up to date with new records of
   * one kind, comparing them with the records it names; under the entity
   * lock, so no concurrent write can slip in between.
   */
  private async updateLatestEvidence(
    tx: Knex.Transaction,
    kind: EvidenceKind<any, any>,
    entityRef: string,
    rows: Row[],
  ) {
    const current = await tx(LATEST_EVIDENCE)
      .where({ entity_ref: entityRef })
      .first();
    if (!current) {
      // the entity's first record, or records older than the table
      await this.refreshLatestEvidence(tx, entityRef);
      return;
    }
    const superseded = new Set(rows.flatMap(row => row.supersedes ?? []));
    let changes: Row = {};
    for (const slot of LATEST_SLOTS.filter(s => s.kind === kind)) {
      if (superseded.has(current[slot.idColumn])) {
        // rare: the named record was corrected, so rank again
        const newest = await this.candidates(tx, slot)
          .where('r.entity_ref', entityRef)
          .orderBy([
            { column: `r.${kind.rankedBy}`, order: 'desc' },
            { column: 'r.sequence', order: 'desc' },
          ])
          .first('r.*');
        changes = { ...changes, ...slotColumns(slot, newest) };
        continue;
      }
      // new records follow every stored one, so they win a tie on time
      const best = newestRow(
        rows.filter(row => qualifies(slot, row)),
        kind.rankedBy,
      );
      const namedAt = current[slot.atColumn];
      if (
        best &&
        (namedAt === null || toTime(best[kind.rankedBy]) >= toTime(namedAt))
      ) {
        changes = { ...changes, ...slotColumns(slot, best) };
      }
    }
    if (Object.keys(changes).length > 0) {
      await tx(LATEST_EVIDENCE)
        .where({ entity_ref: entityRef })
        .update(changes);
    }
  }

  /**
   * Derives latest_evidence rows by ranking all records: for one entity
   * (under its lock) or, at start-up, for all, keeping any row that a
   * writer derived meanwhile. Also the reference the tests hold the
   * incremental updates to.
   */
  private async refreshLatestEvidence(db: Knex, entityRef?: string) {
    const newest = await this.rankNewest(db, entityRef);
    if (entityRef && !newest.has(entityRef)) {
      await db(LATEST_EVIDENCE).where({ entity_ref: entityRef }).delete();
      return;
    }
    const rows = [...newest].map(([ref, rowsBySlot]) =>
      Object.assign(
        { entity_ref: ref },
        ...LATEST_SLOTS.map(slot => slotColumns(slot, rowsBySlot[slot.key])),
      ),
    );
    for (const chunk of chunks(rows, 50)) {
      const upsert = db(LATEST_EVIDENCE).insert(chunk).onConflict('entity_ref');
      await (entityRef ? upsert.merge() : upsert.ignore());
    }
  }

  /** The newest row of each slot per entity (of one entity, or all). */
  private async rankNewest(
    db: Knex,
    entityRef?: string,
  ): Promise<Map<string, NewestRows>> {
    const byEntity = new Map<string, NewestRows>();
    // one query at a time: db may be a transaction, with one connection
    for (const slot of LATEST_SLOTS) {
      const ranked = this.candidates(db, slot).select(
        'r.*',
        db.raw(
          `row_number() over (partition by r.entity_ref order by r.${slot.kind.rankedBy} desc, r.sequence desc) as rank`,
        ),
      );
      if (entityRef) {
        ranked.where('r.entity_ref', entityRef);
      }
      const rows = await db.from(ranked.as('ranked')).where('rank', 1);
      for (const row of rows) {
        const entry = byEntity.get(row.entity_ref) ?? {};
        byEntity.set(row.entity_ref, { ...entry, [slot.key]: row });
      }
    }
    return byEntity;
  }

  /** The records that may fill a slot, aliased `r`. */
  private candidates(db: Knex, slot: LatestSlot) {
    const { table } = slot.kind;
    const query = db(`${table} as r`).where(
      Object.fromEntries(
        Object.entries(slot.where).map(([k, v]) => [`r.${k}`, v]),
      ),
    );
    if (slot.currentOnly) {
      query.whereNotExists(
        db(`${table} as later`)
          .select('later.id')
          .whereRaw('later.supersedes = r.id'),
      );
    }
    return query;
  }

  /** A page of one entity's records, newest first by the kind's time. */
  private async newestFirst<R extends EvidenceRecordMeta>(
    kind: EvidenceKind<any, R>,
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<R>> {
    const rows = await this.db(kind.table)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: kind.rankedBy, order: 'desc' },
        { column: 'sequence', order: 'desc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return {
      items: rows.map(kind.fromRow),
      totalCount: await this.count(kind.table, entityRef),
      ...page,
    };
  }

  /**
   * How many records an entity has, without counting them: a chain has no
   * gaps from its oldest remaining record (runs are pruned from the start).
   */
  private async count(table: EvidenceTable, entityRef: string) {
    const [{ first, last }] = await this.db.select(
      chainEnd(this.db, table, entityRef, 'asc').select('sequence').as('first'),
      chainEnd(this.db, table, entityRef, 'desc').select('sequence').as('last'),
    );
    return first === null ? 0 : Number(last) - Number(first) + 1;
  }
}
