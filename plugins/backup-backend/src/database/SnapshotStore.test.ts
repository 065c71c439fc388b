import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { computeBackupFigures } from '@backup-assurance/plugin-backup-common';
import { DatabaseSnapshotStore } from './SnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const NOW = new Date('2026-11-23T12:00:00Z');
const figures = computeBackupFigures([], NOW);

describe.each(databases.eachSupportedId())(
  'DatabaseSnapshotStore on %p',
  databaseId => {
    it('keeps one snapshot per day and owner when two runs write at once', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseSnapshotStore.create({
        database: mockServices.database({ knex }),
      });
      const day = new Map([
        ['group:default/payments', { ...figures, total: 2 }],
        ['group:default/identity', { ...figures, total: 3 }],
      ]);
      const written = await Promise.all([
        store.writeDay('2026-11-23', day, NOW),
        store.writeDay('2026-11-23', day, NOW),
      ]);
      expect(written.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
      expect(await knex('backup_snapshots').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const points = await store.read({ from: '2026-11-01', to: '2026-11-30' });
      expect(points.map(p => [p.day, p.owner, p.total])).toEqual([
        ['2026-11-23', 'group:default/identity', 3],
        ['2026-11-23', 'group:default/payments', 2],
      ]);
      // a later run the same day changes nothing
      expect(
        await store.writeDay(
          '2026-11-23',
          new Map([['group:default/payments', { ...figures, total: 9 }]]),
          NOW,
        ),
      ).toBe(0);
      expect(
        (
          await store.read({
            from: '2026-11-23',
            to: '2026-11-23',
            owners: ['group:default/payments'],
          })
        )[0].total,
      ).toBe(2);
    });
  },
);
