import { DateTime, Duration, DurationLikeObject } from 'luxon';

/** `2026-10-01T00:00:00.000Z` -> `1 Oct 2026` (dates are shown in UTC). */
export function formatDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat('d LLL yyyy');
}

/**
 * `P1D` -> `1 day`, `PT4H` -> `4 hours`; also the policy's `{ days: 90 }`
 * -> `90 days`.
 */
export function formatDuration(duration: string | DurationLikeObject): string {
  return (
    typeof duration === 'string'
      ? Duration.fromISO(duration)
      : Duration.fromObject(duration)
  ).toHuman({ listStyle: 'long' });
}

/**
 * 0.756 -> `75%`; null (nothing to measure) -> `—`. Rounded down so that
 * coverage never reads 100% while something is still missing.
 */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? '—' : `${Math.floor(ratio * 100)}%`;
}

/** 5400 -> `1 hr, 30 min`. */
export function formatSeconds(seconds: number): string {
  return seconds === 0
    ? '0 sec'
    : Duration.fromObject({ seconds })
        .rescale()
        .toHuman({ unitDisplay: 'short' });
}
