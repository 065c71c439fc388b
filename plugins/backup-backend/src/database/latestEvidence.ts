/**
 * The latest_evidence table: one row per entity naming its newest records of
 * each kind, derived from the evidence tables so that reading every entity's
 * latest evidence costs one scan. Writers keep it up to date incrementally,
 * under the entity's lock; ranking all records is the reference.
 */

import {
  BackupEvidenceSummary,
  FailureFollowUpState,
} from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import {
  ACCESS_REVIEW,
  ACCESS_REVIEWS,
  BACKUP_RUN,
  BACKUP_RUNS,
  chunks,
  EvidenceKind,
  FOLLOW_UPS,
  RESTORE_TEST,
  RESTORE_TESTS,
  Row,
  toIso,
  toTime,
} from './evidenceRows';
import { LatestEvidence } from './EvidenceStore';

const LATEST_EVIDENCE = 'latest_evidence';

/**
 * One piece of an entity's latest evidence: the newest record of a kind (by
 * its time, then sequence) among those that qualify, and the columns of
 * latest_evidence that name it.
 */
interface LatestSlot {
  key: keyof LatestEvidence;
  kind: EvidenceKind<any, any>;
  /** Only records with these column values (or one of a list) qualify. */
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
    key: 'latestFailedRestoreTest',
    kind: RESTORE_TEST,
    where: { result: ['failed', 'partial'] },
    currentOnly: true,
    idColumn: 'failed_test_id',
    atColumn: 'failed_test_completed_at',
    copies: { failed_test_result: 'result' },
  },
  {
    key: 'latestFailedBackupRun',
    kind: BACKUP_RUN,
    where: { outcome: 'failed' },
    currentOnly: false,
    idColumn: 'failed_run_id',
    atColumn: 'failed_run_at',
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
  return Object.entries(slot.where).every(([column, v]) =>
    Array.isArray(v) ? v.includes(row[column]) : row[column] === v,
  );
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
  if (row.failed_test_id) {
    summary.latestFailedRestoreTest = {
      id: row.failed_test_id,
      completedAt: toIso(row.failed_test_completed_at),
      result: row.failed_test_result,
      ...followUpStateOf(row, 'failed_test'),
    };
  }
  if (row.failed_run_id) {
    summary.latestFailedBackupRun = {
      id: row.failed_run_id,
      runAt: toIso(row.failed_run_at),
      outcome: 'failed',
      ...followUpStateOf(row, 'failed_run'),
    };
  }
  return summary;
}

/** The follow-up columns a summary query adds, per failure slot. */
function followUpStateOf(row: Row, prefix: string): FailureFollowUpState {
  const at = (column: string) =>
    row[column] === null || row[column] === undefined
      ? {}
      : {
          [column.endsWith('acknowledged') ? 'acknowledgedAt' : 'resolvedAt']:
            toIso(row[column]),
        };
  return {
    ...at(`${prefix}_acknowledged`),
    ...at(`${prefix}_resolved`),
  };
}

const followUpKey = (entityRef: string, failureId: unknown, action: string) =>
  `${entityRef}|${failureId}|${action}`;

/**
 * When each failure was first acknowledged and first resolved (with asOf,
 * counting the follow-ups made up to then), keyed by followUpKey: one
 * grouped read of the follow-ups, which exist for failures only.
 */
async function firstFollowUpTimes(
  db: Knex,
  asOf?: Date,
): Promise<Map<string, unknown>> {
  const query = db(FOLLOW_UPS)
    .groupBy('entity_ref', 'failure_id', 'action')
    .select(
      'entity_ref',
      'failure_id',
      'action',
      db.raw('min(acted_at) as first_at'),
    );
  if (asOf) query.where('acted_at', '<=', asOf);
  return new Map(
    (await query).map(row => [
      followUpKey(row.entity_ref, row.failure_id, row.action),
      row.first_at,
    ]),
  );
}

/**
 * Summaries from latest_evidence rows (stored or ranked), with the follow-up
 * columns that summaryFromRow reads.
 */
