import {
  AccessReviewInput,
  BackupRunInput,
  RestoreTestInput,
  VALIDATION_STEP_TYPES,
  ValidationOutcome,
  ValidationStepType,
} from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'fs';
import { dirname } from 'path';
import { parse } from 'yaml';
import { DemoToolOutput, readToolEvidence } from './toolEvidence';

interface DemoRestoreTest {
  id: string;
  entity: string;
  correctionOf?: string;
  daysAgo: number;
  durationMinutes: number;
  recoveryPointHoursBefore?: number;
  result: RestoreTestInput['result'];
  scope: string;
  validation: Record<ValidationStepType, ValidationOutcome>;
  executor: string;
  evidenceUrl?: string;
  issuesFound?: string;
  remediation?: string;
  source?: string;
}

interface DemoBackupRun extends Omit<BackupRunInput, 'runAt' | 'externalId'> {
  id: string;
  entity: string;
  hoursAgo: number;
}

interface DemoAccessReview
  extends Omit<AccessReviewInput, 'reviewedAt' | 'externalId'> {
  id: string;
  entity: string;
  daysAgo: number;
}

/** One record to post, in file order (a correction after what it corrects). */
export type DemoSubmission =
  | {
      type: 'restore-test';
      id: string;
      entityRef: string;
      correctionOf?: string;
      input: RestoreTestInput;
    }
  | {
      type: 'backup-run';
      id: string;
      entityRef: string;
      input: BackupRunInput;
    }
  | {
      type: 'access-review';
      id: string;
      entityRef: string;
      input: AccessReviewInput;
    };

const HOUR = 3600_000;

/**
 * Reads examples/evidence.yaml, and the captured tool output it names, into
 * API submissions with times relative to `now`.
 */
export function readDemoEvidence(file: string, now: Date): DemoSubmission[] {
  const data = parse(readFileSync(file, 'utf8')) as {
    restoreTests?: DemoRestoreTest[];
    backupRuns?: DemoBackupRun[];
    accessReviews?: DemoAccessReview[];
    toolOutput?: DemoToolOutput[];
  };
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  const restoreTests = (data.restoreTests ?? []).map((test): DemoSubmission => {
    const started = ago(test.daysAgo * 24);
    const completed = new Date(
      started.getTime() + test.durationMinutes * 60_000,
    );
    return {
      type: 'restore-test',
      id: test.id,
      entityRef: test.entity,
      correctionOf: test.correctionOf,
      input: {
        startedAt: started.toISOString(),
        completedAt: completed.toISOString(),
        recoveryPointAt:
          test.recoveryPointHoursBefore === undefined
            ? undefined
            : new Date(
                started.getTime() - test.recoveryPointHoursBefore * HOUR,
              ).toISOString(),
        result: test.result,
        scope: test.scope,
        validation: VALIDATION_STEP_TYPES.map(type => ({
          type,
          outcome: test.validation[type] ?? 'not-performed',
        })),
        executor: test.executor,
        evidenceUrl: test.evidenceUrl,
        issuesFound: test.issuesFound,
        remediation: test.remediation,
        source: test.source ?? 'manual',
        externalId: `demo-${test.id}`,
      },
    };
  });
  const backupRuns = (data.backupRuns ?? []).map(
    ({ id, entity, hoursAgo, ...run }): DemoSubmission => ({
      type: 'backup-run',
      id,
      entityRef: entity,
      input: {
        ...run,
        runAt: ago(hoursAgo).toISOString(),
        externalId: `demo-${id}`,
      },
    }),
  );
  const accessReviews = (data.accessReviews ?? []).map(
    ({ id, entity, daysAgo, ...review }): DemoSubmission => ({
      type: 'access-review',
      id,
      entityRef: entity,
      input: {
        ...review,
        reviewedAt: ago(daysAgo * 24).toISOString(),
        externalId: `demo-${id}`,
      },
    }),
  );
  const fromTools = readToolEvidence(data.toolOutput ?? [], dirname(file), now);
  return [...restoreTests, ...backupRuns, ...accessReviews, ...fromTools];
}
