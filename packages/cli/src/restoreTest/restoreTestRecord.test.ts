import {
  EVIDENCE_LIMITS,
  restoreTestInputProblems,
} from '@backup-assurance/plugin-backup-common';
import { StepReport } from '../tools';
import {
  RestoreTestSteps,
  restoreTestRecord,
  restoreTestResult,
} from './restoreTestRecord';

const step = (
  outcome: StepReport['outcome'],
  summary: string = outcome,
): StepReport => ({
  outcome,
  summary,
  log: '',
});

const steps = (
  integrity: StepReport['outcome'],
  recoverability: StepReport['outcome'],
  application: StepReport['outcome'],
): RestoreTestSteps => ({
  integrity: step(integrity),
  recoverability: step(recoverability),
  application: step(application),
});

describe('restoreTestResult', () => {
  it.each([
    [steps('passed', 'passed', 'passed'), 'succeeded'],
    [steps('passed', 'passed', 'not-performed'), 'succeeded'],
    [steps('passed', 'passed', 'failed'), 'partial'],
    [steps('failed', 'passed', 'passed'), 'failed'],
    [steps('passed', 'failed', 'not-performed'), 'failed'],
  ])('%j is %s', (given, result) => {
    expect(restoreTestResult(given)).toBe(result);
  });
});

describe('restoreTestRecord', () => {
  const startedAt = new Date(Date.now() - 60_000);
  const facts = {
    tool: 'restic' as const,
    point: {
      id: 'a'.repeat(64),
      at: new Date(Date.now() - 3_600_000).toISOString(),
      description: 'restic snapshot aaaaaaaa of app-1:/data',
    },
    startedAt,
    completedAt: new Date(),
    restoreDurationSeconds: 42,
    scope: 'restic snapshot aaaaaaaa of app-1:/data',
    executor: 'backup-assurance CLI on runner-1',
  };

  it('keeps every text of a failed test within the limits and names what failed', () => {
    const huge = 'pack 1234: ciphertext verification failed\n'.repeat(1000);
    const record = restoreTestRecord({
      ...facts,
      steps: {
        integrity: {
          outcome: 'failed',
          summary: 'restic check found errors',
          log: huge,
        },
        recoverability: {
          outcome: 'failed',
          summary: 'restic restore failed',
          log: huge,
        },
        application: step('not-performed', 'the restored copy did not come up'),
      },
    });
    expect(record).toMatchObject({
      result: 'failed',
      source: 'restic',
      recoveryPointAt: facts.point.at,
      restoreDurationSeconds: 42,
      externalId: `restic-restore-test:${'a'.repeat(
        64,
      )}:${startedAt.toISOString()}`,
      issuesFound: expect.stringMatching(
        /^integrity: restic check found errors\nrecoverability: restic restore failed\n…/,
      ),
    });
    for (const text of [
      record.issuesFound!,
      ...record.validation.map(v => v.notes!),
    ]) {
      expect(text.length).toBeLessThanOrEqual(EVIDENCE_LIMITS.longText);
    }
    expect(restoreTestInputProblems(record, new Date())).toEqual([]);
  });

  it('has no issues when every step passed, and takes a given external id', () => {
    const record = restoreTestRecord({
      ...facts,
      steps: steps('passed', 'passed', 'passed'),
      externalId: 'nightly-restore-8812',
      evidenceUrl: 'https://ci.example.com/runs/8812',
    });
    expect(record.issuesFound).toBeUndefined();
    expect(record).toMatchObject({
      result: 'succeeded',
      externalId: 'nightly-restore-8812',
      evidenceUrl: 'https://ci.example.com/runs/8812',
    });
  });
});
