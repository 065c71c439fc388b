import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { BackupEvaluation } from './evaluate';
import { BackupEntityRow } from './overview';

const DAY_MS = 86_400_000;

/**
 * A `spec` reference as a full entity ref, resolved the way the catalog
 * resolves it into relations (default kind, the entity's namespace). Read
 * from `spec` rather than `relations` so that callers can keep the catalog
 * answer small.
 */
function specRef(
  entity: Entity,
  field: 'owner' | 'system',
  defaultKind: string,
): string | undefined {
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

/**
 * The one row projection of an evaluated entity, shared by the backend's
 * org-wide views, the catalog column and the frontend's test API.
 *
 * @public
 */
export function toBackupEntityRow(
  entity: Entity,
  evaluation: BackupEvaluation,
  options: {
    /** The domain of a system, by system entity ref. */
    domainOfSystem: (systemRef: string) => string | undefined;
    now: Date;
  },
): BackupEntityRow {
  const { profile } = evaluation;
  const system = specRef(entity, 'system', 'system');
  const now = options.now.getTime();
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
    domain: system ? options.domainOfSystem(system) : undefined,
    status: evaluation.status,
    dataClassification: profile.dataClassification,
    methods: profile.methods,
    locations: profile.locations,
    encryption: profile.encryption,
    provider: profile.provider,
    backupOwner: profile.owner,
    backupAdmins: profile.backupAdmins,
    deletionProtection: profile.deletionProtection,
    accessLogging: profile.accessLogging,
    lastAccessReview: evaluation.lastAccessReview ?? undefined,
    accessReviewEvidence: profile.accessReviewEvidence,
    lastRestoreTest: evaluation.lastRestoreTest,
    nextRestoreTestDue: evaluation.nextRestoreTestDue,
    daysOverdue:
      evaluation.status === 'overdue' && due !== undefined && due <= now
        ? Math.floor((now - due) / DAY_MS)
        : null,
    exemption: profile.exemption,
    exemptionExpires: profile.exemptionExpires,
    exemptionApprovedBy: profile.exemptionApprovedBy,
    findings: evaluation.findings,
  };
}
