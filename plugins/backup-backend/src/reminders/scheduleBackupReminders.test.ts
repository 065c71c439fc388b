import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import {
  startBackupBackend,
  waitForCatalog,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const config = (notifications: object) => ({
  app: { baseUrl: 'http://localhost:3000' },
  backup: { notifications },
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
});

/** The backup plugin's scheduler (a mock that runs tasks when triggered). */
function backupScheduler() {
  let scheduler: SchedulerService | undefined;
  const features = [
    mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
    createBackendModule({
      pluginId: 'backup',
      moduleId: 'scheduler-test',
      register(env) {
        env.registerInit({
          deps: { service: coreServices.scheduler },
          async init({ service }) {
            scheduler = service;
          },
        });
      },
    }),
  ];
  return { features, scheduler: () => scheduler! };
}

describe('the scheduled reminder task', () => {
  it('is a global task when enabled, and its run reaches the owners', async () => {
    const capture = backupScheduler();
    const { server } = await startBackupBackend({
      config: config({ enabled: true }),
      features: [notificationsPlugin, ...capture.features],
    });
    const scheduler = capture.scheduler();
    expect(await scheduler.getScheduledTasks()).toContainEqual(
      expect.objectContaining({ id: 'backup-reminders', scope: 'global' }),
    );
    await waitForCatalog(server, 'group/default/platform');
    await waitForCatalog(server, 'component/default/untested-service');
    // never tested, so reminded of on any date; carol owns it
    const titles = async () => {
      await scheduler.triggerTask('backup-reminders');
      const res = await request(server)
        .get('/api/notifications/notifications')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/carol'),
        );
      return (res.body.notifications ?? []).map((n: any) => n.payload.title);
    };
    for (let attempt = 0; attempt < 100; attempt++) {
      if (
        (await titles()).includes('No restore test recorded: untested-service')
      ) {
        return;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error('the reminder task never notified the owner');
  });

  it('is not scheduled unless enabled', async () => {
    const capture = backupScheduler();
    await startBackupBackend({
      config: config({}),
      features: capture.features,
    });
    const ids = (await capture.scheduler().getScheduledTasks()).map(
      task => task.id,
    );
    expect(ids).toContain('backup-daily-snapshot');
    expect(ids).not.toContain('backup-reminders');
  });

  it('stops start-up on invalid config, naming the key', async () => {
    await expect(
      startBackupBackend({
        config: config({ enabled: true, digest: { enabled: true } }),
        features: [notificationsPlugin],
      }),
    ).rejects.toThrow(
      "Invalid config at 'backup.notifications.digest.recipient'",
    );
  });
});
