// Test-only: a private PostgreSQL 15 cluster (never the shared server) that
// archives into a pgBackRest repository in a temporary directory, with one
// full backup. Cluster names carry the creating pid so leftovers of crashed
// runs can be dropped without touching a run still going on.
import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { captureToolOutput } from './toolOutputCapture';
import { freePort } from '../process/freePort';

const run = promisify(execFile);
const VERSION = '15';
const PREFIX = 'bacli';
export const STANZA = 'orders';

export interface PgBackRestStanza {
  /** The directory holding the repository, config, logs and locks. */
  directory: string;
  configFile: string;
  /** Runs SQL on the original cluster. */
  sql(statement: string): Promise<string>;
  drop(): Promise<void>;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function dropLeftoverClusters() {
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  for (const line of stdout.split('\n')) {
    const [version, name] = line.trim().split(/\s+/);
    const pid = name?.match(new RegExp(`^${PREFIX}_(\\d+)_\\d+$`))?.[1];
    if (version === VERSION && pid && !isAlive(Number(pid))) {
      await run('pg_dropcluster', [VERSION, name, '--stop']).catch(() => {});
    }
  }
}

async function postgresUser() {
  const [uid, gid] = await Promise.all(
    ['-u', '-g'].map(async flag =>
      Number((await run('id', [flag, 'postgres'])).stdout.trim()),
    ),
  );
  return { uid, gid };
}

export async function createPgBackRestStanza(): Promise<PgBackRestStanza> {
  await dropLeftoverClusters();
  const postgres = await postgresUser();
  const directory = await mkdtemp(
    join(tmpdir(), 'backup-assurance-pgbackrest-'),
  );
  for (const sub of ['', 'repo', 'log', 'lock']) {
    await mkdir(join(directory, sub), { recursive: true });
    await chown(join(directory, sub), postgres.uid, postgres.gid);
  }
  const name = `${PREFIX}_${process.pid}_${Date.now()}`;
  const port = await freePort();
  const configFile = join(directory, 'pgbackrest.conf');
  await writeFile(
    configFile,
    [
      '[global]',
      `repo1-path=${join(directory, 'repo')}`,
      'repo1-retention-full=2',
      `log-path=${join(directory, 'log')}`,
      `lock-path=${join(directory, 'lock')}`,
      'start-fast=y',
      `[${STANZA}]`,
      `pg1-path=/var/lib/postgresql/${VERSION}/${name}`,
      `pg1-port=${port}`,
      'pg1-socket-path=/var/run/postgresql',
      '',
    ].join('\n'),
  );
  const asPostgres = (program: string, args: string[]) =>
    run(program, args, { ...postgres, cwd: directory });
  const pgbackrest = (args: string[]) =>
    asPostgres('pgbackrest', [
      `--config=${configFile}`,
      `--stanza=${STANZA}`,
      ...args,
    ]);
  const sql = async (statement: string) =>
    (
      await run('psql', [
        '-XAt',
        '-h',
        '/var/run/postgresql',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-c',
        statement,
      ])
    ).stdout.trim();

  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await run('pg_dropcluster', [VERSION, name, '--stop']).catch(() => {});
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await run('pg_createcluster', [
      VERSION,
      name,
      '-p',
      String(port),
      '-o',
      'archive_mode=on',
      '-o',
      `archive_command=pgbackrest --config=${configFile} --stanza=${STANZA} archive-push %p`,
      '--',
      '--auth-host=trust',
      '--auth-local=trust',
    ]);
    await run('pg_ctlcluster', [VERSION, name, 'start']);
    await sql(
      'create table orders (id int primary key); insert into orders select generate_series(1, 42)',
    );
    await pgbackrest(['stanza-create']);
    await pgbackrest(['backup', '--type=full']);
    const { stdout } = await pgbackrest(['info', '--output=json']);
    captureToolOutput('pgbackrest-info.json', stdout);
  } catch (error) {
    await drop();
    throw error;
  }
  return { directory, configFile, sql, drop };
}
