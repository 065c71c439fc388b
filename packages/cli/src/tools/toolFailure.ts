import { ProcessRun } from '../process/runProcess';
import { StepReport } from './ToolDriver';

const PYTHON_TRACEBACK = 'Traceback (most recent call last):';

/**
 * The line a tool gives as its reason for failing (`Fatal: …` from restic,
 * `ERROR: […]` from pgBackRest, the line before its traceback from borg),
 * else its last line of output.
 */
export function toolFailureLine(run: ProcessRun): string {
  const lines = run.output
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);
  const tagged = lines.find(line => /^(Fatal|ERROR)\b/.test(line));
  // borg states the error, then a traceback and the platform's details
  const traceback = lines.indexOf(PYTHON_TRACEBACK);
  const reason =
    tagged ??
    (traceback > 0 ? lines[traceback - 1] : undefined) ??
    lines[lines.length - 1];
  return reason ?? `exit code ${run.exitCode}`;
}

/**
 * A step judged by the tool's exit code: passed, or failed with the reason
 * the tool gave after `failed` (`<failed>: <reason>`).
 */
export function exitCodeStep(
  run: ProcessRun,
  summaries: { passed: string; failed: string },
): StepReport {
  return run.exitCode === 0
    ? { outcome: 'passed', summary: summaries.passed, log: run.output }
    : {
        outcome: 'failed',
        summary: `${summaries.failed}: ${toolFailureLine(run)}`,
        log: run.output,
      };
}
