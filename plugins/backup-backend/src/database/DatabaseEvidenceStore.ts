import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEvidenceSummary,
  BackupRunInput,
  BackupRunRecord,
  EvidencePage,
  EvidenceRecordMeta,
  EvidenceVerification,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { EntityWrites } from './entityWrites';
import {
  GENESIS_HASH,
  hashEvidence,
  verifyEvidenceChain,
} from './evidenceChain';
import {
  ACCESS_REVIEW,
  BACKUP_RUN,
  BACKUP_RUNS,
  chunks,
  EvidenceKind,
  EvidenceTable,
  FOLLOW_UP,
  newRecordMeta,
  RESTORE_TEST,
  RESTORE_TESTS,
  restoreTestFromRow,
  Row,
  Submission,
  withSupersededBy,
} from './evidenceRows';
import {
  AppendResult,
  EvidenceStore,
  FollowedUpFailure,
  LatestEvidence,
  PageRequest,
  RecordedBy,
} from './EvidenceStore';
import {
  fillLatestEvidenceIfMissing,
  readLatestEvidence,
  readLatestSummaries,
  readLatestSummariesAsOf,
  refreshLatestEvidence,
  updateLatestEvidence,
} from './latestEvidence';
import { migratedClient } from './migrations';
import {
  failuresBetween,
  followUpsOfFailuresBetween,
  restoreTestsCompletedBetween,
} from './periodEvidence';

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

/** A submission with the id its record gets, fixed before any attempt. */
interface Draft<I> {
  id: string;
  input: I;
  meta: RecordedBy;
}

/**
 * Most records one transaction appends when waiting appends are merged:
 * a full batch, so that a merged group costs no more than a batch request.
 */
const MAX_GROUP_SIZE = 1000;

/** Appends to one chain that wait for the entity's turn, merged into one. */
interface WaitingGroup {
  drafts: Draft<any>[];
  done: Promise<AppendResult<any>[]>;
}

