import {
  createExtensionPoint,
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  AccessReviewInput,
  BackupRunInput,
  RestoreTestInput,
} from '@backup-assurance/plugin-backup-common';

/**
 * What makes collecting idempotent: the tool's own id of the record (a job
 * id, a drill's run id). Collecting the same record again stores nothing new.
 *
 * @public
 */
export interface CollectedExternalId {
  externalId: string;
}

/** @public */
export type CollectedRestoreTest = RestoreTestInput & CollectedExternalId;

/** @public */
export type CollectedBackupRun = BackupRunInput & CollectedExternalId;

/** @public */
export type CollectedAccessReview = AccessReviewInput & CollectedExternalId;

/**
 * The evidence of one entity found by a collector, each list oldest first
 * (each is appended to the entity's chain in this order).
 *
 * @public
 */
export interface CollectedEntityEvidence {
  /** `kind:namespace/name`, for example `resource:default/payments-db`. */
  entityRef: string;
  restoreTests?: CollectedRestoreTest[];
  backupRuns?: CollectedBackupRun[];
  accessReviews?: CollectedAccessReview[];
}

/**
 * Everything one run of a collector found.
 *
 * @public
 */
export interface CollectedEvidence {
  items: CollectedEntityEvidence[];
}

/**
 * Options of {@link BackupEvidenceCollector.collect}.
 *
 * @public
 */
export interface BackupEvidenceCollectorOptions {
  /** A logger naming the collector. */
  logger: LoggerService;
  /** Aborted when the run exceeds its schedule's timeout or the backend stops. */
  signal?: AbortSignal;
}

/**
 * Reads evidence from a backup tool on a schedule; the backup plugin stores
 * it.
 *
 * @remarks
 *
 * The backup plugin runs `collect` as the scheduled task
 * `backup-collector-<id>`, always in global scope (one replica at a time),
 * and appends what it returns with its own service credentials, per entity,
 * through the same rules as the API. A record without an `externalId` is
 * rejected with a logged error, since without it a second run would store
 * it twice; records of entities unknown to the catalog are skipped; the rest
 * is stored, and what was stored before is answered, not stored again.
 *
 * @public
 */
export interface BackupEvidenceCollector {
  /** Unique among the collectors of a backend, e.g. `aws-backup`. */
  id: string;
  /** Frequency, timeout and initial delay of the task; its scope is ignored. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  collect(options: BackupEvidenceCollectorOptions): Promise<CollectedEvidence>;
}

/**
 * Lets modules of the `backup` plugin add evidence collectors.
 *
 * @public
 */
export interface BackupEvidenceCollectorExtensionPoint {
  /** Throws when a collector with the same id was added before. */
  addCollector(collector: BackupEvidenceCollector): void;
}

/**
 * The extension point through which modules of the `backup` plugin add
 * evidence collectors.
 *
 * @public
 */
export const backupEvidenceCollectorExtensionPoint =
  createExtensionPoint<BackupEvidenceCollectorExtensionPoint>({
    id: 'backup.evidence-collectors',
  });
