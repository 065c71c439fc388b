import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { RestoreTestResult } from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { rankLatestEvidence } from './latestEvidence';
import {
  accessReview,
  backupRun,
  ENTITY,
  faultyClient,
  meta,
  restoreTest,
  summaryOf,
} from './evidenceTestData';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Stores on one database, as replicas of the backend would be. */
async function createReplicas(knex: Knex, count: number) {
  const replicas: DatabaseEvidenceStore[] = [];
  // one after the other: each migrates the database at start-up
  while (replicas.length < count) {
    replicas.push(
      await DatabaseEvidenceStore.create({
        database: mockServices.database({ knex }),
      }),
    );
  }
  return replicas;
}

async function createFaultyStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const { client, state } = faultyClient(knex);
  const [store] = await createReplicas(client, 1);
  state.transactions = 0;
  return { knex, store, state };
}

/** A small seeded generator, so that a failing round can be replayed. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    shuffle: <T>(items: T[]) =>
      items
        .map(item => ({ item, key: next() }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item),
  };
}

const hour = (h: number) =>
  new Date(Date.UTC(2026, 9, 1) + h * 3_600_000).toISOString();

describe.each(databases.eachSupportedId())(
  'DatabaseEvidenceStore writes on %p',
  databaseId => {
    it('keeps latest_evidence equal to the ranking through concurrent writes of every kind', async () => {
      const knex = await databases.init(databaseId);
      const replicas = await createReplicas(knex, 3);
      const [store] = replicas;
      const random = randomSource(1234);
      const results: readonly RestoreTestResult[] = [
        'succeeded',
        'failed',
        'partial',
      ];
      for (let round = 0; round < 25; round++) {
        const before = await store.getLatestEvidence(ENTITY);
        // hours overlap between rounds: the newest is not always the last
        const at = () => hour(round * 2 + random.int(-6, 6));
        const writes: Array<(s: DatabaseEvidenceStore) => Promise<unknown>> =
          [];
        for (let i = 0; i < 4; i++) {
          const completedAt = at();
          writes.push(s =>
            s.addRestoreTest(
              restoreTest({
                startedAt: completedAt,
                completedAt,
                recoveryPointAt: undefined,
                result: random.pick(results),
              }),
              meta(),
            ),
          );
        }
        const corrected =
          round % 3 === 2 &&
          (random.pick([
            before.latestRestoreTest,
            before.lastSuccessfulRestoreTest,
          ]) ??
            before.latestRestoreTest);
        if (corrected) {
          const completedAt = at();
          const result = random.pick(results);
          writes.push(s =>
            s.addRestoreTest(
              restoreTest({
                startedAt: completedAt,
                completedAt,
                recoveryPointAt: undefined,
                result,
                supersedes: corrected.id,
              }),
              meta(),
            ),
          );
        }
        for (let i = 0; i < 3; i++) {
          const run = backupRun({
            runAt: at(),
            outcome: random.pick(['succeeded', 'failed'] as const),
          });
          writes.push(s => s.addBackupRun(run, meta()));
        }
        const batch = [backupRun({ runAt: at() }), backupRun({ runAt: at() })];
        writes.push(s => s.addBackupRuns(batch, meta()));
        for (let i = 0; i < 2; i++) {
          const review = accessReview({ reviewedAt: at() });
          writes.push(s => s.addAccessReview(review, meta()));
        }

        await Promise.all(
          random
            .shuffle(writes)
            .map((write, i) => write(replicas[i % replicas.length])),
        );

        const ranked = await rankLatestEvidence(knex, ENTITY);
        const derived = (await store.getLatestEvidenceByEntity()).get(ENTITY);
        expect({ round, derived }).toEqual({
          round,
          derived: summaryOf(ranked),
        });
        const read = await store.getLatestEvidence(ENTITY);
        expect({ round, read }).toEqual({ round, read: ranked });
        expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
      }
    });

    it('lets 16 concurrent writers on one entity all store, without retries', async () => {
      const knex = await databases.init(databaseId);
      const { client, state } = faultyClient(knex);
      const replicas = await createReplicas(client, 4);
      state.transactions = 0;
      const perWriter = 5;
      const results = await Promise.all(
        Array.from({ length: 16 }, async (_, writer) => {
          const store = replicas[writer % replicas.length];
          const stored = [];
          for (let i = 0; i < perWriter; i++) {
            if (writer % 2 === 0) {
              stored.push(await store.addRestoreTest(restoreTest(), meta()));
            } else {
              stored.push(await store.addBackupRun(backupRun(), meta()));
            }
          }
          return stored;
        }),
      );
      expect(results.flat().every(r => r.created)).toBe(true);
      // at most one transaction per record: nobody lost a race and retried
      // (waiting writers even share transactions: group commit)
      expect(state.transactions).toBeLessThanOrEqual(16 * perWriter);
      const verification = await replicas[0].verify(ENTITY, new Date());
      expect(verification.restoreTests).toEqual({ intact: true, count: 40 });
      expect(verification.backupRuns).toEqual({ intact: true, count: 40 });
    });

    it('merges single appends that wait for the same entity into few transactions', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      state.transactions = 0;
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.addBackupRun(backupRun(), meta()),
        ),
      );
      expect(state.transactions).toBeLessThan(10);
      expect(new Set(results.map(r => r.record.id)).size).toBe(50);
      const page = await store.listBackupRuns(ENTITY, {
        limit: 100,
        offset: 0,
      });
      const stored = new Map(page.items.map(r => [r.id, r]));
      for (const { record } of results) {
        expect(stored.get(record.id)).toEqual(record);
      }
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.backupRuns).toEqual({ intact: true, count: 50 });
    });

    it('answers a write whose commit was confirmed too late, without storing it twice', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      state.faults = ['after-commit'];
      const { record, created } = await store.addRestoreTest(
        restoreTest(),
        meta(),
      );
      expect(created).toBe(true);
      expect(state.transactions).toBe(2);
      const page = await store.listRestoreTests(ENTITY, {
        limit: 10,
        offset: 0,
      });
      expect(page.items).toStrictEqual([record]);
    });

    it('answers a batch whose commit was confirmed too late as the first attempt would have', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      await store.addBackupRun(backupRun({ externalId: 'known' }), meta());
      state.faults = ['after-commit'];
      const results = await store.addBackupRuns(
        [
          backupRun({ externalId: 'new' }),
          backupRun(),
          backupRun({ externalId: 'new' }),
          backupRun({ externalId: 'known' }),
        ],
        meta(),
      );
      expect(results.map(r => [r.created, r.record.sequence])).toEqual([
        [true, 2],
        [true, 3],
        [false, 2],
        [false, 1],
      ]);
      expect((await store.verify(ENTITY, new Date())).backupRuns).toEqual({
        intact: true,
        count: 3,
      });
    });

    it('retries a write that the database dropped, gives up after a few seconds, and writes again once it is back', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      state.faults = ['before-begin', 'before-begin'];
      const stored = await store.addAccessReview(accessReview(), meta());
      expect(stored.created).toBe(true);
      expect(state.transactions).toBe(3);

      state.transactions = 0;
      state.faults = Array(10).fill('before-begin');
      await expect(
        store.addAccessReview(accessReview(), meta()),
      ).rejects.toMatchObject({ code: 'ECONNRESET' });
      // the jittered delays decide how many retries fit the budget: at least
      // four (they fit in any draw), never all ten faults
      expect(state.transactions).toBeGreaterThanOrEqual(5);
      expect(state.transactions).toBeLessThanOrEqual(6);

      // the failed write's group is closed: the next write is not given
      // its old error
      state.faults = [];
      const next = await store.addAccessReview(accessReview(), meta());
      expect(next.record.sequence).toBe(2);
    });

    it('gives a write queued behind a failing one no retry round of its own', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      state.faults = Array(20).fill('before-begin');
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        store.addAccessReview(accessReview(), meta()),
        store.addBackupRun(backupRun(), meta()),
      ]);
      expect(outcomes.map(o => o.status)).toEqual(['rejected', 'rejected']);
      // both give up within the retry budget (4 s) from their arrival, not
      // one budget after the other
      expect(Date.now() - started).toBeLessThan(6000);
    });

    it('does not retry other errors', async () => {
      const { store, state } = await createFaultyStore(databaseId);
      state.faults = ['other-error'];
      await expect(store.addBackupRun(backupRun(), meta())).rejects.toThrow(
        'something else broke',
      );
      expect(state.transactions).toBe(1);
    });
  },
);

(databases.supports('POSTGRES_15') ? describe : describe.skip)(
  'DatabaseEvidenceStore writes on PostgreSQL',
  () => {
    it('retries a write whose connection is terminated mid-transaction', async () => {
      const knex = await databases.init('POSTGRES_15');
      const [store] = await createReplicas(knex, 1);
      await store.addRestoreTest(restoreTest(), meta());
      // hold the entity's latest_evidence row, so the next write waits on it
      const blocker = await knex.transaction();
      await blocker('latest_evidence')
        .where({ entity_ref: ENTITY })
        .forUpdate()
        .first();
      const pending = store.addRestoreTest(
        restoreTest({ completedAt: '2026-11-19T11:00:00Z' }),
        meta(),
      );
      let waiting: { pid: number } | undefined;
      while (!waiting) {
        waiting = await knex('pg_stat_activity')
          .where({ datname: knex.raw('current_database()') })
          .where({ wait_event_type: 'Lock' })
          .where('query', 'like', 'update "latest_evidence"%')
          .first('pid');
      }
      await knex.raw('select pg_terminate_backend(?)', [waiting.pid]);
      await blocker.rollback();

      const { record, created } = await pending;
      expect(created).toBe(true);
      const page = await store.listRestoreTests(ENTITY, {
        limit: 10,
        offset: 0,
      });
      expect(page.totalCount).toBe(2);
      expect(page.items[0]).toStrictEqual(record);
      expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
    });
  },
);
