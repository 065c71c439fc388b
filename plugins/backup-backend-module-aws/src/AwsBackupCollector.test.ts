import { BackupJob, RestoreJobsListMember } from '@aws-sdk/client-backup';
import { mockServices } from '@backstage/backend-test-utils';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { Readable } from 'stream';
import {
  ACCOUNT,
  backupJob,
  hoursAgo,
  ORDERS_TABLE,
  PAYMENTS_DB,
  REGION,
  restoreJob,
  UNCLAIMED_FILES,
  UNCLAIMED_VOLUME,
} from './__testUtils__/awsBackupJobs';
import { AwsBackupJobSource } from './aws/AwsBackupJobSource';
import { SdkAwsBackupJobSource } from './aws/SdkAwsBackupJobSource';
import { AwsBackupCollector } from './AwsBackupCollector';
import { ResourceClaimReader, ResourceClaims } from './catalog/ResourceClaims';
import { AwsBackupCollectorConfig, DEFAULT_SCHEDULE } from './config';

jest.setTimeout(30_000);

const PAYMENTS = 'resource:default/payments-db';
const ORDERS = 'component:default/orders-api';

const config = (regions = [REGION]): AwsBackupCollectorConfig => ({
  targets: regions.map(region => ({ accountId: ACCOUNT, region })),
  schedule: DEFAULT_SCHEDULE,
  lookback: { days: 7 },
});

const claimsOf = (
  entries: Array<{ entityRef: string; resourceArns: string[] }>,
  malformed: string[] = [],
): ResourceClaimReader => ({
  read: async () => ({
    claims: ResourceClaims.fromEntries(entries),
    malformed,
  }),
});

const claims = claimsOf([
  { entityRef: PAYMENTS, resourceArns: [PAYMENTS_DB] },
  { entityRef: ORDERS, resourceArns: [ORDERS_TABLE, PAYMENTS_DB] },
]);

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger = mockServices.logger.mock({
    info: (message: string) => lines.push({ level: 'info', message }),
    warn: (message: string) => lines.push({ level: 'warn', message }),
    error: (message: string) => lines.push({ level: 'error', message }),
  });
  return { logger, lines };
}

/** A source serving fixed jobs per region, as a fake of AWS. */
function fakeSource(
  jobs: Record<
    string,
    { backup?: BackupJob[]; restore?: RestoreJobsListMember[] } | Error
  >,
  sources: Record<string, string> = {},
): AwsBackupJobSource {
  const of = (region: string) => {
    const found = jobs[region] ?? {};
    if (found instanceof Error) throw found;
    return found;
  };
  return {
    async *backupJobs({ target }) {
      yield* of(target.region).backup ?? [];
    },
    async *restoreJobs({ target }) {
      yield* of(target.region).restore ?? [];
    },
    sourceResourceOf: async (_target, job) =>
      sources[job.RecoveryPointArn ?? ''],
  };
}

