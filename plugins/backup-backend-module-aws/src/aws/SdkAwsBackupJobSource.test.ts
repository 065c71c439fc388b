import {
  BackupClient,
  DescribeRecoveryPointCommand,
  ListBackupJobsCommand,
  ListBackupJobsCommandInput,
  ListRestoreJobsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ACCOUNT,
  backupJob,
  hoursAgo,
  ORDERS_TABLE,
  PAYMENTS_DB,
  REGION,
  restoreJob,
} from '../__testUtils__/awsBackupJobs';
import { SdkAwsBackupJobSource } from './SdkAwsBackupJobSource';

const credentials: AwsCredentialsManager = {
  getCredentialProvider: async ({ accountId } = {}) => ({
    accountId,
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
    }),
  }),
};
const target = { accountId: ACCOUNT, region: REGION };
const query = { target, createdAfter: hoursAgo(24 * 7) };

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

describe('SdkAwsBackupJobSource', () => {
  const backup = mockClient(BackupClient);
  beforeEach(() => backup.reset());
  afterAll(() => backup.restore());

  it('reads backup jobs across pages, following NextToken', async () => {
    const tokens: Array<string | undefined> = [];
    backup
      .on(ListBackupJobsCommand)
      .callsFake((input: ListBackupJobsCommandInput) => {
        tokens.push(input.NextToken);
        expect(input.ByCreatedAfter).toEqual(query.createdAfter);
        return input.NextToken === 'page-2'
          ? { BackupJobs: [backupJob('job-3', ORDERS_TABLE)] }
          : {
              BackupJobs: [
                backupJob('job-1', PAYMENTS_DB),
                backupJob('job-2', PAYMENTS_DB),
              ],
              NextToken: 'page-2',
            };
      });

    const source = SdkAwsBackupJobSource.create({ credentials });
    const jobs = await all(source.backupJobs(query));

    expect(jobs.map(job => job.BackupJobId)).toEqual([
      'job-1',
      'job-2',
      'job-3',
    ]);
    expect(tokens).toEqual([undefined, 'page-2']);
  });

  it('reads restore jobs across pages', async () => {
    backup
      .on(ListRestoreJobsCommand)
      .resolvesOnce({
        RestoreJobs: [restoreJob('r-1', PAYMENTS_DB)],
        NextToken: 'next',
      })
      .resolvesOnce({ RestoreJobs: [restoreJob('r-2', ORDERS_TABLE)] });

    const source = SdkAwsBackupJobSource.create({ credentials });
    const jobs = await all(source.restoreJobs(query));

    expect(jobs.map(job => job.RestoreJobId)).toEqual(['r-1', 'r-2']);
    expect(backup.commandCalls(ListRestoreJobsCommand)).toHaveLength(2);
  });

  it('names the source of a restore job through its recovery point, once', async () => {
    backup
      .on(DescribeRecoveryPointCommand, {
        BackupVaultName: 'Default',
        BackupVaultAccountId: ACCOUNT,
      })
      .resolves({ ResourceArn: PAYMENTS_DB });
    const source = SdkAwsBackupJobSource.create({ credentials });
    const job = restoreJob('r-3', undefined);

    expect(await source.sourceResourceOf(target, job)).toBe(PAYMENTS_DB);
    expect(await source.sourceResourceOf(target, job)).toBe(PAYMENTS_DB);
    expect(backup.commandCalls(DescribeRecoveryPointCommand)).toHaveLength(1);
    expect(
      backup.commandCalls(DescribeRecoveryPointCommand)[0].args[0].input
        .RecoveryPointArn,
    ).toBe(job.RecoveryPointArn);
  });

  it('cannot name the source of an expired recovery point or an unknown vault', async () => {
    backup.on(DescribeRecoveryPointCommand).rejects(
      new ResourceNotFoundException({
        message: 'Recovery point not found',
        $metadata: {},
      }),
    );
    const source = SdkAwsBackupJobSource.create({ credentials });

    expect(
      await source.sourceResourceOf(target, restoreJob('r-4', undefined)),
    ).toBeUndefined();
    expect(
      await source.sourceResourceOf(
        target,
        restoreJob('r-5', undefined, { BackupVaultArn: undefined }),
      ),
    ).toBeUndefined();
    expect(backup.commandCalls(DescribeRecoveryPointCommand)).toHaveLength(1);
  });
});
