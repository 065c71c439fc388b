/* eslint-disable no-console */
// Benchmark: the backup plugin under load, in a real backend process (catalog,
// permission backend with the allow-all policy, backup plugin) on PostgreSQL
// with N demo-like entities, called with a static token:
//   1. a mixed read/write load at a fixed rate for a fixed time, open loop
//      (50% status, 25% history pages, 5% /summary, 20% restore-test posts);
//   2. the same mix stepped up to the highest rate with 0 errors and p95 <
//      100 ms;
//   3. ingestion of backup runs (records/s): one per request from C clients,
//      and through the batch route, on an empty chain and on a chain of
//      100,000 records;
//   4. history pages with 1,000,000 restore-test records stored.
//
//   yarn bench:load                  (about 20 minutes)
//   BENCH_QUICK=1 yarn bench:load    (everything small: just over a minute)
//   BENCH_RATE=100 BENCH_DURATION=60 BENCH_STEPS=100,200 yarn bench:load
//
// Its PostgreSQL databases are named by BENCH_DB_PREFIX (bench_load_*), are
// dropped at the start and, unless BENCH_KEEP_DB=1, at the end. Every other
// knob is an environment variable below. Prints figures; asserts nothing.
import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, openSync, writeFileSync } from 'fs';
import knexFactory, { Knex } from 'knex';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { stringify } from 'yaml';
import {
  closedLoop,
  errorText,
  msText,
  openLoop,
  Sample,
  stats,
} from './loadgen';
import { seedThroughBackend } from './seed';

const QUICK = process.env.BENCH_QUICK === '1';
/** An environment variable, or its full-size or quick default. */
const num = (name: string, full: number, quick: number) =>
  Number(process.env[name] ?? (QUICK ? quick : full));
const list = (name: string, full: string, quick: string) =>
  (process.env[name] ?? (QUICK ? quick : full)).split(',').map(Number);

const ENTITIES = num('BENCH_ENTITIES', 200, 30);
const RATE = num('BENCH_RATE', 50, 20);
const DURATION = num('BENCH_DURATION', 300, 10);
const STEPS = list('BENCH_STEPS', '50,100,150,200,300,400,600,800', '20,40');
const STEP_DURATION = num('BENCH_STEP_DURATION', 30, 5);
const CLIENTS = list('BENCH_CLIENTS', '4,16', '4,16');
const INGEST_SECONDS = num('BENCH_INGEST_SECONDS', 20, 3);
const BATCH = num('BENCH_BATCH', 1000, 200);
const CHAIN = num('BENCH_CHAIN', 100_000, 2_000);
const HISTORY = num('BENCH_HISTORY', 1_000_000, 10_000);
const HISTORY_BIG = num('BENCH_HISTORY_BIG', 200_000, 3_000);
const SAMPLES = num('BENCH_SAMPLES', 300, 30);
/** Seconds of the mix, not counted, before the measured load. */
const WARMUP = num('BENCH_WARMUP', 15, 3);
const PORT = num('BENCH_PORT', 7097, 7097);
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? 'bench_load_';
const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 5432),
  user: process.env.BENCH_PG_USER ?? 'postgres',
  ...(process.env.BENCH_PG_PASSWORD
    ? { password: process.env.BENCH_PG_PASSWORD }
    : {}),
};
/** A request that takes longer counts as a network error. */
const TIMEOUT_MS = 10_000;
const TOKEN = `bench-${randomUUID()}`;
const BASE = `http://127.0.0.1:${PORT}/api`;

// ---------------------------------------------------------------- fixtures

const pick = <T>(items: readonly T[], i: number) => items[i % items.length];
const GROUPS = Array.from({ length: 12 }, (_, i) => `team-${i}`);
const SYSTEMS = Array.from({ length: 20 }, (_, i) => `system-${i}`);
const CLASSIFICATIONS = ['internal', 'confidential', 'pii', 'sensitive-pii'];
const METHODS = ['pitr, database-dump', 'snapshot', 'database-dump', 'pitr'];

