import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import {
  backupRun,
  ENTITY,
  followUp,
  meta,
  restoreTest,
} from './evidenceTestData';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * A passed test on the 10th, corrected later (same time, failed), a backup
 * run on the 12th, a failed test on the 15th acknowledged on the 16th.
 */
async function storeWithHistory(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseEvidenceStore.create({
    database: mockServices.database({ knex }),
  });
  const passed = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-10T08:00:00Z',
      completedAt: '2026-11-10T09:00:00Z',
    }),
    meta(),
  );
  const run = await store.addBackupRun(
    backupRun({ runAt: '2026-11-12T02:00:00Z' }),
    meta(),
  );
  const failed = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-15T08:00:00Z',
      completedAt: '2026-11-15T09:00:00Z',
      result: 'failed',
    }),
    meta(),
  );
  await store.addFollowUps(
    [
      followUp(
        { kind: 'restore-test', id: failed.record.id },
        { at: '2026-11-16T10:00:00Z' },
      ),
    ],
    meta(),
  );
  const correction = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-10T08:00:00Z',
      completedAt: '2026-11-10T09:00:00Z',
      result: 'partial',
      supersedes: passed.record.id,
    }),
    meta('2026-11-21T10:00:00Z'),
  );
  const asOf = async (at: string) =>
    (await store.getLatestEvidenceByEntityAsOf(new Date(at))).get(ENTITY);
  return {
    store,
    asOf,
    ids: {
      run: run.record.id,
      failed: failed.record.id,
      correction: correction.record.id,
    },
  };
}

describe.each(databases.eachSupportedId())(
  'latest evidence as of a past time on %p',
  databaseId => {
    it('names, at each time, the newest records of times up to it', async () => {
      const { asOf, ids } = await storeWithHistory(databaseId);
      expect(await asOf('2026-11-09T00:00:00Z')).toBeUndefined();

      // the correction has the corrected test's time, so it counts from then
      const on11th = await asOf('2026-11-11T00:00:00Z');
      expect(on11th?.latestRestoreTest).toMatchObject({
        id: ids.correction,
        result: 'partial',
      });
      expect(on11th?.lastSuccessfulRestoreTest).toBeUndefined();
      expect(on11th?.latestBackupRun).toBeUndefined();

      const on15th = await asOf('2026-11-15T12:00:00Z');
      expect(on15th?.latestBackupRun?.id).toBe(ids.run);
      expect(on15th?.latestFailedRestoreTest).toEqual({
        id: ids.failed,
        completedAt: '2026-11-15T09:00:00.000Z',
        result: 'failed',
      });

      const on17th = await asOf('2026-11-17T00:00:00Z');
      expect(on17th?.latestFailedRestoreTest).toEqual({
        id: ids.failed,
        completedAt: '2026-11-15T09:00:00.000Z',
        result: 'failed',
        acknowledgedAt: '2026-11-16T10:00:00.000Z',
      });
    });

    it('is, as of now, what the derived latest-evidence rows name', async () => {
      const { store } = await storeWithHistory(databaseId);
      expect(
        await store.getLatestEvidenceByEntityAsOf(
          new Date('2026-12-01T00:00:00Z'),
        ),
      ).toEqual(await store.getLatestEvidenceByEntity());
    });
  },
);
