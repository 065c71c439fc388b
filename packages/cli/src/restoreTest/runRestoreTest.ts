import { RestoreTestInput } from '@backup-assurance/plugin-backup-common';
import { hostname } from 'node:os';
import { runShellCommand } from '../process/runProcess';
import { RecoveryPoint, RestoredCopy, StepReport, ToolDriver } from '../tools';
import { RestoreTestSteps, restoreTestRecord } from './restoreTestRecord';
import { ScratchTarget } from './ScratchTarget';

export interface RestoreTestOptions {
  target: string;
  /** The backup to restore; the latest when not given. */
  snapshot?: string;
  /** Shell commands that check the restored data, run in the target. */
  validate: string[];
  executor: string;
  scope?: string;
  evidenceUrl?: string;
  externalId?: string;
  /** Progress for people watching the job. */
  progress(line: string): void;
}

const notPerformed = (summary: string): StepReport => ({
  outcome: 'not-performed',
  summary,
  log: '',
});

const failedStep = (error: unknown): StepReport => ({
  outcome: 'failed',
  summary: (error as Error)?.message ?? String(error),
  log: '',
});

/** A step that threw (a full disk, a missing pg_ctl) failed; the test goes on. */
async function attempt(step: () => Promise<StepReport>): Promise<StepReport> {
  try {
    return await step();
  } catch (error) {
    return failedStep(error);
  }
}

async function runValidationCommands(
  commands: string[],
  copy: RestoredCopy,
): Promise<StepReport> {
  if (commands.length === 0) {
    return notPerformed('no --validate command was given');
  }
  const failed: string[] = [];
  const logs: string[] = [];
  for (const command of commands) {
    const run = await runShellCommand(command, {
      cwd: copy.cwd,
      env: copy.env,
    });
    if (run.exitCode !== 0) failed.push(`${command} (exit ${run.exitCode})`);
    logs.push(`$ ${command}\n${run.output}`);
  }
  return {
    outcome: failed.length ? 'failed' : 'passed',
    summary: failed.length
      ? `${failed.length} of ${
          commands.length
        } validation commands failed: ${failed.join('; ')}`
      : `${commands.length} validation commands passed: ${commands.join('; ')}`,
    log: logs.join('\n'),
  };
}

/** Brings the restored copy up; a copy that fails still gets released. */
async function startRestoredCopy(
  driver: ToolDriver,
  point: RecoveryPoint,
  scratch: ScratchTarget,
): Promise<RestoredCopy | StepReport> {
  try {
    const copy = await driver.startRestored(point, scratch.path);
    scratch.onCleanup(copy.release);
    return copy;
  } catch (error) {
    return failedStep(error);
  }
}

const isCopy = (value: RestoredCopy | StepReport): value is RestoredCopy =>
  'release' in value;

/** Restore, bring up, validate, check integrity: each step recorded as it went. */
async function performSteps(
  driver: ToolDriver,
  point: RecoveryPoint,
  scratch: ScratchTarget,
  options: RestoreTestOptions,
): Promise<{ steps: RestoreTestSteps; restoreDurationSeconds: number }> {
  const started = Date.now();
  options.progress(`restoring ${point.description} into ${scratch.path}`);
  const restored = await attempt(() => driver.restore(point, scratch.path));
  const copy =
    restored.outcome === 'passed'
      ? await startRestoredCopy(driver, point, scratch)
      : restored;
  // the achieved recovery time: until the restored copy is usable
  const restoreDurationSeconds = Math.round((Date.now() - started) / 1000);
  const recoverability: StepReport = isCopy(copy)
    ? {
        ...copy.recoverability,
        summary: `${restored.summary}; ${copy.recoverability.summary}`,
        log: [restored.log, copy.recoverability.log].join('\n'),
      }
    : copy;
  options.progress(`recoverability: ${recoverability.outcome}`);
  const application =
    isCopy(copy) && recoverability.outcome === 'passed'
      ? await runValidationCommands(options.validate, copy)
      : notPerformed('the restored copy did not come up');
  options.progress(`application: ${application.outcome}`);
  if (isCopy(copy)) await copy.release();
  options.progress(`checking the repository's integrity (${driver.tool})`);
  const integrity = await attempt(() => driver.verify(point));
  options.progress(`integrity: ${integrity.outcome}`);
  return {
    steps: { integrity, recoverability, application },
    restoreDurationSeconds,
  };
}

/**
 * Performs a real restore test with a backup tool and returns the record to
 * post. Only a repository that does not open (or a tool that is missing)
 * ends it without a record: then nothing about the backup was learned.
 */
export async function runRestoreTest(
  driver: ToolDriver,
  options: RestoreTestOptions,
): Promise<RestoreTestInput> {
  const startedAt = new Date();
  const point = await driver.findRecoveryPoint(options.snapshot);
  const scratch = await ScratchTarget.prepare(options.target);
  const removeSignalHandlers = scratch.cleanUpOnSignals();
  let outcome: Awaited<ReturnType<typeof performSteps>>;
  try {
    outcome = await performSteps(driver, point, scratch, options);
  } finally {
    await scratch.cleanup();
    removeSignalHandlers();
  }
  return restoreTestRecord({
    tool: driver.tool,
    point,
    steps: outcome.steps,
    startedAt,
    completedAt: new Date(),
    restoreDurationSeconds: outcome.restoreDurationSeconds,
    scope:
      options.scope ??
      `${
        point.description
      }, restored into a scratch directory on ${hostname()}`,
    executor: options.executor,
    evidenceUrl: options.evidenceUrl,
    externalId: options.externalId,
  });
}
