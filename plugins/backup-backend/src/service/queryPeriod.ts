import {
  EVIDENCE_LIMITS,
  parseIsoDay,
} from '@backup-assurance/plugin-backup-common';
import { InputError } from '@backstage/errors';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A query day: a real calendar day from 1970 on, not after today. */
function dayFromQuery(
  query: Record<string, unknown>,
  key: 'from' | 'to',
  now: Date,
): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  const day = typeof value === 'string' ? parseIsoDay(value) : undefined;
  if (!day) {
    throw new InputError(
      `${key} is not a real calendar day from 1970 on (YYYY-MM-DD)`,
    );
  }
  const tolerance = EVIDENCE_LIMITS.futureToleranceSeconds * 1000;
  if (day.toMillis() > now.getTime() + tolerance) {
    throw new InputError(`${key} is in the future`);
  }
  return value as string;
}

/** `from`/`to` query days, defaulting to a period ending today. */
export function periodFromQuery(
  query: Record<string, unknown>,
  defaultDays: number,
  now: Date,
) {
  const to = dayFromQuery(query, 'to', now) ?? isoDay(now);
  const from =
    dayFromQuery(query, 'from', now) ??
    isoDay(new Date(Math.max(0, Date.parse(to) - defaultDays * DAY_MS)));
  if (from > to) {
    throw new InputError(`from (${from}) is after to (${to})`);
  }
  return { from, to };
}
