import {
  coreServices,
  createBackendModule,
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  NotificationSendOptions,
  notificationService,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { readBackupPolicy } from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import request from 'supertest';
import { readNotificationsConfig } from '../config';
import { DatabaseEvidenceStore } from '../database/DatabaseEvidenceStore';
import { BackupOverviewService } from '../service/BackupOverviewService';
import { EntityReader } from '../service/entityAccess';
import { startBackupBackend } from '../__testUtils__/testBackend';
import { DefaultBackupReminders } from './BackupReminders';
import { DatabaseSentReminderStore } from './SentReminderStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The fixture's dates are judged on this day (a Monday, ISO week 25). */
const NOW = new Date('2026-06-15T12:00:00Z');
const daysAfter = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

const POLICY = { exemptionApprovers: ['group:default/security-grc'] };

const testConfig = {
  app: { baseUrl: 'http://localhost:3000' },
  backup: { policy: POLICY },
  catalog: {
    rules: [{ allow: ['Component', 'Resource', 'Group', 'User', 'Location'] }],
    locations: [
      {
        type: 'file',
        target: resolvePackagePath(
          '@backup-assurance/plugin-backup-backend',
          'src/reminders/__fixtures__/reminders.yaml',
        ),
      },
    ],
  },
};

interface BackupServices {
  catalog: typeof catalogServiceRef.T;
  auth: typeof coreServices.auth.T;
  database: DatabaseService;
  notifications: NotificationService;
  logger: LoggerService;
}

/** The services the backup plugin gets, to build reminders as it would. */
function captureBackupServices() {
  let services: BackupServices | undefined;
  const module = createBackendModule({
    pluginId: 'backup',
    moduleId: 'reminders-test',
    register(env) {
      env.registerInit({
        deps: {
          catalog: catalogServiceRef,
          auth: coreServices.auth,
          database: coreServices.database,
          notifications: notificationService,
          logger: coreServices.logger,
        },
        async init(deps) {
          services = deps;
        },
      });
    },
  });
  return { module, services: () => services! };
}

/** Every call, passed on to the real notification service. */
function recordingNotifications(real: NotificationService) {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    service: {
      async send(options: NotificationSendOptions) {
        sent.push(options);
        await real.send(options);
      },
    } satisfies NotificationService,
  };
}

