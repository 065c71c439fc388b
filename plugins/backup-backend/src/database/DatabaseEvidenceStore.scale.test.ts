import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { backupRun, ENTITY, meta } from './evidenceTestData';

/*
 * Costs at scale on PostgreSQL: a million backup runs of one entity. Slow
 * to set up, so it runs only when BACKUP_EVIDENCE_SCALE_TEST is set.
 */

jest.setTimeout(600_000);

const RUNS = 1_000_000;
const TESTS = 100_000;
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const enabled =
  !!process.env.BACKUP_EVIDENCE_SCALE_TEST && databases.supports('POSTGRES_15');

async function timed(times: number, action: (i: number) => Promise<unknown>) {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await action(i);
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(times * 0.95)];
}

/** An entity's chains, written in bulk by the database itself. */
async function insertChains(knex: Knex) {
  const common = `'bulk', 'bulk', timestamp '2020-01-01' + n * interval '1 minute', 'h', 'h'`;
  await knex.raw(
    `insert into backup_runs (id, entity_ref, sequence, source, recorded_by,
       recorded_at, previous_hash, hash, run_at, outcome)
     select 'run-' || n, ?, n, ${common},
       timestamp '2020-01-01' + n * interval '1 minute',
       case when n % 7 = 0 then 'failed' else 'succeeded' end
     from generate_series(1, ?) as n`,
    [ENTITY, RUNS],
  );
  // restore tests, every tenth corrected by the next
  await knex.raw(
    `insert into restore_tests (id, entity_ref, sequence, source, recorded_by,
       recorded_at, previous_hash, hash, started_at, completed_at, result,
       scope, restore_duration_seconds, validation, executor, supersedes)
     select 'test-' || n, ?, n, ${common},
       timestamp '2020-01-01' + n * interval '1 hour',
       timestamp '2020-01-01' + n * interval '1 hour',
       case when n % 3 = 0 then 'failed' else 'succeeded' end,
       'bulk', 60, '[]', 'bulk',
       case when n % 10 = 1 and n > 1 then 'test-' || (n - 1) end
     from generate_series(1, ?) as n`,
    [ENTITY, TESTS],
  );
  await knex.raw('analyze backup_runs, restore_tests');
}

async function plan(knex: Knex, query: Knex.QueryBuilder) {
  const { sql, bindings } = query.toSQL();
  const { rows } = await knex.raw(`explain ${sql}`, bindings as any[]);
  return rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']);
}

(enabled ? describe : describe.skip)('DatabaseEvidenceStore at scale', () => {
  it('keeps appends and history pages fast with a million records', async () => {
    const knex = await databases.init('POSTGRES_15');
    await DatabaseEvidenceStore.create({
      database: mockServices.database({ knex }),
    });
    await insertChains(knex);
    // derives latest_evidence at start-up from the ranking
    const store = await DatabaseEvidenceStore.create({
      database: mockServices.database({ knex }),
    });

    const page = (offset: number) =>
      store.listBackupRuns(ENTITY, { limit: 20, offset });
    expect((await page(0)).totalCount).toBe(RUNS);
    const pageP95 = await timed(200, i => page((i % 10) * 20));
    const appendP95 = await timed(200, i =>
      store.addBackupRun(
        backupRun({ runAt: '2026-11-20T02:00:00Z', externalId: `job-${i}` }),
        meta(),
      ),
    );
    const batch = Array.from({ length: 5000 }, () => backupRun());
    const batchStarted = Date.now();
    await store.addBackupRuns(batch, meta());
    const batchPerSecond = 5000 / ((Date.now() - batchStarted) / 1000);

    expect(
      await store.pruneBackupRuns(new Date('2020-12-31T00:00:00Z')),
    ).toBeGreaterThan(500_000);
    const remaining = await knex('backup_runs').count({ n: '*' });
    expect((await page(0)).totalCount).toBe(Number(remaining[0].n));
    const prunedPageP95 = await timed(200, i => page((i % 10) * 20));

    const plans = {
      head: await plan(
        knex,
        knex('backup_runs')
          .where({ entity_ref: ENTITY })
          .orderBy('sequence', 'desc')
          .first('sequence', 'hash'),
      ),
      page: await plan(
        knex,
        knex('backup_runs')
          .where({ entity_ref: ENTITY })
          .orderBy([
            { column: 'run_at', order: 'desc' },
            { column: 'sequence', order: 'desc' },
          ])
          .limit(20),
      ),
      repeats: await plan(
        knex,
        knex('backup_runs')
          .where({ entity_ref: ENTITY })
          .where(q =>
            q.whereIn('id', ['a', 'b']).orWhereIn('external_id', ['x']),
          ),
      ),
      count: await plan(
        knex,
        knex.select(
          ...(['asc', 'desc'] as const).map(order =>
            knex('backup_runs')
              .where({ entity_ref: ENTITY })
              .orderBy('sequence', order)
              .limit(1)
              .select('sequence')
              .as(order),
          ),
        ),
      ),
      newestSuccessfulTest: await plan(
        knex,
        knex('restore_tests as r')
          .where({ 'r.entity_ref': ENTITY, 'r.result': 'succeeded' })
          .whereNotExists(
            knex('restore_tests as later')
              .select('later.id')
              .whereRaw('later.supersedes = r.id'),
          )
          .orderBy([
            { column: 'r.completed_at', order: 'desc' },
            { column: 'r.sequence', order: 'desc' },
          ])
          .first('r.*'),
      ),
    };
    // eslint-disable-next-line no-console
    console.log({ pageP95, appendP95, batchPerSecond, prunedPageP95, plans });
    expect(pageP95).toBeLessThan(50);
    expect(prunedPageP95).toBeLessThan(50);
    expect(appendP95).toBeLessThan(50);
    expect(batchPerSecond).toBeGreaterThan(1000);
    for (const lines of Object.values(plans)) {
      expect(lines.join('\n')).not.toMatch(/Sort|Seq Scan/);
    }
  });
});
