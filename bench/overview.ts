/* eslint-disable no-console */
// Benchmark: /summary and /entities against the bare catalog query on N
// entities, and the peak memory of an evidence-pack export of many records.
//
//   yarn bench                       (N=10000 entities, 100000 records)
//   BENCH_ENTITIES=2000 BENCH_RECORDS=20000 yarn bench
//
// Prints figures; asserts nothing.
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import knexFactory from 'knex';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { stringify } from 'yaml';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 7099);
const TOKEN = `bench-${randomUUID()}`;
const BASE = `http://localhost:${PORT}/api`;

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

function writeFixtures(dir: string) {
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
  return configFile;
}

const call = async (path: string) => {
  const started = performance.now();
  const res = await fetch(`${BASE}${path}`, {
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
async function timed(path: string) {
  const first = (await call(path)).ms;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await call(path)).ms);
  return { first, median: median(runs) };
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

/** Bulk rows straight into the plugin's table: the export reads them back. */
async function seedRestoreTests(dataDir: string) {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: {
      filename: join(dataDir, 'db', 'backup.sqlite'),
    },
    useNullAsDefault: true,
  });
  const now = Date.now();
  const rows = Array.from({ length: RECORDS }, (_, i) => ({
    id: randomUUID(),
    entity_ref: `${
      entityDocument(i % ENTITIES).kind === 'Resource'
        ? 'resource'
        : 'component'
    }:default/entity-${i % ENTITIES}`,
    sequence: Math.floor(i / ENTITIES) + 1,
    started_at: now - (i % 360) * 86_400_000 - 3_600_000,
    completed_at: now - (i % 360) * 86_400_000,
    result: i % 13 ? 'succeeded' : 'failed',
    scope: `Restore drill ${i}: database into the recovery account, row counts compared`,
    restore_duration_seconds: 3600,
    validation: JSON.stringify([
      { type: 'integrity', outcome: 'passed' },
      { type: 'application', outcome: 'passed' },
    ]),
    executor: 'bench',
    evidence_url: `https://tickets.example.com/OPS-${i}`,
    source: 'ci',
    recorded_by: 'service:bench',
    recorded_at: now,
    previous_hash: 'bench',
    hash: 'bench',
  }));
  // SQLite caps a multi-row insert at 500 terms
  await db.batchInsert('restore_tests', rows, 200);
  await db.destroy();
}

/** Peak resident memory (VmHWM) of a process, in MB; reset before measuring. */
const peakMb = (pid: number) =>
  Number(
    /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1],
  ) / 1024;
const currentMb = (pid: number) =>
  Number(
    /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1],
  ) / 1024;
const resetPeak = (pid: number) =>
  writeFileSync(`/proc/${pid}/clear_refs`, '5');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'backup-bench-'));
  const configFile = writeFixtures(dir);
  console.log(
    `bench: ${ENTITIES} entities, ${RECORDS} restore-test records, ${RUNS} runs each (median)`,
  );
  let stopping = false;
  const startBackend = () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'sucrase/register',
        resolve(__dirname, 'backend.ts'),
        '--config',
        configFile,
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    // e.g. the port is taken: fail rather than wait for the catalog forever
    child.once('exit', code => {
      if (!stopping) {
        console.error(`bench: the backend exited (${code})`);
        process.exit(1);
      }
    });
    return child;
  };
  let backend = startBackend();
  try {
    const started = performance.now();
    await waitForCatalog();
    console.log(
      `catalog ingestion: ${((performance.now() - started) / 1000).toFixed(
        0,
      )} s`,
    );

    const fields =
      'kind,metadata.name,metadata.namespace,metadata.title,metadata.etag,metadata.annotations,spec.type,spec.lifecycle,spec.owner,spec.system';
    // the baseline: the same entities, with the fields the plugin reads
    const catalog = await timed(
      `/catalog/entities?filter=kind=component&filter=kind=resource&fields=${fields}`,
    );
    const wholeEntities = await timed(
      '/catalog/entities?filter=kind=component&filter=kind=resource',
    );
    // the first /summary evaluates every entity; later calls within a minute
    // reuse the evaluations of unchanged entities
    const summary = await timed('/backup/summary');
    const entities = await timed('/backup/entities?limit=50');
    const report = (name: string, t: { first: number; median: number }) =>
      console.log(
        `${name.padEnd(19)}: median ${t.median.toFixed(0)} ms (${(
          t.median / catalog.median
        ).toFixed(2)}x the catalog query); first call ${t.first.toFixed(
          0,
        )} ms (${(t.first / catalog.median).toFixed(2)}x)`,
      );
    report('bare catalog query', catalog);
    report('  (whole entities)', wholeEntities);
    report('/summary', summary);
    report('/entities', entities);

    // The export runs in a freshly started backend, so that its peak memory
    // is the export's and not the ingestion's.
    await seedRestoreTests(dir);
    stopping = true;
    backend.kill('SIGKILL');
    await new Promise(r => backend.once('exit', r));
    stopping = false;
    backend = startBackend();
    await waitForCatalog();
    // the org-wide views again, now with the records in the evidence store
    const summaryWithEvidence = await timed('/backup/summary');
    const catalogAgain = await timed(
      `/catalog/entities?filter=kind=component&filter=kind=resource&fields=${fields}`,
    );
    console.log(
      `with ${RECORDS} restore-test records stored: /summary median ${summaryWithEvidence.median.toFixed(
        0,
      )} ms, first call ${summaryWithEvidence.first.toFixed(
        0,
      )} ms; catalog query median ${catalogAgain.median.toFixed(0)} ms (${(
        summaryWithEvidence.median / catalogAgain.median
      ).toFixed(2)}x)`,
    );

    const before = currentMb(backend.pid!);
    resetPeak(backend.pid!);
    const exported = await call('/backup/export?format=csv');
    const lines = exported.body.split('\r\n').length;
    const peak = peakMb(backend.pid!);
    console.log(
      `export of ${RECORDS} records: ${(exported.ms / 1000).toFixed(1)} s, ${(
        exported.body.length / 1e6
      ).toFixed(0)} MB of CSV, ${lines} lines`,
    );
    console.log(
      `backend memory: ${before.toFixed(
        0,
      )} MB before the export, peak ${peak.toFixed(0)} MB during it (+${(
        peak - before
      ).toFixed(0)} MB)`,
    );
  } finally {
    stopping = true;
    backend.kill('SIGKILL');
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
