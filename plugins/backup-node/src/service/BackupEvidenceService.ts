import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEvaluation,
  BackupRunInput,
  BackupRunRecord,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';

/**
 * The answer to one appended record.
 *
 * @public
 */
export interface BackupEvidenceAppendResult<TRecord> {
  /** False when the external id matched an earlier record, which is returned instead. */
  created: boolean;
  record: TRecord;
}

/**
 * An entity, as a ref string (`component:default/payments-api`; the kind is
 * required, the namespace defaults to `default`) or as a compound ref.
 *
 * @public
 */
export type BackupEntityRef = string | CompoundEntityRef;

/**
 * Appends backup evidence to an entity and reads its evaluation, for any
 * backend plugin or module, as that plugin (service-to-service auth).
 *
 * @remarks
 *
 * The backup backend applies the same rules as to any other caller: the
 * create permission of each kind, an entity that exists in the catalog
 * (otherwise a 404 `ResponseError`), and the shared input rules (a batch is
 * checked and stored whole). A repeated `externalId` returns the first record
 * with `created: false`, so retries are always safe.
 *
 * @public
 */
export interface BackupEvidenceService {
  recordRestoreTest(
    entityRef: BackupEntityRef,
    input: RestoreTestInput,
  ): Promise<BackupEvidenceAppendResult<RestoreTestRecord>>;
  /** Results follow the input order. */
  recordRestoreTests(
    entityRef: BackupEntityRef,
    inputs: RestoreTestInput[],
  ): Promise<BackupEvidenceAppendResult<RestoreTestRecord>[]>;
  recordBackupRun(
    entityRef: BackupEntityRef,
    input: BackupRunInput,
  ): Promise<BackupEvidenceAppendResult<BackupRunRecord>>;
  /** Results follow the input order. */
  recordBackupRuns(
    entityRef: BackupEntityRef,
    inputs: BackupRunInput[],
  ): Promise<BackupEvidenceAppendResult<BackupRunRecord>[]>;
  recordAccessReview(
    entityRef: BackupEntityRef,
    input: AccessReviewInput,
  ): Promise<BackupEvidenceAppendResult<AccessReviewRecord>>;
  /** Results follow the input order. */
  recordAccessReviews(
    entityRef: BackupEntityRef,
    inputs: AccessReviewInput[],
  ): Promise<BackupEvidenceAppendResult<AccessReviewRecord>[]>;
  /** The entity's backup status against the policy in force, with its findings. */
  getEvaluation(entityRef: BackupEntityRef): Promise<BackupEvaluation>;
}
