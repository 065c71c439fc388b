import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEntityPage,
  BackupEvidenceSummary,
  BackupEntityRow,
  BackupEvaluation,
  BackupFigures,
  BackupOverviewFilters,
  BackupOverviewSort,
  BackupPolicy,
  BackupSummary,
  computeBackupFigures,
  evaluateBackupStatus,
  groupBackupFigures,
  matchesBackupFilters,
  sortBackupRows,
} from '@backup-assurance/plugin-backup-common';
import { EvidenceStore } from '../database/EvidenceStore';
import { EntityReader } from './entityAccess';

const DAY_MS = 86_400_000;
const EVALUATION_REUSE_MS = 60_000;

/** The entity fields an evaluation and its grouping need, nothing more. */
const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.etag',
  'metadata.annotations',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
];

/**
 * A `spec` reference as a full entity ref, resolved the way the catalog
 * resolves it into relations (default kind, the entity's namespace). Read
 * from `spec` rather than `relations` to keep the catalog answer small.
 */
function specRef(
  entity: Entity,
  field: 'owner' | 'system',
  defaultKind: string,
) {
  const value = entity.spec?.[field];
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

function toRow(
  entity: Entity,
  evaluation: BackupEvaluation,
  domainOfSystem: Map<string, string>,
  now: Date,
): BackupEntityRow {
  const system = specRef(entity, 'system', 'system');
  const due = evaluation.nextRestoreTestDue
    ? Date.parse(evaluation.nextRestoreTestDue)
    : undefined;
  return {
    entityRef: evaluation.entityRef,
    kind: entity.kind.toLocaleLowerCase('en-US'),
    name: entity.metadata.name,
    title: entity.metadata.title,
    owner: specRef(entity, 'owner', 'group'),
    system,
    domain: system ? domainOfSystem.get(system) : undefined,
    status: evaluation.status,
    dataClassification: evaluation.profile.dataClassification,
    methods: evaluation.profile.methods,
    locations: evaluation.profile.locations,
    encryption: evaluation.profile.encryption,
    provider: evaluation.profile.provider,
    backupOwner: evaluation.profile.owner,
    backupAdmins: evaluation.profile.backupAdmins,
    deletionProtection: evaluation.profile.deletionProtection,
    accessLogging: evaluation.profile.accessLogging,
    lastAccessReview: evaluation.lastAccessReview ?? undefined,
    accessReviewEvidence: evaluation.profile.accessReviewEvidence,
    lastRestoreTest: evaluation.lastRestoreTest,
    nextRestoreTestDue: evaluation.nextRestoreTestDue,
    daysOverdue:
      evaluation.status === 'overdue' &&
      due !== undefined &&
      due <= now.getTime()
        ? Math.floor((now.getTime() - due) / DAY_MS)
        : null,
    exemptionExpires: evaluation.profile.exemptionExpires,
    findings: evaluation.findings,
  };
}

/**
 * The org-wide views: every component and resource the caller may read,
 * evaluated with its latest evidence, then filtered, counted and grouped by
 * the shared functions in backup-common.
 */
export class BackupOverviewService {
  static create(options: {
    entities: EntityReader;
    store: EvidenceStore;
    policy: BackupPolicy;
    clock?: () => Date;
  }) {
    return new BackupOverviewService(
      options.entities,
      options.store,
      options.policy,
      options.clock ?? (() => new Date()),
    );
  }

  private readonly evaluations = new Map<
    string,
    { fingerprint: string; at: number; evaluation: BackupEvaluation }
  >();

  private constructor(
    private readonly entities: EntityReader,
    private readonly store: EvidenceStore,
    private readonly policy: BackupPolicy,
    private readonly clock: () => Date,
  ) {}

  /** Evaluated rows of every entity these credentials may read. */
  async rows(credentials: BackstageCredentials): Promise<BackupEntityRow[]> {
    const [entities, systems, evidence] = await Promise.all([
      this.entities.queryVisible(
        {
          filter: [{ kind: 'component' }, { kind: 'resource' }],
          fields: ENTITY_FIELDS,
        },
        credentials,
      ),
      this.entities.queryVisible(
        {
          filter: { kind: 'system' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'spec.domain',
          ],
        },
        credentials,
      ),
      this.store.getLatestEvidenceByEntity(),
    ]);
    const domainOfSystem = new Map<string, string>();
    for (const system of systems) {
      const domain = system.spec?.domain;
      if (typeof domain === 'string') {
        domainOfSystem.set(
          stringifyEntityRef(system),
          stringifyEntityRef(
            parseEntityRef(domain, {
              defaultKind: 'domain',
              defaultNamespace: system.metadata.namespace ?? 'default',
            }),
          ),
        );
      }
    }
    const now = this.clock();
    return entities.map(entity => {
      const ref = stringifyEntityRef(entity);
      const evaluation = this.evaluate(entity, ref, evidence.get(ref), now);
      return toRow(entity, evaluation, domainOfSystem, now);
    });
  }

  /**
   * Evaluates an entity, reusing its evaluation for up to a minute while
   * neither the entity (its etag) nor its latest evidence changed: a
   * dashboard asks for the same organisation several times per view.
   */
  private evaluate(
    entity: Entity,
    ref: string,
    evidence: BackupEvidenceSummary | undefined,
    now: Date,
  ): BackupEvaluation {
    // every kind of latest evidence, so a new kind cannot be forgotten here
    const fingerprint = [
      entity.metadata.etag,
      ...Object.entries(evidence ?? {}).map(
        ([kind, record]) => `${kind}=${record?.id}`,
      ),
    ].join('|');
    const cached = this.evaluations.get(ref);
    if (
      cached?.fingerprint === fingerprint &&
      now.getTime() - cached.at < EVALUATION_REUSE_MS &&
      entity.metadata.etag
    ) {
      return cached.evaluation;
    }
    const evaluation = evaluateBackupStatus(entity, this.policy, now, evidence);
    this.evaluations.set(ref, { fingerprint, at: now.getTime(), evaluation });
    return evaluation;
  }

  async summary(
    filters: BackupOverviewFilters,
    credentials: BackstageCredentials,
  ): Promise<BackupSummary> {
    const now = this.clock();
    const rows = (await this.rows(credentials)).filter(row =>
      matchesBackupFilters(row, filters),
    );
    const { version, approvedBy, approvedAt } = this.policy;
    return {
      policy: { version, approvedBy, approvedAt },
      filters,
      ...computeBackupFigures(rows, now),
      byOwner: groupBackupFigures(rows, row => row.owner, now),
      bySystem: groupBackupFigures(rows, row => row.system, now),
      generatedAt: now.toISOString(),
    };
  }

  async list(
    filters: BackupOverviewFilters,
    options: { sort: BackupOverviewSort; limit: number; offset: number },
    credentials: BackstageCredentials,
  ): Promise<BackupEntityPage> {
    const rows = sortBackupRows(
      (await this.rows(credentials)).filter(row =>
        matchesBackupFilters(row, filters),
      ),
      options.sort,
    );
    return {
      items: rows.slice(options.offset, options.offset + options.limit),
      totalCount: rows.length,
      limit: options.limit,
      offset: options.offset,
    };
  }

  /** Figures per owner group over every entity, for the daily snapshot. */
  async figuresByOwner(): Promise<Map<string, BackupFigures>> {
    const rows = await this.rows(await this.entities.ownCredentials());
    return new Map(
      groupBackupFigures(rows, row => row.owner, this.clock()).map(
        ({ key, ...figures }) => [key, figures],
      ),
    );
  }
}
