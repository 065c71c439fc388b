import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
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
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
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

/** Attempts at appending before giving up on a busy chain. */
const MAX_APPEND_ATTEMPTS = 25;

type Row = Record<string, any>;

/** Timestamps come back as Date (PostgreSQL) or number/string (SQLite). */
const toIso = (value: unknown): string => new Date(value as any).toISOString();
const toIsoOptional = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : toIso(value);
const orUndefined = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;
const toNumberOptional = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    code === '23505' || // PostgreSQL unique_violation
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(message ?? '')
  );
}

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

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
  input: { source?: string; externalId?: string },
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

const dateOrNull = (iso?: string) => (iso ? new Date(iso) : null);

function summaryToRow(entityRef: string, evidence: LatestEvidence): Row {
  const test = evidence.latestRestoreTest;
  const ok = evidence.lastSuccessfulRestoreTest;
  const run = evidence.latestBackupRun;
  const okRun = evidence.lastSuccessfulBackupRun;
  const review = evidence.latestAccessReview;
  return {
    entity_ref: entityRef,
    latest_test_id: test?.id ?? null,
    latest_test_completed_at: dateOrNull(test?.completedAt),
    latest_test_result: test?.result ?? null,
    latest_test_duration_seconds: test?.restoreDurationSeconds ?? null,
    successful_test_id: ok?.id ?? null,
    successful_test_completed_at: dateOrNull(ok?.completedAt),
    successful_test_duration_seconds: ok?.restoreDurationSeconds ?? null,
    latest_run_id: run?.id ?? null,
    latest_run_at: dateOrNull(run?.runAt),
    latest_run_outcome: run?.outcome ?? null,
    successful_run_id: okRun?.id ?? null,
    successful_run_at: dateOrNull(okRun?.runAt),
    latest_review_id: review?.id ?? null,
    latest_review_at: dateOrNull(review?.reviewedAt),
    latest_review_outcome: review?.outcome ?? null,
  };
}

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

/** Fields of a restore-test record that the chain hash covers. */
function restoreTestHashContent(record: RestoreTestRecord) {
  const { supersededBy: _derived, ...content } = record;
  return content;
}

