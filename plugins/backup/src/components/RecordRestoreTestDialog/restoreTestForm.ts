import {
  EVIDENCE_LIMITS,
  EvidenceInputProblem,
  RESTORE_TEST_RESULTS,
  RestoreTestInput,
  restoreTestInputProblems,
  RestoreTestResult,
  VALIDATION_STEP_TYPES,
  ValidationOutcome,
  ValidationStepType,
} from '@backup-assurance/plugin-backup-common';
import {
  formProblems,
  isEmptyOrHttpLink,
  optional,
  toIso,
} from '../EvidenceFormDialog';

/** The dialog's fields as typed; times are the browser's local time. */
export interface RestoreTestForm {
  startedAt: string;
  completedAt: string;
  recoveryPointAt: string;
  result: RestoreTestResult | '';
  scope: string;
  executor: string;
  evidenceUrl: string;
  issuesFound: string;
  remediation: string;
  validation: Record<ValidationStepType, ValidationOutcome>;
}

export const emptyRestoreTestForm = (executor = ''): RestoreTestForm => ({
  startedAt: '',
  completedAt: '',
  recoveryPointAt: '',
  result: '',
  scope: '',
  executor,
  evidenceUrl: '',
  issuesFound: '',
  remediation: '',
  validation: {
    integrity: 'not-performed',
    recoverability: 'not-performed',
    application: 'not-performed',
  },
});

const LABELS: Record<string, string> = {
  startedAt: 'Started',
  completedAt: 'Completed',
  recoveryPointAt: 'Recovery point',
  result: 'Result',
  scope: 'What was restored',
  executor: 'Executed by',
  evidenceUrl: 'Evidence link',
  issuesFound: 'Issues found',
  remediation: 'Remediation',
};

export function toRestoreTestInput(form: RestoreTestForm): RestoreTestInput {
  return {
    startedAt: toIso(form.startedAt)!,
    completedAt: toIso(form.completedAt)!,
    recoveryPointAt: toIso(form.recoveryPointAt),
    result: form.result as RestoreTestResult,
    scope: form.scope.trim(),
    executor: form.executor.trim(),
    evidenceUrl: optional(form.evidenceUrl),
    issuesFound: optional(form.issuesFound),
    remediation: optional(form.remediation),
    validation: VALIDATION_STEP_TYPES.map(type => ({
      type,
      outcome: form.validation[type],
    })),
    source: 'manual',
  };
}

/**
 * The same rules the API applies (required fields, allowed values, sizes,
 * time order, no future dates), worded per field for the form.
 */
export function restoreTestFormProblems(
  form: RestoreTestForm,
  now: Date,
): Record<string, string> {
  const problems = formProblems(LABELS);
  const { check } = problems;
  check(
    'startedAt',
    !!toIso(form.startedAt),
    'Enter when the restore started.',
  );
  check(
    'completedAt',
    !!toIso(form.completedAt),
    'Enter when the restore completed.',
  );
  check(
    'recoveryPointAt',
    !form.recoveryPointAt || !!toIso(form.recoveryPointAt),
    'Enter a valid date and time, or leave it empty.',
  );
  check(
    'result',
    (RESTORE_TEST_RESULTS as readonly string[]).includes(form.result),
    'Choose the result.',
  );
  check('scope', form.scope.trim().length > 0, 'Say what was restored.');
  check('executor', form.executor.trim().length > 0, 'Say who ran the test.');
  check(
    'evidenceUrl',
    isEmptyOrHttpLink(form.evidenceUrl),
    'Use an http(s) link to the ticket, log or report.',
  );
  problems.limit([
    ['scope', form.scope, EVIDENCE_LIMITS.longText],
    ['executor', form.executor, EVIDENCE_LIMITS.shortText],
    ['evidenceUrl', form.evidenceUrl, EVIDENCE_LIMITS.url],
    ['issuesFound', form.issuesFound, EVIDENCE_LIMITS.longText],
    ['remediation', form.remediation, EVIDENCE_LIMITS.longText],
  ]);
  if (toIso(form.startedAt) && toIso(form.completedAt)) {
    problems.add(
      restoreTestInputProblems(toRestoreTestInput(form), now),
      wordsFor,
    );
  }
  return problems.byField();
}

function wordsFor(problem: EvidenceInputProblem): string {
  if (problem.message === 'completedAt is before startedAt') {
    return 'Completed must be after Started.';
  }
  if (problem.message.startsWith('recoveryPointAt is after startedAt')) {
    return 'The recovery point must be before the restore started.';
  }
  return problem.message;
}