function summariesOf(
  rows: Row[],
  firstAt: Map<string, unknown>,
): Map<string, BackupEvidenceSummary> {
  const followUpColumns = (row: Row, prefix: string) =>
    Object.fromEntries(
      ['acknowledged', 'resolved'].map(action => [
        `${prefix}_${action}`,
        firstAt.get(followUpKey(row.entity_ref, row[`${prefix}_id`], action)) ??
          null,
      ]),
    );
  return new Map(
    rows.map(row => [
      row.entity_ref,
      summaryFromRow({
        ...row,
        ...followUpColumns(row, 'failed_test'),
        ...followUpColumns(row, 'failed_run'),
      }),
    ]),
  );
}

/** Every entity's latest evidence, as stored in latest_evidence. */
export async function readLatestSummaries(
  db: Knex,
): Promise<Map<string, BackupEvidenceSummary>> {
  // one query at a time: SQLite's single connection serves both anyway
  const rows = await db(LATEST_EVIDENCE);
  return summariesOf(rows, await firstFollowUpTimes(db));
}

/**
 * Every entity's latest evidence as it stood at a past time, ranked from the
 * evidence tables by the records' own times (when the test completed, the
 * run ran): what backfilled snapshots evaluate.
 */
export async function readLatestSummariesAsOf(
  db: Knex,
  asOf: Date,
): Promise<Map<string, BackupEvidenceSummary>> {
  const newest = await rankNewest(db, undefined, asOf);
  const rows = [...newest].map(([ref, rowsBySlot]) =>
    Object.assign(
      { entity_ref: ref },
      ...LATEST_SLOTS.map(slot => slotColumns(slot, rowsBySlot[slot.key])),
    ),
  );
  return summariesOf(rows, await firstFollowUpTimes(db, asOf));
}

/**
 * How failures of an entity were followed up: when each was first
 * acknowledged and first resolved, by failure id.
 */
async function followUpStates(
  db: Knex,
  entityRef: string,
  failureIds: string[],
): Promise<Map<string, FailureFollowUpState>> {
  const states = new Map<string, FailureFollowUpState>();
  if (failureIds.length === 0) return states;
  const rows = await db(FOLLOW_UPS)
    .where({ entity_ref: entityRef })
    .whereIn('failure_id', failureIds)
    .groupBy('failure_id', 'action')
    .select('failure_id', 'action', db.raw('min(acted_at) as first_at'));
  for (const { failure_id: id, action, first_at: firstAt } of rows) {
    const state = states.get(id) ?? {};
    if (action === 'acknowledged') state.acknowledgedAt = toIso(firstAt);
    if (action === 'resolved') state.resolvedAt = toIso(firstAt);
    states.set(id, state);
  }
  return states;
}

/** Full records from the newest row of each slot, with follow-up states. */
async function toLatestEvidence(
  db: Knex,
  entityRef: string,
  rowOfSlot: (slot: LatestSlot) => Row | undefined,
): Promise<LatestEvidence> {
  const latest: LatestEvidence = {};
  for (const slot of LATEST_SLOTS) {
    const row = rowOfSlot(slot);
    if (row) latest[slot.key] = slot.kind.fromRow(row);
  }
  const failures = [
    latest.latestFailedRestoreTest,
    latest.latestFailedBackupRun,
  ];
  const states = await followUpStates(
    db,
    entityRef,
    failures.flatMap(failure => (failure ? [failure.id] : [])),
  );
  for (const failure of failures) {
    if (failure) Object.assign(failure, states.get(failure.id));
  }
  return latest;
}

/**
 * One entity's latest records in full, as its latest_evidence row names
 * them: a keyed read of that row, then of the records by id (one query per
 * table) and of their follow-ups. Records never change, so a write between
 * the reads cannot mix two states.
 */
