import { BackupRunInput } from '@backup-assurance/plugin-backup-common';
import { ConfigurationError, FailedError } from '../../errors';
import { runProcess, RunOptions } from '../../process/runProcess';
import { restoredFileCopy } from '../restic/restoredFiles';
import {
  RecoveryPoint,
  RestoredCopy,
  StepReport,
  ToolDriver,
  ToolOptions,
} from '../ToolDriver';
import { exitCodeStep, toolFailureLine } from '../toolFailure';
import {
  BorgArchive,
  borgArchiveToRun,
  borgInstant,
  describeArchive,
  parseBorgInfo,
} from './parseBorgInfo';

/** An archive id given in part: at least as long as the ids people see. */
const MIN_ID_PREFIX = 8;

/**
 * borg (1.2), configured as its users run it: BORG_REPO (or --repo) and
 * BORG_PASSPHRASE / BORG_PASSCOMMAND, with borg's other BORG_* variables.
 */
export class BorgDriver implements ToolDriver {
  readonly tool = 'borg';
  /** Archive names of the archives seen, by id: borg extracts by name. */
  private readonly names = new Map<string, string>();

  static create(options: ToolOptions): BorgDriver {
    if (!options.repo && !process.env.BORG_REPO) {
      throw new ConfigurationError(
        'borg needs a repository: set BORG_REPO or pass --repo',
      );
    }
    if (options.tag) {
      throw new ConfigurationError(
        "borg archives have no tags: pick this entity's archives with --host, or give it its own repository",
      );
    }
    return new BorgDriver(options);
  }

  private constructor(private readonly options: ToolOptions) {}

  /** The repository, or an archive in it; `::name` reads BORG_REPO. */
  private location(archive?: string): string[] {
    const repo = this.options.repo ?? '';
    if (archive === undefined) return repo ? [repo] : [];
    return [`${repo}::${archive}`];
  }

  /**
   * Borg 1.2 prints archive times in the local time of its process, without
   * a zone: borg always runs with TZ=UTC, and its times are read as UTC.
   */
  private borg(args: string[], options: RunOptions = {}) {
    return runProcess('borg', args, {
      ...options,
      env: { ...options.env, TZ: 'UTC' },
    });
  }

  /** This entity's archives, with `--host`. */
  private picked(archives: BorgArchive[]): BorgArchive[] {
    const { host } = this.options;
    return host
      ? archives.filter(archive => archive.hostname === host)
      : archives;
  }

  private async archives(command: string[]): Promise<BorgArchive[]> {
    const run = await this.borg(command);
    if (run.exitCode !== 0) {
      throw new ConfigurationError(
        `the borg repository does not open: ${toolFailureLine(run)}`,
      );
    }
    return this.picked(parseBorgInfo(run.stdout));
  }

  async listRuns(): Promise<BackupRunInput[]> {
    const archives = await this.archives([
      'info',
      '--json',
      '--glob-archives',
      '*',
      ...this.location(),
    ]);
    return archives.map(borgArchiveToRun);
  }

  private static chosen(
    archives: BorgArchive[],
    nameOrId?: string,
  ): BorgArchive | undefined {
    if (!nameOrId) {
      return [...archives]
        .sort(
          (a, b) =>
            Date.parse(borgInstant(a.start)) - Date.parse(borgInstant(b.start)),
        )
        .pop();
    }
    const named = archives.find(
      archive => archive.name === nameOrId || archive.id === nameOrId,
    );
    if (named || nameOrId.length < MIN_ID_PREFIX) return named;
    const byPrefix = archives.filter(archive =>
      archive.id.startsWith(nameOrId),
    );
    return byPrefix.length === 1 ? byPrefix[0] : undefined;
  }

  /**
   * The latest archive or the one named (by name, id or an id's first
   * characters). `borg list` reads only the repository's manifest, where
   * `borg info` would compute every archive's statistics.
   */
  async findRecoveryPoint(nameOrId?: string): Promise<RecoveryPoint> {
    const archives = await this.archives([
      'list',
      '--json',
      '--format',
      '{hostname}{end}',
      ...this.location(),
    ]);
    const archive = BorgDriver.chosen(archives, nameOrId);
    if (!archive) {
      throw nameOrId
        ? new ConfigurationError(
            `no borg archive ${nameOrId} in the repository`,
          )
        : new FailedError('the borg repository holds no archive to restore');
    }
    this.names.set(archive.id, archive.name);
    return {
      id: archive.id,
      at: borgInstant(archive.start),
      description: `borg ${describeArchive(archive)}`,
    };
  }

  private nameOf(point: RecoveryPoint): string {
    const name = this.names.get(point.id);
    if (!name) throw new FailedError(`borg archive ${point.id} was not found`);
    return name;
  }

  /** borg extracts into its working directory; it checks each chunk it reads. */
  async restore(point: RecoveryPoint, target: string): Promise<StepReport> {
    const name = this.nameOf(point);
    const run = await this.borg(['extract', ...this.location(name)], {
      cwd: target,
    });
    return exitCodeStep(run, {
      passed: `borg extract of archive ${name} completed`,
      failed: `borg extract of archive ${name} failed`,
    });
  }

  /**
   * The repository's segments and index, the archive's metadata, and every
   * chunk's data read back and authenticated (--verify-data): borg's full
   * integrity check. It exits non-zero when it finds a problem.
   */
  async verify(point: RecoveryPoint): Promise<StepReport> {
    const name = this.nameOf(point);
    const run = await this.borg([
      'check',
      '--info',
      '--verify-data',
      ...this.location(name),
    ]);
    const command = `borg check --verify-data of archive ${name}`;
    return exitCodeStep(run, {
      passed: `${command}: no problems were found`,
      failed: `${command} found errors`,
    });
  }

  async startRestored(
    _point: RecoveryPoint,
    target: string,
  ): Promise<RestoredCopy> {
    return restoredFileCopy(target, 'extracted from the archive');
  }
}
