// Test double of the backend that applies the real shared rules (evaluator,
// submission checks, org-wide figures) to a catalog and records kept in memory.
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AccessReviewInput,
  accessReviewInputProblems,
  AccessReviewRecord,
  BackupEntityPage,
  BackupEntityRow,
  BackupEvaluation,
  BackupOverviewFilters,
  BackupPolicy,
  BackupRunInput,
  backupRunInputProblems,
  BackupRunRecord,
  BackupSummary,
  BackupTrendPoint,
  BackupTrends,
  computeBackupFigures,
  DEFAULT_BACKUP_POLICY,
  evaluateBackupStatus,
  EVIDENCE_LIMITS,
  EvidenceChainReport,
  EvidencePage,
  EvidenceVerification,
  FailureFollowUpState,
  FollowUpInput,
  followUpInputProblems,
  FollowUpRecord,
  groupBackupFigures,
  matchesBackupFilters,
  RestoreTestInput,
  restoreTestInputProblems,
  RestoreTestRecord,
  sortBackupRows,
  toBackupEntityRow,
} from '@backup-assurance/plugin-backup-common';
import {
  BackupApi,
  BackupEntityListRequest,
  BackupTrendsRequest,
  EvidenceExportRequest,
  EvidencePageRequest,
} from '../api';

type EvidenceChain =
  | 'restoreTests'
  | 'backupRuns'
  | 'accessReviews'
  | 'followUps';

/** The id prefix of each chain's records. */
const CHAIN_PREFIX: Record<EvidenceChain, string> = {
  restoreTests: 'rt',
  backupRuns: 'br',
  accessReviews: 'ar',
  followUps: 'fu',
};

/** The kinds the backend evaluates; the rest of the catalog is context. */
const isBackupCandidate = (entity: Entity) =>
  ['component', 'resource'].includes(entity.kind.toLocaleLowerCase('en-US'));

export class InMemoryBackupApi implements BackupApi {
  readonly restoreTests: RestoreTestRecord[] = [];
  readonly backupRuns: BackupRunRecord[] = [];
  readonly accessReviews: AccessReviewRecord[] = [];
  readonly followUps: FollowUpRecord[] = [];
  /** Daily snapshots `getTrends` serves, as the backend's snapshot store would. */
  readonly trendPoints: BackupTrendPoint[] = [];
  /** Every evidence download asked for. */
  readonly exportRequests: EvidenceExportRequest[] = [];
  /** The refs of every `getEntityRowsByRefs` call, so tests can check the batching. */
  readonly rowRequests: string[][] = [];
  /** The chain verification reports as broken at its first record, if any. */
  brokenChain?: EvidenceChain;
  private readonly entities: Entity[];

  /**
   * One entity for the entity-page views, or a small catalog (components,
   * resources and the systems that give them a domain) for the org-wide ones.
   */
  constructor(
    entities: Entity | Entity[],
    private readonly now: () => Date = () => new Date(),
    private readonly policy: BackupPolicy = DEFAULT_BACKUP_POLICY,
  ) {
    this.entities = Array.isArray(entities) ? entities : [entities];
  }

  /** The entity the entity-page methods work on. */
  private get entity(): Entity {
    return this.entities[0];
  }

  async getStatus(ref?: CompoundEntityRef): Promise<BackupEvaluation> {
    const entity = ref
      ? this.entities.find(
          e => stringifyEntityRef(e) === stringifyEntityRef(ref),
        )
      : this.entity;
    if (!entity) {
      throw new Error(`No entity ${stringifyEntityRef(ref!)}`);
    }
    return this.evaluate(entity);
  }

  async getSummary(
    filters: BackupOverviewFilters = {},
  ): Promise<BackupSummary> {
    const now = this.now();
    const rows = this.rows(filters);
    return {
      ...computeBackupFigures(rows, now),
      policy: {
        version: this.policy.version,
        approvedBy: this.policy.approvedBy,
        approvedAt: this.policy.approvedAt,
      },
      filters,
      byOwner: groupBackupFigures(rows, row => row.owner, now),
      bySystem: groupBackupFigures(rows, row => row.system, now),
      generatedAt: now.toISOString(),
    };
  }

  async listEntities(
    filters: BackupOverviewFilters = {},
    request: BackupEntityListRequest = {},
  ): Promise<BackupEntityPage> {
    const sorted = sortBackupRows(
      this.rows(filters),
      request.sort ?? 'most-overdue',
    );
    return this.page(sorted, request);
  }

  async getTrends(request: BackupTrendsRequest): Promise<BackupTrends> {
    return {
      from: request.from,
      to: request.to,
      points: this.trendPoints.filter(
        point =>
          point.day >= request.from &&
          point.day <= request.to &&
          (!request.owner || point.owner === request.owner),
      ),
    };
  }

