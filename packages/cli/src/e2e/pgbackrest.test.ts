// The CLI against a real pgBackRest repository of a private PostgreSQL
// cluster and a real backend on a real port.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createPgBackRestStanza,
  PgBackRestStanza,
  STANZA,
} from '../__testUtils__/pgBackRestStanza';
import { runCli } from '../__testUtils__/runCli';
import {
  CliTestBackend,
  startCliTestBackend,
  TOKENS,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const ORDERS = 'resource:default/orders-db';
const ORDERS_PATH = '/entities/resource/default/orders-db';

let backend: CliTestBackend;
let stanza: PgBackRestStanza;

beforeAll(async () => {
  [backend, stanza] = await Promise.all([
    startCliTestBackend([ORDERS_PATH]),
    createPgBackRestStanza(),
  ]);
});

afterAll(async () => {
  await backend?.stop();
  await stanza?.drop();
});

const cli = (args: string[]) =>
  runCli(
    [
      ...args,
      '--tool',
      'pgbackrest',
      '--entity',
      ORDERS,
      '--stanza',
      STANZA,
      '--pg-config',
      stanza.configFile,
    ],
    {
      BACKUP_ASSURANCE_URL: backend.url,
      BACKUP_ASSURANCE_TOKEN: TOKENS.writer,
    },
  );

/** Processes whose command line names a path: a restored server left running. */
async function processesMentioning(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter(name =>
    /^\d+$/.test(name),
  )) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(
      () => '',
    );
    if (commandLine.includes(path)) found.push(commandLine.replace(/\0/g, ' '));
  }
  return found;
}

it('report-runs posts the full backup with its size and duration', async () => {
  const result = await cli(['report-runs', '--json']);
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  expect(JSON.parse(result.stdout)).toMatchObject({ found: 1, created: 1 });

  const runs = await backend.read(`${ORDERS_PATH}/backup-runs`);
  expect(runs.items).toEqual([
    expect.objectContaining({
      outcome: 'succeeded',
      source: 'pgbackrest',
      sizeBytes: expect.any(Number),
      durationSeconds: expect.any(Number),
      externalId: expect.stringMatching(/^pgbackrest:orders:\d{8}-\d{6}F$/),
      message: expect.stringMatching(
        /^full backup \d{8}-\d{6}F \(database .*, stored .*\) of stanza orders$/,
      ),
    }),
  ]);
  expect(runs.items[0].sizeBytes).toBeGreaterThan(1_000_000);
});

it('restore-test brings the restored cluster up, queries it and stops it; the entity becomes compliant', async () => {
  const before = await backend.read(`${ORDERS_PATH}/status`);
  expect(before.status).toBe('overdue');

  const target = join(stanza.directory, 'scratch');
  const result = await cli([
    'restore-test',
    '--target',
    target,
    '--validate',
    'psql -XAtc "select count(*) from orders" | grep -qx 42',
    '--json',
  ]);
  expect(result.stderr).not.toMatch(/backup-assurance:/);
  expect(result.exitCode).toBe(0);
  const { record } = JSON.parse(result.stdout);
  expect(record).toMatchObject({
    result: 'succeeded',
    source: 'pgbackrest',
    scope: expect.stringMatching(
      /^pgBackRest full backup \d{8}-\d{6}F .* of stanza orders \(PostgreSQL 15\)/,
    ),
    validation: [
      {
        type: 'integrity',
        outcome: 'passed',
        notes: expect.stringContaining(
          'pgbackrest verify: every backup and WAL file',
        ),
      },
      {
        type: 'recoverability',
        outcome: 'passed',
        notes: expect.stringMatching(
          /PostgreSQL started on the restored data .* answered: \d+ databases: /,
        ),
      },
      { type: 'application', outcome: 'passed' },
    ],
  });
  expect(Date.parse(record.recoveryPointAt)).toBeLessThanOrEqual(
    Date.parse(record.startedAt),
  );
  expect(existsSync(target)).toBe(false);
  expect(await processesMentioning(target)).toEqual([]);

  expect((await backend.read(`${ORDERS_PATH}/status`)).status).toBe(
    'compliant',
  );
  expect(await backend.read(`${ORDERS_PATH}/evidence/verify`)).toMatchObject({
    intact: true,
    restoreTests: { count: 1 },
    backupRuns: { count: 1 },
  });
});

it('an application check that fails gives a partial record, and the cluster is still stopped', async () => {
  const target = join(stanza.directory, 'scratch-partial');
  const result = await cli([
    'restore-test',
    '--target',
    target,
    '--validate',
    'psql -XAtc "select count(*) from invoices"',
    '--json',
  ]);
  expect(result.exitCode).toBe(1);
  const { record } = JSON.parse(result.stdout);
  expect(record).toMatchObject({
    result: 'partial',
    validation: [
      { type: 'integrity', outcome: 'passed' },
      { type: 'recoverability', outcome: 'passed' },
      {
        type: 'application',
        outcome: 'failed',
        notes: expect.stringContaining('relation "invoices" does not exist'),
      },
    ],
    issuesFound: expect.stringMatching(
      /^application: 1 of 1 validation commands failed: psql/,
    ),
  });
  expect(existsSync(target)).toBe(false);
  expect(await processesMentioning(target)).toEqual([]);
  expect((await backend.read(`${ORDERS_PATH}/status`)).status).toBe(
    'non-compliant',
  );
});