describe('AwsBackupCollector', () => {
  it('gives each claiming entity its finished jobs, oldest first, once each', async () => {
    const { logger, lines } = recordingLogger();
    const collector = AwsBackupCollector.create({
      config: config(),
      claims,
      jobs: fakeSource({
        [REGION]: {
          backup: [
            backupJob('job-new', PAYMENTS_DB, { CompletionDate: hoursAgo(1) }),
            backupJob('job-old', PAYMENTS_DB, { CompletionDate: hoursAgo(30) }),
            backupJob('job-old', PAYMENTS_DB, { CompletionDate: hoursAgo(30) }),
            backupJob('job-running', PAYMENTS_DB, { State: 'RUNNING' }),
            backupJob('job-orders', ORDERS_TABLE, { ResourceType: 'DynamoDB' }),
          ],
          restore: [restoreJob('r-1', PAYMENTS_DB)],
        },
      }),
    });

    const { items } = await collector.collect({ logger });

    const payments = items.find(item => item.entityRef === PAYMENTS);
    expect(payments?.backupRuns?.map(run => run.externalId)).toEqual([
      'aws-backup:job:job-old',
      'aws-backup:job:job-new',
    ]);
    expect(payments?.restoreTests?.map(test => test.externalId)).toEqual([
      'aws-backup:restore:r-1',
    ]);
    const orders = items.find(item => item.entityRef === ORDERS);
    expect(orders?.backupRuns?.map(run => run.externalId).sort()).toEqual([
      'aws-backup:job:job-new',
      'aws-backup:job:job-old',
      'aws-backup:job:job-orders',
    ]);
    expect(lines).toEqual([]);
  });

  it('skips jobs of resources no entity claims with one log line', async () => {
    const { logger, lines } = recordingLogger();
    const unclaimed = Array.from(
      { length: 7 },
      (_, i) => `${UNCLAIMED_VOLUME}${i}`,
    );
    const collector = AwsBackupCollector.create({
      config: config(),
      claims,
      jobs: fakeSource(
        {
          [REGION]: {
            backup: [
              ...unclaimed.map((arn, i) => backupJob(`job-${i}`, arn)),
              backupJob('job-files', UNCLAIMED_FILES),
              backupJob('job-files-2', UNCLAIMED_FILES),
              backupJob('job-paid', PAYMENTS_DB),
            ],
            restore: [
              restoreJob('r-gone', undefined),
              restoreJob('r-found', undefined),
            ],
          },
        },
        { [restoreJob('r-found', undefined).RecoveryPointArn!]: PAYMENTS_DB },
      ),
    });

    const { items } = await collector.collect({ logger });

    expect(items.find(i => i.entityRef === PAYMENTS)).toMatchObject({
      backupRuns: [{ externalId: 'aws-backup:job:job-paid' }],
      restoreTests: [{ externalId: 'aws-backup:restore:r-found' }],
    });
    expect(lines).toEqual([
      {
        level: 'info',
        message:
          'AWS Backup: skipped 9 jobs of 8 resources no entity claims with backup-assurance.io/aws-backup-resource-arn: ' +
          `${unclaimed.slice(0, 5).join(', ')}, and 3 more; ` +
          '1 restore jobs whose source resource AWS Backup does not name',
      },
    ]);
  });

  it('reads the other accounts when one fails, and fails when all do', async () => {
    const { logger, lines } = recordingLogger();
    const jobs = fakeSource({
      'eu-west-1': new Error(
        'User is not authorized to perform: backup:ListBackupJobs',
      ),
      'eu-central-1': { backup: [backupJob('job-1', PAYMENTS_DB)] },
    });

    const both = AwsBackupCollector.create({
      config: config(['eu-west-1', 'eu-central-1']),
      claims,
      jobs,
    });
    const { items } = await both.collect({ logger });
    expect(items.map(item => item.entityRef).sort()).toEqual([
      ORDERS,
      PAYMENTS,
    ]);
    expect(lines).toEqual([
      {
        level: 'error',
        message: `AWS Backup: could not read account ${ACCOUNT} eu-west-1: User is not authorized to perform: backup:ListBackupJobs`,
      },
    ]);

    const failing = AwsBackupCollector.create({
      config: config(['eu-west-1']),
      claims,
      jobs,
    });
    await expect(failing.collect({ logger })).rejects.toThrow(
      'AWS Backup: no account could be read',
    );
  });

  it('does not ask AWS when no entity has the annotation', async () => {
    const { logger, lines } = recordingLogger();
    const jobs = fakeSource({});
    const spy = jest.spyOn(jobs, 'backupJobs');
    const collector = AwsBackupCollector.create({
      config: config(),
      claims: claimsOf([], ['resource:default/legacy: i-0abc']),
      jobs,
    });

    expect(await collector.collect({ logger })).toEqual({ items: [] });
    expect(spy).not.toHaveBeenCalled();
    expect(lines.map(line => line.message)).toEqual([
      'AWS Backup: ignored 1 backup-assurance.io/aws-backup-resource-arn entries that are not ARNs: resource:default/legacy: i-0abc',
      'AWS Backup: no entity has the backup-assurance.io/aws-backup-resource-arn annotation; nothing to collect',
    ]);
  });
});

/** AWS Backup's REST-JSON wire format: dates are epoch seconds. */
const wire = (value: unknown) =>
  JSON.stringify(value, (_key, v) =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)
      ? Date.parse(v) / 1000
      : v,
  );

function httpResponse(statusCode: number, body: string, errorType?: string) {
  return {
    response: {
      statusCode,
      headers: {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      },
      body: Readable.from([Buffer.from(body)]),
    },
  };
}

describe('AwsBackupCollector over the AWS SDK', () => {
  it('retries a ThrottlingException and still completes the collection', async () => {
    const requests: string[] = [];
    const requestHandler = {
      async handle(request: { path: string; query?: Record<string, any> }) {
        const token = request.query?.nextToken;
        expect(request.query?.createdAfter).toBeDefined();
        requests.push(`${request.path}${token ? `?${token}` : ''}`);
        if (request.path.startsWith('/restore-jobs')) {
          return httpResponse(
            200,
            wire({ RestoreJobs: [restoreJob('r-1', PAYMENTS_DB)] }),
          );
        }
        if (requests.length === 1) {
          return httpResponse(
            400,
            '{"message":"Rate exceeded"}',
            'ThrottlingException',
          );
        }
        return httpResponse(
          200,
          token
            ? wire({ BackupJobs: [backupJob('job-2', ORDERS_TABLE)] })
            : wire({
                BackupJobs: [backupJob('job-1', PAYMENTS_DB)],
                NextToken: 'page-2',
              }),
        );
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    const credentials: AwsCredentialsManager = {
      getCredentialProvider: async () => ({
        sdkCredentialProvider: async () => ({
          accessKeyId: 'AKIAEXAMPLE',
          secretAccessKey: 'secret',
        }),
      }),
    };
    const { logger, lines } = recordingLogger();
    const collector = AwsBackupCollector.create({
      config: config(),
      claims,
      jobs: SdkAwsBackupJobSource.create({
        credentials,
        clientConfig: { requestHandler },
      }),
    });

    const { items } = await collector.collect({ logger });

    expect(requests).toEqual([
      '/backup-jobs',
      '/backup-jobs',
      '/backup-jobs?page-2',
      '/restore-jobs',
    ]);
    const payments = items.find(item => item.entityRef === PAYMENTS);
    expect(payments?.backupRuns).toEqual([
      expect.objectContaining({
        externalId: 'aws-backup:job:job-1',
        runAt: hoursAgo(2.5).toISOString(),
        sizeBytes: 21474836480,
      }),
    ]);
    expect(payments?.restoreTests?.[0]).toMatchObject({
      externalId: 'aws-backup:restore:r-1',
      startedAt: hoursAgo(6).toISOString(),
    });
    expect(lines).toEqual([]);
  });
});
