// The CLI as a CronJob runs it, against a real restic repository and a real
// backend (backup plugin + catalog) on a real port.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  corruptedCopy,
  createResticRepository,
  ResticRepository,
} from '../__testUtils__/resticRepository';
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

const FILES = 'resource:default/files-restic';
const FILES_PATH = '/entities/resource/default/files-restic';
const DAMAGED = 'resource:default/files-damaged';
const DAMAGED_PATH = '/entities/resource/default/files-damaged';

let directory: string;
let backend: CliTestBackend;
let repository: ResticRepository;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'backup-assurance-restic-'));
  [backend, repository] = await Promise.all([
    startCliTestBackend([FILES_PATH, DAMAGED_PATH]),
    createResticRepository(directory),
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
    ...repository.env,
    ...env,
  });

describe('report-runs --tool restic', () => {
  it('posts every snapshot once, as a succeeded run keyed by its id', async () => {
    const args = [
      'report-runs',
      '--tool',
      'restic',
      '--entity',
      FILES,
      '--json',
    ];
    const first = await cli(args);
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toMatchObject({
      entityRef: FILES,
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
        source: 'restic',
        externalId: expect.stringMatching(/^restic:[0-9a-f]{64}$/),
        message: expect.stringMatching(
          /^snapshot [0-9a-f]{8} of app-1:.*\[nightly\]$/,
        ),
      });
    }
    // newest first, each linked to the one before
    expect(runs.items[0].previousHash).toBe(runs.items[1].hash);
  });

  it('prints the runs with --dry-run and posts nothing', async () => {
    const result = await cli(
      ['report-runs', '--tool', 'restic', '--entity', DAMAGED, '--dry-run'],
      { BACKUP_ASSURANCE_TOKEN: '' },
    );
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).items).toHaveLength(2);
    expect((await backend.read(`${DAMAGED_PATH}/backup-runs`)).totalCount).toBe(
      0,
    );
  });
});

