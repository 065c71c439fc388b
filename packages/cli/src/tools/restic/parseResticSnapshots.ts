import {
  BackupRunInput,
  EVIDENCE_LIMITS,
} from '@backup-assurance/plugin-backup-common';
import { FailedError } from '../../errors';
import { formatBytes } from '../../formatBytes';

/** One entry of `restic snapshots --json`. */
export interface ResticSnapshot {
  id: string;
  short_id?: string;
  time: string;
  hostname?: string;
  paths?: string[];
  tags?: string[];
  /** restic 0.17 and later: what the backup that made the snapshot did. */
  summary?: {
    backup_start?: string;
    backup_end?: string;
    total_bytes_processed?: number;
  };
}

function isSnapshot(value: unknown): value is ResticSnapshot {
  const candidate = value as ResticSnapshot;
  return (
    typeof candidate?.id === 'string' &&
    typeof candidate.time === 'string' &&
    !Number.isNaN(Date.parse(candidate.time))
  );
}

/** Parses the output of `restic snapshots --json`. */
export function parseResticSnapshots(json: string): ResticSnapshot[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  // an empty repository prints `null` in some restic versions
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every(isSnapshot)) {
    throw new FailedError(
      'restic snapshots --json printed something other than a snapshot list',
    );
  }
  return parsed;
}

export const shortSnapshotId = (snapshot: ResticSnapshot) =>
  snapshot.short_id ?? snapshot.id.slice(0, 8);

/** `snapshot 1a2b3c4d of db-1:/var/lib/app [nightly]`: what a snapshot holds. */
export function describeSnapshot(snapshot: ResticSnapshot): string {
  const paths = (snapshot.paths ?? []).join(', ');
  const tags = snapshot.tags?.length ? ` [${snapshot.tags.join(', ')}]` : '';
  const origin = snapshot.hostname ? `${snapshot.hostname}:${paths}` : paths;
  return `snapshot ${shortSnapshotId(snapshot)} of ${origin}${tags}`.slice(
    0,
    EVIDENCE_LIMITS.longText,
  );
}

const toInstant = (time: string) => new Date(Date.parse(time)).toISOString();

function durationSeconds(summary: ResticSnapshot['summary']) {
  if (!summary?.backup_start || !summary.backup_end) return undefined;
  const seconds =
    (Date.parse(summary.backup_end) - Date.parse(summary.backup_start)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0
    ? Math.round(seconds)
    : undefined;
}

/**
 * A snapshot is a backup that succeeded: restic writes one only at the end of
 * a backup. Size and duration come with restic 0.17's `summary`.
 */
export function resticSnapshotToRun(snapshot: ResticSnapshot): BackupRunInput {
  const sizeBytes = snapshot.summary?.total_bytes_processed;
  const duration = durationSeconds(snapshot.summary);
  return {
    runAt: toInstant(snapshot.time),
    outcome: 'succeeded',
    ...(sizeBytes !== undefined && { sizeBytes }),
    ...(duration !== undefined && { durationSeconds: duration }),
    message:
      sizeBytes !== undefined
        ? `${describeSnapshot(snapshot)} (${formatBytes(sizeBytes)})`
        : describeSnapshot(snapshot),
    source: 'restic',
    externalId: `restic:${snapshot.id}`,
  };
}