const kindOf = (i: number) => (i % 10 >= 7 ? 'resource' : 'component');
/** The API path of catalog entity i (load-0 gets the large history). */
const entityPath = (i: number) =>
  `/backup/entities/${kindOf(i)}/default/load-${i}`;
/**
 * The entities ingestion appends to: a fresh one (an empty chain) for each
 * measurement, ingest-0 to ingest-<clients>, and ingest-chain (the long one).
 */
const INGEST_EMPTY = (i: number) => `ingest-${i}`;
const INGEST_CHAIN = 'ingest-chain';
const INGEST_NAMES = [
  ...[...CLIENTS, 'batch'].map((_, i) => INGEST_EMPTY(i)),
  INGEST_CHAIN,
];
const ingestPath = (name: string) =>
  `/backup/entities/component/default/${name}`;

/** Like the demo entities: fully declared, with some gaps and PII rules. */
function entityDocument(i: number) {
  const classification = pick(CLASSIFICATIONS, i * 7);
  const group = `group:default/${pick(GROUPS, i)}`;
  const day = new Date(Date.now() - (i % 200) * 86_400_000);
  const annotations: Record<string, string> = {
    'backup-assurance.io/method': pick(METHODS, i),
    'backup-assurance.io/data-classification': classification,
    'backup-assurance.io/owner': group,
    'backup-assurance.io/last-restore-test': day.toISOString().slice(0, 10),
    'backup-assurance.io/restore-test-evidence': `https://tickets.example.com/OPS-${i}`,
    'backup-assurance.io/frequency': i % 3 ? 'P1D' : 'PT1H',
    'backup-assurance.io/retention': 'P35D',
    'backup-assurance.io/rpo': 'PT1H',
    'backup-assurance.io/rto': 'PT4H',
    'backup-assurance.io/encryption': i % 11 ? 'customer-managed' : 'none',
    'backup-assurance.io/locations': 'eu-west-1, eu-central-1',
  };
  if (classification.includes('pii') && i % 5) {
    Object.assign(annotations, {
      'backup-assurance.io/backup-admins': group,
      'backup-assurance.io/deletion-protection': 'immutable',
      'backup-assurance.io/access-logging': 'tamper-evident',
    });
  }
  if (i % 13 === 0) delete annotations['backup-assurance.io/retention'];
  const kind = kindOf(i);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'resource' ? 'Resource' : 'Component',
    metadata: { name: `load-${i}`, annotations },
    spec: {
      type: kind === 'resource' ? 'database' : 'service',
      ...(kind === 'resource' ? {} : { lifecycle: 'production' }),
      owner: pick(GROUPS, i),
      system: pick(SYSTEMS, i),
    },
  };
}

