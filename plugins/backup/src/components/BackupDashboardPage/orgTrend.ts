import {
  BackupCoverage,
  BackupCoverageFigures,
  BackupTrendPoint,
} from '@backup-assurance/plugin-backup-common';

/**
 * One day's coverage over every owner in the response. A measure added later
 * (PII access control) is absent from the days snapshotted before it.
 */
export interface DailyCoverage extends BackupCoverageFigures {
  day: string;
}

export const COVERAGE_MEASURES = [
  'validAnnotations',
  'restoreTestInPolicy',
  'piiEncrypted',
  'piiAccessControlled',
] as const;

export type CoverageMeasure = (typeof COVERAGE_MEASURES)[number];

const add = (a: BackupCoverage, b: BackupCoverage): BackupCoverage => {
  const count = a.count + b.count;
  const total = a.total + b.total;
  return { count, total, ratio: total === 0 ? null : count / total };
};

const nothing: BackupCoverage = { count: 0, total: 0, ratio: null };

/**
 * The snapshots store one point per owner and day; a day's coverage is the
 * sum of the owners' counts and totals, its ratio recomputed from them (an
 * average of the owners' ratios would weigh a small team like a large one).
 */
export function orgTrend(points: BackupTrendPoint[]): DailyCoverage[] {
  const days = new Map<string, DailyCoverage>();
  for (const point of points) {
    const day = days.get(point.day) ?? {
      day: point.day,
      validAnnotations: nothing,
      restoreTestInPolicy: nothing,
      piiEncrypted: nothing,
    };
    for (const measure of COVERAGE_MEASURES) {
      const coverage = point.coverage[measure];
      if (coverage) day[measure] = add(day[measure] ?? nothing, coverage);
    }
    days.set(point.day, day);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}
