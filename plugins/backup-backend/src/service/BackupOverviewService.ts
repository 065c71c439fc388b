import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEntityPage,
  BackupEvaluationContext,
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
  toBackupEntityRow,
} from '@backup-assurance/plugin-backup-common';
import { EvidenceStore } from '../database/EvidenceStore';
import { EntityReader } from './entityAccess';
import { ExemptionApproverReader } from './ExemptionApproverReader';

/**
 * How long an evaluation is reused while the entity, its latest evidence and
 * its approver's groups are unchanged. Time is an input of every evaluation
 * (a test falls due, an exemption expires), so a reused one is at most this
 * old; the warm-up task (warmEvaluations.ts) re-evaluates every entity twice
 * within this window, so that a caller finds each evaluation fresh.
 */
export const EVALUATION_REUSE_MS = 120_000;

/** The kinds the views evaluate. */
const EVALUATED_KINDS = new Set(['component', 'resource']);

/** Evaluations between two turns of the event loop. */
const YIELD_EVERY = 500;

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

interface CachedEvaluation {
  /** The entity's etag and the ids of its latest evidence of every kind. */
  fingerprint: string;
  /** The groups of the entity's exemption approver when it was evaluated. */
  approverGroups: string;
  at: number;
  evaluation: BackupEvaluation;
}

/** The latest evidence of every kind, so a new kind cannot be forgotten. */
const fingerprintOf = (
  entity: Entity,
  evidence: BackupEvidenceSummary | undefined,
) =>
  [
    entity.metadata.etag,
    ...Object.entries(evidence ?? {}).map(
      ([kind, record]) => `${kind}=${record?.id}`,
    ),
  ].join('|');

/** What of the context an evaluation read: its approver's groups. */
const approverGroupsOf = (
  evaluation: BackupEvaluation,
  context: BackupEvaluationContext,
) => {
  const approver = evaluation.profile.exemptionApprovedBy;
  return approver
    ? JSON.stringify(context.approverMemberOf?.[approver] ?? [])
    : '';
};

