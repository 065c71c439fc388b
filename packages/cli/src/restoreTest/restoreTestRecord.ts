import {
  RestoreTestInput,
  RestoreTestResult,
  ValidationStepType,
} from '@backup-assurance/plugin-backup-common';
import { RecoveryPoint, StepReport, ToolName } from '../tools';
import { boundedNotes } from './evidenceText';

export type RestoreTestSteps = Record<ValidationStepType, StepReport>;

/**
 * A backup whose data is damaged or that cannot be brought back failed; one
 * that came back but did not pass the application's checks partly succeeded.
 */
export function restoreTestResult(steps: RestoreTestSteps): RestoreTestResult {
  if (
    steps.integrity.outcome === 'failed' ||
    steps.recoverability.outcome === 'failed'
  ) {
    return 'failed';
  }
  return steps.application.outcome === 'failed' ? 'partial' : 'succeeded';
}

const STEP_ORDER: ValidationStepType[] = [
  'integrity',
  'recoverability',
  'application',
];

/** What went wrong, step by step, with the log of the first failure. */
function issuesFound(steps: RestoreTestSteps): string | undefined {
  const failed = STEP_ORDER.filter(type => steps[type].outcome === 'failed');
  if (failed.length === 0) return undefined;
  return boundedNotes(
    failed.map(type => `${type}: ${steps[type].summary}`).join('\n'),
    steps[failed[0]].log,
  );
}

export interface RestoreTestFacts {
  tool: ToolName;
  point: RecoveryPoint;
  steps: RestoreTestSteps;
  startedAt: Date;
  completedAt: Date;
  restoreDurationSeconds: number;
  scope: string;
  executor: string;
  evidenceUrl?: string;
  externalId?: string;
}

/** The record a restore test posts, every text within the API's limits. */
export function restoreTestRecord(facts: RestoreTestFacts): RestoreTestInput {
  const { tool, point, steps, startedAt } = facts;
  const issues = issuesFound(steps);
  return {
    startedAt: startedAt.toISOString(),
    completedAt: facts.completedAt.toISOString(),
    result: restoreTestResult(steps),
    scope: boundedNotes(facts.scope),
    recoveryPointAt: point.at,
    restoreDurationSeconds: facts.restoreDurationSeconds,
    validation: STEP_ORDER.map(type => ({
      type,
      outcome: steps[type].outcome,
      notes: boundedNotes(steps[type].summary, steps[type].log),
    })),
    executor: facts.executor,
    ...(facts.evidenceUrl && { evidenceUrl: facts.evidenceUrl }),
    ...(issues && { issuesFound: issues }),
    source: tool,
    // the same test posted again (a retry) is stored once
    externalId:
      facts.externalId ??
      `${tool}-restore-test:${point.id}:${startedAt.toISOString()}`,
  };
}