  async exportEvidence(request: EvidenceExportRequest): Promise<Blob> {
    this.exportRequests.push(request);
    const register = this.rows({}).map(row => row.entityRef);
    return request.format === 'csv'
      ? new Blob([`entityRef\n${register.join('\n')}\n`], {
          type: 'text/csv',
        })
      : new Blob([JSON.stringify({ policy: this.policy, register })], {
          type: 'application/json',
        });
  }

  private evaluate(entity: Entity): BackupEvaluation {
    const ref = stringifyEntityRef(entity);
    const records = this.restoreTests.filter(r => r.entityRef === ref);
    const successful = records.filter(r => r.result === 'succeeded');
    const newest = (list: RestoreTestRecord[]) =>
      [...list].sort((a, b) => b.completedAt.localeCompare(a.completedAt))[0];
    const latestAccessReview = this.accessReviews
      .filter(r => r.entityRef === ref)
      .sort((a, b) => b.reviewedAt.localeCompare(a.reviewedAt))[0];
    const failedTest = newest(
      records.filter(r => r.result !== 'succeeded' && !r.supersededBy),
    );
    const failedRun = this.backupRuns
      .filter(r => r.entityRef === ref && r.outcome === 'failed')
      .sort((a, b) => b.runAt.localeCompare(a.runAt))[0];
    return evaluateBackupStatus(entity, this.policy, this.now(), {
      latestRestoreTest: newest(records),
      lastSuccessfulRestoreTest: newest(successful),
      latestAccessReview,
      latestFailedRestoreTest: failedTest && {
        ...failedTest,
        ...this.followUpState(failedTest.id),
      },
      latestFailedBackupRun: failedRun && {
        ...failedRun,
        ...this.followUpState(failedRun.id),
      },
    });
  }

  /** When a failure was first acknowledged and first resolved, as the backend reads it. */
  private followUpState(failureId: string): FailureFollowUpState {
    const first = (action: FollowUpRecord['action']) =>
      this.followUps
        .filter(f => f.failure.id === failureId && f.action === action)
        .map(f => f.at)
        .sort()[0];
    const acknowledgedAt = first('acknowledged');
    const resolvedAt = first('resolved');
    return {
      ...(acknowledgedAt ? { acknowledgedAt } : {}),
      ...(resolvedAt ? { resolvedAt } : {}),
    };
  }

  /** The evaluated candidates passing the filters, as the backend lists them. */
  private rows(filters: BackupOverviewFilters): BackupEntityRow[] {
    return this.entities
      .filter(isBackupCandidate)
      .map(entity => this.rowOf(entity))
      .filter(row => matchesBackupFilters(row, filters));
  }

  /** The shared projection, with the domain read from the catalog's systems. */
  private rowOf(entity: Entity): BackupEntityRow {
    return toBackupEntityRow(entity, this.evaluate(entity), {
      domainOfSystem: systemRef => this.domainOfSystem(systemRef),
      now: this.now(),
    });
  }

