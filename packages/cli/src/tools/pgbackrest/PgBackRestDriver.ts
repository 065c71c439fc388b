import { BackupRunInput } from '@backup-assurance/plugin-backup-common';
import { existsSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
  backupEndedAt,
  describeBackup,
  isUsableStanza,
  parsePgBackRestInfo,
  PgBackRestBackup,
  pgBackRestBackupToRun,
  PgBackRestStanza,
  postgresVersionOf,
} from './parsePgBackRestInfo';
import { RestoredCluster } from './RestoredCluster';

/** How long a restored cluster may take to start and recover by default. */
export const DEFAULT_START_TIMEOUT_SECONDS = 600;

/** Debian and Ubuntu install each PostgreSQL major version here. */
const debianBinDir = (version: string) => `/usr/lib/postgresql/${version}/bin`;

/**
 * pgBackRest, configured as its users run it: a stanza and its configuration
 * file (pgBackRest's default, --pg-config, or PGBACKREST_* variables).
 */
export class PgBackRestDriver implements ToolDriver {
  readonly tool = 'pgbackrest';
  /** PostgreSQL versions of the backups seen, by label. */
  private readonly versions = new Map<string, string>();

  static create(options: ToolOptions): PgBackRestDriver {
    const stanza = options.stanza ?? process.env.PGBACKREST_STANZA;
    if (!stanza) {
      throw new ConfigurationError(
        'pgBackRest needs a stanza: pass --stanza or set PGBACKREST_STANZA',
      );
    }
    return new PgBackRestDriver(stanza, options);
  }

  private constructor(
    private readonly stanza: string,
    private readonly options: ToolOptions,
  ) {}

  /**
   * The CLI keeps pgBackRest's output itself: with file logging off it leaves
   * no files (owned by whoever ran it) in pgBackRest's log path.
   */
  private pgbackrest(command: string, args: string[] = []) {
    const config = this.options.pgConfig
      ? [`--config=${this.options.pgConfig}`]
      : [];
    return runProcess('pgbackrest', [
      ...config,
      `--stanza=${this.stanza}`,
      '--log-level-file=off',
      command,
      ...args,
    ]);
  }

  private async info(): Promise<PgBackRestStanza> {
    const run = await this.pgbackrest('info', ['--output=json']);
    const stanza =
      run.exitCode === 0
        ? parsePgBackRestInfo(run.stdout, this.stanza)
        : undefined;
    if (!stanza || !isUsableStanza(stanza)) {
      const reason = stanza ? stanza.status.message : toolFailureLine(run);
      throw new ConfigurationError(
        `the pgBackRest repository of stanza ${this.stanza} does not open: ${reason}`,
      );
    }
    for (const backup of stanza.backup) {
      const version = postgresVersionOf(stanza, backup);
      if (version) this.versions.set(backup.label, version);
    }
    return stanza;
  }

  async listRuns(): Promise<BackupRunInput[]> {
    const { backup } = await this.info();
    return backup.map(entry => pgBackRestBackupToRun(this.stanza, entry));
  }

  async findRecoveryPoint(label?: string): Promise<RecoveryPoint> {
    const { backup } = await this.info();
    const chosen: PgBackRestBackup | undefined = label
      ? backup.find(entry => entry.label === label)
      : [...backup].sort((a, b) => a.timestamp.stop - b.timestamp.stop).pop();
    if (!chosen) {
      throw label
        ? new ConfigurationError(
            `no pgBackRest backup ${label} in stanza ${this.stanza}`,
          )
        : new FailedError(
            `the pgBackRest repository of stanza ${this.stanza} holds no backup to restore`,
          );
    }
    const version = this.versions.get(chosen.label);
    return {
      id: chosen.label,
      at: backupEndedAt(chosen),
      description: `pgBackRest ${describeBackup(chosen)} of stanza ${
        this.stanza
      }${version ? ` (PostgreSQL ${version})` : ''}`,
    };
  }

  /**
   * Restores to the backup's consistent point and promotes, with archiving
   * off so the copy never pushes WAL into the production repository.
   */
  async restore(point: RecoveryPoint, target: string): Promise<StepReport> {
    const pgdata = join(target, 'pgdata');
    await mkdir(pgdata, { mode: 0o700 });
    const run = await this.pgbackrest('restore', [
      `--set=${point.id}`,
      `--pg1-path=${pgdata}`,
      `--tablespace-map-all=${join(target, 'tablespaces')}`,
      '--archive-mode=off',
      '--type=immediate',
      '--target-action=promote',
      '--log-level-console=info',
    ]);
    return exitCodeStep(run, {
      passed: `pgbackrest restore of ${point.id} completed`,
      failed: `pgbackrest restore of ${point.id} failed`,
    });
  }

  /** pgbackrest verify exits 0 even when it finds invalid files: read its report. */
  async verify(): Promise<StepReport> {
    const run = await this.pgbackrest('verify', ['--output=text', '--verbose']);
    const valid =
      run.exitCode === 0 &&
      /status: ok/.test(run.stdout) &&
      !/status: error/.test(run.stdout);
    return {
      outcome: valid ? 'passed' : 'failed',
      summary: valid
        ? `pgbackrest verify: every backup and WAL file of stanza ${this.stanza} is valid`
        : `pgbackrest verify found problems in stanza ${
            this.stanza
          }: ${toolFailureLine(run)}`,
      log: run.output,
    };
  }

  private binDir(point: RecoveryPoint): string {
    if (this.options.pgBin) return this.options.pgBin;
    const version = this.versions.get(point.id);
    return version && existsSync(debianBinDir(version))
      ? debianBinDir(version)
      : '';
  }

  async startRestored(
    point: RecoveryPoint,
    target: string,
  ): Promise<RestoredCopy> {
    const pgdata = join(target, 'pgdata');
    const owner = await stat(pgdata);
    if (process.getuid?.() === 0) {
      // the server runs as the data's owner and must reach its socket directory
      await chown(target, owner.uid, owner.gid);
    }
    const cluster = await RestoredCluster.create({
      pgdata,
      runDir: join(target, 'run'),
      binDir: this.binDir(point),
      superuser: this.options.pgUser ?? 'postgres',
      timeoutSeconds:
        this.options.startTimeoutSeconds ?? DEFAULT_START_TIMEOUT_SECONDS,
    });
    const recoverability = await cluster.start();
    return {
      recoverability,
      cwd: target,
      env: { ...cluster.env, BACKUP_ASSURANCE_RESTORE_DIR: target },
      release: () => cluster.stop(),
    };
  }
}
