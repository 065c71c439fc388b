import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEvaluationContext,
  BackupPolicy,
  parseBackupProfile,
} from '@backup-assurance/plugin-backup-common';
import { EntityReader } from './entityAccess';

const USER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.memberOf',
  'relations',
];

/** The users named as exemption approvers, grouped by namespace. */
function userApproversByNamespace(entities: Entity[]): Map<string, string[]> {
  const byNamespace = new Map<string, string[]>();
  for (const entity of entities) {
    const approver = parseBackupProfile(entity).profile.exemptionApprovedBy;
    if (!approver) continue;
    const ref = parseEntityRef(approver);
    if (ref.kind !== 'user') continue;
    const names = byNamespace.get(ref.namespace) ?? [];
    if (!names.includes(ref.name)) names.push(ref.name);
    byNamespace.set(ref.namespace, names);
  }
  return byNamespace;
}

/**
 * A user's groups: its `memberOf` relations, which include the groups that
 * list it in `spec.members`, and its own `spec.memberOf`.
 */
function groupsOf(user: Entity): string[] {
  const related = (user.relations ?? [])
    .filter(relation => relation.type === RELATION_MEMBER_OF)
    .map(relation => relation.targetRef);
  const declared = Array.isArray(user.spec?.memberOf) ? user.spec.memberOf : [];
  const groups = new Set(related);
  for (const value of declared) {
    if (typeof value !== 'string' || !value) continue;
    try {
      groups.add(
        stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: 'group',
            defaultNamespace: user.metadata.namespace ?? 'default',
          }),
        ),
      );
    } catch {
      // a malformed spec.memberOf is the catalog's to report
    }
  }
  return [...groups];
}

/**
 * Looks up in the catalog the groups of the users named as exemption
 * approvers, for the evaluator to tell whether the policy lets them approve.
 */
export class ExemptionApproverReader {
  static create(options: { entities: EntityReader; policy: BackupPolicy }) {
    return new ExemptionApproverReader(options.entities, options.policy);
  }

  private constructor(
    private readonly entities: EntityReader,
    private readonly policy: BackupPolicy,
  ) {}

  /** The evaluation context of these entities. */
  async contextFor(entities: Entity[]): Promise<BackupEvaluationContext> {
    // no lookup can make an approver allowed when the policy names no one
    if (this.policy.exemptionApprovers.length === 0) return {};
    const byNamespace = userApproversByNamespace(entities);
    if (byNamespace.size === 0) return {};
    // With the plugin's own credentials: whether an exemption is honoured
    // must not depend on whether the viewer may read the approver's entity.
    const users = await this.entities.queryVisible(
      {
        filter: [...byNamespace].map(([namespace, names]) => ({
          kind: 'user',
          'metadata.namespace': namespace,
          'metadata.name': names,
        })),
        fields: USER_FIELDS,
      },
      await this.entities.ownCredentials(),
    );
    return {
      approverMemberOf: Object.fromEntries(
        users.map(user => [stringifyEntityRef(user), groupsOf(user)]),
      ),
    };
  }
}
