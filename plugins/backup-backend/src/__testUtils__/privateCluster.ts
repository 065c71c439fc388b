// Test-only: a PostgreSQL 15 cluster of the test's own, which it may stop,
// start and cut connections of without touching the shared server.
import { execFile, spawnSync } from 'child_process';
import knexFactory, { Knex } from 'knex';
import { createServer } from 'net';
import { promisify } from 'util';

const run = promisify(execFile);
const VERSION = '15';

/** CI has the Debian cluster tools; a developer machine may not. */
export function hasClusterTools(): boolean {
  return ['pg_createcluster', 'pg_ctlcluster', 'pg_lsclusters'].every(
    tool => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops clusters left by crashed runs. Names carry the creating pid, so a
 * cluster of a run still going on in parallel is left alone.
 */
async function dropLeftovers(prefix: string) {
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  for (const line of stdout.split('\n')) {
    const [version, name] = line.trim().split(/\s+/);
    const match = name?.match(new RegExp(`^${prefix}_(\\d+)_\\d+$`));
    if (version === VERSION && match && !isAlive(Number(match[1]))) {
      await run('pg_dropcluster', [VERSION, name, '--stop']).catch(() => {});
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateCluster {
  name: string;
  port: number;
  /** Connection settings for knex / backend.database. */
  connection: { host: string; port: number; user: string };
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated, as in a failover or restart. */
  stop(): Promise<void>;
  /** A knex client of one database, closed by drop(). */
  knex(database: string): Knex;
  /** Terminates every other session of a database; returns how many. */
  terminateSessions(database: string): Promise<number>;
  /** Stops and deletes the cluster; safe to call twice. */
  drop(): Promise<void>;
}

/** Creates and starts a private cluster named `<prefix>_<pid>_<time>`. */
export async function createPrivateCluster(
  prefix = 'bkfail',
): Promise<PrivateCluster> {
  await dropLeftovers(prefix);
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const port = await freePort();
  await run('pg_createcluster', [
    VERSION,
    name,
    '-p',
    String(port),
    '--',
    '--auth-host=trust',
    '--auth-local=trust',
  ]);
  const connection = { host: '127.0.0.1', port, user: 'postgres' };
  const clients: Knex[] = [];
  let dropped = false;

  const cluster: PrivateCluster = {
    name,
    port,
    connection,
    async start() {
      await run('pg_ctlcluster', [VERSION, name, 'start']);
    },
    async stop() {
      await run('pg_ctlcluster', [VERSION, name, 'stop', '-m', 'fast']);
    },
    knex(database) {
      const client = knexFactory({
        client: 'pg',
        connection: { ...connection, database },
        pool: { min: 0, max: 2 },
      });
      clients.push(client);
      return client;
    },
    async terminateSessions(database) {
      const admin = clients[0];
      const { rows } = await admin.raw(
        'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = ? and pid <> pg_backend_pid()',
        [database],
      );
      return rows.filter((r: { done: boolean }) => r.done).length;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await Promise.all(clients.map(c => c.destroy().catch(() => {})));
      await run('pg_dropcluster', [VERSION, name, '--stop']);
    },
  };
  try {
    await cluster.start();
    cluster.knex('postgres'); // clients[0]: the admin connection
  } catch (error) {
    await cluster.drop().catch(() => {});
    throw error;
  }
  return cluster;
}
