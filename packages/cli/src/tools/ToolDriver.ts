import {
  BackupRunInput,
  ValidationOutcome,
} from '@backup-assurance/plugin-backup-common';

/** The backup tools the CLI drives, each through its own configuration. */
export const TOOL_NAMES = ['restic', 'pgbackrest', 'borg'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** A backup a tool can restore: a restic snapshot, a pgBackRest backup set, a borg archive. */
export interface RecoveryPoint {
  /** The tool's own id (restic snapshot id, pgBackRest backup label, borg archive id). */
  id: string;
  /** When the data was captured: gives the recovery point's age (RPO). */
  at: string;
  /** What is restored, for the record's scope. */
  description: string;
}

/** How one step of a restore test went, with the tool's log behind it. */
export interface StepReport {
  outcome: ValidationOutcome;
  /** One line saying what was done and what came of it. */
  summary: string;
  /** The tool's output, cut to an excerpt when the record is built. */
  log: string;
}

/** A restored copy made usable for validation commands. */
export interface RestoredCopy {
  /** Whether the restored data came up (files present, cluster answers). */
  recoverability: StepReport;
  /** Where validation commands run and what they find in their environment. */
  cwd: string;
  env: Record<string, string>;
  /** Stops whatever was started for the copy; safe to call twice. */
  release(): Promise<void>;
}

/**
 * One backup tool. Each lives in `src/tools/<tool>/` and reads its machine
 * output (`--json`) rather than scraping what it prints for people.
 */
export interface ToolDriver {
  readonly tool: ToolName;
  /** Every backup in the repository, as backup-run reports. */
  listRuns(): Promise<BackupRunInput[]>;
  /** The latest backup, or the one named; fails when the repository does not open. */
  findRecoveryPoint(id?: string): Promise<RecoveryPoint>;
  /** Restores a backup into an empty scratch directory. */
  restore(point: RecoveryPoint, target: string): Promise<StepReport>;
  /** The tool's own integrity check of the repository. */
  verify(point: RecoveryPoint): Promise<StepReport>;
  /** Brings a restored copy up for validation (e.g. starts a database on it). */
  startRestored(point: RecoveryPoint, target: string): Promise<RestoredCopy>;
}

/** Options of every tool, as given on the command line. */
export interface ToolOptions {
  /** restic, borg: repository (else RESTIC_REPOSITORY, BORG_REPO). */
  repo?: string;
  /** restic, borg: only snapshots (archives) of this host. */
  host?: string;
  /** restic: only snapshots with this tag. */
  tag?: string;
  /** restic: share of pack data `restic check` reads (e.g. 10%, 1/5). */
  readDataSubset?: string;
  /** pgBackRest: stanza (else PGBACKREST_STANZA) and configuration file. */
  stanza?: string;
  pgConfig?: string;
  /** pgBackRest: PostgreSQL binaries and superuser for the restored cluster. */
  pgBin?: string;
  pgUser?: string;
  /** pgBackRest: how long the restored cluster may take to recover. */
  startTimeoutSeconds?: number;
}
