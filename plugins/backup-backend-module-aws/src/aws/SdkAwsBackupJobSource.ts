import {
  BackupClient,
  BackupClientConfig,
  BackupJob,
  DescribeRecoveryPointCommand,
  paginateListBackupJobs,
  paginateListRestoreJobs,
  RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { isError } from '@backstage/errors';
import { AwsBackupTarget } from '../config';
import { AwsBackupJobQuery, AwsBackupJobSource } from './AwsBackupJobSource';

/** The largest page ListBackupJobs and ListRestoreJobs return. */
const PAGE_SIZE = 1000;
/**
 * Adaptive mode backs off and rate-limits the client itself after a
 * ThrottlingException; eight attempts ride out a busy account's burst.
 */
const RETRY: Pick<BackupClientConfig, 'retryMode' | 'maxAttempts'> = {
  retryMode: 'adaptive',
  maxAttempts: 8,
};
/** Recovery points are immutable, so their source stays known; bounded anyway. */
const MAX_CACHED_SOURCES = 10_000;

/** `arn:aws:backup:eu-west-1:123456789012:backup-vault:Default` → its name and account. */
function vaultOf(
  job: RestoreJobsListMember,
): { name: string; accountId: string } | undefined {
  const match = /^arn:[^:]+:backup:[^:]*:(\d{12}):backup-vault:(.+)$/.exec(
    job.BackupVaultArn ?? '',
  );
  return match ? { accountId: match[1], name: match[2] } : undefined;
}

/**
 * Reads AWS Backup through `@aws-sdk/client-backup`, one client per account
 * and region, with the credentials the `aws` integration config gives that
 * account.
 */
export class SdkAwsBackupJobSource implements AwsBackupJobSource {
  static create(options: {
    credentials: AwsCredentialsManager;
    /** Extra client settings: an endpoint (VPC endpoint, FIPS), a request handler. */
    clientConfig?: Omit<BackupClientConfig, 'region' | 'credentials'>;
  }): SdkAwsBackupJobSource {
    return new SdkAwsBackupJobSource(
      options.credentials,
      options.clientConfig ?? {},
    );
  }

  readonly #clients = new Map<string, Promise<BackupClient>>();
  readonly #sources = new Map<string, string>();

  private constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly clientConfig: Omit<
      BackupClientConfig,
      'region' | 'credentials'
    >,
  ) {}

  async *backupJobs(query: AwsBackupJobQuery): AsyncIterable<BackupJob> {
    const pages = paginateListBackupJobs(
      { client: await this.client(query.target), pageSize: PAGE_SIZE },
      { ByCreatedAfter: query.createdAfter },
      { abortSignal: query.signal },
    );
    for await (const page of pages) {
      yield* page.BackupJobs ?? [];
    }
  }

  async *restoreJobs(
    query: AwsBackupJobQuery,
  ): AsyncIterable<RestoreJobsListMember> {
    const pages = paginateListRestoreJobs(
      { client: await this.client(query.target), pageSize: PAGE_SIZE },
      { ByCreatedAfter: query.createdAfter },
      { abortSignal: query.signal },
    );
    for await (const page of pages) {
      yield* page.RestoreJobs ?? [];
    }
  }

  async sourceResourceOf(
    target: AwsBackupTarget,
    job: RestoreJobsListMember,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const vault = vaultOf(job);
    const recoveryPoint = job.RecoveryPointArn;
    if (!vault || !recoveryPoint) return undefined;
    const cached = this.#sources.get(recoveryPoint);
    if (cached) return cached;
    const client = await this.client(target);
    try {
      const { ResourceArn } = await client.send(
        new DescribeRecoveryPointCommand({
          BackupVaultName: vault.name,
          BackupVaultAccountId: vault.accountId,
          RecoveryPointArn: recoveryPoint,
        }),
        { abortSignal: signal },
      );
      if (ResourceArn) this.remember(recoveryPoint, ResourceArn);
      return ResourceArn;
    } catch (error) {
      // expired or deleted since the restore: nothing left to name the source
      if (isError(error) && error.name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  private remember(recoveryPoint: string, resourceArn: string) {
    if (this.#sources.size >= MAX_CACHED_SOURCES) this.#sources.clear();
    this.#sources.set(recoveryPoint, resourceArn);
  }

  /** One client per account and region, reused across runs. */
  private client(target: AwsBackupTarget): Promise<BackupClient> {
    const key = `${target.accountId}/${target.region}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = this.createClient(target);
      // a failed lookup (no credentials for the account) is retried next run
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }

  private async createClient(target: AwsBackupTarget): Promise<BackupClient> {
    const { sdkCredentialProvider } =
      await this.credentials.getCredentialProvider({
        accountId: target.accountId,
      });
    return new BackupClient({
      ...RETRY,
      customUserAgent: 'backstage-backup-assurance',
      ...this.clientConfig,
      region: target.region,
      credentials: sdkCredentialProvider,
    });
  }
}
