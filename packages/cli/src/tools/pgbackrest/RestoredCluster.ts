import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessRun, runProcess } from '../../process/runProcess';
import { StepReport } from '../ToolDriver';
import { freePort } from '../../process/freePort';

export interface RestoredClusterOptions {
  /** The restored data directory. */
  pgdata: string;
  /** A fresh directory for the socket, the log and the access rules. */
  runDir: string;
  /** Directory of pg_ctl and psql; empty: take them from PATH. */
  binDir: string;
  superuser: string;
  timeoutSeconds: number;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
const delay = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The database sizes a started cluster reports, as a line for the record. */
const DATABASES_QUERY = `select count(*) || ' databases: ' || string_agg(datname || ' (' || pg_size_pretty(pg_database_size(datname)) || ')', ', ' order by datname) from pg_database where datallowconn`;

/**
 * A PostgreSQL server started on restored data, on a free port and a private
 * socket only, with local trust: nothing outside the scratch target can reach
 * it, and it never archives into the production repository.
 */
export class RestoredCluster {
  private stopped = false;

  private constructor(
    private readonly options: RestoredClusterOptions,
    private readonly port: number,
    /** PostgreSQL refuses to run as root: run it as the data's owner. */
    private readonly runAs: { uid?: number; gid?: number },
  ) {}

  /** Prepares the run directory and starts the server; stop() it afterwards. */
  static async create(
    options: RestoredClusterOptions,
  ): Promise<RestoredCluster> {
    const owner = await stat(options.pgdata);
    const runAs =
      process.getuid?.() === 0 && owner.uid !== 0
        ? { uid: owner.uid, gid: owner.gid }
        : {};
    await mkdir(options.runDir, { recursive: true, mode: 0o700 });
    await writeFile(
      join(options.runDir, 'pg_hba.conf'),
      'local all all trust\n',
    );
    await writeFile(join(options.runDir, 'pg_ident.conf'), '');
    // Debian keeps postgresql.conf outside the data directory
    const config = join(options.pgdata, 'postgresql.conf');
    if (!existsSync(config)) {
      await writeFile(config, '# written by backup-assurance restore-test\n');
      await chown(config, owner.uid, owner.gid);
    }
    for (const path of ['', 'pg_hba.conf', 'pg_ident.conf']) {
      await chown(join(options.runDir, path), owner.uid, owner.gid);
    }
    return new RestoredCluster(options, await freePort(), runAs);
  }

  private program(name: string) {
    return this.options.binDir ? join(this.options.binDir, name) : name;
  }

  private get logFile() {
    return join(this.options.runDir, 'postgresql.log');
  }

  /** Connection settings for psql and for validation commands. */
  get env(): Record<string, string> {
    return {
      PGHOST: this.options.runDir,
      PGPORT: String(this.port),
      PGUSER: this.options.superuser,
      PGDATABASE: 'postgres',
    };
  }

  private pgCtl(args: string[]) {
    return runProcess(
      this.program('pg_ctl'),
      ['-D', this.options.pgdata, ...args],
      this.runAs,
    );
  }

  query(sql: string): Promise<ProcessRun> {
    return runProcess(this.program('psql'), ['-XAtc', sql], { env: this.env });
  }

  private async serverLog(): Promise<string> {
    return readFile(this.logFile, 'utf8').catch(() => '');
  }

  private failed(summary: string, run?: ProcessRun): Promise<StepReport> {
    return this.serverLog().then(log => ({
      outcome: 'failed' as const,
      summary,
      log: [run?.output, log].filter(Boolean).join('\n'),
    }));
  }

  /** Waits until recovery has reached the backup's consistent point and promoted. */
  private async waitForPromotion(deadline: number): Promise<ProcessRun> {
    for (;;) {
      const run = await this.query('select pg_is_in_recovery()');
      if (run.exitCode === 0 && run.stdout.trim() === 'f') return run;
      if (Date.now() > deadline) return run;
      await delay(250);
    }
  }

  /** Starts the server and checks that it recovered and answers a query. */
  async start(): Promise<StepReport> {
    const { runDir, timeoutSeconds } = this.options;
    const deadline = Date.now() + timeoutSeconds * 1000;
    const serverOptions = [
      `-p ${this.port}`,
      `-k ${shellQuote(runDir)}`,
      `-c listen_addresses=''`,
      `-c ${shellQuote(`hba_file=${join(runDir, 'pg_hba.conf')}`)}`,
      `-c ${shellQuote(`ident_file=${join(runDir, 'pg_ident.conf')}`)}`,
      '-c archive_mode=off',
    ].join(' ');
    const started = await this.pgCtl([
      '-l',
      this.logFile,
      '-w',
      '-t',
      String(timeoutSeconds),
      '-o',
      serverOptions,
      'start',
    ]);
    if (started.exitCode !== 0) {
      return this.failed(
        'PostgreSQL did not start on the restored data',
        started,
      );
    }
    const promoted = await this.waitForPromotion(deadline);
    if (promoted.exitCode !== 0 || promoted.stdout.trim() !== 'f') {
      return this.failed(
        `PostgreSQL did not finish recovery within ${timeoutSeconds}s`,
        promoted,
      );
    }
    const databases = await this.query(DATABASES_QUERY);
    if (databases.exitCode !== 0) {
      return this.failed(
        'the restored cluster did not answer a query',
        databases,
      );
    }
    return {
      outcome: 'passed',
      summary: `PostgreSQL started on the restored data (port ${
        this.port
      }), recovered to the backup's consistent point and answered: ${databases.stdout.trim()}`,
      log: await this.serverLog(),
    };
  }

  /** Fast shutdown, then immediate if that fails; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (!existsSync(join(this.options.pgdata, 'postmaster.pid'))) return;
    const fast = await this.pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
    if (fast.exitCode !== 0) {
      await this.pgCtl(['-m', 'immediate', '-w', 'stop']);
    }
  }
}
