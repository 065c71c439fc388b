import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { backupRun, followUp, meta, restoreTest } from './evidenceTestData';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const OTHER = 'resource:default/payments-db';
const FROM = new Date('2026-11-01T00:00:00Z');
const TO = new Date('2026-11-20T00:00:00Z');

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return DatabaseEvidenceStore.create({
    database: mockServices.database({ knex }),
  });
}

async function all<T>(batches: AsyncIterable<T[]>) {
  const sizes: number[] = [];
  const items: T[] = [];
  for await (const batch of batches) {
    sizes.push(batch.length);
    items.push(...batch);
  }
  return { sizes, items };
}

describe.each(databases.eachSupportedId())(
  'evidence of a period on %p',
  databaseId => {
    it('lists the failed runs of the period by entity and time, with their first acknowledgement and resolution', async () => {
      const store = await createStore(databaseId);
      const other = { ...meta(), entityRef: OTHER };
      const run = async (runAt: string, outcome = 'failed', at = meta()) =>
        (await store.addBackupRun(backupRun({ runAt, outcome } as any), at))
          .record;
      // three failures at the same instant: batches must not skip or repeat
      const sameTime = '2026-11-10T02:00:00.000Z';
      const failed = [
        await run(sameTime),
        await run(sameTime),
        await run(sameTime),
      ];
      const early = await run('2026-11-02T02:00:00.000Z');
      await run('2026-11-11T02:00:00Z', 'succeeded');
      await run('2026-10-31T23:59:59Z'); // before the period
      await run('2026-11-20T00:00:00Z'); // the end is excluded
      const ofOther = await run('2026-11-05T02:00:00.000Z', 'failed', other);

      const target = { kind: 'backup-run' as const, id: failed[0].id };
      // recorded first, yet acknowledged last: its ticket is the one that stands
      const newest = await store.addFollowUps(
        [followUp(target, { at: '2026-11-10T09:00:00Z' })],
        meta(),
      );
      const earlier = await store.addFollowUps(
        [
          followUp(target, {
            at: '2026-11-10T05:00:00Z',
            ticketUrl: 'https://tickets.example.com/OPS-1',
          }),
          followUp(target, {
            action: 'resolved',
            ticketUrl: undefined,
            resolution: 'Vault disk expanded',
            at: '2026-11-11T05:00:00Z',
          }),
        ],
        meta(),
      );

      const { sizes, items } = await all(
        store.failuresBetween('backup-run', FROM, TO, 2),
      );
      expect(sizes).toEqual([2, 2, 1]);
      // oldest first; the same instant by id, the order batches seek in
      const sameTimeById = failed.map(r => r.id).sort();
      expect(items.map(f => f.record.id)).toEqual([
        early.id,
        ofOther.id,
        ...sameTimeById,
      ]);
      expect(items.every(f => f.kind === 'backup-run')).toBe(true);
      const followed = items.find(f => f.record.id === failed[0].id)!;
      expect(followed.followUps).toEqual({
        acknowledged: newest[0].record,
        resolved: earlier[1].record,
        firstAt: '2026-11-10T05:00:00.000Z',
      });
      expect(items.find(f => f.record.id === early.id)).toEqual({
        kind: 'backup-run',
        record: early,
        followUps: {},
      });
    });

    it('lists failed and partial restore tests, but not those a correction supersedes', async () => {
      const store = await createStore(databaseId);
      const test = async (result: string, completedAt: string) =>
        (
          await store.addRestoreTest(
            restoreTest({
              result,
              startedAt: '2026-11-01T00:00:00Z',
              completedAt,
            } as any),
            meta(),
          )
        ).record;
      const failed = await test('failed', '2026-11-19T09:30:00.000Z');
      const partial = await test('partial', '2026-11-12T09:30:00.000Z');
      const corrected = await test('failed', '2026-11-13T09:30:00.000Z');
      await test('succeeded', '2026-11-14T09:30:00.000Z');
      await store.addRestoreTest(
        restoreTest({ result: 'succeeded', supersedes: corrected.id }),
        meta(),
      );

      const { items } = await all(
        store.failuresBetween('restore-test', FROM, TO),
      );
      expect(items).toEqual([
        { kind: 'restore-test', record: partial, followUps: {} },
        { kind: 'restore-test', record: failed, followUps: {} },
      ]);
    });

    it('lists the follow-ups of the failures of the period only, by entity and sequence', async () => {
      const store = await createStore(databaseId);
      const other = { ...meta(), entityRef: OTHER };
      const runIn = await store.addBackupRun(
        backupRun({ runAt: '2026-11-10T02:00:00Z', outcome: 'failed' }),
        meta(),
      );
      const runBefore = await store.addBackupRun(
        backupRun({ runAt: '2026-10-10T02:00:00Z', outcome: 'failed' }),
        meta(),
      );
      const testIn = await store.addRestoreTest(
        restoreTest({ result: 'partial', completedAt: '2026-11-15T00:00:00Z' }),
        other,
      );
      const ofRunIn = { kind: 'backup-run' as const, id: runIn.record.id };
      const ofTestIn = { kind: 'restore-test' as const, id: testIn.record.id };
      const listed = [
        ...(await store.addFollowUps([followUp(ofRunIn)], meta())),
        ...(await store.addFollowUps(
          [followUp({ kind: 'backup-run', id: runBefore.record.id })],
          meta(),
        )),
        ...(await store.addFollowUps(
          [
            followUp(ofRunIn, {
              action: 'resolved',
              resolution: 'Re-ran the job',
            }),
          ],
          meta(),
        )),
        ...(await store.addFollowUps([followUp(ofTestIn)], other)),
      ].map(r => r.record);

      const { sizes, items } = await all(
        store.followUpsOfFailuresBetween(FROM, TO, 1),
      );
      const byEntityThenSequence = [listed[0], listed[2], listed[3]].sort(
        (a, b) =>
          a.entityRef === b.entityRef
            ? a.sequence - b.sequence
            : Number(a.entityRef > b.entityRef) * 2 - 1,
      );
      expect(items).toEqual(byEntityThenSequence);
      expect(sizes).toEqual([1, 1, 1]);
    });
  },
);
