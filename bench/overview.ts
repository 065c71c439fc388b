/* eslint-disable no-console */
// Benchmark: /summary and /entities against the bare catalog query on N
// entities, and one entity's /status against the catalog's read of it by
// name, timed side by side round by round (one run on a shared machine is
// not another: the spread of the ratios shows how far to trust one); then
// the peak memory of an evidence-pack export of many records.
// The timings use one backend with every plugin; the export runs in a split
// deployment (process A: the catalog; process B: the backup plugin, which
// reads the catalog of A over HTTP), so that B's memory is the plugin's and
// not the catalog's re-processing of N entities.
//
//   yarn bench                       (N=10000 entities, 100000 records)
//   BENCH_ENTITIES=2000 BENCH_RECORDS=20000 yarn bench
//   BENCH_ENTITIES=2000 BENCH_EXPORT=0 yarn bench   (timings only)
//
// Prints figures; asserts nothing.
import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join, resolve } from 'path';
import { stringify } from 'yaml';
import { currentMb, peakMb, resetPeak } from './memory';
import { seedThroughBackend } from './seed';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Rounds of the side-by-side timings: a route, then its baseline, … */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
/** Calls per round of a single-entity read, which takes milliseconds. */
const SINGLE_CALLS = Number(process.env.BENCH_SINGLE_CALLS ?? 10);
/** The wait after ingestion: one warm-up period (60 s) plus a run. */
const WARM_WAIT_S = Number(process.env.BENCH_WARM_WAIT ?? 75);
/** BENCH_EXPORT=0 skips the split deployment and its export. */
const EXPORT = process.env.BENCH_EXPORT !== '0';
/** The single backend, and process A (the catalog) of the split one. */
const PORT = Number(process.env.BENCH_PORT ?? 7099);
/** Process B (the backup plugin) of the split backend. */
const SPLIT_PORT = Number(process.env.BENCH_SPLIT_PORT ?? PORT - 1);
const TOKEN = `bench-${randomUUID()}`;

/** Which plugins a backend process runs: see bench/backend.ts. */
type Role = 'all' | 'catalog' | 'backup';

const pick = <T>(items: readonly T[], i: number) => items[i % items.length];
const GROUPS = Array.from({ length: 25 }, (_, i) => `team-${i}`);
const SYSTEMS = Array.from({ length: 40 }, (_, i) => `system-${i}`);
const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'pii',
  'sensitive-pii',
];
const METHODS = [
  'snapshot',
  'database-dump',
  'pitr',
  'object-replication',
  'saas-export',
];

/** A realistic mix: most declare everything, some miss or garble a value. */
function entityDocument(i: number) {
  const annotations: Record<string, string> = {};
  if (i % 10 !== 0) {
    Object.assign(annotations, {
      'backup-assurance.io/method': pick(METHODS, i),
      'backup-assurance.io/data-classification': pick(CLASSIFICATIONS, i * 7),
      'backup-assurance.io/owner': `group:default/${pick(GROUPS, i)}`,
      'backup-assurance.io/frequency': i % 3 ? 'P1D' : 'PT1H',
      'backup-assurance.io/retention': 'P35D',
      'backup-assurance.io/encryption': i % 17 ? 'provider-managed' : 'none',
      'backup-assurance.io/locations': 'eu-west-1, eu-central-1',
      'backup-assurance.io/last-restore-test': new Date(
        Date.now() - (i % 300) * 86_400_000,
      )
        .toISOString()
        .slice(0, 10),
    });
    if (i % 23 === 0) annotations['backup-assurance.io/frequency'] = 'daily';
    if (i % 29 === 0) delete annotations['backup-assurance.io/retention'];
  }
  const isResource = i % 10 >= 7;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: isResource ? 'Resource' : 'Component',
    metadata: { name: `entity-${i}`, annotations },
    spec: {
      type: isResource ? 'database' : 'service',
      ...(isResource
        ? {}
        : { lifecycle: i % 8 ? 'production' : 'experimental' }),
      owner: pick(GROUPS, i),
      system: pick(SYSTEMS, i),
    },
  };
}