/**
 * The knex implementation of the evidence store (SQLite and PostgreSQL).
 *
 * Writes to one entity are serialized (see EntityWrites). Under the entity's
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
    await fillLatestEvidenceIfMissing(store.db);
    return store;
  }

  private readonly entityWrites: EntityWrites;
  private readonly waitingGroups = new Map<string, WaitingGroup>();

  private constructor(private readonly db: Knex) {
    this.entityWrites = new EntityWrites(db);
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

  async addFollowUps(
    inputs: FollowUpInput[],
    meta: RecordedBy,
  ): Promise<AppendResult<FollowUpRecord>[]> {
    return this.append(FOLLOW_UP, inputs, meta);
  }

  async listFollowUps(
    entityRef: string,
    page: PageRequest,
  ): Promise<EvidencePage<FollowUpRecord>> {
    return this.newestFirst(FOLLOW_UP, entityRef, page);
  }

  async getLatestEvidence(entityRef: string): Promise<LatestEvidence> {
    return readLatestEvidence(this.db, entityRef);
  }

  async getLatestEvidenceByEntity(): Promise<
    Map<string, BackupEvidenceSummary>
  > {
    return readLatestSummaries(this.db);
  }

  async getLatestEvidenceByEntityAsOf(
    asOf: Date,
  ): Promise<Map<string, BackupEvidenceSummary>> {
    return readLatestSummariesAsOf(this.db, asOf);
  }

  restoreTestsCompletedBetween(
    from: Date,
    to: Date,
    batchSize = 1000,
  ): AsyncGenerator<RestoreTestRecord[]> {
    return restoreTestsCompletedBetween(this.db, from, to, batchSize);
  }

  failuresBetween(
    kind: FollowedUpFailure['kind'],
    from: Date,
    to: Date,
    batchSize = 100,
  ): AsyncGenerator<FollowedUpFailure[]> {
    return failuresBetween(this.db, kind, from, to, batchSize);
  }

  followUpsOfFailuresBetween(
    from: Date,
    to: Date,
    batchSize = 1000,
  ): AsyncGenerator<FollowUpRecord[]> {
    return followUpsOfFailuresBetween(this.db, from, to, batchSize);
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
    const followUps = await chain(FOLLOW_UP);
    return {
      entityRef,
      intact: [restoreTests, backupRuns, accessReviews, followUps].every(
        report => report.intact,
      ),
      restoreTests,
      backupRuns,
      accessReviews,
      followUps,
      verifiedAt: now.toISOString(),
    };
  }

  async pruneBackupRuns(recordedBefore: Date): Promise<number> {
    const expired = await this.db(BACKUP_RUNS)
      .distinct('entity_ref')
      .where('recorded_at', '<', recordedBefore);
    let pruned = 0;
    for (const { entity_ref: entityRef } of expired) {
      pruned += await this.entityWrites.run(entityRef, tx =>
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
      await refreshLatestEvidence(tx, entityRef);
    }
    return pruned;
  }

  /**
   * Appends records to the end of an entity's chain, in order; what it
   * returns is exactly what was stored. A repeated external id (stored
   * before, or earlier in the batch) returns the first record. The ids are
   * fixed up front, so a retry after a failure whose commit went unseen finds
   * the records instead of storing them twice.
   */
  private async append<I extends Submission, R extends EvidenceRecordMeta>(
    kind: EvidenceKind<I, R>,
    inputs: I[],
    meta: RecordedBy,
  ): Promise<AppendResult<R>[]> {
    if (inputs.length === 0) return [];
    // checked before joining a group, so that one submission's mistake never
    // fails another's; what it reads (stored records) is never altered
    await kind.check?.(this.db, meta.entityRef, inputs);
    const drafts = inputs.map(input => ({ id: randomUUID(), input, meta }));
    return this.appendGrouped(kind, meta.entityRef, drafts);
  }

  /**
   * Group commit: appends to one chain that arrive while the entity's
   * previous write is running join one group, written in one transaction
   * when the entity's turn comes. Many writers to one entity then cost a
   * few transactions instead of one each, all still chained in order.
   */
  private async appendGrouped<
    I extends Submission,
    R extends EvidenceRecordMeta,
  >(
    kind: EvidenceKind<I, R>,
    entityRef: string,
    drafts: Draft<I>[],
  ): Promise<AppendResult<R>[]> {
    const key = `${kind.table}:${entityRef}`;
    let group = this.waitingGroups.get(key);
    if (!group || group.drafts.length + drafts.length > MAX_GROUP_SIZE) {
      const opened: WaitingGroup = { drafts: [], done: Promise.resolve([]) };
      // from its first attempt on, later appends open the next group; a
      // group that failed before any attempt began (the database was
      // unreachable throughout) must close too, or every later append would
      // join it and get its old error
      const close = () => {
        if (this.waitingGroups.get(key) === opened) {
          this.waitingGroups.delete(key);
        }
      };
      opened.done = this.entityWrites.run(entityRef, tx => {
        close();
        return this.appendInTransaction(tx, kind, entityRef, opened.drafts);
      });
      opened.done.catch(close);
      this.waitingGroups.set(key, opened);
      group = opened;
    }
    const from = group.drafts.length;
    group.drafts.push(...drafts);
    const results = await group.done;
    return results.slice(from, from + drafts.length);
  }

  /** Chains the drafts after the entity's last record, in the transaction. */
  private async appendInTransaction<
    I extends Submission,
    R extends EvidenceRecordMeta,
  >(
    tx: Knex.Transaction,
    kind: EvidenceKind<I, R>,
    entityRef: string,
    drafts: Draft<I>[],
  ): Promise<AppendResult<R>[]> {
    const stored = await this.storedRecords(tx, kind, entityRef, drafts);
    const last = await chainEnd(tx, kind.table, entityRef, 'desc')
      .select('sequence', 'hash')
      .first();
    const { results, rows } = this.chainDrafts(kind, drafts, stored, {
      sequence: last ? Number(last.sequence) : 0,
      hash: last?.hash ?? GENESIS_HASH,
    });
    for (const chunk of chunks(rows)) {
      await tx(kind.table).insert(chunk);
    }
    if (rows.length > 0) {
      await updateLatestEvidence(tx, kind, entityRef, rows);
    }
    return results;
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
    stored: R[],
    end: { sequence: number; hash: string },
  ): { results: AppendResult<R>[]; rows: Row[] } {
    const byId = new Map(stored.map(record => [record.id, record]));
    const byExternalId = new Map(
      stored.flatMap(r => (r.externalId ? [[r.externalId, r] as const] : [])),
    );
    const rows: Row[] = [];
    let previous = end;
    const results = drafts.map(({ id, input, meta }): AppendResult<R> => {
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