  private domainOfSystem(systemRef: string): string | undefined {
    const system = this.entities.find(e => stringifyEntityRef(e) === systemRef);
    const domain = system?.spec?.domain;
    return typeof domain === 'string' && domain
      ? stringifyEntityRef(
          parseEntityRef(domain, {
            defaultKind: 'domain',
            defaultNamespace: system?.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
  }

  async getEntityRowsByRefs(
    entityRefs: string[],
  ): Promise<Array<BackupEntityRow | null>> {
    this.rowRequests.push(entityRefs);
    return entityRefs.map(ref => {
      const entity = this.entities.find(e => stringifyEntityRef(e) === ref);
      return entity && isBackupCandidate(entity) ? this.rowOf(entity) : null;
    });
  }

  async getPolicy() {
    return this.policy;
  }

  async listRestoreTests(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<RestoreTestRecord>> {
    return this.page(this.restoreTests, page);
  }

  async recordRestoreTest(
    _ref: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<RestoreTestRecord> {
    const problems = restoreTestInputProblems(input, this.now());
    if (problems.length > 0) {
      throw new Error(problems.map(p => p.message).join('; '));
    }
    const record: RestoreTestRecord = {
      ...input,
      id: `rt-${this.restoreTests.length + 1}`,
      entityRef: stringifyEntityRef(this.entity),
      restoreDurationSeconds:
        (Date.parse(input.completedAt) - Date.parse(input.startedAt)) / 1000,
      source: input.source ?? 'manual',
      recordedBy: 'user:default/guest',
      recordedAt: this.now().toISOString(),
      sequence: this.restoreTests.length + 1,
      previousHash: 'genesis',
      hash: 'x',
    };
    this.restoreTests.unshift(record);
    return record;
  }

  /** What a backup tool reports (the frontend never does): kept newest first. */
  reportBackupRun(input: BackupRunInput): BackupRunRecord {
    const problems = backupRunInputProblems(input, this.now());
    if (problems.length > 0) {
      throw new Error(problems.map(p => p.message).join('; '));
    }
    const { source, externalId: _externalId, ...run } = input;
    const record: BackupRunRecord = {
      ...run,
      id: `br-${this.backupRuns.length + 1}`,
      entityRef: stringifyEntityRef(this.entity),
      source: source ?? 'ci',
      recordedBy: 'user:default/backup-tool',
      recordedAt: this.now().toISOString(),
      sequence: this.backupRuns.length + 1,
      previousHash: 'genesis',
      hash: 'x',
    };
    this.backupRuns.push(record);
    this.backupRuns.sort((a, b) => b.runAt.localeCompare(a.runAt));
    return record;
  }

  async listBackupRuns(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.page(this.backupRuns, page);
  }

  async listAccessReviews(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<AccessReviewRecord>> {
    return this.page(this.accessReviews, page);
  }

  async recordAccessReview(
    _ref: CompoundEntityRef,
    input: AccessReviewInput,
  ): Promise<AccessReviewRecord> {
    const problems = accessReviewInputProblems(input, this.now());
    if (
      input.admins.length === 0 ||
      input.admins.length > EVIDENCE_LIMITS.accessReviewAdmins
    ) {
      problems.push({
        field: 'admins',
        message: `admins must list 1 to ${EVIDENCE_LIMITS.accessReviewAdmins} entries`,
      });
    }
    if (problems.length > 0) {
      throw new Error(problems.map(p => p.message).join('; '));
    }
    const { source, externalId: _externalId, ...review } = input;
    const record: AccessReviewRecord = {
      ...review,
      id: `ar-${this.accessReviews.length + 1}`,
      entityRef: stringifyEntityRef(this.entity),
      source: source ?? 'manual',
      recordedBy: 'user:default/guest',
      recordedAt: this.now().toISOString(),
      sequence: this.accessReviews.length + 1,
      previousHash: 'genesis',
      hash: 'x',
    };
    this.accessReviews.unshift(record);
    return record;
  }

  async listFollowUps(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<FollowUpRecord>> {
    return this.page(this.followUps, page);
  }

  async recordFollowUp(
    _ref: CompoundEntityRef,
    input: FollowUpInput,
  ): Promise<FollowUpRecord> {
    const problems = followUpInputProblems(input, this.now());
    if (problems.length > 0) {
      throw new Error(problems.map(p => p.message).join('; '));
    }
    const { kind, id } = input.failure;
    const failed =
      kind === 'backup-run'
        ? this.backupRuns.some(r => r.id === id && r.outcome === 'failed')
        : this.restoreTests.some(r => r.id === id && r.result !== 'succeeded');
    if (!failed) {
      throw new Error(`failure: no failed ${kind} ${id}`);
    }
    const { source, externalId: _externalId, ...followUp } = input;
    const record: FollowUpRecord = {
      ...followUp,
      at: new Date(input.at).toISOString(),
      id: `fu-${this.followUps.length + 1}`,
      entityRef: stringifyEntityRef(this.entity),
      source: source ?? 'manual',
      recordedBy: 'user:default/guest',
      recordedAt: this.now().toISOString(),
      sequence: this.followUps.length + 1,
      previousHash: 'genesis',
      hash: 'x',
    };
    this.followUps.unshift(record);
    return record;
  }

  async verifyEvidence(): Promise<EvidenceVerification> {
    const chain = (name: EvidenceChain, count: number): EvidenceChainReport =>
      this.brokenChain === name
        ? {
            intact: false,
            count,
            brokenAt: {
              id: `${CHAIN_PREFIX[name]}-1`,
              sequence: 1,
              problem: 'its content does not match its hash',
            },
          }
        : { intact: true, count };
    return {
      entityRef: stringifyEntityRef(this.entity),
      intact: !this.brokenChain,
      restoreTests: chain('restoreTests', this.restoreTests.length),
      backupRuns: chain('backupRuns', this.backupRuns.length),
      accessReviews: chain('accessReviews', this.accessReviews.length),
      followUps: chain('followUps', this.followUps.length),
      verifiedAt: this.now().toISOString(),
    };
  }

  private page<T>(items: T[], page: EvidencePageRequest): EvidencePage<T> {
    const limit = page.limit ?? 20;
    const offset = page.offset ?? 0;
    return {
      items: items.slice(offset, offset + limit),
      totalCount: items.length,
      limit,
      offset,
    };
  }
}
