import { DateTime, Duration } from 'luxon';

// Strict shapes first: luxon alone also accepts forms such as `2026-10` or
// local times without an offset, which would have to be guessed at.
// Hours 00-23 (no 24:00 roll-over), seconds 00-59 (no leap second), offsets
// within ±14:00 like every real time zone.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;
const DURATION =
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * Remembers the results of a pure parser for recently seen inputs: across an
 * organisation the same dates and durations recur thousands of times, and
 * luxon's parsing dominates an evaluation.
 */
function memoize<T>(parse: (value: string) => T, size = 5000) {
  const cache = new Map<string, T>();
  return (value: string): T => {
    if (cache.has(value)) return cache.get(value)!;
    if (cache.size >= size) cache.clear();
    const result = parse(value);
    cache.set(value, result);
    return result;
  };
}

/**
 * The earliest instant any date of the suite may name: nothing about a backup
 * happened before 1970, and year 0000 is no date at all.
 *
 * @public
 */
export const EARLIEST_INSTANT = '1970-01-01T00:00:00.000Z';
const EARLIEST_MILLIS = Date.parse(EARLIEST_INSTANT);

/**
 * Parses an ISO 8601 calendar date (`2026-10-01`, read as the start of that
 * day in UTC) or a date-time with an explicit offset, naming a real calendar
 * instant from 1970 on. Returns undefined for anything else, including
 * impossible dates such as `2026-02-30` (never rolled over into March).
 */
export const parseIsoInstant = memoize(
  (value: string): DateTime | undefined => {
    if (!DATE.test(value) && !DATE_TIME.test(value)) {
      return undefined;
    }
    const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: false });
    return parsed.isValid && parsed.toMillis() >= EARLIEST_MILLIS
      ? parsed.toUTC()
      : undefined;
  },
);

/**
 * Parses a calendar day (`2026-10-01`) only, as the start of it in UTC.
 *
 * @public
 */
export function parseIsoDay(value: string): DateTime | undefined {
  return DATE.test(value) ? parseIsoInstant(value) : undefined;
}

/**
 * Parses a date-time with a time zone only (no bare dates).
 *
 * @public
 */
export function parseIsoDateTime(value: string): DateTime | undefined {
  return DATE_TIME.test(value) ? parseIsoInstant(value) : undefined;
}

/** Parses a positive ISO 8601 duration such as `P1D`, `PT4H` or `P1Y2M`. */
export const parseIsoDuration = memoize(
  (value: string): Duration | undefined => {
    if (!DURATION.test(value)) {
      return undefined;
    }
    const parsed = Duration.fromISO(value);
    return parsed.isValid && parsed.toMillis() > 0 ? parsed : undefined;
  },
);

/** Splits a comma list, trimming each item and dropping empty ones. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Why a text cannot be stored as it is, if it cannot: a lone UTF-16
 * surrogate would be stored as U+FFFD but hashed as sent, and PostgreSQL
 * rejects NUL. Rejected rather than rewritten, since the text is evidence.
 */
export function textProblem(value: string): string | undefined {
  if (/\p{Surrogate}/u.test(value)) {
    return 'contains a lone UTF-16 surrogate (not well-formed Unicode)';
  }
  if (value.includes('\u0000')) {
    return 'contains a NUL character';
  }
  return undefined;
}
