import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEvaluationContext,
  BackupPolicy,
} from '@backup-assurance/plugin-backup-common';

/** A ref written in an entity, as the evaluator compares refs; undefined if unreadable. */
function refOf(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const ref = parseEntityRef(value, { defaultKind, defaultNamespace });
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

const listOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];

const isKind = (entity: Entity, kind: string) =>
  entity.kind.toLocaleLowerCase('en-US') === kind;

function namespaceOf(entity: Entity): string {
  const namespace = entity.metadata?.namespace;
  return typeof namespace === 'string' ? namespace : 'default';
}

/**
 * Who belongs to which group according to the linted files (a user's
 * `spec.memberOf`, a group's `spec.members`: the relations the catalog builds
 * its `memberOf` from), so that an exemption approved by a user can be judged
 * as the backend judges it.
 */
export class ApproverMemberships {
  private constructor(
    private readonly groupsOfUser: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  static fromEntities(entities: Entity[]): ApproverMemberships {
    const groupsOfUser = new Map<string, Set<string>>();
    const add = (user: string | undefined, group: string | undefined) => {
      if (!user) return;
      const groups = groupsOfUser.get(user) ?? new Set<string>();
      if (group) groups.add(group);
      groupsOfUser.set(user, groups);
    };
    for (const entity of entities) {
      const namespace = namespaceOf(entity);
      const self = refOf(entity.metadata?.name, entity.kind, namespace);
      if (isKind(entity, 'user')) {
        add(self, undefined);
        for (const group of listOf(entity.spec?.memberOf)) {
          add(self, refOf(group, 'group', namespace));
        }
      } else if (isKind(entity, 'group')) {
        for (const member of listOf(entity.spec?.members)) {
          add(refOf(member, 'user', namespace), self);
        }
      }
    }
    return new ApproverMemberships(groupsOfUser);
  }

  /**
   * The evaluation context for an entity whose exemption names `approver`.
   * A user the files say nothing about gets the benefit of the doubt (a
   * member of every approving group): the catalog may know them from
   * elsewhere, and a lint fails only on what the files show.
   */
  contextFor(
    approver: string | undefined,
    policy: BackupPolicy,
  ): { context: BackupEvaluationContext; unchecked: boolean } {
    if (!approver) return { context: {}, unchecked: false };
    const groups = this.groupsOfUser.get(approver);
    const unchecked = !groups && approver.startsWith('user:');
    const memberOf = unchecked
      ? policy.exemptionApprovers
      : [...(groups ?? [])];
    return {
      context: { approverMemberOf: { [approver]: memberOf } },
      unchecked,
    };
  }
}
