import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupEntityPage,
  BackupEntityRow,
  BackupEvaluation,
  BackupOverviewFilters,
  BackupOverviewSort,
  BackupPolicy,
  BackupRunRecord,
  BackupSummary,
  BackupTrends,
  EvidencePage,
  EvidenceVerification,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';

/** @public */
export interface EvidencePageRequest {
  limit?: number;
  offset?: number;
}

/** Which page of the entity list, in which order. @public */
export interface BackupEntityListRequest {
  /** Default `most-overdue`. */
  sort?: BackupOverviewSort;
  /** 1 to 100, default 20. */
  limit?: number;
  offset?: number;
}

/** A period of daily snapshots, days as `YYYY-MM-DD`. @public */
export interface BackupTrendsRequest {
  from: string;
  to: string;
  /** Entity ref of one owner; all owners when left out. */
  owner?: string;
}

/** @public */
export type EvidenceExportFormat = 'csv' | 'json';

/** The evidence pack to download; days as `YYYY-MM-DD`. @public */
export interface EvidenceExportRequest {
  format: EvidenceExportFormat;
  from?: string;
  to?: string;
}

/**
 * Client for the `backup` backend plugin.
 *
 * @public
 */
export interface BackupApi {
  getStatus(entityRef: CompoundEntityRef): Promise<BackupEvaluation>;
  getPolicy(): Promise<BackupPolicy>;
  listRestoreTests(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<RestoreTestRecord>>;
  recordRestoreTest(
    entityRef: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<RestoreTestRecord>;
  listBackupRuns(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<BackupRunRecord>>;
  /** Reviews of who can delete backups or disable backup jobs, newest first. */
  listAccessReviews(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<AccessReviewRecord>>;
  /** Requires the `backup.access-review.create` permission. */
  recordAccessReview(
    entityRef: CompoundEntityRef,
    input: AccessReviewInput,
  ): Promise<AccessReviewRecord>;
  /**
   * Acknowledgements and resolutions of the entity's failed backup runs and
   * restore tests, newest first.
   */
  listFollowUps(
    entityRef: CompoundEntityRef,
    page?: EvidencePageRequest,
  ): Promise<EvidencePage<FollowUpRecord>>;
  /** Requires the `backup.follow-up.create` permission. */
  recordFollowUp(
    entityRef: CompoundEntityRef,
    input: FollowUpInput,
  ): Promise<FollowUpRecord>;
  verifyEvidence(entityRef: CompoundEntityRef): Promise<EvidenceVerification>;
  /** Org-wide figures of the filtered entities, by owner and by system. */
  getSummary(filters?: BackupOverviewFilters): Promise<BackupSummary>;
  listEntities(
    filters?: BackupOverviewFilters,
    request?: BackupEntityListRequest,
  ): Promise<BackupEntityPage>;
  /**
   * The rows of many entities at once (the catalog column and filter), in the
   * order asked; null where the entity is unknown, not visible to the user, or
   * not a component or resource.
   */
  getEntityRowsByRefs(
    entityRefs: string[],
  ): Promise<Array<BackupEntityRow | null>>;
  /** Daily snapshots per owner group. */
  getTrends(request: BackupTrendsRequest): Promise<BackupTrends>;
  /**
   * The evidence pack for auditors: policy, backup register and restore-test
   * records. Requires the `backup.evidence.export` permission.
   */
  exportEvidence(request: EvidenceExportRequest): Promise<Blob>;
}

/** @public */
export const backupApiRef = createApiRef<BackupApi>({
  id: 'plugin.backup.service',
});
