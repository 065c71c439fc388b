import {
  BackupRunInput,
  EVIDENCE_LIMITS,
} from '@backup-assurance/plugin-backup-common';
import { FailedError } from '../../errors';
import { formatBytes } from '../../formatBytes';

/**
 * One archive of `borg info --json` (or, with fewer fields, of
 * `borg list --json`). Times are as borg prints them; see `borgInstant`.
 */
export interface BorgArchive {
  id: string;
  name: string;
  start: string;
  end?: string;
  /** Seconds the `borg create` that made the archive took. */
  duration?: number;
  hostname?: string;
  /** `borg info` only: what the archive holds. */
  stats?: {
    original_size?: number;
    compressed_size?: number;
    deduplicated_size?: number;
    nfiles?: number;
  };
}

const borgMillis = (time: string) =>
  Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(time) ? time : `${time}Z`);

/**
 * The time of an archive as an ISO instant. Borg 1.2 prints local times
 * without a zone, so the CLI runs borg with TZ=UTC and reads a time without
 * a zone as UTC; a time with an offset (later borg versions) is taken as is.
 */
export function borgInstant(time: string): string {
  return new Date(borgMillis(time)).toISOString();
}

const isInstant = (time: unknown) =>
  typeof time === 'string' && !Number.isNaN(borgMillis(time));

function isArchive(value: unknown): value is BorgArchive {
  const candidate = value as BorgArchive;
  return (
    typeof candidate?.id === 'string' &&
    typeof candidate.name === 'string' &&
    isInstant(candidate.start)
  );
}

/**
 * What `borg create` leaves of a backup that was interrupted: not a backup
 * that completed (borg's own `list` hides them too).
 */
export const isCheckpointArchive = (archive: BorgArchive) =>
  /\.checkpoint(\.\d+)?$/.test(archive.name);

/**
 * Parses the output of `borg info --json` with archives selected (e.g.
 * `--glob-archives '*'`); `borg list --json` reads the same way, without
 * sizes. Checkpoints of interrupted backups are left out.
 */
export function parseBorgInfo(json: string): BorgArchive[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const archives = (parsed as { archives?: unknown } | undefined)?.archives;
  if (!Array.isArray(archives) || !archives.every(isArchive)) {
    throw new FailedError(
      'borg info --json printed something other than an archive list',
    );
  }
  return archives.filter(archive => !isCheckpointArchive(archive));
}

/** `archive nightly-2026-10-01 of db-1`: what an archive holds. */
export function describeArchive(archive: BorgArchive): string {
  const origin = archive.hostname ? ` of ${archive.hostname}` : '';
  return `archive ${archive.name}${origin}`.slice(0, EVIDENCE_LIMITS.longText);
}

function durationSeconds(archive: BorgArchive) {
  const seconds = archive.duration;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? Math.round(seconds)
    : undefined;
}

/**
 * An archive is a backup that succeeded: borg commits one only at the end of
 * `borg create`. The run is at the archive's start, like a restic snapshot's
 * time; size is the data's original size.
 */
export function borgArchiveToRun(archive: BorgArchive): BackupRunInput {
  const sizeBytes = archive.stats?.original_size;
  const duration = durationSeconds(archive);
  return {
    runAt: borgInstant(archive.start),
    outcome: 'succeeded',
    ...(sizeBytes !== undefined && { sizeBytes }),
    ...(duration !== undefined && { durationSeconds: duration }),
    message:
      sizeBytes !== undefined
        ? `${describeArchive(archive)} (${formatBytes(sizeBytes)})`
        : describeArchive(archive),
    source: 'borg',
    externalId: `borg:${archive.id}`,
  };
}
