import { EVIDENCE_LIMITS } from '@backup-assurance/plugin-backup-common';

/** The `source` of every record this module collects. */
export const AWS_BACKUP_SOURCE = 'aws-backup';

/**
 * Trims a text and shortens it to what the evidence rules accept, since one
 * record over a limit would reject the entity's whole batch.
 */
export function clip(
  text: string | undefined,
  max: number = EVIDENCE_LIMITS.longText,
): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
}

/** Whole seconds from start to end, when both are known and in order. */
export function secondsBetween(
  start: Date | undefined,
  end: Date | undefined,
): number | undefined {
  if (!start || !end) return undefined;
  const seconds = Math.round((end.getTime() - start.getTime()) / 1000);
  return seconds >= 0 && seconds <= EVIDENCE_LIMITS.maxSeconds
    ? seconds
    : undefined;
}

/** Drops the keys whose value is undefined, so records hold only what AWS said. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