describe('restore-test --tool restic', () => {
  it('restores, checks and validates the latest snapshot; the entity becomes compliant', async () => {
    const before = await backend.read(`${FILES_PATH}/status`);
    expect(before.status).toBe('overdue');
    expect(findingCodes(before)).toContain('restore-test-missing');

    const target = join(directory, 'scratch');
    const result = await cli([
      'restore-test',
      '--tool',
      'restic',
      '--entity',
      FILES,
      '--target',
      target,
      '--read-data-subset',
      '100%',
      '--validate',
      'test -f data/orders/2.json',
      '--validate',
      'grep -q order data/orders/1.json',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const { record, created } = JSON.parse(result.stdout);
    const [latest] = (
      JSON.parse(
        (
          await cli([
            'report-runs',
            '--tool',
            'restic',
            '--entity',
            FILES,
            '--dry-run',
          ])
        ).stdout,
      ).items as { runAt: string }[]
    ).sort((a, b) => b.runAt.localeCompare(a.runAt));
    expect(created).toBe(true);
    expect(record).toMatchObject({
      result: 'succeeded',
      source: 'restic',
      recoveryPointAt: latest.runAt,
      executor: expect.stringMatching(/^backup-assurance CLI on \S+/),
      scope: expect.stringMatching(/^restic snapshot [0-9a-f]{8} of app-1:/),
      externalId: expect.stringMatching(/^restic-restore-test:[0-9a-f]{64}:/),
      validation: [
        {
          type: 'integrity',
          outcome: 'passed',
          notes: expect.stringContaining(
            'restic check --read-data-subset=100%: no errors were found',
          ),
        },
        {
          type: 'recoverability',
          outcome: 'passed',
          notes: expect.stringContaining('2 files'),
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

  it('records a failed test for a damaged repository; the entity is non-compliant', async () => {
    const damaged = await corruptedCopy(repository, join(directory, 'damaged'));
    const target = join(directory, 'scratch-damaged');
    await mkdir(target);
    const result = await cli(
      [
        'restore-test',
        '--tool',
        'restic',
        '--entity',
        DAMAGED,
        '--target',
        target,
        '--read-data-subset',
        '100%',
        '--json',
      ],
      damaged.env,
    );
    expect(result.exitCode).toBe(1);
    const { record } = JSON.parse(result.stdout);
    expect(record).toMatchObject({
      result: 'failed',
      validation: [
        { type: 'integrity', outcome: 'failed' },
        { type: 'recoverability', outcome: 'failed' },
        { type: 'application', outcome: 'not-performed' },
      ],
      issuesFound: expect.stringMatching(
        /^integrity: restic check --read-data-subset=100% found errors/,
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

describe('errors: one line on stderr and an exit code', () => {
  const reportRuns = ['report-runs', '--tool', 'restic', '--entity', FILES];

  it('a missing tool binary: 2', async () => {
    const result = await cli(reportRuns, { PATH: join(directory, 'no-bin') });
    expect(failureOf(result)).toEqual(
      oneLine(2, /^backup-assurance: restic is not installed or not on PATH/),
    );
  });

  it('a repository that does not open: 2', async () => {
    const result = await cli(reportRuns, { RESTIC_PASSWORD: 'wrong' });
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: the restic repository does not open: Fatal: wrong password/,
      ),
    );
  });

  it('an unreachable backend: 3', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise(resolve => closed.close(resolve));
    const result = await cli([
      ...reportRuns,
      '--backend',
      `http://127.0.0.1:${port}`,
      '--retries',
      '0',
    ]);
    expect(failureOf(result)).toEqual(
      oneLine(
        3,
        /^backup-assurance: cannot reach the backend at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/,
      ),
    );
  });

  it('a backend answering 5xx: 3', async () => {
    const failing: Server = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'Error',
            message: 'An internal error occurred logId=1',
          },
        }),
      );
    });
    await new Promise<void>(resolve => failing.listen(0, '127.0.0.1', resolve));
    const { port } = failing.address() as { port: number };
    try {
      const result = await cli([
        ...reportRuns,
        '--backend',
        `http://127.0.0.1:${port}`,
      ]);
      expect(failureOf(result)).toEqual(
        oneLine(
          3,
          /^backup-assurance: the backend failed: An internal error occurred logId=1 \(500\)$/,
        ),
      );
    } finally {
      failing.close();
    }
  });

  it('a token the backend does not know (401): 4', async () => {
    const result = await cli(reportRuns, {
      BACKUP_ASSURANCE_TOKEN: 'not-a-known-token-0123',
    });
    expect(failureOf(result)).toEqual(
      oneLine(
        4,
        /^backup-assurance: the backend refused the token in BACKUP_ASSURANCE_TOKEN: .*\(401\)$/,
      ),
    );
  });

  it('a token without the permission (403): 4', async () => {
    const result = await cli(reportRuns, {
      BACKUP_ASSURANCE_TOKEN: TOKENS.reviewer,
    });
    expect(failureOf(result)).toEqual(
      oneLine(4, /^backup-assurance: the token may not do this.*\(403\)$/),
    );
  });

  it('an unknown entity (404): 2', async () => {
    const result = await cli([
      'report-runs',
      '--tool',
      'restic',
      '--entity',
      'resource:default/nope',
    ]);
    expect(failureOf(result)).toEqual(
      oneLine(
        2,
        /^backup-assurance: unknown entity resource:default\/nope .*\(404\)$/,
      ),
    );
  });

  it('no token: 2, before any tool runs', async () => {
    const result = await cli(reportRuns, { BACKUP_ASSURANCE_TOKEN: '' });
    expect(failureOf(result)).toEqual(
      oneLine(2, /^backup-assurance: no token: set BACKUP_ASSURANCE_TOKEN/),
    );
  });

  it('a usage error: 2', async () => {
    const result = await cli([
      'restore-test',
      '--tool',
      'bacula',
      '--entity',
      FILES,
      '--target',
      directory,
    ]);
    expect(failureOf(result)).toEqual(
      oneLine(2, /^error: option '--tool <tool>' argument 'bacula' is invalid/),
    );
  });

  it('a restore target that is not empty: 2, and nothing in it is touched', async () => {
    const result = await cli([
      'restore-test',
      '--tool',
      'restic',
      '--entity',
      FILES,
      '--target',
      directory,
    ]);
    expect(failureOf(result)).toEqual(
      oneLine(2, /^backup-assurance: the restore target .* is not empty/),
    );
    expect(existsSync(repository.path)).toBe(true);
  });
});
