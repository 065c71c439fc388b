import { DateTime, Duration } from 'luxon';

// Strict shapes first: luxon alone also accepts forms such as `2026-10` or
// local times without an offset, which would have to be guessed at.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
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
 * Parses an ISO 8601 calendar date (`2026-10-01`, read as the start of that
 * day in UTC) or a date-time with an explicit offset. Returns undefined for
 * anything else, including impossible dates such as `2026-02-30`.
 */
export const parseIsoInstant = memoize(
  (value: string): DateTime | undefined => {
    if (!DATE.test(value) && !DATE_TIME.test(value)) {
      return undefined;
    }
    const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: false });
    return parsed.isValid ? parsed.toUTC() : undefined;
  },
);

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