async function waitFor(check: () => Promise<boolean>, what: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(databases.eachSupportedId())(
  'backup reminders through the notifications backend on %p',
  databaseId => {
    let server: any;
    let services: BackupServices;
    let backupDb: Knex;
    let notificationsDb: Knex;

    /** One replica's reminders: its own overview and sent-reminders store. */
    async function createReminders(
      options: {
        notifications?: JsonObject;
        service?: NotificationService;
        clock?: () => Date;
      } = {},
    ) {
      const clock = options.clock ?? (() => NOW);
      const policy = readBackupPolicy(
        new ConfigReader({ backup: { policy: POLICY } }),
      );
      const entities = EntityReader.create(services);
      const store = await DatabaseEvidenceStore.create(services);
      return DefaultBackupReminders.create({
        overview: BackupOverviewService.create({
          entities,
          store,
          policy,
          clock,
        }),
        entities,
        store,
        policy,
        notifications: options.service ?? services.notifications,
        sentReminders: await DatabaseSentReminderStore.create({
          database: services.database,
          lease: { minutes: 15 },
        }),
        config: readNotificationsConfig(
          new ConfigReader({
            backup: {
              notifications: options.notifications ?? {
                enabled: true,
                digest: { recipient: 'group:default/security-grc' },
              },
            },
          }),
        ),
        logger: services.logger,
        clock,
      });
    }

    /** A user's notifications, read back through the notifications API. */
    async function inboxOf(user: string) {
      const res = await request(server)
        .get('/api/notifications/notifications?limit=100')
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
      expect(res.status).toBe(200);
      return (res.body.notifications as any[])
        .map(n => ({ ...n.payload, origin: n.origin, read: n.read }))
        .sort((a, b) => a.title.localeCompare(b.title));
    }

    const titlesOf = async (user: string) =>
      (await inboxOf(user)).map(n => n.title);

    async function storedNotifications(): Promise<number> {
      const [{ n }] = await notificationsDb('notification').count({ n: '*' });
      return Number(n);
    }

    beforeAll(async () => {
      const capture = captureBackupServices();
      const backend = await startBackupBackend({
        databases,
        databaseId,
        config: testConfig,
        features: [notificationsPlugin, capture.module],
      });
      server = backend.server;
      services = capture.services();
      backupDb = backend.databaseOf('backup')!;
      notificationsDb = backend.databaseOf('notifications')!;
      // every entity ingested, and the groups' members resolved
      await waitFor(async () => {
        const { items } = await services.catalog.getEntities(
          { filter: { kind: 'group' }, fields: ['relations'] },
          { credentials: await services.auth.getOwnServiceCredentials() },
        );
        const { items: entities } = await services.catalog.getEntities(
          { filter: [{ kind: 'component' }, { kind: 'resource' }] },
          { credentials: await services.auth.getOwnServiceCredentials() },
        );
        return (
          entities.length === 10 &&
          items.filter(g => g.relations?.some(r => r.type === 'hasMember'))
            .length === 4
        );
      }, 'the catalog fixture');

      const store = await DatabaseEvidenceStore.create(services);
      const meta = (recordedAt: string) => ({
        entityRef: 'component:default/failing-service',
        recordedBy: 'user:default/alice',
        recordedAt: new Date(recordedAt),
      });
      await store.addBackupRun(
        {
          runAt: '2026-06-10T02:00:00Z',
          outcome: 'failed',
          message: 'Snapshot quota exceeded',
        },
        meta('2026-06-10T02:05:00Z'),
      );
      await store.addRestoreTest(
        {
          startedAt: '2026-06-15T05:00:00Z',
          completedAt: '2026-06-15T06:00:00Z',
          result: 'failed',
          scope: 'Snapshot restored to staging',
          validation: [],
          executor: 'Alice',
        },
        meta('2026-06-15T06:05:00Z'),
      );
    });

    beforeEach(async () => {
      await backupDb('backup_sent_reminders').delete();
      await notificationsDb('notification').delete();
    });

    it('reminds the owners of each event once, and the managers of the week', async () => {
      const { sent, service } = recordingNotifications(services.notifications);
      const first = await createReminders({ service });
      expect(await first.run()).toEqual({
        sent: 7,
        alreadySent: 0,
        failed: 0,
        withoutOwner: 0,
      });

      // a group's members each get it; a user owner gets it directly
      expect(await titlesOf('alice')).toEqual([
        'Failed backup run not acknowledged: failing-service',
        'Restore test due soon: Due-soon service',
      ]);
      expect(await titlesOf('erin')).toEqual([
        'Backup exemption ending: exempt-service',
        'Failed backup run not acknowledged: failing-service',
        'Restore test due soon: Due-soon service',
      ]);
      expect(await titlesOf('bob')).toEqual([
        'Access review due soon: pii-service',
        'Restore test overdue: overdue-db',
      ]);
      expect(await titlesOf('carol')).toEqual([
        'Backup exemption ending: exempt-service',
        'No restore test recorded: untested-service',
      ]);
      expect(await titlesOf('dana')).toEqual([
        'Backup assurance digest, week 2026-W25',
      ]);

      const [accessReview, overdue] = await inboxOf('bob');
      expect(overdue).toMatchObject({
        title: 'Restore test overdue: overdue-db',
        description: expect.stringContaining('it was due on 2026-04-30'),
        link: '/catalog/default/resource/overdue-db/backup',
        severity: 'high',
        topic: 'backup-restore-tests',
        scope: 'backup:restore-test:resource:default/overdue-db',
        origin: 'plugin:backup',
        read: null,
      });
      expect(accessReview).toMatchObject({
        description: 'The next access review is due on 2026-06-18.',
        link: '/catalog/default/component/pii-service/backup',
        severity: 'normal',
        topic: 'backup-access-reviews',
      });
      const [failure, dueSoon] = await inboxOf('alice');
      expect(dueSoon).toMatchObject({
        description: 'The next restore test is due on 2026-06-29.',
        severity: 'normal',
        topic: 'backup-restore-tests',
      });
      // only the backup run is past the acknowledgement window
      expect(failure).toMatchObject({
        description: expect.stringContaining(
          'The backup run that failed on 2026-06-10',
        ),
        severity: 'high',
        topic: 'backup-failures',
        scope: 'backup:failure:backup-run:component:default/failing-service',
      });
      const [exemption] = await inboxOf('carol');
      expect(exemption).toMatchObject({
        description: expect.stringContaining('Exempt until 2026-06-25'),
        topic: 'backup-exemptions',
      });
      const [digest] = await inboxOf('dana');
      expect(digest).toMatchObject({
        description:
          'Entities by backup status: 2 overdue, 2 due soon, 1 non-compliant, 1 with failures not acknowledged; 9 in scope.',
        link: '/backup',
        topic: 'backup-weekly-digest',
      });

      // a second run, and a restarted one, send nothing more
      expect(await first.run()).toMatchObject({ sent: 0, alreadySent: 7 });
      const restarted = await createReminders({ service });
      expect(await restarted.run()).toMatchObject({ sent: 0, alreadySent: 7 });
      expect(sent).toHaveLength(7);
      expect(await storedNotifications()).toBe(10);
    });

    it('sends each event once when two replicas run at the same time', async () => {
      const { sent, service } = recordingNotifications(services.notifications);
      const replicas = [
        await createReminders({ service }),
        await createReminders({ service }),
      ];
      const runs = await Promise.all([
        ...replicas.map(r => r.run()),
        ...replicas.map(r => r.run()),
      ]);
      expect(runs.reduce((n, run) => n + run.sent, 0)).toBe(7);
      expect(runs.every(run => run.failed === 0)).toBe(true);
      expect(sent).toHaveLength(7);
      expect(new Set(sent.map(s => `${s.payload.scope}`)).size).toBe(7);
      expect(await storedNotifications()).toBe(10);
    });

    it('sends nothing of the kinds switched off', async () => {
      const { sent, service } = recordingNotifications(services.notifications);
      const reminders = await createReminders({
        service,
        notifications: {
          enabled: true,
          events: {
            restoreTestDueSoon: false,
            failureUnacknowledged: false,
            accessReviewDue: false,
            exemptionExpiring: false,
          },
        },
      });
      expect(await reminders.run()).toMatchObject({ sent: 2 });
      expect(sent.map(s => s.payload.title).sort()).toEqual([
        'No restore test recorded: untested-service',
        'Restore test overdue: overdue-db',
      ]);
      expect(await titlesOf('alice')).toEqual([]);
      expect(await titlesOf('dana')).toEqual([]);
    });

    it('retries on the next run what could not be sent', async () => {
      const failing = await createReminders({
        service: {
          send: async () => {
            throw new Error('notifications backend unavailable');
          },
        },
      });
      expect(await failing.run()).toMatchObject({ sent: 0, failed: 7 });
      expect(await storedNotifications()).toBe(0);
      const reminders = await createReminders();
      expect(await reminders.run()).toMatchObject({ sent: 7, failed: 0 });
      expect(await storedNotifications()).toBe(10);
    });

    it('sends the digest once per ISO week, replacing the last one', async () => {
      const { sent, service } = recordingNotifications(services.notifications);
      let now = NOW;
      const reminders = await createReminders({
        service,
        clock: () => now,
        notifications: {
          enabled: true,
          events: {
            restoreTestDueSoon: false,
            restoreTestOverdue: false,
            failureUnacknowledged: false,
            accessReviewDue: false,
            exemptionExpiring: false,
          },
          digest: { recipient: 'security-grc' },
        },
      });
      expect(await reminders.run()).toMatchObject({ sent: 1 });
      now = daysAfter(6); // Sunday, still week 25
      expect(await reminders.run()).toMatchObject({ sent: 0, alreadySent: 1 });
      now = daysAfter(7);
      expect(await reminders.run()).toMatchObject({ sent: 1 });
      expect(sent.map(s => s.payload.title)).toEqual([
        'Backup assurance digest, week 2026-W25',
        'Backup assurance digest, week 2026-W26',
      ]);
      // one digest in the inbox: the newest, unread
      expect(await inboxOf('dana')).toEqual([
        expect.objectContaining({
          title: 'Backup assurance digest, week 2026-W26',
          read: null,
        }),
      ]);
    });
  },
);
