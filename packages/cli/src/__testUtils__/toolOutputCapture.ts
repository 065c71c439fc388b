// Test-only: the tools' machine output from the tests' real runs, kept as
// examples/tool-output/* when CAPTURE_TOOL_OUTPUT=1 (captured once; the
// parser tests read them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
export const TOOL_OUTPUT_DIR = resolve(REPOSITORY_ROOT, 'examples/tool-output');

export function captureToolOutput(file: string, output: string) {
  if (process.env.CAPTURE_TOOL_OUTPUT !== '1') return;
  mkdirSync(TOOL_OUTPUT_DIR, { recursive: true });
  const path = resolve(TOOL_OUTPUT_DIR, file);
  writeFileSync(path, output);
  // laid out as the repository's prettier check wants; the text of every
  // value (e.g. pgBackRest's 64-bit system-id) stays exactly as printed
  execFileSync('yarn', ['prettier', '--write', path], {
    cwd: REPOSITORY_ROOT,
    stdio: 'ignore',
  });
}
