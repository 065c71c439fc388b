import { LoggerService } from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { AWS_BACKUP_RESOURCE_ARN_ANNOTATION } from '@backup-assurance/plugin-backup-common';
import {
  BackupEvidenceCollector,
  BackupEvidenceCollectorOptions,
  CollectedEvidence,
} from '@backup-assurance/plugin-backup-node';
import {
  AwsBackupJobQuery,
  AwsBackupJobSource,
} from './aws/AwsBackupJobSource';
import { ResourceClaimReader } from './catalog/ResourceClaims';
import { AwsBackupCollectorConfig, AwsBackupTarget } from './config';
import { backupRunOfJob } from './evidence/backupRun';
import { EvidenceByEntity, SkippedJobs } from './evidence/EvidenceByEntity';
import { restoreTestOfJob } from './evidence/restoreTest';

/** The collector's id: its task is `backup-collector-aws-backup`. */
export const AWS_BACKUP_COLLECTOR_ID = 'aws-backup';

/** How many ARNs a log line names before it only counts. */
const NAMED_IN_LOG = 5;

function listed(names: string[]): string {
  const more =
    names.length > NAMED_IN_LOG
      ? `, and ${names.length - NAMED_IN_LOG} more`
      : '';
  return `${names.slice(0, NAMED_IN_LOG).join(', ')}${more}`;
}

const describeTarget = (t: AwsBackupTarget) => `${t.accountId} ${t.region}`;

/**
 * Reads finished backup and restore jobs from AWS Backup and hands them to
 * the backup plugin as the evidence of the entities that claim each job's
 * resource with the `backup-assurance.io/aws-backup-resource-arn` annotation.
 */
export class AwsBackupCollector implements BackupEvidenceCollector {
  static create(options: {
    config: AwsBackupCollectorConfig;
    jobs: AwsBackupJobSource;
    claims: ResourceClaimReader;
    now?: () => Date;
  }): AwsBackupCollector {
    return new AwsBackupCollector(
      options.config,
      options.jobs,
      options.claims,
      options.now ?? (() => new Date()),
    );
  }

  readonly id = AWS_BACKUP_COLLECTOR_ID;
  readonly schedule: BackupEvidenceCollector['schedule'];

  private constructor(
    private readonly config: AwsBackupCollectorConfig,
    private readonly jobs: AwsBackupJobSource,
    private readonly claims: ResourceClaimReader,
    private readonly now: () => Date,
  ) {
    this.schedule = config.schedule;
  }

  async collect({
    logger,
    signal,
  }: BackupEvidenceCollectorOptions): Promise<CollectedEvidence> {
    const { claims, malformed } = await this.claims.read();
    if (malformed.length > 0) {
      logger.warn(
        `AWS Backup: ignored ${
          malformed.length
        } ${AWS_BACKUP_RESOURCE_ARN_ANNOTATION} entries that are not ARNs: ${listed(
          malformed,
        )}`,
      );
    }
    if (claims.isEmpty) {
      // no entity could receive evidence, so AWS is not asked at all
      logger.info(
        `AWS Backup: no entity has the ${AWS_BACKUP_RESOURCE_ARN_ANNOTATION} annotation; nothing to collect`,
      );
      return { items: [] };
    }
    const evidence = new EvidenceByEntity(claims);
    await this.collectTargets(evidence, logger, signal);
    this.reportSkipped(evidence.skipped, logger);
    return evidence.toCollected();
  }

  /** A target that fails is logged and the others still count; all failing fails the run. */
  private async collectTargets(
    evidence: EvidenceByEntity,
    logger: LoggerService,
    signal?: AbortSignal,
  ) {
    const lookback = durationToMilliseconds(this.config.lookback);
    const createdAfter = new Date(this.now().getTime() - lookback);
    const failures: string[] = [];
    for (const target of this.config.targets) {
      signal?.throwIfAborted();
      try {
        await this.collectTarget({ target, createdAfter, signal }, evidence);
      } catch (error) {
        if (signal?.aborted) throw error;
        const problem = `${describeTarget(target)}: ${
          (error as Error).message
        }`;
        logger.error(`AWS Backup: could not read account ${problem}`);
        failures.push(problem);
      }
    }
    if (failures.length === this.config.targets.length) {
      throw new Error(
        `AWS Backup: no account could be read (${listed(failures)})`,
      );
    }
  }

  private async collectTarget(
    query: AwsBackupJobQuery,
    evidence: EvidenceByEntity,
  ) {
    for await (const job of this.jobs.backupJobs(query)) {
      const run = backupRunOfJob(job);
      if (run) evidence.addBackupRun(job.ResourceArn, run);
    }
    for await (const job of this.jobs.restoreJobs(query)) {
      const test = restoreTestOfJob(job);
      if (!test) continue;
      const resourceArn =
        job.SourceResourceArn ??
        (await this.jobs.sourceResourceOf(query.target, job, query.signal));
      evidence.addRestoreTest(resourceArn, test);
    }
  }

  /** One line per run, however many jobs were skipped. */
  private reportSkipped(skipped: SkippedJobs, logger: LoggerService) {
    const arns = [...skipped.unclaimed.keys()];
    if (arns.length === 0 && skipped.unresolved === 0) return;
    const jobs = [...skipped.unclaimed.values()].reduce((a, b) => a + b, 0);
    const unresolved =
      skipped.unresolved > 0
        ? `; ${skipped.unresolved} restore jobs whose source resource AWS Backup does not name`
        : '';
    logger.info(
      `AWS Backup: skipped ${jobs} jobs of ${arns.length} resources no entity claims with ${AWS_BACKUP_RESOURCE_ARN_ANNOTATION}` +
        `${arns.length ? `: ${listed(arns)}` : ''}${unresolved}`,
    );
  }
}
