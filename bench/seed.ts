// Shared by the benchmarks: bulk restore-test rows, and process memory.
import { randomUUID } from 'crypto';
import { readFileSync, writeFileSync } from 'fs';
import knexFactory from 'knex';

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
