import { ProcessRun } from '../process/runProcess';

/**
 * The line a tool gives as its reason for failing (`Fatal: …` from restic,
 * `ERROR: […]` from pgBackRest), else its last line of output.
 */
export function toolFailureLine(run: ProcessRun): string {
  const lines = run.output
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);
  const reason =
    lines.find(line => /^(Fatal|ERROR)\b/.test(line)) ??
    lines[lines.length - 1];
  return reason ?? `exit code ${run.exitCode}`;
}
