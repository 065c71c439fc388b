import { BackupRunInput } from '@backup-assurance/plugin-backup-common';
import { FailedError } from '../../errors';
import { formatBytes } from '../../formatBytes';

/** One backup set of `pgbackrest info --output=json`. */
export interface PgBackRestBackup {
  label: string;
  type: 'full' | 'diff' | 'incr';
  /** Seconds since the epoch. */
  timestamp: { start: number; stop: number };
  database: { id: number };
  info?: {
    size?: number;
    delta?: number;
    repository?: { size?: number; delta?: number };
  };
  /** pgBackRest 2.36+: page checksum errors were found while backing up. */
  error?: boolean;
}

/** One stanza of `pgbackrest info --output=json`. */
export interface PgBackRestStanza {
  name: string;
  /** 0 ok, 2 no valid backups; anything else: the repository is unusable. */
  status: { code: number; message: string };
  backup: PgBackRestBackup[];
  db: { id: number; version: string }[];
}

/** Status codes that still describe a usable repository. */
const USABLE_STATUS_CODES = [0, 2];

export const isUsableStanza = (stanza: PgBackRestStanza) =>
  USABLE_STATUS_CODES.includes(stanza.status.code);

function isStanza(value: unknown): value is PgBackRestStanza {
  const candidate = value as PgBackRestStanza;
  return (
    typeof candidate?.name === 'string' &&
    typeof candidate.status?.code === 'number' &&
    Array.isArray(candidate.backup) &&
    Array.isArray(candidate.db)
  );
}

/** Parses `pgbackrest info --output=json` and picks one stanza. */
export function parsePgBackRestInfo(
  json: string,
  stanza: string,
): PgBackRestStanza | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every(isStanza)) {
    throw new FailedError(
      'pgbackrest info --output=json printed something other than a stanza list',
    );
  }
  return parsed.find(entry => entry.name === stanza);
}

/** The PostgreSQL major version a backup was taken of. */
export function postgresVersionOf(
  stanza: PgBackRestStanza,
  backup: PgBackRestBackup,
): string | undefined {
  return stanza.db.find(db => db.id === backup.database.id)?.version;
}

const instant = (epochSeconds: number) =>
  new Date(epochSeconds * 1000).toISOString();

/** `full backup 20261126-001348F (database 23.2 MB, stored 3.1 MB)`. */
export function describeBackup(backup: PgBackRestBackup): string {
  const sizes = [
    backup.info?.size !== undefined &&
      `database ${formatBytes(backup.info.size)}`,
    backup.info?.repository?.delta !== undefined &&
      `stored ${formatBytes(backup.info.repository.delta)}`,
  ].filter(Boolean);
  return `${backup.type} backup ${backup.label}${
    sizes.length ? ` (${sizes.join(', ')})` : ''
  }`;
}

/**
 * pgBackRest lists only completed backups; one that met page checksum errors
 * completed but cannot be trusted, so it counts as failed.
 */
export function pgBackRestBackupToRun(
  stanza: string,
  backup: PgBackRestBackup,
): BackupRunInput {
  const { start, stop } = backup.timestamp;
  return {
    runAt: instant(start),
    outcome: backup.error ? 'failed' : 'succeeded',
    ...(backup.info?.size !== undefined && { sizeBytes: backup.info.size }),
    durationSeconds: Math.max(0, stop - start),
    message: `${describeBackup(backup)} of stanza ${stanza}${
      backup.error ? ': pgBackRest found page checksum errors' : ''
    }`,
    source: 'pgbackrest',
    externalId: `pgbackrest:${stanza}:${backup.label}`,
  };
}

export const backupEndedAt = (backup: PgBackRestBackup) =>
  instant(backup.timestamp.stop);
