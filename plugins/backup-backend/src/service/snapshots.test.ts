import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_BACKUP_POLICY } from '@backup-assurance/plugin-backup-common';
import { DatabaseEvidenceStore } from '../database/DatabaseEvidenceStore';
import { meta, restoreTest } from '../database/evidenceTestData';
import { DatabaseSnapshotStore } from '../database/SnapshotStore';
import { BackupOverviewService } from './BackupOverviewService';
import { EntityReader } from './entityAccess';
import { backfillDailySnapshots } from './snapshots';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-11-20T10:00:00Z');
const OWNER = 'group:default/team-a';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backup-assurance.io/method': 'snapshot' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

/** Two entities of one owner; one restore test of `a`, on the 17th. */
async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex });
  const store = await DatabaseEvidenceStore.create({ database });
  await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-17T08:00:00Z',
      completedAt: '2026-11-17T09:00:00Z',
    }),
    { ...meta(), entityRef: 'component:default/a' },
  );
  const overview = BackupOverviewService.create({
    entities: EntityReader.create({
      catalog: catalogServiceMock({
        entities: [component('a'), component('b')],
      }),
      auth: mockServices.auth(),
    }),
    store,
    policy: DEFAULT_BACKUP_POLICY,
    clock: () => NOW,
  });
  const snapshots = await DatabaseSnapshotStore.create({ database });
  const tested = async () =>
    (await snapshots.read({ from: '2026-11-01', to: '2026-11-30' })).map(
      point => [point.day, point.coverage.restoreTestInPolicy.count],
    );
  return { overview, snapshots, tested };
}

describe.each(databases.eachSupportedId())(
  'backfilled snapshots on %p',
  databaseId => {
    it('writes each past day as it stood at its end, once', async () => {
      const { overview, snapshots, tested } = await setUp(databaseId);
      const backfill = () =>
        backfillDailySnapshots({ overview, snapshots, days: 5, now: NOW });

      expect(await backfill()).toBe(5);
      expect(await tested()).toEqual([
        ['2026-11-15', 0],
        ['2026-11-16', 0],
        ['2026-11-17', 1],
        ['2026-11-18', 1],
        ['2026-11-19', 1],
      ]);
      expect(await backfill()).toBe(0);
    });

    it('keeps the days that already have a snapshot', async () => {
      const { overview, snapshots, tested } = await setUp(databaseId);
      const observed = await overview.figuresByOwner(
        new Date('2026-11-01T00:00:00Z'),
      );
      await snapshots.writeDay('2026-11-18', observed, NOW);

      expect(
        await backfillDailySnapshots({
          overview,
          snapshots,
          days: 3,
          now: NOW,
        }),
      ).toBe(2);
      expect(await tested()).toEqual([
        ['2026-11-17', 1],
        ['2026-11-18', 0],
        ['2026-11-19', 1],
      ]);
      expect([...observed.keys()]).toEqual([OWNER]);
    });

    it('backfills nothing when no days are configured', async () => {
      const { overview, snapshots, tested } = await setUp(databaseId);
      expect(
        await backfillDailySnapshots({
          overview,
          snapshots,
          days: 0,
          now: NOW,
        }),
      ).toBe(0);
      expect(await tested()).toEqual([]);
    });
  },
);
