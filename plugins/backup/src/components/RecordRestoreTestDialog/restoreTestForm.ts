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

/** `2026-11-20T10:30` (local) -> ISO 8601 in UTC; undefined when empty or unreadable. */
const toIso = (local: string) => {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const optional = (text: string) => text.trim() || undefined;

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
  const problems: EvidenceInputProblem[] = [];
  const require = (
    field: keyof RestoreTestForm,
    ok: boolean,
    message: string,
  ) => {
    if (!ok) problems.push({ field, message });
  };
  require('startedAt', !!toIso(
    form.startedAt,
  ), 'Enter when the restore started.');
  require('completedAt', !!toIso(
    form.completedAt,
  ), 'Enter when the restore completed.');
  require('recoveryPointAt', !form.recoveryPointAt ||
    !!toIso(
      form.recoveryPointAt,
    ), 'Enter a valid date and time, or leave it empty.');
  require('result', (RESTORE_TEST_RESULTS as readonly string[]).includes(
    form.result,
  ), 'Choose the result.');
  require('scope', form.scope.trim().length > 0, 'Say what was restored.');
  require('executor', form.executor.trim().length > 0, 'Say who ran the test.');
  require('evidenceUrl', !form.evidenceUrl.trim() ||
    /^https?:\/\/\S+$/.test(
      form.evidenceUrl.trim(),
    ), 'Use an http(s) link to the ticket, log or report.');
  const limits: Array<[keyof RestoreTestForm, number]> = [
    ['scope', EVIDENCE_LIMITS.longText],
    ['executor', EVIDENCE_LIMITS.shortText],
    ['evidenceUrl', EVIDENCE_LIMITS.url],
    ['issuesFound', EVIDENCE_LIMITS.longText],
    ['remediation', EVIDENCE_LIMITS.longText],
  ];
  for (const [field, max] of limits) {
    require(field, String(form[field]).trim().length <=
      max, `${LABELS[field]} is too long (at most ${max} characters).`);
  }
  if (toIso(form.startedAt) && toIso(form.completedAt)) {
    problems.push(
      ...restoreTestInputProblems(toRestoreTestInput(form), now).map(p => ({
        field: p.field,
        message: wordsFor(p),
      })),
    );
  }
  // the first problem of each field is the one to show
  const byField: Record<string, string> = {};
  for (const problem of problems) {
    byField[problem.field] ??= problem.message;
  }
  return byField;
}

function wordsFor(problem: EvidenceInputProblem): string {
  if (problem.message.endsWith('is in the future')) {
    return `${LABELS[problem.field]} cannot be in the future.`;
  }
  if (problem.field === 'completedAt') {
    return 'Completed must be after Started.';
  }
  if (problem.field === 'recoveryPointAt') {
    return 'The recovery point must be before the restore started.';
  }
  return problem.message;
}
