import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { runCli } from '../__testUtils__/runCli';
import { lintCatalogFiles, lintExitCode } from './lintCatalog';
import { policyFromConfigFiles } from './lintPolicy';
import {
  REPO_LINT_EXPECTED_ERRORS,
  repoLintArgs,
  repoLintDifferences,
} from './repoLintExpectation';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = resolve(__dirname, '../../scripts/lint-repo-examples.js');
const PROCESS_TIMEOUT_MS = 60_000;

/** The patterns and --config files of the arguments CI passes. */
function splitArgs(args: string[]) {
  const config = args.indexOf('--config');
  return {
    patterns: args.slice(0, config),
    config: args.slice(config + 1).map(file => resolve(ROOT, file)),
  };
}

describe("the repository's own catalog files", () => {
  it('carry exactly the errors the demo intends', async () => {
    const { patterns, config } = splitArgs(repoLintArgs(ROOT));
    const { policy } = await policyFromConfigFiles(config);
    const { files, problems } = await lintCatalogFiles(patterns, ROOT, {
      policy,
      now: new Date(),
    });
    expect(files).toEqual(
      expect.arrayContaining(['examples/entities.yaml', 'catalog-info.yaml']),
    );
    expect(repoLintDifferences(problems)).toEqual({
      unexpected: [],
      missing: [],
    });
    expect(lintExitCode(problems)).toBe(1);
    expect(REPO_LINT_EXPECTED_ERRORS.length).toBeGreaterThan(0);
  });

  it(
    'pass the check CI runs with the real command',
    async () => {
      const { code, stdout, stderr } = await new Promise<{
        code: number;
        stdout: string;
        stderr: string;
      }>(done =>
        execFile(process.execPath, [SCRIPT], (error, out, err) =>
          done({
            code: typeof error?.code === 'number' ? error.code : 0,
            stdout: out,
            stderr: err,
          }),
        ),
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(
        `the ${REPO_LINT_EXPECTED_ERRORS.length} expected errors`,
      );
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'are found by default as catalog-info.yaml in the working directory',
    async () => {
      const { exitCode, stdout } = await runCli(
        ['lint', '--format', 'json'],
        {},
        { cwd: ROOT },
      );
      expect(JSON.parse(stdout).files).toEqual(['catalog-info.yaml']);
      expect(exitCode).toBe(0);
    },
    PROCESS_TIMEOUT_MS,
  );
});
