import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../__testUtils__/runCli';
import {
  CliTestBackend,
  startCliTestBackend,
  TOKENS,
} from '../__testUtils__/testBackend';
import { main } from '../main';

const FIXTURES = 'src/__fixtures__/lint';
const PII = `${FIXTURES}/pii-unencrypted.yaml`;
const OVERDUE = `${FIXTURES}/overdue.yaml`;
/** A child process loads the TypeScript sources first: seconds, not milliseconds. */
const PROCESS_TIMEOUT_MS = 60_000;

/** The command in this process (the cwd is the package), its output captured. */
async function lint(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  try {
    const exitCode = await main(['node', 'backup-assurance', 'lint', ...args]);
    return { exitCode, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('backup-assurance lint', () => {
  const savedUrl = process.env.BACKUP_ASSURANCE_URL;
  // paths as a user types them, relative to the package, also when the
  // repository's test command runs from the root
  const savedCwd = process.cwd();
  beforeAll(() => process.chdir(resolve(__dirname, '../..')));
  afterAll(() => process.chdir(savedCwd));
  beforeEach(() => {
    delete process.env.BACKUP_ASSURANCE_URL;
  });
  afterAll(() => {
    if (savedUrl !== undefined) process.env.BACKUP_ASSURANCE_URL = savedUrl;
  });

  it('exits 1 on errors, printing each at its file, line and column', async () => {
    const { exitCode, stdout } = await lint(PII);
    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      `${PII}:12:37  error  resource:default/customers-db: Backups of pii data must be encrypted like production, but encryption is "none".  [encryption-required]\n`,
    );
    expect(stdout).toMatch(
      /\n4 errors, 4 warnings, 0 notes in 1 file; backup policy unversioned \(the default policy\)\n$/,
    );
  });

  it('exits 0 when the only problem is a restore test that fell due', async () => {
    const { exitCode, stdout } = await lint(OVERDUE);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('warning');
    expect(stdout).toContain('[restore-test-overdue]');
  });

  it('exits 0 with --warn-only, errors reported as warnings', async () => {
    const { exitCode, stdout } = await lint(PII, '--warn-only');
    expect(exitCode).toBe(0);
    expect(stdout).not.toContain('  error  ');
    expect(stdout).toContain('0 errors, 8 warnings');
  });

  it('prints JSON with --format json', async () => {
    const { exitCode, stdout } = await lint(PII, '--format', 'json');
    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      files: [PII],
      errorCount: 4,
      warningCount: 4,
      policy: { version: 'unversioned', source: 'the default policy' },
    });
    expect(report.problems[0]).toEqual({
      file: PII,
      line: 6,
      column: 3,
      severity: 'warning',
      code: 'access-review-missing',
      message: expect.any(String),
      entityRef: 'resource:default/customers-db',
      annotation: 'backup-assurance.io/last-access-review',
    });
  });

  it('prints GitHub annotations with --format github', async () => {
    const { exitCode, stdout } = await lint(PII, '--format', 'github');
    expect(exitCode).toBe(1);
    expect(stdout.split('\n')).toContain(
      `::error file=${PII},line=12,col=37,title=backup-assurance encryption-required::resource:default/customers-db: Backups of pii data must be encrypted like production, but encryption is "none".`,
    );
  });

  it('reads the policy from --config', async () => {
    const { exitCode, stdout } = await lint(
      OVERDUE,
      '--config',
      `${FIXTURES}/app-config.lint.yaml`,
    );
    expect(exitCode).toBe(0);
    expect(stdout).toBe(
      `0 errors, 0 warnings, 0 notes in 1 file; backup policy fixture-1 (${FIXTURES}/app-config.lint.yaml)\n`,
    );
  });

  describe('usage errors exit 2', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lint-config-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it.each([
      [['--format', 'xml', PII], /argument 'xml' is invalid/],
      [['nothing-here-*.yaml'], /no file matches nothing-here-\*\.yaml/],
      [
        [PII, '--config', 'app-config.yaml', '--backend', 'http://x'],
        /either --config or --backend/,
      ],
      [
        [PII, '--config', 'missing.yaml'],
        /--config missing\.yaml cannot be read/,
      ],
    ])('%j', async (args, message) => {
      const { exitCode, stderr } = await lint(...args);
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(message);
    });

    it('names the key of an invalid policy', async () => {
      const config = join(dir, 'app-config.yaml');
      await writeFile(
        config,
        'backup:\n  policy:\n    requiredAnnotations: [methods]\n',
      );
      const { exitCode, stderr } = await lint(PII, '--config', config);
      expect(exitCode).toBe(2);
      expect(stderr).toContain(
        "Invalid backup policy config at 'backup.policy.requiredAnnotations[0]': unknown annotation 'methods'",
      );
    });
  });

  it(
    'is the exit code of the process too',
    async () => {
      const failing = await runCli(['lint', PII, '--format', 'json']);
      expect(failing.exitCode).toBe(1);
      expect(JSON.parse(failing.stdout).errorCount).toBe(4);
      expect((await runCli(['lint', OVERDUE])).exitCode).toBe(0);
    },
    PROCESS_TIMEOUT_MS,
  );

  describe('with the policy of a running backend', () => {
    let backend: CliTestBackend;
    beforeAll(async () => {
      backend = await startCliTestBackend([], {
        policy: {
          version: 'backend-7',
          requiredAnnotations: ['method', 'rpo'],
          restoreTestInterval: { default: 'P100Y' },
        },
      });
    }, 120_000);
    afterAll(() => backend?.stop());

    it(
      'lints against the policy the backend serves, with the CI token',
      async () => {
        const { exitCode, stdout, stderr } = await runCli(
          ['lint', OVERDUE, '--format', 'json'],
          {
            BACKUP_ASSURANCE_URL: backend.url,
            BACKUP_ASSURANCE_TOKEN: TOKENS.writer,
          },
        );
        expect(stderr).toBe('');
        expect(exitCode).toBe(1);
        const report = JSON.parse(stdout);
        expect(report.policy).toEqual({
          version: 'backend-7',
          source: backend.url,
        });
        // rpo is required by this policy, and no restore test is overdue
        expect(
          report.problems.map((p: { code: string; annotation: string }) => [
            p.code,
            p.annotation,
          ]),
        ).toEqual([['annotation-missing', 'backup-assurance.io/rpo']]);
      },
      PROCESS_TIMEOUT_MS,
    );

    it(
      'exits 4 when the backend refuses the token',
      async () => {
        const { exitCode, stderr } = await runCli(
          ['lint', OVERDUE, '--backend', backend.url],
          { BACKUP_ASSURANCE_TOKEN: 'not-a-token-0123456789' },
        );
        expect(exitCode).toBe(4);
        expect(stderr).toContain('refused the token');
      },
      PROCESS_TIMEOUT_MS,
    );
  });
});
