import { EvidenceInputProblem } from '@backup-assurance/plugin-backup-common';

/** `2026-11-20T10:30` (local) -> ISO 8601 in UTC; undefined when empty or unreadable. */
export const toIso = (local: string) => {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** The trimmed text, or undefined when there is none. */
export const optional = (text: string) => text.trim() || undefined;

/** Whether the text is empty or an http(s) link. */
export const isEmptyOrHttpLink = (text: string) =>
  !text.trim() || /^https?:\/\/\S+$/.test(text.trim());

/**
 * Collects the problems of a form as the API would report them, and gives the
 * first problem of each field, which is the one to show.
 */
export function formProblems(labels: Record<string, string>) {
  const problems: EvidenceInputProblem[] = [];
  return {
    check(field: string, ok: boolean, message: string) {
      if (!ok) problems.push({ field, message });
    },
    /** Text fields that must not exceed their limit. */
    limit(fields: Array<[field: string, value: string, max: number]>) {
      for (const [field, value, max] of fields) {
        if (value.trim().length > max) {
          problems.push({
            field,
            message: `${labels[field]} is too long (at most ${max} characters).`,
          });
        }
      }
    },
    /** Problems from the shared rules, the future-date ones in words. */
    add(
      shared: EvidenceInputProblem[],
      words: (problem: EvidenceInputProblem) => string = p => p.message,
    ) {
      for (const problem of shared) {
        problems.push({
          field: problem.field,
          message: problem.message.endsWith('is in the future')
            ? `${labels[problem.field]} cannot be in the future.`
            : words(problem),
        });
      }
    },
    byField(): Record<string, string> {
      const byField: Record<string, string> = {};
      for (const problem of problems) {
        byField[problem.field] ??= problem.message;
      }
      return byField;
    },
  };
}
