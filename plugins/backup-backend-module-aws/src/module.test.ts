import {
  BackupClient,
  ListBackupJobsCommand,
  ListBackupJobsCommandInput,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  resolvePackagePath,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
// the real backup plugin stores what the module collects (tests only)
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import backupPlugin from '@backup-assurance/plugin-backup-backend';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import {
  ACCOUNT,
  backupJob,
  ORDERS_TABLE,
  PAYMENTS_DB,
  REGION,
  restoreJob,
  UNCLAIMED_FILES,
  UNCLAIMED_VOLUME,
} from './__testUtils__/awsBackupJobs';
import { backupModuleAws } from './module';

jest.setTimeout(60_000);

const service = mockCredentials.service.header();
const PAYMENTS_PATH = '/api/backup/entities/resource/default/payments-db';
const ORDERS_PATH = '/api/backup/entities/component/default/orders-api';

const config = {
  catalog: {
    rules: [{ allow: ['Component', 'Resource', 'Location'] }],
    locations: [
      {
        type: 'file',
        target: resolvePackagePath(
          '@backup-assurance/plugin-backup-backend-module-aws',
          'src/__fixtures__/entities.yaml',
        ),
      },
    ],
  },
  aws: {
    accounts: [
      {
        accountId: ACCOUNT,
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'secret',
      },
    ],
  },
  backup: {
    aws: {
      accounts: [{ accountId: ACCOUNT, region: REGION }],
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
    },
  },
};

/** Two pages of backup jobs and one of restore jobs, as AWS Backup answers. */
function answerLikeAwsBackup(backup: ReturnType<typeof mockClient>) {
  backup
    .on(ListBackupJobsCommand)
    .callsFake((input: ListBackupJobsCommandInput) =>
      input.NextToken === 'page-2'
        ? {
            BackupJobs: [
              backupJob('job-3', ORDERS_TABLE, { ResourceType: 'DynamoDB' }),
              backupJob('job-4', UNCLAIMED_VOLUME, { ResourceType: 'EBS' }),
              backupJob('job-5', PAYMENTS_DB, {
                State: 'FAILED',
                StatusMessage:
                  'Backup job failed because the DB instance was stopped.',
              }),
            ],
          }
        : {
            BackupJobs: [
              backupJob('job-1', PAYMENTS_DB),
              backupJob('job-2', UNCLAIMED_FILES, { ResourceType: 'EFS' }),
              backupJob('job-running', PAYMENTS_DB, { State: 'RUNNING' }),
            ],
            NextToken: 'page-2',
          },
    );
  backup.on(ListRestoreJobsCommand).resolves({
    RestoreJobs: [
      restoreJob('r-1', PAYMENTS_DB),
      restoreJob('r-2', UNCLAIMED_VOLUME),
      restoreJob('r-pending', PAYMENTS_DB, { Status: 'RUNNING' }),
    ],
  });
}

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
    lines.filter(
      line =>
        line.message.startsWith('AWS Backup') ||
        line.message.startsWith('Collector aws-backup'),
    );
  return { factory, collectorLines, clear: () => lines.splice(0) };
}

async function waitForCatalog(server: any) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/component/default/orders-api')
      .set('Authorization', service);
    if (res.status === 200) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the fixture');
}

describe('backupModuleAws', () => {
  const backup = mockClient(BackupClient);
  const logs = recordingLogger();
  let server: any;
  let task: SchedulerServiceTaskScheduleDefinition &
    SchedulerServiceTaskInvocationDefinition;
  const runTask = () => task.fn(new AbortController().signal);

  beforeAll(async () => {
    answerLikeAwsBackup(backup);
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async definition => {
        if (definition.id === 'backup-collector-aws-backup') task = definition;
      },
    });
    ({ server } = await startTestBackend({
      features: [
        backupPlugin,
        catalogPlugin,
        backupModuleAws,
        mockServices.rootConfig.factory({ data: config }),
        scheduler.factory,
        logs.factory,
      ],
    }));
    await waitForCatalog(server);
  });

  beforeEach(() => logs.clear());
  afterAll(() => backup.restore());

  const history = async (path: string, list: string) => {
    const res = await request(server)
      .get(`${path}/${list}`)
      .set('Authorization', service);
    expect(res.status).toBe(200);
    return res.body.items.map((record: any) => record.externalId).sort();
  };

  it('schedules the collector with the configured schedule', () => {
    expect(task).toMatchObject({
      id: 'backup-collector-aws-backup',
      scope: 'global',
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
    });
  });

  it('stores finished jobs as evidence of the entities that claim their resources', async () => {
    await runTask();

    expect(await history(PAYMENTS_PATH, 'backup-runs')).toEqual([
      'aws-backup:job:job-1',
      'aws-backup:job:job-5',
    ]);
    expect(await history(PAYMENTS_PATH, 'restore-tests')).toEqual([
      'aws-backup:restore:r-1',
    ]);
    expect(await history(ORDERS_PATH, 'backup-runs')).toEqual([
      'aws-backup:job:job-3',
    ]);
    const runs = await request(server)
      .get(`${PAYMENTS_PATH}/backup-runs`)
      .set('Authorization', service);
    expect(runs.body.items).toContainEqual(
      expect.objectContaining({
        outcome: 'failed',
        message:
          'AWS Backup job failed: Backup job failed because the DB instance was stopped.',
        recordedBy: 'service:plugin:backup',
      }),
    );
    expect(backup.commandCalls(ListBackupJobsCommand)).toHaveLength(2);

    expect(logs.collectorLines()).toEqual([
      {
        level: 'info',
        message:
          'AWS Backup: skipped 3 jobs of 2 resources no entity claims with backup-assurance.io/aws-backup-resource-arn: ' +
          `${UNCLAIMED_FILES}, ${UNCLAIMED_VOLUME}`,
      },
      {
        level: 'info',
        message:
          'Collector aws-backup: records stored: 4, repeated: 0, rejected: 0; unknown entities skipped: 0',
      },
    ]);
  });

  it('stores nothing new when the same jobs are collected again', async () => {
    await runTask();

    expect(await history(PAYMENTS_PATH, 'backup-runs')).toHaveLength(2);
    expect(logs.collectorLines()[1].message).toBe(
      'Collector aws-backup: records stored: 0, repeated: 4, rejected: 0; unknown entities skipped: 0',
    );
  });
});

describe('backupModuleAws config', () => {
  it('fails start-up naming the invalid key', async () => {
    await expect(
      startTestBackend({
        features: [
          backupPlugin,
          backupModuleAws,
          mockServices.rootConfig.factory({
            data: {
              backup: {
                aws: { accounts: [{ accountId: ACCOUNT, region: 'Ireland' }] },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'Invalid config at \'backup.aws.accounts[0].region\': "Ireland" is not an AWS region',
    );
  });
});
