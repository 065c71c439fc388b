// Test-only: runs the CLI as users do, as a child process through its bin.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/backup-assurance');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment variables of the test process that would leak into the CLI's. */
const INHERITED_SETTINGS = /^(BACKUP_ASSURANCE_|RESTIC_|PGBACKREST_|BORG_)/;

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string } = {},
): Promise<CliRun> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !INHERITED_SETTINGS.test(key),
    ),
  );
  return new Promise(resolvePromise => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...base, ...env },
        cwd: options.cwd,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolvePromise({
          exitCode: typeof code === 'number' ? code : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** The exit code and stderr's lines, to compare with `oneLine`. */
export const failureOf = (result: { exitCode: number; stderr: string }) => ({
  exitCode: result.exitCode,
  stderr: result.stderr.trimEnd().split('\n'),
});

/** A failure of one line on stderr (no stack) and this exit code. */
export const oneLine = (exitCode: number, message: RegExp) => ({
  exitCode,
  stderr: [expect.stringMatching(message)],
});

/** The finding codes of an entity's status. */
export const findingCodes = (status: { findings: { code: string }[] }) =>
  status.findings.map(finding => finding.code);
