import {
  ACCESS_REVIEW_OUTCOMES,
  AccessReviewInput,
  accessReviewInputProblems,
  AccessReviewOutcome,
  EVIDENCE_LIMITS,
} from '@backup-assurance/plugin-backup-common';
import {
  formProblems,
  isEmptyOrHttpLink,
  optional,
  toIso,
} from '../EvidenceFormDialog';

/** The dialog's fields as typed; the time is the browser's local time. */
export interface AccessReviewForm {
  reviewedAt: string;
  reviewer: string;
  outcome: AccessReviewOutcome | '';
  /** One administrator per line or comma. */
  admins: string;
  evidenceUrl: string;
  notes: string;
}

/** Starts from the administrators the entity declares, if any. */
export const emptyAccessReviewForm = (
  admins: string[] = [],
): AccessReviewForm => ({
  reviewedAt: '',
  reviewer: '',
  outcome: '',
  admins: admins.join('\n'),
  evidenceUrl: '',
  notes: '',
});

const LABELS: Record<string, string> = {
  reviewedAt: 'Reviewed',
  reviewer: 'Reviewed by',
  outcome: 'Outcome',
  admins: 'Administrators',
  evidenceUrl: 'Evidence link',
  notes: 'Notes',
};

/** `a, b\nc` -> `['a', 'b', 'c']`, without blanks and repeats. */
export const adminsOf = (text: string) => [
  ...new Set(
    text
      .split(/[,\n]/)
      .map(item => item.trim())
      .filter(Boolean),
  ),
];

export function toAccessReviewInput(form: AccessReviewForm): AccessReviewInput {
  return {
    reviewedAt: toIso(form.reviewedAt)!,
    reviewer: form.reviewer.trim(),
    outcome: form.outcome as AccessReviewOutcome,
    admins: adminsOf(form.admins),
    evidenceUrl: optional(form.evidenceUrl),
    notes: optional(form.notes),
    source: 'manual',
  };
}

/**
 * The same rules the API applies (required fields, allowed values, sizes, no
 * future date), worded per field for the form.
 */
export function accessReviewFormProblems(
  form: AccessReviewForm,
  now: Date,
): Record<string, string> {
  const problems = formProblems(LABELS);
  const { check } = problems;
  const admins = adminsOf(form.admins);
  const { accessReviewAdmins, shortText } = EVIDENCE_LIMITS;
  check(
    'reviewedAt',
    !!toIso(form.reviewedAt),
    'Enter when access was reviewed.',
  );
  check(
    'reviewer',
    form.reviewer.trim().length > 0,
    'Say who reviewed the access.',
  );
  check(
    'outcome',
    (ACCESS_REVIEW_OUTCOMES as readonly string[]).includes(form.outcome),
    'Choose the outcome.',
  );
  check(
    'admins',
    admins.length > 0,
    'List who can delete backups or disable backup jobs after the review.',
  );
  check(
    'admins',
    admins.length <= accessReviewAdmins,
    `List at most ${accessReviewAdmins} administrators (${admins.length} given); name groups or roles rather than people.`,
  );
  check(
    'admins',
    admins.every(admin => admin.length <= shortText),
    `Each administrator is at most ${shortText} characters.`,
  );
  check(
    'evidenceUrl',
    isEmptyOrHttpLink(form.evidenceUrl),
    'Use an http(s) link to the review record.',
  );
  problems.limit([
    ['reviewer', form.reviewer, shortText],
    ['evidenceUrl', form.evidenceUrl, EVIDENCE_LIMITS.url],
    ['notes', form.notes, EVIDENCE_LIMITS.longText],
  ]);
  if (toIso(form.reviewedAt)) {
    problems.add(accessReviewInputProblems(toAccessReviewInput(form), now));
  }
  return problems.byField();
}
