// The CLI as a CronJob runs it, against a real borg repository and a real
// backend (backup plugin + catalog) on a real port.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BorgRepository,
  createBorgRepository,
  damagedCopy,
} from '../__testUtils__/borgRepository';
import {
  failureOf,
  findingCodes,
  oneLine,
  runCli,
} from '../__testUtils__/runCli';
import {
  CliTestBackend,
  startCliTestBackend,
  TOKENS,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const FILES = 'resource:default/files-borg';
const FILES_PATH = '/entities/resource/default/files-borg';
const DAMAGED = 'resource:default/files-borg-damaged';
const DAMAGED_PATH = '/entities/resource/default/files-borg-damaged';

/** The archives' hostname, as borg records it (without the domain). */
const HOST = hostname().split('.')[0];
/** A time zone far from UTC (no tz database needed): borg must not use it. */
const FAR_ZONE = 'NPT-5:45';

let directory: string;
let backend: CliTestBackend;
let repository: BorgRepository;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'backup-assurance-borg-'));
  [backend, repository] = await Promise.all([
    startCliTestBackend([FILES_PATH, DAMAGED_PATH]),
    createBorgRepository(directory),
  ]);
});

afterAll(async () => {
  await backend?.stop();
  await rm(directory, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    BACKUP_ASSURANCE_URL: backend.url,
    BACKUP_ASSURANCE_TOKEN: TOKENS.writer,
    TZ: FAR_ZONE,
    ...repository.env,
    ...env,
  });

/** The runs report-runs would post, without posting them. */
async function dryRunItems(
  extra: string[] = [],
): Promise<{ runAt: string; externalId: string; message: string }[]> {
  const result = await cli(
    [
      'report-runs',
      '--tool',
      'borg',
      '--entity',
      DAMAGED,
      '--dry-run',
      ...extra,
    ],
    { BACKUP_ASSURANCE_TOKEN: '' },
  );
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  return JSON.parse(result.stdout).items;
}

describe('report-runs --tool borg', () => {
  it('posts every archive once, as a succeeded run keyed by its id', async () => {
    const args = ['report-runs', '--tool', 'borg', '--entity', FILES, '--json'];
    const first = await cli(args);
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toMatchObject({
      entityRef: FILES,
      tool: 'borg',
      found: 2,
      created: 2,
      repeated: 0,
    });

    const again = await cli(args);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, repeated: 2 });

    const runs = await backend.read(`${FILES_PATH}/backup-runs`);
    expect(runs.totalCount).toBe(2);
    for (const run of runs.items) {
      expect(run).toMatchObject({
        outcome: 'succeeded',
        source: 'borg',
        externalId: expect.stringMatching(/^borg:[0-9a-f]{64}$/),
        message: expect.stringMatching(
          new RegExp(`^archive nightly-[12] of ${HOST} \\(200\\.\\d kB\\)$`),
        ),
        durationSeconds: expect.any(Number),
      });
      expect(run.sizeBytes).toBeGreaterThan(200_000);
    }
    // newest first, each linked to the one before
    expect(runs.items[0].previousHash).toBe(runs.items[1].hash);
  });

  it('reads the times as UTC, whatever the time zone the CLI runs in', async () => {
    const { from, to } = repository.createdBetween;
    const items = await dryRunItems();
    expect(items).toHaveLength(2);
    for (const { runAt } of items) {
      expect(Date.parse(runAt)).toBeGreaterThanOrEqual(from.getTime());
      expect(Date.parse(runAt)).toBeLessThanOrEqual(to.getTime());
    }
  });

  it('prints the runs with --dry-run, posts nothing and honours --host', async () => {
    expect(await dryRunItems(['--host', HOST])).toHaveLength(2);
    expect(await dryRunItems(['--host', `not-${HOST}`])).toEqual([]);
    expect((await backend.read(`${DAMAGED_PATH}/backup-runs`)).totalCount).toBe(
      0,
    );
  });
});