/** The domain of each of these systems that names one, by system ref. */
function domainsOf(systems: Entity[]): Map<string, string> {
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
  return domainOfSystem;
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
    /** The shared evaluator; tests count its calls. */
    evaluator?: typeof evaluateBackupStatus;
  }) {
    return new BackupOverviewService(
      options.entities,
      options.store,
      options.policy,
      ExemptionApproverReader.create(options),
      options.clock ?? (() => new Date()),
      options.evaluator ?? evaluateBackupStatus,
    );
  }

  private readonly evaluations = new Map<string, CachedEvaluation>();

  private constructor(
    private readonly entities: EntityReader,
    private readonly store: EvidenceStore,
    private readonly policy: BackupPolicy,
    private readonly approvers: ExemptionApproverReader,
    private readonly clock: () => Date,
    private readonly evaluator: typeof evaluateBackupStatus,
  ) {}

  /** Evaluated rows of every entity these credentials may read. */
  async rows(credentials: BackstageCredentials): Promise<BackupEntityRow[]> {
    return this.evaluatedRows(credentials, EVALUATION_REUSE_MS);
  }

  /**
   * Re-evaluates every entity with the plugin's own credentials, so that a
   * caller within the reuse window evaluates nothing, and forgets the
   * entities that left the catalog. Returns how many were evaluated.
   */
  async warm(): Promise<number> {
    const rows = await this.evaluatedRows(
      await this.entities.ownCredentials(),
      0,
    );
    const present = new Set(rows.map(row => row.entityRef));
    for (const ref of this.evaluations.keys()) {
      if (!present.has(ref)) this.evaluations.delete(ref);
    }
    return rows.length;
  }

  /**
   * The rows of these entities in the same order: null for an entity that
   * does not exist, that the caller may not read, or that is neither a
   * component nor a resource.
   */
  async rowsByRefs(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<BackupEntityRow | null>> {
    const [entities, domainOfSystem, evidence] = await Promise.all([
      this.entities.readVisibleByRefs(entityRefs, ENTITY_FIELDS, credentials),
      this.domainsOfSystems(credentials),
      this.store.getLatestEvidenceByEntity(),
    ]);
    const evaluated = entities.filter(
      (entity): entity is Entity =>
        !!entity && EVALUATED_KINDS.has(entity.kind.toLocaleLowerCase('en-US')),
    );
    const rows = await this.toRows(evaluated, {
      domainOfSystem,
      evidence,
      maxAgeMs: EVALUATION_REUSE_MS,
    });
    const rowOf = new Map(evaluated.map((entity, i) => [entity, rows[i]]));
    return entities.map(entity => (entity && rowOf.get(entity)) || null);
  }

  /**
   * Evaluated rows of every entity these credentials may read; with asOf,
   * as they stood then (today's entities, the evidence of times up to asOf,
   * evaluated at asOf) and never reused.
   */
  private async evaluatedRows(
    credentials: BackstageCredentials,
    maxAgeMs: number,
    asOf?: Date,
  ): Promise<BackupEntityRow[]> {
    // one catalog query for the entities and the systems that give their
    // domains: one round trip and one permission pass instead of two
    const [catalogEntities, evidence] = await Promise.all([
      this.entities.queryVisible(
        {
          filter: [...EVALUATED_KINDS, 'system'].map(kind => ({ kind })),
          fields: [...ENTITY_FIELDS, 'spec.domain'],
        },
        credentials,
      ),
      asOf
        ? this.store.getLatestEvidenceByEntityAsOf(asOf)
        : this.store.getLatestEvidenceByEntity(),
    ]);
    const isSystem = (entity: Entity) =>
      entity.kind.toLocaleLowerCase('en-US') === 'system';
    return this.toRows(
      catalogEntities.filter(entity => !isSystem(entity)),
      {
        domainOfSystem: domainsOf(catalogEntities.filter(isSystem)),
        evidence,
        maxAgeMs,
        asOf,
      },
    );
  }

  /** The domain of each system the caller may read, by system ref. */
  private async domainsOfSystems(
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    return domainsOf(
      await this.entities.queryVisible(
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
    );
  }

  /** Evaluates (or reuses the evaluation of) each entity, as rows. */
  private async toRows(
    entities: Entity[],
    options: {
      domainOfSystem: Map<string, string>;
      evidence: Map<string, BackupEvidenceSummary>;
      maxAgeMs: number;
      asOf?: Date;
    },
  ): Promise<BackupEntityRow[]> {
    const { domainOfSystem, evidence, maxAgeMs, asOf } = options;
    const context = await this.approvers.contextFor(entities);
    const now = asOf ?? this.clock();
    const rows: BackupEntityRow[] = [];
    for (const entity of entities) {
      // thousands of evaluations: let other requests in between
      if (rows.length > 0 && rows.length % YIELD_EVERY === 0) {
        await new Promise(resolve => setImmediate(resolve));
      }
      const ref = stringifyEntityRef(entity);
      const evaluation = asOf
        ? this.evaluator(entity, this.policy, now, evidence.get(ref), context)
        : this.evaluate(entity, ref, {
            evidence: evidence.get(ref),
            context,
            now,
            maxAgeMs,
          });
      rows.push(
        toBackupEntityRow(entity, evaluation, {
          domainOfSystem: system => domainOfSystem.get(system),
          now,
        }),
      );
    }
    return rows;
  }

  /**
   * Evaluates an entity, reusing its evaluation while it is younger than
   * maxAgeMs and neither the entity (its etag), its latest evidence nor its
   * approver's groups changed: a dashboard asks for the same organisation
   * several times per view.
   */
  private evaluate(
    entity: Entity,
    ref: string,
    inputs: {
      evidence: BackupEvidenceSummary | undefined;
      context: BackupEvaluationContext;
      now: Date;
      maxAgeMs: number;
    },
  ): BackupEvaluation {
    const { evidence, context, now, maxAgeMs } = inputs;
    const fingerprint = fingerprintOf(entity, evidence);
    const cached = this.evaluations.get(ref);
    if (
      cached?.fingerprint === fingerprint &&
      now.getTime() - cached.at < maxAgeMs &&
      entity.metadata.etag &&
      cached.approverGroups === approverGroupsOf(cached.evaluation, context)
    ) {
      return cached.evaluation;
    }
    const evaluation = this.evaluator(
      entity,
      this.policy,
      now,
      evidence,
      context,
    );
    this.evaluations.set(ref, {
      fingerprint,
      approverGroups: approverGroupsOf(evaluation, context),
      at: now.getTime(),
      evaluation,
    });
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

  /**
   * Figures per owner group over every entity, for the daily snapshot; with
   * asOf, as they stood then (see evaluatedRows), for a backfilled one.
   */
  async figuresByOwner(asOf?: Date): Promise<Map<string, BackupFigures>> {
    const rows = await this.evaluatedRows(
      await this.entities.ownCredentials(),
      EVALUATION_REUSE_MS,
      asOf,
    );
    return new Map(
      groupBackupFigures(rows, row => row.owner, asOf ?? this.clock()).map(
        ({ key, ...figures }) => [key, figures],
      ),
    );
  }
}