/** The catalog file and the backend's config file; returns the latter. */
function writeFixtures(dir: string) {
  const docs = [
    ...GROUPS.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name },
      spec: { type: 'team', children: [] },
    })),
    ...SYSTEMS.map((name, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name },
      spec: { owner: pick(GROUPS, i) },
    })),
    ...Array.from({ length: ENTITIES }, (_, i) => entityDocument(i)),
    ...INGEST_NAMES.map(name => ({
      ...entityDocument(1),
      metadata: { ...entityDocument(1).metadata, name },
    })),
  ];
  const catalogFile = join(dir, 'entities.yaml');
  writeFileSync(catalogFile, docs.map(d => stringify(d)).join('---\n'));
  const configFile = join(dir, 'app-config.yaml');
  writeFileSync(
    configFile,
    stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${PORT}`,
        listen: { port: PORT },
        database: { client: 'pg', prefix: DB_PREFIX, connection: PG },
        auth: {
          externalAccess: [
            { type: 'static', options: { token: TOKEN, subject: 'bench' } },
          ],
        },
      },
      permission: { enabled: true },
      catalog: {
        rules: [
          { allow: ['Component', 'Resource', 'System', 'Group', 'Location'] },
        ],
        locations: [{ type: 'file', target: catalogFile }],
      },
    }),
  );
  return configFile;
}

// ---------------------------------------------------------------- database

const pgClient = (database: string) =>
  knexFactory({ client: 'pg', connection: { ...PG, database } });

/** Drops the databases of earlier runs (only those named by the prefix). */
async function dropBenchDatabases() {
  if (
    !/^[a-z][a-z0-9_]*_$/.test(DB_PREFIX) ||
    DB_PREFIX.startsWith('backstage')
  ) {
    throw new Error(`BENCH_DB_PREFIX must be a bench prefix: ${DB_PREFIX}`);
  }
  const db = pgClient('postgres');
  try {
    const { rows } = await db.raw(
      'select datname from pg_database where starts_with(datname, ?)',
      [DB_PREFIX],
    );
    for (const { datname } of rows) {
      await db.raw('drop database ?? with (force)', [datname]);
    }
  } finally {
    await db.destroy();
  }
}

const countRows = async (query: Knex.QueryBuilder) =>
  Number((await query.count({ n: '*' }))[0].n);

// ----------------------------------------------------------------- backend

/** The backend, its output (at LOG_LEVEL warn) in a file of the run's. */
function startBackend(dir: string, onExit: (code: unknown) => void) {
  const log = openSync(join(dir, 'backend.log'), 'w');
  console.log(`backend log: ${join(dir, 'backend.log')}`);
  const child = spawn(
    process.execPath,
    [
      '-r',
      'sucrase/register',
      resolve(__dirname, 'backend.ts'),
      '--config',
      writeFixtures(dir),
    ],
    {
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        BENCH_BACKEND: 'all',
        BENCH_SEED_DIR: dir,
        LOG_LEVEL: 'warn',
      },
    },
  );
  child.once('exit', onExit);
  return child;
}

/** The first error answer of each status since the last report. */
const firstErrors = new Map<number, string>();

/** Prints (and forgets) an example of each error status seen. */
function reportErrors() {
  for (const [status, example] of firstErrors) {
    console.log(`  first ${status || 'network error'}: ${example}`);
  }
  firstErrors.clear();
}

/** A call with the static token: status 0 for a network error or timeout. */
async function send(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = TIMEOUT_MS,
) {
  let status = 0;
  let text = '';
  try {
    const res = await fetch(`${BASE}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    text = String(error);
  }
  if ((status < 200 || status >= 300) && !firstErrors.has(status)) {
    firstErrors.set(status, `${method} ${path}: ${text.slice(0, 300)}`);
  }
  return { status, text };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Until the catalog serves every entity (and so the backend is up). */
async function waitForCatalog() {
  const query =
    '/catalog/entities/by-query?limit=1&filter=kind=component&filter=kind=resource';
  for (;;) {
    const { status, text } = await send('GET', query);
    const total = status === 200 ? JSON.parse(text).totalItems : 0;
    const expected = ENTITIES + INGEST_NAMES.length;
    if (total >= expected) return;
    if (status === 200) console.log(`catalog: ${total}/${expected}`);
    await sleep(3000);
  }
}

// ------------------------------------------------------------- mixed load

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const restoreTest = () => ({
  startedAt: ago(3 * 3_600_000),
  completedAt: ago(2 * 3_600_000),
  result: Math.random() < 0.9 ? 'succeeded' : 'failed',
  scope: 'Nightly restore of the database into the recovery account',
  validation: [
    { type: 'integrity', outcome: 'passed' },
    { type: 'application', outcome: 'passed', notes: 'smoke test' },
  ],
  executor: 'restore-runner',
  evidenceUrl: 'https://ci.example.com/restore/1',
  source: 'bench',
});

/** The mix: route name, weight, and the request it makes. */
const MIX: Array<[string, number, () => [string, unknown?]]> = [
  ['status', 50, () => [`${entityPath(anyEntity())}/status`]],
  ['history', 25, () => [`${entityPath(anyEntity())}/restore-tests?limit=20`]],
  ['summary', 5, () => ['/backup/summary']],
  [
    'post',
    20,
    () => [`${entityPath(anyEntity())}/restore-tests`, restoreTest()],
  ],
];
const anyEntity = () => Math.floor(Math.random() * ENTITIES);

