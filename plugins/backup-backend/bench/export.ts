/* eslint-disable no-console */
// Benchmark: peak memory of the evidence-pack export alone, in a process of
// its own (no Backstage backend around it, whose framework alone holds some
// 450 MB here): the plugin's store on a migrated SQLite file with N records,
// a register of M entities, and the CSV and JSON packs streamed to a sink.
// It lives in the backend package because it drives the package's own store
// and export, which are not public.
//
//   yarn bench:export                (100000 records, 10000 entities)
//   BENCH_RECORDS=20000 BENCH_ENTITIES=2000 yarn bench:export
//
// Prints figures; asserts nothing.
import {
  BackupEntityRow,
  DEFAULT_BACKUP_POLICY,
} from '@backup-assurance/plugin-backup-common';
import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import knexFactory from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { Writable } from 'stream';
// the repository's bench/ holds the helpers every benchmark shares; it is
// not a package, and nothing here is published
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { currentMb, peakMb, resetPeak } from '../../../bench/memory';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { restoreTest } from '../../../bench/seedRecords';
import { DatabaseEvidenceStore } from '../src/database/DatabaseEvidenceStore';
import {
  EvidencePackFormat,
  writeEvidencePack,
} from '../src/service/evidencePack';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);

const register: BackupEntityRow[] = Array.from(
  { length: ENTITIES },
  (_, i) => ({
    entityRef: `component:default/entity-${i}`,
    kind: 'component',
    name: `entity-${i}`,
    owner: `group:default/team-${i % 25}`,
    system: `system:default/system-${i % 40}`,
    status: 'compliant',
    dataClassification: 'pii',
    methods: ['pitr'],
    locations: ['eu-west-1', 'eu-central-1'],
    encryption: 'customer-managed',
    backupAdmins: [`group:default/team-${i % 25}`],
    deletionProtection: 'immutable',
    accessLogging: 'tamper-evident',
    lastRestoreTest: new Date().toISOString(),
    nextRestoreTestDue: new Date().toISOString(),
    daysOverdue: null,
    findings: [],
  }),
);

/** A response stand-in: counts what it is sent, keeps nothing. */
function sink() {
  const counted = { bytes: 0 };
  const out = new Writable({
    write(chunk, _encoding, done) {
      counted.bytes += chunk.length;
      // let the event loop run, as a socket would
      setImmediate(done);
    },
  });
  return { out, counted };
}

/** The plugin's store on a SQLite file, migrated. */
async function openStore(filename: string) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  const store = await DatabaseEvidenceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

/**
 * RECORDS restore tests spread over the register's entities, over the last
 * year, appended through the store: chained and stored as the plugin does.
 */
async function seed(filename: string) {
  const { knex, store } = await openStore(filename);
  const now = Date.now();
  for (const [e, { entityRef }] of register.entries()) {
    const count =
      Math.floor(RECORDS / ENTITIES) + (e < RECORDS % ENTITIES ? 1 : 0);
    const inputs = Array.from({ length: count }, (_, i) =>
      restoreTest(
        new Date(now - ((e + i * ENTITIES) % 360) * 86_400_000 - 60_000),
        i,
        entityRef,
      ),
    );
    await store.addRestoreTests(inputs, {
      entityRef,
      recordedBy: 'service:bench',
      recordedAt: new Date(now),
    });
  }
  await knex.destroy();
}

async function main() {
  const filename = join(mkdtempSync(join(tmpdir(), 'backup-export-')), 'db');
  const { knex, store } = await openStore(filename);
  // seeded by a child process, so that this one's memory is the export's
  const seeding = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, '--seed', filename],
    { stdio: 'inherit' },
  );
  if (seeding.status !== 0) throw new Error('seeding failed');
  console.log(
    `export bench: ${RECORDS} restore-test records, ${ENTITIES} entities in the register`,
  );
  for (const format of ['csv', 'json'] as EvidencePackFormat[]) {
    global.gc?.();
    const before = currentMb('self');
    resetPeak('self');
    const started = performance.now();
    const { out, counted } = sink();
    await writeEvidencePack({
      format,
      policy: DEFAULT_BACKUP_POLICY,
      register,
      visibleEntityRefs: new Set(register.map(row => row.entityRef)),
      from: new Date(Date.now() - 400 * 86_400_000),
      to: new Date(),
      store,
      out,
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = peakMb('self');
    console.log(
      `${format}: ${seconds.toFixed(1)} s, ${(counted.bytes / 1e6).toFixed(
        0,
      )} MB written; process memory ${before.toFixed(
        0,
      )} MB before, peak ${peak.toFixed(0)} MB during (+${(
        peak - before
      ).toFixed(0)} MB)`,
    );
  }
  await knex.destroy();
}

const run = process.argv[2] === '--seed' ? () => seed(process.argv[3]) : main;
run().catch(error => {
  console.error(error);
  process.exit(1);
});
