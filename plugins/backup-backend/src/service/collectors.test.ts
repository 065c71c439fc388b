import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  BackupEvidenceCollector,
  backupEvidenceCollectorExtensionPoint,
  CollectedBackupRun,
  CollectedEvidence,
} from '@backup-assurance/plugin-backup-node';
import request from 'supertest';
import {
  ENTITY_PATH,
  FIXTURE_ENTITY,
  hoursAgo,
  startBackupBackend,
  waitForCatalog,
} from '../__testUtils__/testBackend';
import { EvidenceCollectorRegistry } from './collectors';

jest.setTimeout(60_000);

const service = mockCredentials.service.header();

const backupRun = (externalId: string): CollectedBackupRun => ({
  runAt: hoursAgo(2),
  outcome: 'succeeded',
  source: 'test-tool',
  externalId,
});

/** As a collector written in JavaScript might send it. */
const withoutExternalId = (): CollectedBackupRun => {
  const { externalId: _, ...run } = backupRun('none');
  return run as CollectedBackupRun;
};

/** What the test tool reports on every run. */
const collected = (): CollectedEvidence => ({
  items: [
    {
      entityRef: FIXTURE_ENTITY,
      restoreTests: [
        {
          startedAt: hoursAgo(4),
          completedAt: hoursAgo(3),
          result: 'succeeded',
          scope: 'payments-db restore',
          validation: [{ type: 'integrity', outcome: 'passed' }],
          executor: 'test tool',
          source: 'test-tool',
          externalId: 'drill-1',
        },
      ],
      backupRuns: [backupRun('job-1'), backupRun('job-2'), withoutExternalId()],
    },
    { entityRef: 'component:default/ghost', backupRuns: [backupRun('job-3')] },
    { entityRef: 'resource:default/phantom', backupRuns: [backupRun('job-4')] },
  ],
});

const collector: BackupEvidenceCollector = {
  id: 'test-tool',
  schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
  collect: async () => collected(),
};

/** Log lines of the backup plugin and its modules. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger: LoggerService = {
    error: message => lines.push({ level: 'error', message }),
    warn: message => lines.push({ level: 'warn', message }),
    info: message => lines.push({ level: 'info', message }),
    debug: () => {},
    child: () => logger,
  };
  const factory = createServiceFactory({
    service: coreServices.logger,
    deps: {},
    factory: () => logger,
  });
  const collectorLines = () =>
    lines.filter(line => line.message.startsWith('Collector test-tool'));
  return { factory, collectorLines, clear: () => lines.splice(0) };
}

describe('evidence collectors', () => {
  let server: any;
  let scheduled: SchedulerServiceTaskScheduleDefinition &
    SchedulerServiceTaskInvocationDefinition;
  const logs = recordingLogger();

  const runTask = () => scheduled.fn(new AbortController().signal);

  beforeAll(async () => {
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        if (task.id.startsWith('backup-collector-')) scheduled = task;
      },
    });
    const testToolModule = createBackendModule({
      pluginId: 'backup',
      moduleId: 'test-tool',
      register(env) {
        env.registerInit({
          deps: { collectors: backupEvidenceCollectorExtensionPoint },
          async init({ collectors }) {
            collectors.addCollector(collector);
          },
        });
      },
    });
    ({ server } = await startBackupBackend({
      features: [scheduler.factory, logs.factory, testToolModule],
    }));
    await waitForCatalog(server);
  });

  beforeEach(() => logs.clear());

  it('schedules each collector as a global task with its schedule', () => {
    expect(scheduled).toMatchObject({
      id: 'backup-collector-test-tool',
      scope: 'global',
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
    });
  });

  it('stores what a run collects, as the plugin, skipping what it cannot', async () => {
    await runTask();

    const runs = await request(server)
      .get(`${ENTITY_PATH}/backup-runs`)
      .set('Authorization', service);
    expect(runs.body.items.map((r: any) => r.externalId).sort()).toEqual([
      'job-1',
      'job-2',
    ]);
    expect(runs.body.items[0].recordedBy).toBe('service:plugin:backup');
    const tests = await request(server)
      .get(`${ENTITY_PATH}/restore-tests`)
      .set('Authorization', service);
    expect(tests.body.totalCount).toBe(1);

    expect(logs.collectorLines()).toEqual([
      {
        level: 'info',
        message:
          'Collector test-tool: records stored: 3, repeated: 0, rejected: 1; unknown entities skipped: 2',
      },
      {
        level: 'warn',
        message:
          'Collector test-tool: skipped entities unknown to the catalog (2): component:default/ghost, resource:default/phantom',
      },
      {
        level: 'error',
        message:
          'Collector test-tool: rejected records (1): component:default/payments-api backupRuns: 1 without an externalId',
      },
    ]);
  });

  it('stores nothing new when the same evidence is collected again', async () => {
    await runTask();

    const runs = await request(server)
      .get(`${ENTITY_PATH}/backup-runs`)
      .set('Authorization', service);
    expect(runs.body.totalCount).toBe(2);
    expect(logs.collectorLines()[0].message).toBe(
      'Collector test-tool: records stored: 0, repeated: 3, rejected: 1; unknown entities skipped: 2',
    );
  });

  it('rejects a batch the input rules refuse and stores the rest', async () => {
    const future = new Date(Date.now() + 86400_000).toISOString();
    const spy = jest.spyOn(collector, 'collect').mockResolvedValueOnce({
      items: [
        {
          entityRef: FIXTURE_ENTITY,
          backupRuns: [{ ...backupRun('job-5'), runAt: future }],
          accessReviews: [
            {
              reviewedAt: hoursAgo(1),
              reviewer: 'Sam Security',
              outcome: 'confirmed',
              admins: ['group:default/payments'],
              externalId: 'review-1',
            },
          ],
        },
        { entityRef: 'not a ref', backupRuns: [backupRun('job-6')] },
      ],
    });

    await runTask();

    spy.mockRestore();
    const [summary, rejection] = logs.collectorLines();
    expect(summary.message).toBe(
      'Collector test-tool: records stored: 1, repeated: 0, rejected: 2; unknown entities skipped: 0',
    );
    expect(rejection.level).toBe('error');
    expect(rejection.message).toMatch(
      /^Collector test-tool: rejected records \(2\): component:default\/payments-api backupRuns: .*runAt.*, malformed entity ref "not a ref"$/,
    );
  });
});

describe('EvidenceCollectorRegistry', () => {
  it('refuses a second collector under the same id', () => {
    const registry = new EvidenceCollectorRegistry();
    registry.addCollector(collector);
    expect(() => registry.addCollector({ ...collector })).toThrow(
      "Backup evidence collector 'test-tool' was added twice",
    );
    expect(registry.list()).toEqual([collector]);
  });
});