async function mixedRequest() {
  let roll = Math.random() * 100;
  const [route, , make] = MIX.find(([, weight]) => (roll -= weight) < 0)!;
  const [path, body] = make();
  const { status } = await send(body ? 'POST' : 'GET', path, body);
  return { route, status };
}

/** Runs the mix at a rate; per-route and overall figures. */
async function mixedLoad(rate: number, seconds: number) {
  const { samples, seconds: elapsed } = await openLoop(
    rate,
    seconds,
    mixedRequest,
  );
  const byRoute = MIX.map(([route]) => ({
    route,
    ...stats(samples.filter(s => s.route === route)),
  }));
  return {
    rate,
    achieved: samples.length / elapsed,
    all: stats(samples),
    byRoute,
  };
}
type Mixed = Awaited<ReturnType<typeof mixedLoad>>;

const passes = (m: Mixed) => m.all.errorCount === 0 && m.all.p95 < 100;

function printMixed(m: Mixed) {
  const row = (name: string, s: Mixed['all']) =>
    console.log(
      `  ${name.padEnd(8)} ${String(s.count).padStart(6)}  p50 ${msText(
        s.p50,
      ).padStart(7)}  p95 ${msText(s.p95).padStart(7)}  p99 ${msText(
        s.p99,
      ).padStart(7)}  errors ${errorText(s)}`,
    );
  m.byRoute.forEach(r => row(r.route, r));
  row('all', m.all);
  console.log(`  achieved ${m.achieved.toFixed(1)} req/s of ${m.rate}`);
}

async function warmUp() {
  await send('GET', '/backup/summary');
  for (let i = 0; i < ENTITIES; i++) {
    await send('GET', `${entityPath(i)}/status`);
    await send('GET', `${entityPath(i)}/restore-tests?limit=20`);
  }
}

/** Steps the rate up until a step fails; returns every step run. */
async function stepUp() {
  const steps: Mixed[] = [];
  console.log(
    `\n2. step-up, ${STEP_DURATION} s a step (pass: 0 errors and p95 < 100 ms)`,
  );
  console.log(
    '  rate  achieved     p50     p95     p99  worst route p95  errors',
  );
  for (const rate of STEPS) {
    const m = await mixedLoad(rate, STEP_DURATION);
    steps.push(m);
    const worst = m.byRoute.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    console.log(
      `  ${String(rate).padStart(4)}  ${m.achieved.toFixed(1).padStart(8)} ${[
        m.all.p50,
        m.all.p95,
        m.all.p99,
      ]
        .map(v => msText(v).padStart(7))
        .join(' ')}  ${`${worst.route} ${msText(worst.p95)}`.padEnd(
        15,
      )}  ${errorText(m.all)}  ${passes(m) ? 'pass' : 'FAIL'}`,
    );
    reportErrors();
    if (!passes(m)) break;
    await sleep(5000); // let the server settle
  }
  return steps;
}

// --------------------------------------------------------------- ingestion

let runCounter = 0;
const backupRun = (runAt = ago(60_000)) => ({
  runAt,
  outcome: 'succeeded',
  sizeBytes: 52_428_800,
  durationSeconds: 240,
  source: 'bench',
  externalId: `run-${++runCounter}-${TOKEN}`,
});

/** Records/s of one backup run per request from `clients` clients. */
function ingestOne(name: string, clients: number) {
  return closedLoop(clients, INGEST_SECONDS, async () => {
    const started = performance.now();
    const { status } = await send(
      'POST',
      `${ingestPath(name)}/backup-runs`,
      backupRun(),
    );
    const ms = performance.now() - started;
    return { records: status === 201 ? 1 : 0, status, ms };
  });
}

