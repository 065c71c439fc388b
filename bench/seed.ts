// Shared by the benchmarks: bulk restore-test rows, correctly chained
// evidence records, and process memory.
import { randomUUID } from 'crypto';
import { readFileSync, writeFileSync } from 'fs';
import knexFactory, { Knex } from 'knex';
import {
  GENESIS_HASH,
  hashEvidence,
} from '../plugins/backup-backend/src/database/evidenceChain';

/**
 * Bulk rows straight into the plugin's restore_tests table (of a migrated
 * SQLite file): the export reads them back. One a day over the last year,
 * spread over the given entities.
 */
export async function seedRestoreTests(
  filename: string,
  count: number,
  entityRefs: string[],
) {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  const now = Date.now();
  const row = (i: number) => ({
    id: randomUUID(),
    entity_ref: entityRefs[i % entityRefs.length],
    sequence: Math.floor(i / entityRefs.length) + 1,
    started_at: now - (i % 360) * 86_400_000 - 3_600_000,
    completed_at: now - (i % 360) * 86_400_000,
    result: i % 13 ? 'succeeded' : 'failed',
    scope: `Restore drill ${i}: database into the recovery account, row counts compared`,
    restore_duration_seconds: 3600,
    validation: JSON.stringify([
      { type: 'integrity', outcome: 'passed' },
      { type: 'application', outcome: 'passed' },
    ]),
    executor: 'bench',
    evidence_url: `https://tickets.example.com/OPS-${i}`,
    source: 'ci',
    recorded_by: 'service:bench',
    recorded_at: now,
    previous_hash: 'bench',
    hash: 'bench',
  });
  // in slices, so that seeding does not grow the process it runs in
  const slice = 5000;
  for (let start = 0; start < count; start += slice) {
    const rows = Array.from(
      { length: Math.min(slice, count - start) },
      (_, i) => row(start + i),
    );
    // SQLite caps a multi-row insert at 500 terms
    await db.batchInsert('restore_tests', rows, 200);
  }
  await db.destroy();
}

const status = (pid: number | 'self') =>
  readFileSync(`/proc/${pid}/status`, 'utf8');

/** Peak resident memory (VmHWM) of a process, in MB; reset before measuring. */
export const peakMb = (pid: number | 'self') =>
  Number(/VmHWM:\s+(\d+) kB/.exec(status(pid))![1]) / 1024;

/** Resident memory (VmRSS) of a process, in MB. */
export const currentMb = (pid: number | 'self') =>
  Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))![1]) / 1024;

/** Resets a process's VmHWM to its current resident memory. */
export const resetPeak = (pid: number | 'self') =>
  writeFileSync(`/proc/${pid}/clear_refs`, '5');

/** The evidence tables whose chains the load benchmark seeds. */
export type ChainTable = 'restore_tests' | 'backup_runs';

/** How many records to add at the end of one entity's chain. */
export interface ChainSeed {
  entityRef: string;
  count: number;
}

interface ChainHead {
  sequence: number;
  hash: string;
}

const DAY_MS = 86_400_000;

/**
 * A record as the store builds it (same fields, so the same hash) and its
 * row. Seeded records happened over the year before `before`.
 */
