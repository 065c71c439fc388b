import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BACKUP_ANNOTATIONS,
  BACKUP_FINDING_SOURCES,
  BACKUP_FINDING_STATUS,
  BackupEvaluation,
  BackupFinding,
  BackupPolicy,
  BackupStatus,
  evaluateBackupStatus,
  isInBackupScope,
  parseBackupProfile,
} from '@backup-assurance/plugin-backup-common';
import { ApproverMemberships } from './ApproverMemberships';
import { isMapping } from './isMapping';
import { LintSeverity, PlacedProblem } from './LintProblem';
import { LocatedEntity } from './readCatalogText';

export interface EntityLintOptions {
  policy: BackupPolicy;
  now: Date;
  memberships: ApproverMemberships;
}

/** The statuses a pull request must not introduce: the file alone shows them. */
const BLOCKING_STATUSES: ReadonlySet<BackupStatus | undefined> = new Set([
  'invalid',
  'incomplete',
  'non-compliant',
]);

const ANNOTATIONS_PATH = ['metadata', 'annotations'];

/**
 * What the catalog itself would refuse, and the annotations it would refuse
 * for not being strings; an entity it refuses cannot be evaluated.
 */
function shapeProblems({ entity, source }: LocatedEntity) {
  const problems: Omit<PlacedProblem, 'severity'>[] = [];
  const refuse = (path: string[], message: string) =>
    problems.push({
      ...source.positionOf(path),
      code: 'entity-invalid',
      message: `${message}; the catalog refuses this entity.`,
    });
  const metadata: unknown = entity.metadata;
  if (!isMapping(metadata)) {
    refuse(['metadata'], 'metadata is missing or not a mapping');
    return { problems, evaluable: false, nonStrings: [] };
  }
  if (typeof metadata.name !== 'string' || !metadata.name) {
    refuse(['metadata', 'name'], 'metadata.name is missing or not a string');
  }
  if (
    metadata.namespace !== undefined &&
    typeof metadata.namespace !== 'string'
  ) {
    refuse(['metadata', 'namespace'], 'metadata.namespace is not a string');
  }
  const annotations = metadata.annotations;
  if (annotations !== undefined && !isMapping(annotations)) {
    refuse(ANNOTATIONS_PATH, 'metadata.annotations is not a mapping');
  }
  const nonStrings = isMapping(annotations)
    ? Object.keys(annotations).filter(
        key => typeof annotations[key] !== 'string',
      )
    : [];
  for (const key of nonStrings) {
    problems.push({
      ...source.positionOf([...ANNOTATIONS_PATH, key]),
      code: 'annotation-not-string',
      message: `${key} is not a string; quote the value, as the catalog accepts text only.`,
      annotation: key,
    });
  }
  return {
    problems,
    evaluable: problems.length === nonStrings.length,
    nonStrings,
  };
}

/** The entity as the catalog would store it: without values it refuses. */
function withStringAnnotations(entity: Entity, nonStrings: string[]): Entity {
  if (nonStrings.length === 0) return entity;
  const annotations = Object.fromEntries(
    Object.entries(entity.metadata.annotations ?? {}).filter(
      ([key]) => !nonStrings.includes(key),
    ),
  );
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

/** Whether the file alone makes the entity invalid, incomplete or non-compliant. */
const isDeclaredBreach = (finding: BackupFinding) =>
  BACKUP_FINDING_SOURCES[finding.code] === 'declaration' &&
  BLOCKING_STATUSES.has(BACKUP_FINDING_STATUS[finding.code]);

/**
 * An error when the file alone makes the entity invalid, incomplete or
 * non-compliant; anything the date or recorded evidence decides is at most a
 * warning, so a change never fails because a restore test fell due. Gaps an
 * honoured exemption covers are warnings too.
 */
function severityOf(
  finding: BackupFinding,
  evaluation: BackupEvaluation,
): LintSeverity {
  if (finding.severity === 'info') return 'info';
  const judged = !['out-of-scope', 'exempt'].includes(evaluation.status);
  return judged && isDeclaredBreach(finding) ? 'error' : 'warning';
}

function findingProblem(
  finding: BackupFinding,
  evaluation: BackupEvaluation,
  { source }: LocatedEntity,
): PlacedProblem {
  const expires = evaluation.profile.exemptionExpires?.slice(0, 10);
  return {
    ...(finding.annotation
      ? source.positionOf([...ANNOTATIONS_PATH, finding.annotation])
      : source.positionOf(ANNOTATIONS_PATH, 'key')),
    severity: severityOf(finding, evaluation),
    code: finding.code,
    message:
      evaluation.status === 'exempt' && isDeclaredBreach(finding)
        ? `${finding.message} Covered by the exemption until ${expires}.`
        : finding.message,
    entityRef: evaluation.entityRef,
    ...(finding.annotation && { annotation: finding.annotation }),
  };
}

function evaluate(
  entity: Entity,
  { policy, now, memberships }: EntityLintOptions,
): { evaluation: BackupEvaluation; approverUnchecked: boolean } {
  const approver = parseBackupProfile(entity).profile.exemptionApprovedBy;
  const { context, unchecked } = memberships.contextFor(approver, policy);
  const evaluation = evaluateBackupStatus(entity, policy, now, {}, context);
  return { evaluation, approverUnchecked: unchecked };
}

function uncheckedApproverNote(
  evaluation: BackupEvaluation,
  { source }: LocatedEntity,
): PlacedProblem {
  const annotation = BACKUP_ANNOTATIONS.exemptionApprovedBy;
  return {
    ...source.positionOf([...ANNOTATIONS_PATH, annotation]),
    severity: 'info',
    code: 'exemption-approver-unchecked',
    message: `The exemption is taken as approved: the linted files do not show the groups of ${evaluation.profile.exemptionApprovedBy}; the backend checks them in the catalog.`,
    entityRef: evaluation.entityRef,
    annotation,
  };
}

/**
 * The problems of one entity, evaluated by the backend's own evaluator with
 * no recorded evidence. Out-of-scope entities give warnings at most.
 */
export function lintEntity(
  located: LocatedEntity,
  options: EntityLintOptions,
): PlacedProblem[] {
  const inScope = isInBackupScope(located.entity, options.policy);
  const shape = shapeProblems(located);
  const entityRef = shape.evaluable
    ? stringifyEntityRef(located.entity)
    : undefined;
  const problems: PlacedProblem[] = shape.problems.map(problem => ({
    ...problem,
    severity: inScope ? 'error' : 'warning',
    ...(entityRef && { entityRef }),
  }));
  if (!shape.evaluable) return problems;

  const entity = withStringAnnotations(located.entity, shape.nonStrings);
  const { evaluation, approverUnchecked } = evaluate(entity, options);
  for (const finding of evaluation.findings) {
    const refused =
      finding.annotation && shape.nonStrings.includes(finding.annotation);
    if (finding.code !== 'out-of-scope' && !refused) {
      problems.push(findingProblem(finding, evaluation, located));
    }
  }
  if (approverUnchecked && evaluation.status === 'exempt') {
    problems.push(uncheckedApproverNote(evaluation, located));
  }
  return problems;
}