/** Posts one batch; how many records it created, or the status. */
async function postBatch(name: string, items: unknown[]) {
  const started = performance.now();
  const { status, text } = await send(
    'POST',
    `${ingestPath(name)}/backup-runs/batch`,
    { items },
    120_000,
  );
  const ms = performance.now() - started;
  const records =
    status === 200 || status === 201
      ? JSON.parse(text).items.filter((i: { created: boolean }) => i.created)
          .length
      : 0;
  return { records, status, ms };
}

/** Records/s through the batch route, batches of BATCH back to back. */
function ingestBatches(name: string) {
  return closedLoop(1, INGEST_SECONDS, () =>
    postBatch(
      name,
      Array.from({ length: BATCH }, () => backupRun()),
    ),
  );
}

type Ingestion = Awaited<ReturnType<typeof ingestOne>>;
interface IngestionFigures {
  one: Array<{ clients: number; result: Ingestion }>;
  batch?: Ingestion;
}

/** Every ingestion measurement, the i-th into the entity `target(i)`. */
async function ingestion(
  label: string,
  batchRoute: boolean,
  target: (i: number) => string,
) {
  console.log(`\n${label}`);
  const figures: IngestionFigures = { one: [] };
  const line = (name: string, r: Ingestion) => {
    const s = stats(r.samples);
    console.log(
      `  ${name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(6)} records/s (${
        r.records
      } in ${r.seconds.toFixed(0)} s; per request p50 ${msText(
        s.p50,
      )}, p95 ${msText(s.p95)}; errors ${errorText(s)})`,
    );
  };
  for (const [i, clients] of CLIENTS.entries()) {
    const result = await ingestOne(target(i), clients);
    figures.one.push({ clients, result });
    line(`1 per request, ${clients} clients`, result);
  }
  if (batchRoute) {
    figures.batch = await ingestBatches(target(CLIENTS.length));
    line(`batches of ${BATCH}, 1 client`, figures.batch);
  } else {
    console.log('  batch route not available');
  }
  reportErrors();
  return figures;
}

/** Whether the batch route answers (a one-item batch); 404 when absent. */
async function batchRouteAvailable() {
  const probe = await postBatch(INGEST_CHAIN, [backupRun()]);
  if (probe.status === 404) {
    firstErrors.clear(); // expected: no such route yet
    return false;
  }
  if (probe.records !== 1) {
    console.log(`batch route probe answered ${probe.status}; skipping it`);
    return false;
  }
  return true;
}

/**
 * Grows ingest-chain's backup runs to CHAIN records: through the batch route
 * when there is one (the store keeps its own bookkeeping), else straight into
 * the table, chained by the store's hashing.
 */
async function growChain(db: Knex, seedDir: string) {
  const started = performance.now();
  const entityRef = `component:default/${INGEST_CHAIN}`;
  const have = await countRows(
    db('backup_runs').where({ entity_ref: entityRef }),
  );
  const need = Math.max(0, CHAIN - have);
  await seedThroughBackend(seedDir, [
    { entityRef, kind: 'backup-runs', count: need },
  ]);
  await db.raw('analyze backup_runs');
  console.log(
    `\nseeded ${need} backup runs (through the evidence service) in ${(
      (performance.now() - started) /
      1000
    ).toFixed(0)} s: the chain now holds ${have + need}`,
  );
}

/** An entity's verification: are the seeded and appended records a chain? */
async function verifyChain(path: string, chain: 'backupRuns' | 'restoreTests') {
  const { status, text } = await send(
    'GET',
    `${path}/evidence/verify`,
    undefined,
    300_000,
  );
  if (status !== 200) return `verification answered ${status}`;
  const report = JSON.parse(text)[chain];
  return report.intact
    ? `intact (${report.count} records)`
    : `BROKEN at ${JSON.stringify(report.brokenAt)}`;
}

// ----------------------------------------------------------------- history

/**
 * Fills restore_tests up to HISTORY records: HISTORY_BIG in load-0, the rest
 * spread over the other entities, continuing each chain.
 */