function chainedRecord(
  table: ChainTable,
  entityRef: string,
  head: ChainHead,
  at: number,
  recordedAt: string,
) {
  const meta = {
    id: randomUUID(),
    sequence: head.sequence + 1,
    previousHash: head.hash,
    entityRef,
    source: 'bench',
    recordedBy: 'service:bench',
    recordedAt,
  };
  const metaRow = {
    id: meta.id,
    entity_ref: entityRef,
    sequence: meta.sequence,
    source: meta.source,
    external_id: null,
    recorded_by: meta.recordedBy,
    recorded_at: new Date(recordedAt),
    previous_hash: meta.previousHash,
  };
  if (table === 'backup_runs') {
    const record = {
      ...meta,
      runAt: new Date(at).toISOString(),
      outcome: meta.sequence % 17 ? 'succeeded' : 'failed',
      sizeBytes: 1_000_000 + meta.sequence,
      durationSeconds: 300,
    };
    const hash = hashEvidence({ ...record, hash: '' });
    const row = {
      ...metaRow,
      run_at: new Date(at),
      outcome: record.outcome,
      size_bytes: record.sizeBytes,
      duration_seconds: record.durationSeconds,
      message: null,
      hash,
    };
    return { hash, row };
  }
  const validation = [
    { type: 'integrity', outcome: 'passed' },
    { type: 'application', outcome: 'passed' },
  ];
  const record = {
    ...meta,
    startedAt: new Date(at - 3_600_000).toISOString(),
    completedAt: new Date(at).toISOString(),
    result: meta.sequence % 13 ? 'succeeded' : 'failed',
    scope: `Restore drill ${meta.sequence}: database into the recovery account, row counts compared`,
    restoreDurationSeconds: 3600,
    validation,
    executor: 'bench',
    evidenceUrl: `https://tickets.example.com/OPS-${meta.sequence}`,
  };
  const hash = hashEvidence({ ...record, hash: '' });
  const row = {
    ...metaRow,
    started_at: new Date(at - 3_600_000),
    completed_at: new Date(at),
    result: record.result,
    scope: record.scope,
    recovery_point_at: null,
    restore_duration_seconds: record.restoreDurationSeconds,
    validation: JSON.stringify(validation),
    executor: record.executor,
    evidence_url: record.evidenceUrl,
    issues_found: null,
    remediation: null,
    supersedes: null,
    hash,
  };
  return { hash, row };
}

/** Where an entity's chain ends now (the genesis for an empty chain). */
async function chainHead(
  db: Knex,
  table: ChainTable,
  entityRef: string,
): Promise<ChainHead> {
  const last = await db(table)
    .where({ entity_ref: entityRef })
    .orderBy('sequence', 'desc')
    .first('sequence', 'hash');
  return last
    ? { sequence: Number(last.sequence), hash: last.hash }
    : { sequence: 0, hash: GENESIS_HASH };
}

/**
 * Appends correctly chained records straight into an evidence table (any
 * knex client; multi-row inserts of 1,000), continuing each entity's chain
 * from its current end with the store's hashing. The records happened over
 * the year before `before` (older than anything posted since, so that the
 * latest evidence the store keeps stays right); one slice is built while
 * the previous one is inserted. Returns how many records it added.
 */
export async function seedChains(
  db: Knex,
  table: ChainTable,
  seeds: ChainSeed[],
  before = Date.now() - DAY_MS,
): Promise<number> {
  const slice = 1000;
  const recordedAt = new Date().toISOString();
  let inserting: Promise<unknown> = Promise.resolve();
  let added = 0;
  for (const { entityRef, count } of seeds) {
    const head = await chainHead(db, table, entityRef);
    const step = (365 * DAY_MS) / Math.max(count, 1);
    for (let start = 0; start < count; start += slice) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + slice); i++) {
        const at = Math.round(before - (count - i) * step);
        const { hash, row } = chainedRecord(
          table,
          entityRef,
          head,
          at,
          recordedAt,
        );
        Object.assign(head, { sequence: head.sequence + 1, hash });
        rows.push(row);
      }
      await inserting;
      // a knex builder runs its query on every then(): run it once, here
      inserting = Promise.resolve(db(table).insert(rows)).catch(error => {
        // knex's message starts with the whole statement: keep the reason
        const message = String(error.message);
        throw new Error(`seeding ${table}: ${message.split(' - ').pop()}`);
      });
      // awaited with the next slice; not an unhandled rejection meanwhile
      inserting.catch(() => undefined);
      added += rows.length;
    }
  }
  await inserting;
  return added;
}
