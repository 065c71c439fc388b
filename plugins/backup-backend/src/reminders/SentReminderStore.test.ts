import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseSentReminderStore } from './SentReminderStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const NOW = new Date('2026-11-30T08:00:00Z');
const minutesLater = (minutes: number) =>
  new Date(NOW.getTime() + minutes * 60_000);
const occurrence = {
  entityRef: 'component:default/ledger-service',
  kind: 'restore-test-due-soon',
  key: '2026-12-02',
  recipient: 'group:default/payments',
};

describe.each(databases.eachSupportedId())(
  'DatabaseSentReminderStore on %p',
  databaseId => {
    async function createStores(count: number) {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const stores = await Promise.all(
        Array.from({ length: count }, () =>
          DatabaseSentReminderStore.create({
            database,
            lease: { minutes: 15 },
          }),
        ),
      );
      return { knex, stores };
    }

    it('lets one of many concurrent runs claim an event, and none once it is sent', async () => {
      const { knex, stores } = await createStores(4);
      const claims = await Promise.all(
        stores.flatMap(store => [
          store.claim(occurrence, NOW),
          store.claim(occurrence, NOW),
        ]),
      );
      const won = claims.filter(Boolean);
      expect(won).toHaveLength(1);
      await stores[0].markSent(won[0]!, NOW);
      // long after, the sent event stays sent
      expect(
        await stores[1].claim(occurrence, minutesLater(60 * 24 * 30)),
      ).toBeUndefined();
      expect(
        await knex('backup_sent_reminders').select('event_key', 'sent_at'),
      ).toEqual([{ event_key: '2026-12-02', sent_at: expect.anything() }]);
    });

    it('tells occurrences apart by entity, kind and key', async () => {
      const { stores } = await createStores(1);
      const [store] = stores;
      for (const other of [
        occurrence,
        { ...occurrence, key: '2027-06-01' },
        { ...occurrence, kind: 'restore-test-overdue' },
        { ...occurrence, entityRef: 'component:default/payments-api' },
      ]) {
        expect(await store.claim(other, NOW)).toBeDefined();
      }
    });

    it('retries a released claim on the next run', async () => {
      const { knex, stores } = await createStores(2);
      const claim = await stores[0].claim(occurrence, NOW);
      expect(await stores[1].claim(occurrence, NOW)).toBeUndefined();
      await stores[0].release(claim!);
      expect(await knex('backup_sent_reminders').select('event_key')).toEqual(
        [],
      );
      expect(await stores[1].claim(occurrence, minutesLater(60))).toBeDefined();
    });

    it('hands a claim never marked sent to one other run once the lease is over', async () => {
      const { stores } = await createStores(3);
      const abandoned = await stores[0].claim(occurrence, NOW);
      expect(
        await stores[1].claim(occurrence, minutesLater(14)),
      ).toBeUndefined();
      const takeovers = (
        await Promise.all(
          stores.map(store => store.claim(occurrence, minutesLater(16))),
        )
      ).filter(Boolean);
      expect(takeovers).toHaveLength(1);
      // the dead run's late bookkeeping does not touch the new claim
      await stores[0].release(abandoned!);
      await stores[0].markSent(abandoned!, minutesLater(17));
      expect(
        await stores[2].claim(occurrence, minutesLater(18)),
      ).toBeUndefined();
      await stores[1].markSent(takeovers[0]!, minutesLater(18));
      expect(
        await stores[2].claim(occurrence, minutesLater(60)),
      ).toBeUndefined();
    });
  },
);