export async function readLatestEvidence(
  db: Knex,
  entityRef: string,
): Promise<LatestEvidence> {
  const named = await db(LATEST_EVIDENCE)
    .where({ entity_ref: entityRef })
    .first();
  if (!named) return {};
  const records = new Map<string, Row>();
  const tables = [...new Set(LATEST_SLOTS.map(slot => slot.kind.table))];
  for (const table of tables) {
    const ids = LATEST_SLOTS.filter(slot => slot.kind.table === table)
      .map(slot => named[slot.idColumn])
      .filter((id): id is string => !!id);
    if (ids.length === 0) continue;
    for (const row of await db(table).whereIn('id', [...new Set(ids)])) {
      records.set(row.id, row);
    }
  }
  return toLatestEvidence(db, entityRef, slot =>
    records.get(named[slot.idColumn]),
  );
}

/**
 * One entity's latest records in full, ranked from the evidence tables: the
 * reference that the tests hold latest_evidence and readLatestEvidence to.
 */
export async function rankLatestEvidence(
  db: Knex,
  entityRef: string,
): Promise<LatestEvidence> {
  const newest = (await rankNewest(db, entityRef)).get(entityRef);
  return toLatestEvidence(db, entityRef, slot => newest?.[slot.key]);
}

/** Derives latest_evidence for records stored before it existed. */
export async function fillLatestEvidenceIfMissing(db: Knex) {
  const hasRows = async (table: string) =>
    (await db(table).first(db.raw('1 as found'))) !== undefined;
  if (await hasRows(LATEST_EVIDENCE)) return;
  for (const table of [RESTORE_TESTS, BACKUP_RUNS, ACCESS_REVIEWS]) {
    if (await hasRows(table)) {
      await refreshLatestEvidence(db);
      return;
    }
  }
}

/**
 * Brings the entity's latest_evidence row up to date with new records of
 * one kind, comparing them with the records it names; under the entity
 * lock, so no concurrent write can slip in between.
 */
export async function updateLatestEvidence(
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
    await refreshLatestEvidence(tx, entityRef);
    return;
  }
  const superseded = new Set(rows.flatMap(row => row.supersedes ?? []));
  let changes: Row = {};
  for (const slot of LATEST_SLOTS.filter(s => s.kind === kind)) {
    if (superseded.has(current[slot.idColumn])) {
      // rare: the named record was corrected, so rank again
      const newest = await candidates(tx, slot)
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
    await tx(LATEST_EVIDENCE).where({ entity_ref: entityRef }).update(changes);
  }
}

/**
 * Derives latest_evidence rows by ranking all records: for one entity
 * (under its lock) or, at start-up, for all, keeping any row that a
 * writer derived meanwhile. Also the reference the tests hold the
 * incremental updates to.
 */
export async function refreshLatestEvidence(db: Knex, entityRef?: string) {
  const newest = await rankNewest(db, entityRef);
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

/**
 * The newest row of each slot per entity (of one entity, or all), among the
 * records of times up to asOf when given.
 */
async function rankNewest(
  db: Knex,
  entityRef?: string,
  asOf?: Date,
): Promise<Map<string, NewestRows>> {
  const byEntity = new Map<string, NewestRows>();
  // one query at a time: db may be a transaction, with one connection
  for (const slot of LATEST_SLOTS) {
    const ranked = candidates(db, slot, asOf).select(
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

/**
 * The records that may fill a slot, aliased `r`; with asOf, only those of
 * times up to it, superseded only by corrections of times up to it.
 */
function candidates(db: Knex, slot: LatestSlot, asOf?: Date) {
  const { table, rankedBy } = slot.kind;
  const query = db(`${table} as r`);
  for (const [column, value] of Object.entries(slot.where)) {
    if (Array.isArray(value)) query.whereIn(`r.${column}`, value);
    else query.where(`r.${column}`, value);
  }
  if (asOf) query.where(`r.${rankedBy}`, '<=', asOf);
  if (slot.currentOnly) {
    const corrections = db(`${table} as later`)
      .select('later.id')
      .whereRaw('later.supersedes = r.id');
    if (asOf) corrections.where(`later.${rankedBy}`, '<=', asOf);
    query.whereNotExists(corrections);
  }
  return query;
}
