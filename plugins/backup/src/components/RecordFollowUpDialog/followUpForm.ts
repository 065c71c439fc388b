import {
  EVIDENCE_LIMITS,
  EvidenceInputProblem,
  FollowUpAction,
  FollowUpInput,
  followUpInputProblems,
} from '@backup-assurance/plugin-backup-common';
import { formProblems, optional } from '../EvidenceFormDialog';
import { FollowedFailure } from '../FailureFollowUp';

/** The dialog's fields as typed. */
export interface FollowUpForm {
  ticketUrl: string;
  resolution: string;
}

export const emptyFollowUpForm = (): FollowUpForm => ({
  ticketUrl: '',
  resolution: '',
});

const LABELS: Record<string, string> = {
  ticketUrl: 'Ticket link',
  resolution: 'Resolution',
  at: 'When',
};

/**
 * The follow-up as the API takes it, dated now: acknowledging sends the
 * ticket, resolving the note.
 */
export function toFollowUpInput(
  form: FollowUpForm,
  failure: FollowedFailure,
  action: FollowUpAction,
  now: Date,
): FollowUpInput {
  return {
    failure: { kind: failure.kind, id: failure.id },
    action,
    ...(action === 'acknowledged'
      ? { ticketUrl: optional(form.ticketUrl) }
      : { resolution: optional(form.resolution) }),
    at: now.toISOString(),
    source: 'manual',
  };
}

const WORDS: Record<string, string> = {
  'ticketUrl is required to acknowledge a failure':
    'Enter the link to the ticket that tracks this failure.',
  'ticketUrl must be an http(s) URL': 'Use an http(s) link to the ticket.',
  'resolution is required to resolve a failure':
    'Say how the failure was resolved.',
};

const wordsFor = (problem: EvidenceInputProblem) =>
  WORDS[problem.message] ?? problem.message;

/** The API's own rules for a follow-up, worded per field for the form. */
export function followUpFormProblems(
  failure: FollowedFailure,
  action: FollowUpAction,
) {
  return (form: FollowUpForm, now: Date): Record<string, string> => {
    const problems = formProblems(LABELS);
    problems.limit([
      ['ticketUrl', form.ticketUrl, EVIDENCE_LIMITS.url],
      ['resolution', form.resolution, EVIDENCE_LIMITS.longText],
    ]);
    problems.add(
      followUpInputProblems(toFollowUpInput(form, failure, action, now), now),
      wordsFor,
    );
    return problems.byField();
  };
}