/** Config files per role: one shared file, and the split's overlays. */
function writeFixtures(dir: string): Record<Role, string[]> {
  const docs = [
    ...GROUPS.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name },
      spec: { type: 'team', children: [] },
    })),
    ...SYSTEMS.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name },
      spec: { owner: pick(GROUPS, name.length) },
    })),
    ...Array.from({ length: ENTITIES }, (_, i) => entityDocument(i)),
  ];
  const catalogFile = join(dir, 'entities.yaml');
  writeFileSync(catalogFile, docs.map(d => stringify(d)).join('---\n'));
  const configFile = join(dir, 'app-config.yaml');
  writeFileSync(
    configFile,
    stringify({
      backend: {
        baseUrl: `http://localhost:${PORT}`,
        listen: { port: PORT },
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(dir, 'db') },
        },
        auth: {
          externalAccess: [
            { type: 'static', options: { token: TOKEN, subject: 'bench' } },
          ],
        },
      },
      catalog: {
        rules: [
          { allow: ['Component', 'Resource', 'System', 'Group', 'Location'] },
        ],
        locations: [{ type: 'file', target: catalogFile }],
      },
    }),
  );
  // The split: both processes share the database directory (each opens only
  // its own plugins' files, so B reads the seeded backup.sqlite) and find
  // each other's plugins through discovery; plugin-to-plugin tokens are
  // checked against the issuing plugin's JWKS, found the same way.
  const catalogConfig = join(dir, 'app-config.catalog.yaml');
  writeFileSync(
    catalogConfig,
    stringify({
      discovery: {
        endpoints: [
          {
            target: `http://localhost:${SPLIT_PORT}/api/{{pluginId}}`,
            plugins: ['backup', 'permission'],
          },
        ],
      },
    }),
  );
  const backupConfig = join(dir, 'app-config.backup.yaml');
  writeFileSync(
    backupConfig,
    stringify({
      backend: {
        baseUrl: `http://localhost:${SPLIT_PORT}`,
        listen: { port: SPLIT_PORT },
      },
      discovery: {
        endpoints: [
          {
            target: `http://localhost:${PORT}/api/{{pluginId}}`,
            plugins: ['catalog'],
          },
        ],
      },
    }),
  );
  return {
    all: [configFile],
    catalog: [configFile, catalogConfig],
    backup: [configFile, backupConfig],
  };
}

/** A kept-alive socket the server closed as it was reused: once more. */
async function fetchOnce(url: string, init: RequestInit) {
  try {
    return await fetch(url, init);
  } catch {
    const res = await fetch(url, init);
    console.warn(`bench: ${url} failed once, then answered on a retry`);
    return res;
  }
}