async function seedHistory(db: Knex, seedDir: string) {
  const started = performance.now();
  const have = await countRows(db('restore_tests'));
  const need = Math.max(0, HISTORY - have);
  const big = Math.min(HISTORY_BIG, need);
  const others = ENTITIES - 1;
  const each = Math.floor((need - big) / others);
  const kind = 'restore-tests' as const;
  const added = await seedThroughBackend(seedDir, [
    { entityRef: 'component:default/load-0', kind, count: big },
    ...Array.from({ length: others }, (_, i) => ({
      entityRef: `${kindOf(i + 1)}:default/load-${i + 1}`,
      kind,
      count: each + (i === 0 ? need - big - each * others : 0),
    })),
  ]);
  // as autovacuum would soon after: planner statistics for the new rows
  await db.raw('analyze restore_tests');
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nseeded ${added} restore tests in ${seconds.toFixed(0)} s (${(
      added / seconds
    ).toFixed(0)}/s): ${have + added} stored`,
  );
  return countRows(
    db('restore_tests').where({ entity_ref: 'component:default/load-0' }),
  );
}

/** p50/p95 of one page, read SAMPLES times one after another. */
async function timePage(path: (i: number) => string, samples = SAMPLES) {
  const all: Sample[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const { status } = await send('GET', path(i));
    all.push({ route: 'history', status, ms: performance.now() - started });
  }
  return stats(all);
}

async function history(db: Knex, seedDir: string) {
  const bigCount = await seedHistory(db, seedDir);
  const big = entityPath(0);
  const typical = (i: number) => entityPath(1 + (i % (ENTITIES - 1)));
  const pages: Array<[string, ReturnType<typeof stats>]> = [
    [
      `load-0 (${bigCount} records), ?limit=20`,
      await timePage(() => `${big}/restore-tests?limit=20`),
    ],
    [
      'load-0, ?limit=20&offset=1000',
      await timePage(() => `${big}/restore-tests?limit=20&offset=1000`),
    ],
    [
      `load-0, ?limit=20&offset=${Math.floor(bigCount / 2)} (deep)`,
      await timePage(
        () =>
          `${big}/restore-tests?limit=20&offset=${Math.floor(bigCount / 2)}`,
        Math.ceil(SAMPLES / 5),
      ),
    ],
    [
      'the other entities, ?limit=20',
      await timePage(i => `${typical(i)}/restore-tests?limit=20`),
    ],
  ];
  console.log(`\n4. history pages, ${SAMPLES} reads each, one at a time`);
  for (const [name, s] of pages) {
    console.log(
      `  ${name.padEnd(44)} p50 ${msText(s.p50).padStart(7)}  p95 ${msText(
        s.p95,
      ).padStart(7)}  errors ${errorText(s)}`,
    );
  }
  const typicalChain = await verifyChain(entityPath(1), 'restoreTests');
  console.log(`  restore-test chain of load-1: ${typicalChain}`);
  reportErrors();
  return { bigCount, pages };
}

// ----------------------------------------------------------------- summary

function printSummary(r: {
  fixed: Mixed;
  steps: Mixed[];
  empty: IngestionFigures;
  chained: IngestionFigures;
  chainCheck: string;
  hist: Awaited<ReturnType<typeof history>>;
}) {
  const highest = [...r.steps].reverse().find(passes);
  const perSecond = (f: IngestionFigures) =>
    f.one.map(o => o.result.perSecond.toFixed(0)).join(' / ');
  const batch = (f: IngestionFigures) =>
    f.batch
      ? `${f.batch.perSecond.toFixed(0)} records/s`
      : 'batch route not available';
  const page = (i: number) =>
    `p50 ${msText(r.hist.pages[i][1].p50)}, p95 ${msText(
      r.hist.pages[i][1].p95,
    )}`;
  const clients = CLIENTS.join(' / ');
  const rows = [
    [
      `Mixed load, ${r.fixed.rate} req/s for ${DURATION} s`,
      '0 errors, p95 < 100 ms',
      `p50 ${msText(r.fixed.all.p50)}, p95 ${msText(
        r.fixed.all.p95,
      )}, p99 ${msText(r.fixed.all.p99)}; errors ${errorText(
        r.fixed.all,
      )}; ${r.fixed.achieved.toFixed(1)} req/s`,
    ],
    [
      `Highest mixed rate with 0 errors and p95 < 100 ms (${STEP_DURATION} s steps)`,
      '200 req/s',
      highest
        ? `${highest.rate} req/s (p95 ${msText(highest.all.p95)})`
        : `none (from ${STEPS[0]} req/s)`,
    ],
    [
      `Ingestion, 1 record per request (${clients} clients)`,
      '≥ 200/s',
      `${perSecond(r.empty)} records/s`,
    ],
    [`Ingestion, batches of ${BATCH}`, '≥ 1,000/s', batch(r.empty)],
    [
      `Ingestion with ${CHAIN.toLocaleString(
        'en-US',
      )} records in the chain, 1 per request (${clients})`,
      '≥ 200/s',
      `${perSecond(r.chained)} records/s; chain ${r.chainCheck}`,
    ],
    [
      `Ingestion with ${CHAIN.toLocaleString(
        'en-US',
      )} records in the chain, batches`,
      '≥ 1,000/s',
      batch(r.chained),
    ],
    [
      `History page, ${HISTORY.toLocaleString(
        'en-US',
      )} records, entity with ${r.hist.bigCount.toLocaleString('en-US')}`,
      'p95 < 50 ms',
      `${page(0)}; offset 1,000: ${page(1)}`,
    ],
    ['History page, the other entities', 'p95 < 50 ms', page(3)],
  ];
  console.log(
    `\n--- summary (PostgreSQL, ${ENTITIES} entities; paste into the README) ---`,
  );
  console.log('| Measure | Target | Result |');
  console.log('| ------- | ------ | ------ |');
  rows.forEach(cells => console.log(`| ${cells.join(' | ')} |`));
}

// -------------------------------------------------------------------- main

async function main() {
  console.log(
    `load bench${
      QUICK ? ' (quick)' : ''
    }: ${ENTITIES} entities on PostgreSQL (${DB_PREFIX}*)`,
  );
  await dropBenchDatabases();
  const dir = mkdtempSync(join(tmpdir(), 'backup-load-'));
  let stopping = false;
  const backend: ChildProcess = startBackend(dir, code => {
    if (stopping) return;
    console.error(`bench: the backend exited (${code})`);
    process.exit(1);
  });
  const db = pgClient(`${DB_PREFIX}backup`);
  try {
    const started = performance.now();
    await waitForCatalog();
    console.log(
      `catalog ready in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    await warmUp();
    await mixedLoad(RATE, WARMUP); // not counted: JIT, caches, pools
    firstErrors.clear(); // those of start-up

    console.log(
      `\n1. mixed load: ${RATE} req/s for ${DURATION} s, open loop (50% status, 25% history, 5% /summary, 20% restore-test posts)`,
    );
    const fixed = await mixedLoad(RATE, DURATION);
    printMixed(fixed);
    reportErrors();
    await sleep(5000);
    const steps = await stepUp();

    const batchRoute = await batchRouteAvailable();
    const empty = await ingestion(
      `3. ingestion of backup runs into an empty chain (a fresh entity each), ${INGEST_SECONDS} s each`,
      batchRoute,
      INGEST_EMPTY,
    );
    await growChain(db, dir);
    const chained = await ingestion(
      `3c. the same into one entity with ${CHAIN} records already in its chain`,
      batchRoute,
      () => INGEST_CHAIN,
    );
    const chainCheck = await verifyChain(
      ingestPath(INGEST_CHAIN),
      'backupRuns',
    );
    console.log(`  backup-run chain: ${chainCheck}`);

    const hist = await history(db, dir);
    printSummary({ fixed, steps, empty, chained, chainCheck, hist });
  } finally {
    stopping = true;
    backend.kill('SIGKILL');
    await db.destroy();
    if (process.env.BENCH_KEEP_DB !== '1') await dropBenchDatabases();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
