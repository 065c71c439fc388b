// The records the benchmarks seed: typical sizes, one failure in 13 restore
// tests and in 17 backup runs, external ids unique per salt and index.
import {
  BackupRunInput,
  RestoreTestInput,
} from '@backup-assurance/plugin-backup-common';

export const backupRun = (
  at: Date,
  i: number,
  salt: string,
): BackupRunInput => ({
  runAt: at.toISOString(),
  outcome: i % 17 ? 'succeeded' : 'failed',
  sizeBytes: 1_000_000 + i,
  durationSeconds: 300,
  source: 'bench',
  externalId: `seed-${salt}-${i}`,
});

export const restoreTest = (
  at: Date,
  i: number,
  salt: string,
): RestoreTestInput => ({
  startedAt: new Date(at.getTime() - 3_600_000).toISOString(),
  completedAt: at.toISOString(),
  result: i % 13 ? 'succeeded' : 'failed',
  scope: `Restore drill ${i}: database into the recovery account, row counts compared`,
  restoreDurationSeconds: 3600,
  validation: [
    { type: 'integrity', outcome: 'passed' },
    { type: 'application', outcome: 'passed' },
  ],
  executor: 'bench',
  evidenceUrl: `https://tickets.example.com/OPS-${i}`,
  source: 'bench',
  externalId: `seed-${salt}-${i}`,
});
