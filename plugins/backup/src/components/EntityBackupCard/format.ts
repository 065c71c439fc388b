import { DateTime, Duration } from 'luxon';

/** `2026-10-01T00:00:00.000Z` -> `1 Oct 2026` (dates are shown in UTC). */
export function formatDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat('d LLL yyyy');
}

/** `P1D` -> `1 day`, `PT4H` -> `4 hours`. */
export function formatDuration(iso: string): string {
  return Duration.fromISO(iso).toHuman({ listStyle: 'long' });
}

/** 5400 -> `1 hr, 30 min`. */
export function formatSeconds(seconds: number): string {
  return seconds === 0
    ? '0 sec'
    : Duration.fromObject({ seconds })
        .rescale()
        .toHuman({ unitDisplay: 'short' });
}
