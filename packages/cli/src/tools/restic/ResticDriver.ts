import { BackupRunInput } from '@backup-assurance/plugin-backup-common';
import { ConfigurationError, FailedError } from '../../errors';
import { runProcess } from '../../process/runProcess';
import {
  RecoveryPoint,
  RestoredCopy,
  StepReport,
  ToolDriver,
  ToolOptions,
} from '../ToolDriver';
import { exitCodeStep, toolFailureLine } from '../toolFailure';
import {
  describeSnapshot,
  parseResticSnapshots,
  ResticSnapshot,
  resticSnapshotToRun,
} from './parseResticSnapshots';
import { restoredFileCopy } from './restoredFiles';

/** Share of pack data `restic check` reads when none is given. */
export const DEFAULT_READ_DATA_SUBSET = '10%';

/**
 * restic, configured as its users run it: RESTIC_REPOSITORY (or --repo) and
 * RESTIC_PASSWORD / RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND.
 */
export class ResticDriver implements ToolDriver {
  readonly tool = 'restic';

  static create(options: ToolOptions): ResticDriver {
    const configured =
      options.repo ||
      process.env.RESTIC_REPOSITORY ||
      process.env.RESTIC_REPOSITORY_FILE;
    if (!configured) {
      throw new ConfigurationError(
        'restic needs a repository: set RESTIC_REPOSITORY or pass --repo',
      );
    }
    return new ResticDriver(options);
  }

  private constructor(private readonly options: ToolOptions) {}

  private restic(args: string[]) {
    const repo = this.options.repo ? ['--repo', this.options.repo] : [];
    return runProcess('restic', [...repo, ...args]);
  }

  /** Snapshot filters that pick this entity's backups in a shared repository. */
  private filters(): string[] {
    const { host, tag } = this.options;
    return [...(host ? ['--host', host] : []), ...(tag ? ['--tag', tag] : [])];
  }

  private async snapshots(ids: string[] = []): Promise<ResticSnapshot[]> {
    const run = await this.restic([
      'snapshots',
      '--json',
      ...this.filters(),
      ...ids,
    ]);
    if (run.exitCode !== 0) {
      throw new ConfigurationError(
        `the restic repository does not open: ${toolFailureLine(run)}`,
      );
    }
    return parseResticSnapshots(run.stdout);
  }

  async listRuns(): Promise<BackupRunInput[]> {
    return (await this.snapshots()).map(resticSnapshotToRun);
  }

  async findRecoveryPoint(id?: string): Promise<RecoveryPoint> {
    const [snapshot] = await this.snapshots([id ?? 'latest']);
    if (!snapshot) {
      throw id
        ? new ConfigurationError(`no restic snapshot ${id} in the repository`)
        : new FailedError('the restic repository holds no snapshot to restore');
    }
    return {
      id: snapshot.id,
      at: new Date(Date.parse(snapshot.time)).toISOString(),
      description: `restic ${describeSnapshot(snapshot)}`,
    };
  }

  async restore(point: RecoveryPoint, target: string): Promise<StepReport> {
    // --no-cache: the test must read the repository, not a local copy of it
    const run = await this.restic([
      '--no-cache',
      'restore',
      point.id,
      '--target',
      target,
      '--verify',
    ]);
    const snapshot = point.id.slice(0, 8);
    return exitCodeStep(run, {
      passed: `restic restore --verify of ${snapshot} completed`,
      failed: `restic restore of ${snapshot} failed`,
    });
  }

  async verify(): Promise<StepReport> {
    const subset = this.options.readDataSubset ?? DEFAULT_READ_DATA_SUBSET;
    const readData = /^0+%?$/.test(subset)
      ? []
      : [`--read-data-subset=${subset}`];
    const run = await this.restic(['check', ...readData]);
    const command = ['restic check', ...readData].join(' ');
    return exitCodeStep(run, {
      passed: `${command}: no errors were found`,
      failed: `${command} found errors`,
    });
  }

  async startRestored(
    _point: RecoveryPoint,
    target: string,
  ): Promise<RestoredCopy> {
    return restoredFileCopy(
      target,
      'restored and verified against the snapshot',
    );
  }
}