/**
 * The knex implementation of the evidence store (SQLite and PostgreSQL).
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

  private constructor(private readonly db: Knex) {}

  /** Derives latest_evidence for records stored before it existed. */
  private async fillLatestEvidenceIfMissing() {
    const [{ rows }] = await this.db(LATEST_EVIDENCE).count({ rows: '*' });
    const [{ records }] = await this.db(RESTORE_TESTS).count({ records: '*' });
    const [{ runs }] = await this.db(BACKUP_RUNS).count({ runs: '*' });
    const [{ reviews }] = await this.db(ACCESS_REVIEWS).count({
      reviews: '*',
    });
    const stored = Number(records) + Number(runs) + Number(reviews);
    if (Number(rows) === 0 && stored > 0) {
      await this.db.transaction(tx => this.refreshLatestEvidence(tx));
    }
  }

  async addRestoreTest(
    input: RestoreTestInput,
    meta: RecordedBy,
  ): Promise<AppendResult<RestoreTestRecord>> {
    if (input.supersedes) {
      const superseded = await this.getRestoreTest(input.supersedes);
      if (superseded?.entityRef !== meta.entityRef) {
        throw new InputError(
          `supersedes: no restore test ${input.supersedes} of ${meta.entityRef}`,
        );
      }
    }
    const startedAt = new Date(input.startedAt);
    const completedAt = new Date(input.completedAt);
    const recoveryPointAt = input.recoveryPointAt
      ? new Date(input.recoveryPointAt)
      : undefined;
    const { row, created } = await this.append(
      RESTORE_TESTS,
      meta.entityRef,
      input.externalId,
      position => {
        const record: RestoreTestRecord = {
          ...newRecordMeta(position, meta, input),
          startedAt: startedAt.toISOString(),
          completedAt: completedAt.toISOString(),
          result: input.result,
          scope: input.scope,
          recoveryPointAt: recoveryPointAt?.toISOString(),
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
        record.hash = hashEvidence(restoreTestHashContent(record));
        return restoreTestToRow(record);
      },
    );
    const [record] = await this.withDerivedFields([restoreTestFromRow(row)]);
    return { record, created };
  }

  async getRestoreTest(id: string): Promise<RestoreTestRecord | undefined> {
    const row = await this.db(RESTORE_TESTS).where({ id }).first();
    return row
      ? (await this.withDerivedFields([restoreTestFromRow(row)]))[0]
      : undefined;
  }

  async listRestoreTests(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>> {
    const result = await this.newestFirst(
      RESTORE_TESTS,
      'completed_at',
      entityRef,
      page,
      restoreTestFromRow,
    );
    return { ...result, items: await this.withDerivedFields(result.items) };
  }

  async addBackupRun(
    input: BackupRunInput,
    meta: RecordedBy,
  ): Promise<AppendResult<BackupRunRecord>> {
    const { row, created } = await this.append(
      BACKUP_RUNS,
      meta.entityRef,
      input.externalId,
      position => {
        const record: BackupRunRecord = {
          ...newRecordMeta(position, meta, input),
          runAt: new Date(input.runAt).toISOString(),
          outcome: input.outcome,
          sizeBytes: input.sizeBytes,
          durationSeconds: input.durationSeconds,
          message: input.message,
        };
        record.hash = hashEvidence(record);
        return backupRunToRow(record);
      },
    );
    return { record: backupRunFromRow(row), created };
  }

  async listBackupRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.newestFirst(
      BACKUP_RUNS,
      'run_at',
      entityRef,
      page,
      backupRunFromRow,
    );
  }

  async addAccessReview(
    input: AccessReviewInput,
    meta: RecordedBy,
  ): Promise<AppendResult<AccessReviewRecord>> {
    const { row, created } = await this.append(
      ACCESS_REVIEWS,
      meta.entityRef,
      input.externalId,
      position => {
        const record: AccessReviewRecord = {
          ...newRecordMeta(position, meta, input),
          reviewedAt: new Date(input.reviewedAt).toISOString(),
          reviewer: input.reviewer,
          outcome: input.outcome,
          admins: input.admins,
          evidenceUrl: input.evidenceUrl,
          notes: input.notes,
        };
        record.hash = hashEvidence(record);
        return accessReviewToRow(record);
      },
    );
    return { record: accessReviewFromRow(row), created };
  }

  async listAccessReviews(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<AccessReviewRecord>> {
    return this.newestFirst(
      ACCESS_REVIEWS,
      'reviewed_at',
      entityRef,
      page,
      accessReviewFromRow,
    );
  }

  async getLatestEvidence(entityRef: string): Promise<LatestEvidence> {
    return (await this.latestEvidence(this.db, entityRef)).get(entityRef) ?? {};
  }

  async getLatestEvidenceByEntity(): Promise<
    Map<string, BackupEvidenceSummary>
  > {
    const rows = await this.db(LATEST_EVIDENCE);
    return new Map(rows.map(row => [row.entity_ref, summaryFromRow(row)]));
  }

  /**
   * Recomputes the latest_evidence row of one entity (or of all) from
   * the records, with the same ranking as getLatestEvidence.
   */
  private async refreshLatestEvidence(db: Knex, entityRef?: string) {
    const latest = await this.latestEvidence(db, entityRef);
    const rows = [...latest.entries()].map(([ref, evidence]) =>
      summaryToRow(ref, evidence),
    );
    if (!entityRef) {
      await db(LATEST_EVIDENCE).delete();
    }
    for (let i = 0; i < rows.length; i += 50) {
      await db(LATEST_EVIDENCE)
        .insert(rows.slice(i, i + 50))
        .onConflict('entity_ref')
        .merge();
    }
  }

  /** Latest evidence per entity (of one entity, or all). */
  private async latestEvidence(
    db: Knex,
    entityRef?: string,
  ): Promise<Map<string, LatestEvidence>> {
    // newest row per entity, through a window function (SQLite and PostgreSQL)
    const newestPerEntity = (
      table: EvidenceTable,
      timeColumn: string,
      where: Record<string, string>,
      currentOnly: boolean,
    ) => {
      const ranked = db(`${table} as r`)
        .select(
          'r.*',
          db.raw(
            `row_number() over (partition by r.entity_ref order by r.${timeColumn} desc, r.sequence desc) as rank`,
          ),
        )
        .where(
          Object.fromEntries(
            Object.entries(where).map(([k, v]) => [`r.${k}`, v]),
          ),
        );
      if (entityRef) {
        ranked.where('r.entity_ref', entityRef);
      }
      if (currentOnly) {
        ranked.whereNotExists(
          db(`${table} as later`)
            .select('later.id')
            .whereRaw('later.supersedes = r.id'),
        );
      }
      return db.from(ranked.as('ranked')).where('rank', 1);
    };
    const [tests, successfulTests, runs, successfulRuns, reviews] =
      await Promise.all([
        newestPerEntity(RESTORE_TESTS, 'completed_at', {}, true),
        newestPerEntity(
          RESTORE_TESTS,
          'completed_at',
          { result: 'succeeded' },
          true,
        ),
        newestPerEntity(BACKUP_RUNS, 'run_at', {}, false),
        newestPerEntity(BACKUP_RUNS, 'run_at', { outcome: 'succeeded' }, false),
        newestPerEntity(ACCESS_REVIEWS, 'reviewed_at', {}, false),
      ]);
    const byEntity = new Map<string, LatestEvidence>();
    const put = (row: Row, key: keyof LatestEvidence, value: any) => {
      const entry = byEntity.get(row.entity_ref) ?? {};
      byEntity.set(row.entity_ref, { ...entry, [key]: value });
    };
    tests.forEach(r => put(r, 'latestRestoreTest', restoreTestFromRow(r)));
    successfulTests.forEach(r =>
      put(r, 'lastSuccessfulRestoreTest', restoreTestFromRow(r)),
    );
    runs.forEach(r => put(r, 'latestBackupRun', backupRunFromRow(r)));
    successfulRuns.forEach(r =>
      put(r, 'lastSuccessfulBackupRun', backupRunFromRow(r)),
    );
    reviews.forEach(r => put(r, 'latestAccessReview', accessReviewFromRow(r)));
    return byEntity;
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
    const chain = (table: EvidenceTable) =>
      this.db(table).where({ entity_ref: entityRef }).orderBy('sequence');
    const restoreTests = verifyEvidenceChain(
      (await chain(RESTORE_TESTS)).map(restoreTestFromRow),
      restoreTestHashContent,
    );
    const backupRuns = verifyEvidenceChain(
      (await chain(BACKUP_RUNS)).map(backupRunFromRow),
      record => record,
    );
    const accessReviews = verifyEvidenceChain(
      (await chain(ACCESS_REVIEWS)).map(accessReviewFromRow),
      record => record,
    );
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
    // Prune each entity's chain from its start up to the newest expired
    // record, so what remains is one unbroken chain.
    const expiredUpTo = this.db(`${BACKUP_RUNS} as expired`)
      .max('expired.sequence')
      .whereRaw(`expired.entity_ref = ${BACKUP_RUNS}.entity_ref`)
      .where('expired.recorded_at', '<', recordedBefore);
    const pruned = await this.db(BACKUP_RUNS)
      .where('sequence', '<=', expiredUpTo)
      .delete();
    if (pruned > 0) {
      await this.db.transaction(tx => this.refreshLatestEvidence(tx));
    }
    return pruned;
  }

  /**
   * Appends a record at the end of the entity's chain. Concurrent appends
   * race for the next sequence number, which is unique per entity: the loser
   * retries on the new end. A repeated external id returns the first record.
   */
  private async append(
    table: EvidenceTable,
    entityRef: string,
    externalId: string | undefined,
    build: (position: ChainPosition) => Row,
  ): Promise<{ row: Row; created: boolean }> {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      if (externalId !== undefined) {
        const existing = await this.db(table)
          .where({ entity_ref: entityRef, external_id: externalId })
          .first();
        if (existing) return { row: existing, created: false };
      }
      try {
        const row = await this.db.transaction(async tx => {
          const last = await tx(table)
            .where({ entity_ref: entityRef })
            .orderBy('sequence', 'desc')
            .first('sequence', 'hash');
          const next = build({
            id: randomUUID(),
            sequence: (last ? Number(last.sequence) : 0) + 1,
            previousHash: last?.hash ?? GENESIS_HASH,
          });
          await tx(table).insert(next);
          await this.refreshLatestEvidence(tx, entityRef);
          return next;
        });
        return { row, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await pause(Math.random() * 20 * (attempt + 1));
      }
    }
    throw new ConflictError(
      `Too many concurrent submissions for ${entityRef}; try again`,
    );
  }

  /** A page of one entity's records, newest first by the given time. */
  private async newestFirst<T>(
    table: EvidenceTable,
    timeColumn: string,
    entityRef: string,
    page: PageRequest,
    fromRow: (row: Row) => T,
  ): Promise<EvidencePage<T>> {
    const rows = await this.db(table)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: timeColumn, order: 'desc' },
        { column: 'sequence', order: 'desc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return {
      items: rows.map(fromRow),
      totalCount: await this.count(table, entityRef),
      ...page,
    };
  }

  private async count(table: EvidenceTable, entityRef: string) {
    const [{ count }] = await this.db(table)
      .where({ entity_ref: entityRef })
      .count({ count: '*' });
    return Number(count);
  }

  /** Adds `supersededBy` to each record that a later record corrects. */
  private async withDerivedFields(
    records: RestoreTestRecord[],
  ): Promise<RestoreTestRecord[]> {
    if (records.length === 0) return records;
    const corrections = await this.db(RESTORE_TESTS)
      .whereIn(
        'supersedes',
        records.map(r => r.id),
      )
      .select('id', 'supersedes');
    const supersededBy = new Map<string, string>(
      corrections.map(c => [c.supersedes, c.id]),
    );
    return records.map(record =>
      supersededBy.has(record.id)
        ? { ...record, supersededBy: supersededBy.get(record.id) }
        : record,
    );
  }
}
