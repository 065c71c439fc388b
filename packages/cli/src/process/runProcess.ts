import { spawn } from 'node:child_process';
import { ConfigurationError } from '../errors';

/** What a finished tool or command left behind. */
export interface ProcessRun {
  /** The command line, for notes (arguments as given, no secrets). */
  commandLine: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived, for log excerpts. */
  output: string;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the CLI's own environment. */
  env?: Record<string, string | undefined>;
  /** Run as another user (only when the CLI runs as root). */
  uid?: number;
  gid?: number;
  timeoutSeconds?: number;
}

/** Interleaved output beyond this is cut from the front: excerpts use the end. */
const MAX_OUTPUT_CHARS = 1_000_000;

function appendBounded(current: string, chunk: string): string {
  const joined = current + chunk;
  return joined.length > MAX_OUTPUT_CHARS
    ? joined.slice(joined.length - MAX_OUTPUT_CHARS)
    : joined;
}

/**
 * Runs a program to completion and captures its output. A program that is
 * not installed is a configuration problem, reported in one line; any exit
 * code is returned for the caller to judge.
 */
export function runProcess(
  program: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessRun> {
  const commandLine = [program, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutSeconds
        ? options.timeoutSeconds * 1000
        : undefined,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      output = appendBounded(output, chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = appendBounded(stderr, chunk.toString('utf8'));
      output = appendBounded(output, chunk.toString('utf8'));
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new ConfigurationError(
              `${program} is not installed or not on PATH (needed for: ${commandLine})`,
            )
          : error,
      );
    });
    child.on('close', (code, signal) => {
      resolve({
        commandLine,
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr,
        output: signal ? `${output}\n(stopped by ${signal})` : output,
      });
    });
  });
}

/** Runs a user's shell command line (a --validate check). */
export function runShellCommand(
  command: string,
  options: RunOptions = {},
): Promise<ProcessRun> {
  return runProcess('sh', ['-c', command], options).then(run => ({
    ...run,
    commandLine: command,
  }));
}
