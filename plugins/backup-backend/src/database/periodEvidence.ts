/**
 * The evidence of a period, as the evidence pack reads it: restore tests,
 * failures with their follow-up, and the follow-ups themselves, each read in
 * batches by keyset so that a download holds one batch at a time.
 */

import {
  BackupRunRecord,
  FOLLOW_UP_FAILURE_KINDS,
  FollowUpFailureKind,
  FollowUpRecord,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import {
  BACKUP_RUN,
  chunks,
  FAILED_RECORDS,
  FOLLOW_UP,
  FOLLOW_UPS,
  RESTORE_TEST,
  RESTORE_TESTS,
  Row,
  toIso,
} from './evidenceRows';
import { FailureFollowUps, FollowedUpFailure } from './EvidenceStore';

/** A sort column, and how a row's value of it goes back into a query. */
interface SortKey {
  column: string;
  value(row: Row): Knex.Value;
}

const field = (row: Row, column: string) => row[column.replace(/^.*\./, '')];
const textKey = (column: string): SortKey => ({
  column,
  value: row => field(row, column),
});
const numberKey = (column: string): SortKey => ({
  column,
  value: row => Number(field(row, column)),
});
// SQLite returns a number or a string, PostgreSQL a Date
const timeKey = (column: string): SortKey => ({
  column,
  value: row => new Date(toIso(field(row, column))),
});

/** Rows sorting after `values`: (k1, k2, …) > (v1, v2, …), spelled out. */
function after(keys: SortKey[], values: Knex.Value[]) {
  return (query: Knex.QueryBuilder) => {
    keys.forEach((key, i) =>
      query.orWhere(branch => {
        keys.slice(0, i).forEach((equal, j) => {
          branch.where(equal.column, values[j]);
        });
        branch.where(key.column, '>', values[i]);
      }),
    );
  };
}

/**
 * A query's rows in batches, ordered by `keys` (ascending and unique
 * together), with the first key in [from, to) when a range is given. Each
 * batch starts after the last row of the one before, so memory stays
 * bounded whatever the number of rows. The first key gets one lower bound,
 * the tighter of `from` and the last row's value, so that an index on the
 * keys seeks to where the last batch ended: given both, SQLite seeks to the
 * looser and scans every earlier row again, which made a period read in
 * many batches quadratic.
 */
async function* keysetBatches(
  query: () => Knex.QueryBuilder,
  keys: SortKey[],
  batchSize: number,
  range?: { from: Date; to: Date },
): AsyncGenerator<Row[]> {
  const [first] = keys;
  let last: Knex.Value[] | undefined;
  for (;;) {
    const batch = query()
      .orderBy(keys.map(({ column }) => ({ column, order: 'asc' })))
      .limit(batchSize);
    const lowerBound = last ? last[0] : range?.from;
    if (lowerBound !== undefined) batch.where(first.column, '>=', lowerBound);
    if (range) batch.where(first.column, '<', range.to);
    if (last) batch.where(after(keys, last));
    const rows: Row[] = await batch;
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    last = keys.map(key => key.value(rows[rows.length - 1]));
  }
}

/** All restore tests completed in [from, to), oldest first. */
export async function* restoreTestsCompletedBetween(
  db: Knex,
  from: Date,
  to: Date,
  batchSize: number,
): AsyncGenerator<RestoreTestRecord[]> {
  const batches = keysetBatches(
    () => db(RESTORE_TESTS),
    [timeKey('completed_at'), textKey('id')],
    batchSize,
    { from, to },
  );
  for await (const rows of batches) yield rows.map(RESTORE_TEST.fromRow);
}

/** Each kind of failure: its evidence kind and what counts as failed. */
const FAILURES = {
  'backup-run': { evidence: BACKUP_RUN, ...FAILED_RECORDS['backup-run'] },
  'restore-test': {
    evidence: RESTORE_TEST,
    ...FAILED_RECORDS['restore-test'],
  },
} as const;

/**
 * The failed records of a kind, as `x`. A corrected restore test is not a
 * failure: its correction says what really happened (and is listed itself
 * if it failed), as on the Backup tab.
 */
function failed(db: Knex, kind: FollowUpFailureKind) {
  const { evidence, column, failed: outcomes } = FAILURES[kind];
  const query = db(`${evidence.table} as x`).whereIn(
    `x.${column}`,
    outcomes as readonly string[],
  );
  if (kind === 'restore-test') {
    query.whereNotExists(
      db(`${RESTORE_TESTS} as correction`)
        .select(db.raw('1'))
        .where('correction.supersedes', db.ref('x.id')),
    );
  }
  return query;
}

/** The failed records of a kind whose time is in [from, to), as `x`. */
function failedBetween(
  db: Knex,
  kind: FollowUpFailureKind,
  from: Date,
  to: Date,
) {
  const at = `x.${FAILURES[kind].evidence.rankedBy}`;
  return failed(db, kind).where(at, '>=', from).where(at, '<', to);
}

/**
 * How each failure was followed up: the newest follow-up of each action
 * (by `at`, then chain sequence: a new ticket or a corrected note stands,
 * as on the Backup tab) and when any was first made. At most two rows a
 * failure, however many follow-ups it has.
 */
async function followUpsOfFailures(
  db: Knex,
  kind: FollowUpFailureKind,
  failures: Array<{ id: string; entityRef: string }>,
): Promise<Map<string, FailureFollowUps>> {
  const byFailure = new Map<string, FailureFollowUps>();
  for (const batch of chunks(failures)) {
    const ranked = db(FOLLOW_UPS)
      .select(
        '*',
        db.raw(
          'row_number() over (partition by ??, ??, ?? order by ?? desc, ?? desc) as ??',
          [
            'entity_ref',
            'failure_id',
            'action',
            'acted_at',
            'sequence',
            'follow_up_rank',
          ],
        ),
        db.raw('min(??) over (partition by ??, ??) as ??', [
          'acted_at',
          'entity_ref',
          'failure_id',
          'first_acted_at',
        ]),
      )
      .where('failure_kind', kind)
      .whereIn('entity_ref', [...new Set(batch.map(f => f.entityRef))])
      .whereIn(
        'failure_id',
        batch.map(f => f.id),
      );
    const rows = await db
      .select('*')
      .from(ranked.as('ranked'))
      .where('follow_up_rank', 1);
    for (const row of rows) {
      const followUp = FOLLOW_UP.fromRow(row);
      const state = byFailure.get(followUp.failure.id) ?? {
        firstAt: toIso(row.first_acted_at),
      };
      state[followUp.action] = followUp;
      byFailure.set(followUp.failure.id, state);
    }
  }
  return byFailure;
}

/**
 * Failed backup runs (run in [from, to)) or failed and partial restore
 * tests (completed in [from, to)), oldest first (then by id, in the order
 * of the index that each batch seeks in); each with how it was followed up.
 */
export async function* failuresBetween(
  db: Knex,
  kind: FollowUpFailureKind,
  from: Date,
  to: Date,
  batchSize: number,
): AsyncGenerator<FollowedUpFailure[]> {
  const { evidence } = FAILURES[kind];
  const batches = keysetBatches(
    () => failed(db, kind).select('x.*'),
    [timeKey(`x.${evidence.rankedBy}`), textKey('x.id')],
    batchSize,
    { from, to },
  );
  for await (const rows of batches) {
    const records: Array<BackupRunRecord | RestoreTestRecord> = rows.map(row =>
      evidence.fromRow(row),
    );
    const followUps = await followUpsOfFailures(db, kind, records);
    yield records.map(
      record =>
        ({
          kind,
          record,
          followUps: followUps.get(record.id) ?? {},
        } as FollowedUpFailure),
    );
  }
}

/**
 * Every follow-up of a failure in [from, to) (as failuresBetween finds
 * them), by entity and chain sequence.
 */
export async function* followUpsOfFailuresBetween(
  db: Knex,
  from: Date,
  to: Date,
  batchSize: number,
): AsyncGenerator<FollowUpRecord[]> {
  const ofFailureInPeriod = (query: Knex.QueryBuilder) => {
    for (const kind of FOLLOW_UP_FAILURE_KINDS) {
      query.orWhere(ofKind =>
        ofKind
          .where('f.failure_kind', kind)
          .whereExists(
            failedBetween(db, kind, from, to)
              .select(db.raw('1'))
              .where('x.id', db.ref('f.failure_id'))
              .where('x.entity_ref', db.ref('f.entity_ref')),
          ),
      );
    }
  };
  const batches = keysetBatches(
    () => db(`${FOLLOW_UPS} as f`).select('f.*').where(ofFailureInPeriod),
    [textKey('f.entity_ref'), numberKey('f.sequence')],
    batchSize,
  );
  for await (const rows of batches) yield rows.map(FOLLOW_UP.fromRow);
}