const call = async (path: string, port = PORT) => {
  const started = performance.now();
  const res = await fetchOnce(`http://localhost:${port}/api${path}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
  // a client reads what it fetched: parse JSON answers as part of the call
  if (res.headers.get('content-type')?.includes('json')) JSON.parse(body);
  return { ms: performance.now() - started, body };
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The first call, then the median of the next runs. */
async function timed(path: string, port = PORT) {
  const { ms: first, body } = await call(path, port);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await call(path, port)).ms);
  return { first, median: median(runs), firstBody: body };
}

/** A route and the catalog call it is compared with, timed side by side. */
interface Pair {
  name: string;
  path: string;
  baseline: string;
  /** Calls of each per round (their median is the round's figure). */
  callsPerRound?: number;
}

interface PairTimings {
  name: string;
  /** The round's figure of the route and of its baseline, round by round. */
  routeMs: number[];
  baselineMs: number[];
}

/**
 * Round by round, each route and its baseline, in turn (the order flips
 * every round, so neither always runs on a cache the other just warmed).
 * Round 0 holds each route's first call.
 */
async function alternate(pairs: Pair[]): Promise<PairTimings[]> {
  const timings = pairs.map(({ name }) => ({
    name,
    routeMs: [] as number[],
    baselineMs: [] as number[],
  }));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, pair] of pairs.entries()) {
      const calls = round === 0 ? 1 : pair.callsPerRound ?? 1;
      const route: number[] = [];
      const baseline: number[] = [];
      for (let c = 0; c < calls; c++) {
        const routeFirst = (round + c) % 2 === 0;
        const [a, b] = routeFirst
          ? [pair.path, pair.baseline]
          : [pair.baseline, pair.path];
        const msA = (await call(a)).ms;
        const msB = (await call(b)).ms;
        route.push(routeFirst ? msA : msB);
        baseline.push(routeFirst ? msB : msA);
      }
      timings[i].routeMs.push(median(route));
      timings[i].baselineMs.push(median(baseline));
    }
  }
  return timings;
}

const ratio = (value: number) => `${value.toFixed(2)}x`;

/** The first call and the spread of the per-round ratios to the baseline. */
function reportPair({ name, routeMs, baselineMs }: PairTimings) {
  const [first, ...rounds] = routeMs;
  const [baselineFirst, ...baselines] = baselineMs;
  const ratios = rounds.map((ms, i) => ms / baselines[i]).sort((a, b) => a - b);
  const baselineMedian = median(baselines);
  console.log(
    `${name.padEnd(20)}: median ${median(rounds).toFixed(
      1,
    )} ms vs ${baselineMedian.toFixed(1)} ms; ratio per round min ${ratio(
      ratios[0],
    )} median ${ratio(median(ratios))} max ${ratio(
      ratios[ratios.length - 1],
    )}; first call ${first.toFixed(1)} ms (${ratio(
      first / baselineMedian,
    )} the baseline's median; the baseline's first call right after: ${baselineFirst.toFixed(
      1,
    )} ms)`,
  );
}

async function waitForCatalog() {
  const query =
    '/catalog/entities/by-query?limit=1&filter=kind=component&filter=kind=resource';
  for (;;) {
    try {
      const { body } = await call(query);
      const total = JSON.parse(body).totalItems;
      if (total >= ENTITIES) break;
      console.log(`catalog: ${total}/${ENTITIES} entities processed`);
    } catch {
      // backend still starting
    }
    await new Promise(r => setTimeout(r, 5000));
  }
}

/** Until a backend answers its readiness check: all its plugins started. */
async function waitForReady(port: number) {
  for (;;) {
    try {
      const res = await fetch(
        `http://localhost:${port}/.backstage/health/v1/readiness`,
      );
      if (res.ok) return;
    } catch {
      // backend still starting
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

const mb = (value: number) => `${value.toFixed(0)} MB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'backup-bench-'));
  const configs = writeFixtures(dir);
  console.log(
    `bench: ${ENTITIES} entities, ${RECORDS} restore-test records, ${ROUNDS} rounds side by side (${SINGLE_CALLS} calls a round for one entity), ${RUNS} runs each (median) for the rest`,
  );
  let stopping = false;
  const running = new Set<ChildProcess>();
  const startBackend = (role: Role) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'sucrase/register',
        resolve(__dirname, 'backend.ts'),
        ...configs[role].flatMap(file => ['--config', file]),
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          BENCH_BACKEND: role,
          BENCH_SEED_DIR: dir,
          LOG_LEVEL: 'warn',
        },
      },
    );
    running.add(child);
    // e.g. the port is taken: fail rather than wait for the catalog forever
    child.once('exit', code => {
      running.delete(child);
      if (!stopping) {
        console.error(`bench: the ${role} backend exited (${code})`);
        process.exit(1);
      }
    });
    return child;
  };
  const stopBackend = async (child: ChildProcess) => {
    if (!running.has(child)) return;
    stopping = true;
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    stopping = false;
  };
  try {
    // one backend with every plugin, for the timings
    const single = startBackend('all');
    const started = performance.now();
    await waitForCatalog();
    await waitForReady(PORT);
    console.log(
      `catalog ingestion: ${((performance.now() - started) / 1000).toFixed(
        0,
      )} s`,
    );

    // "First call" is the first call a user makes once the backend is up
    // and the catalog ingested: by then the plugin's scheduled warm-up
    // (every minute, see warmEvaluations.ts) has had a run over every
    // entity. Ingestion ends between two runs, so wait one refresh period
    // plus the time a run takes before the first timed call.
    console.log(`waiting ${WARM_WAIT_S} s for a warm-up run over the catalog`);
    await new Promise(r => setTimeout(r, WARM_WAIT_S * 1000));

    const fields =
      'kind,metadata.name,metadata.namespace,metadata.title,metadata.etag,metadata.annotations,spec.type,spec.lifecycle,spec.owner,spec.system';
    const catalogQuery = `/catalog/entities?filter=kind=component&filter=kind=resource&fields=${fields}`;
    const catalogRead = '/catalog/entities/by-name/component/default/entity-1';
    const statusRead = '/backup/entities/component/default/entity-1/status';
    const [summary, entities, status] = await alternate([
      { name: '/summary', path: '/backup/summary', baseline: catalogQuery },
      {
        name: '/entities?limit=50',
        path: '/backup/entities?limit=50',
        baseline: catalogQuery,
      },
      {
        name: '/status (entity-1)',
        path: statusRead,
        baseline: catalogRead,
        callsPerRound: SINGLE_CALLS,
      },
    ]);
    // for information: the catalog query of whole entities
    const wholeEntities = await timed(
      '/catalog/entities?filter=kind=component&filter=kind=resource',
    );
    console.log(
      `load average during the timings: ${loadavg()
        .map(l => l.toFixed(2))
        .join(', ')}`,
    );
    const baselineMedian = median(summary.baselineMs);
    for (const measure of [summary, entities, status]) reportPair(measure);
    console.log(
      `${'whole entities'.padEnd(20)}: median ${wholeEntities.median.toFixed(
        0,
      )} ms (${(wholeEntities.median / baselineMedian).toFixed(
        2,
      )}x the plugin's-fields catalog query)`,
    );
    console.log(
      `single backend (catalog + backup) memory after the timings: ${mb(
        currentMb(single.pid!),
      )}`,
    );

    if (!EXPORT) return;
    // The export runs in process B of a freshly started split backend, so
    // that its peak memory is the export's, and neither the ingestion's nor
    // the catalog's (which keeps re-processing every entity in process A).
    // the records are seeded in the single backend, through the evidence
    // service, and read by B from the shared database directory
    const seedStarted = performance.now();
    await seedThroughBackend(
      dir,
      Array.from({ length: ENTITIES }, (_, i) => ({
        entityRef: `${entityDocument(i).kind.toLocaleLowerCase(
          'en-US',
        )}:default/entity-${i}`,
        kind: 'restore-tests' as const,
        count:
          Math.floor(RECORDS / ENTITIES) + (i < RECORDS % ENTITIES ? 1 : 0),
      })),
    );
    console.log(
      `seeded ${RECORDS} restore tests through the evidence service in ${(
        (performance.now() - seedStarted) /
        1000
      ).toFixed(0)} s`,
    );
    await stopBackend(single);
    const catalogBackend = startBackend('catalog');
    const backupBackend = startBackend('backup');
    await waitForCatalog();
    await waitForReady(SPLIT_PORT);
    const backupAtStart = currentMb(backupBackend.pid!);
    // the org-wide view again, now with the records in the evidence store;
    // its first call checks that B reads all of A's entities
    const summaryWithEvidence = await timed('/backup/summary', SPLIT_PORT);
    const { total } = JSON.parse(summaryWithEvidence.firstBody);
    if (total !== ENTITIES) {
      throw new Error(
        `/backup/summary through B counted ${total} entities, not ${ENTITIES}`,
      );
    }
    const catalogAgain = await timed(catalogQuery);
    console.log(
      `with ${RECORDS} restore-test records stored (split: /summary on B, catalog query on A): /summary median ${summaryWithEvidence.median.toFixed(
        0,
      )} ms, first call ${summaryWithEvidence.first.toFixed(
        0,
      )} ms; catalog query median ${catalogAgain.median.toFixed(0)} ms (${(
        summaryWithEvidence.median / catalogAgain.median
      ).toFixed(2)}x)`,
    );

    const before = currentMb(backupBackend.pid!);
    resetPeak(backupBackend.pid!);
    const exported = await call('/backup/export?format=csv', SPLIT_PORT);
    const lines = exported.body.split('\r\n').length;
    const peak = peakMb(backupBackend.pid!);
    const catalogRss = currentMb(catalogBackend.pid!);
    console.log(
      `export of ${RECORDS} records: ${(exported.ms / 1000).toFixed(1)} s, ${(
        exported.body.length / 1e6
      ).toFixed(0)} MB of CSV, ${lines} lines`,
    );
    console.log(
      `backup backend (B: backup + permission) memory: ${mb(
        backupAtStart,
      )} after start-up, ${mb(
        before,
      )} before the export (after /summary), peak ${mb(peak)} during it (+${mb(
        peak - before,
      )})`,
    );
    console.log(
      `catalog backend (A: catalog, ${ENTITIES} entities) memory after the export: ${mb(
        catalogRss,
      )} (for information)`,
    );
  } finally {
    stopping = true;
    for (const child of running) child.kill('SIGKILL');
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