describe('restore-test --tool borg', () => {
  it('extracts, checks and validates the latest archive; the entity becomes compliant', async () => {
    const before = await backend.read(`${FILES_PATH}/status`);
    expect(before.status).toBe('overdue');
    expect(findingCodes(before)).toContain('restore-test-missing');

    const target = join(directory, 'scratch');
    const result = await cli([
      'restore-test',
      '--tool',
      'borg',
      '--entity',
      FILES,
      '--target',
      target,
      '--validate',
      'test -f data/orders/2.json',
      '--validate',
      'grep -q order data/orders/1.json',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const { record, created } = JSON.parse(result.stdout);
    // both archives may start in the same second (borg keeps whole seconds)
    const latest = (await dryRunItems()).find(item =>
      item.message.startsWith('archive nightly-2 '),
    )!;
    expect(created).toBe(true);
    expect(record).toMatchObject({
      result: 'succeeded',
      source: 'borg',
      recoveryPointAt: latest.runAt,
      executor: expect.stringMatching(/^backup-assurance CLI on \S+/),
      scope: expect.stringMatching(
        new RegExp(`^borg archive nightly-2 of ${HOST}, restored into`),
      ),
      externalId: expect.stringMatching(/^borg-restore-test:[0-9a-f]{64}:/),
      validation: [
        {
          type: 'integrity',
          outcome: 'passed',
          notes: expect.stringContaining(
            'borg check --verify-data of archive nightly-2: no problems were found',
          ),
        },
        {
          type: 'recoverability',
          outcome: 'passed',
          notes: expect.stringContaining(
            'borg extract of archive nightly-2 completed; 3 files (200.0 kB) extracted',
          ),
        },
        {
          type: 'application',
          outcome: 'passed',
          notes: expect.stringContaining(
            '2 validation commands passed: test -f data/orders/2.json; grep',
          ),
        },
      ],
    });
    // the archive's id, as report-runs keys its run
    expect(`borg:${record.externalId.split(':')[1]}`).toBe(latest.externalId);
    // --verify-data read every chunk back
    expect(record.validation[0].notes).toMatch(
      /verified \d+ chunks with 0 integrity errors/,
    );
    expect(record.restoreDurationSeconds).toBeGreaterThanOrEqual(0);
    expect(existsSync(target)).toBe(false);

    const after = await backend.read(`${FILES_PATH}/status`);
    expect(after.status).toBe('compliant');
    const verification = await backend.read(`${FILES_PATH}/evidence/verify`);
    expect(verification).toMatchObject({
      intact: true,
      restoreTests: { intact: true, count: 1 },
      backupRuns: { intact: true, count: 2 },
    });
  });

  it('restores the archive --snapshot names, by name or by the start of its id', async () => {
    const older = (await dryRunItems()).find(item =>
      item.message.startsWith('archive nightly-1 '),
    )!;
    const id = older.externalId.slice('borg:'.length);
    for (const snapshot of ['nightly-1', id.slice(0, 10)]) {
      const result = await cli(
        [
          'restore-test',
          '--tool',
          'borg',
          '--entity',
          FILES,
          '--target',
          join(directory, 'scratch-older'),
          '--snapshot',
          snapshot,
          '--validate',
          'test -f data/orders/1.json && test ! -e data/orders/2.json',
          '--dry-run',
        ],
        { BACKUP_ASSURANCE_TOKEN: '' },
      );
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        result: 'succeeded',
        recoveryPointAt: older.runAt,
        scope: expect.stringMatching(/^borg archive nightly-1 of /),
        externalId: expect.stringMatching(
          new RegExp(`^borg-restore-test:${id}:`),
        ),
      });
    }
  });

  it('records a failed test for a damaged repository; the entity is non-compliant', async () => {
    const damaged = await damagedCopy(repository, join(directory, 'damaged'));
    const target = join(directory, 'scratch-damaged');
    await mkdir(target);
    const result = await cli(
      [
        'restore-test',
        '--tool',
        'borg',
        '--entity',
        DAMAGED,
        '--target',
        target,
        '--validate',
        'true',
        '--json',
      ],
      damaged.env,
    );
    expect(result.exitCode).toBe(1);
    const { record } = JSON.parse(result.stdout);
    expect(record).toMatchObject({
      result: 'failed',
      source: 'borg',
      validation: [
        {
          type: 'integrity',
          outcome: 'failed',
          notes: expect.stringContaining('Segment entry checksum mismatch'),
        },
        {
          type: 'recoverability',
          outcome: 'failed',
          // borg's error, not the platform details after its traceback
          notes: expect.stringMatching(
            /^borg extract of archive nightly-2 failed: Data integrity error: Segment entry checksum mismatch/,
          ),
        },
        { type: 'application', outcome: 'not-performed' },
      ],
      issuesFound: expect.stringMatching(
        /^integrity: borg check --verify-data of archive nightly-2 found errors/,
      ),
    });
    expect(record.issuesFound.length).toBeLessThanOrEqual(4000);
    // the scratch directory it was given stays, emptied
    expect(existsSync(target)).toBe(true);
    expect(existsSync(join(target, 'data'))).toBe(false);

    const status = await backend.read(`${DAMAGED_PATH}/status`);
    expect(status.status).toBe('non-compliant');
    expect(findingCodes(status)).toContain('restore-test-failed');
    const verification = await backend.read(`${DAMAGED_PATH}/evidence/verify`);
    expect(verification.restoreTests).toMatchObject({ intact: true, count: 1 });
  });
});

describe('borg errors: one line on stderr and an exit code', () => {
  const reportRuns = ['report-runs', '--tool', 'borg', '--entity', FILES];

  it('a missing borg binary: 2', async () => {
    const result = await cli(reportRuns, { PATH: join(directory, 'no-bin') });
    expect(failureOf(result)).toEqual(
      oneLine(2, /^backup-assurance: borg is not installed or not on PATH/),
    );
  });

  it('no repository: 2', async () => {
    const result = await cli(reportRuns, { BORG_REPO: '' });
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: borg needs a repository: set BORG_REPO or pass --repo$/,
      ),
    );
  });

  it('a wrong passphrase: 2', async () => {
    const result = await cli(reportRuns, { BORG_PASSPHRASE: 'wrong' });
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: the borg repository does not open: passphrase supplied in BORG_PASSPHRASE.* is incorrect/,
      ),
    );
  });

  it('a repository that does not exist, given with --repo: 2', async () => {
    const missing = join(directory, 'missing');
    const result = await cli([...reportRuns, '--repo', missing]);
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: the borg repository does not open: Repository .*missing does not exist\.$/,
      ),
    );
  });

  it('an archive that is not there: 2, before anything is restored', async () => {
    const result = await cli([
      'restore-test',
      '--tool',
      'borg',
      '--entity',
      FILES,
      '--target',
      join(directory, 'scratch-none'),
      '--snapshot',
      'nightly-3',
    ]);
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: no borg archive nightly-3 in the repository$/,
      ),
    );
    expect(existsSync(join(directory, 'scratch-none'))).toBe(false);
  });

  it('--tag, which borg archives do not have: 2', async () => {
    const result = await cli([...reportRuns, '--tag', 'nightly']);
    expect(failureOf(result)).toEqual(
      oneLine(2, /^backup-assurance: borg archives have no tags/),
    );
  });
});
