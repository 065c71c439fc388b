import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  BackupField,
  backupFieldOfAnnotation,
  DATA_CLASSIFICATIONS,
  DataClassification,
} from './annotations';

/**
 * An entity is in scope when it matches any rule; each listed attribute must
 * match one of its values (case-insensitive), an omitted one matches anything.
 *
 * @public
 */
export interface BackupScopeRule {
  kind: string[];
  type?: string[];
  lifecycle?: string[];
}

/**
 * The agreed backup policy, read from `backup.policy` in app-config.
 *
 * @public
 */
export interface BackupPolicy {
  version: string;
  approvedBy?: string;
  approvedAt?: string;
  scope: BackupScopeRule[];
  requiredAnnotations: BackupField[];
  /** Maximum age of the last successful restore test, per classification. */
  restoreTestInterval: Record<DataClassification, HumanDuration> & {
    default: HumanDuration;
  };
  /** How long before the due date a restore test counts as due soon. */
  dueSoonWindow: HumanDuration;
  encryptionRequiredFor: DataClassification[];
  /**
   * Classifications whose backup repositories must be access-controlled like
   * production: named administrators, deletion protection, access logging and
   * a periodic review of that access.
   */
  accessControlRequiredFor: DataClassification[];
  /** Maximum age of the last review of who can delete or disable backups. */
  accessReviewInterval: HumanDuration;
  /**
   * How soon a failed backup run or restore test must be acknowledged with
   * a ticket before it is a finding.
   */
  failureAcknowledgeWithin: HumanDuration;
  /**
   * Entity refs of the groups that may approve an exemption: a member of one
   * of them, or the group itself, must be named as its approver. Empty: the
   * policy names no approver, so no exemption is honoured.
   */
  exemptionApprovers: string[];
  /**
   * The longest an exemption may run: it is honoured only while its expiry
   * lies within this much of the evaluation time.
   */
  maxExemption: HumanDuration;
}

/** @public */
export const DEFAULT_BACKUP_POLICY: BackupPolicy = {
  version: 'unversioned',
  scope: [
    { kind: ['component'], lifecycle: ['production'] },
    // Resources carry no lifecycle in the catalog model, so all count.
    { kind: ['resource'] },
  ],
  requiredAnnotations: [
    'method',
    'dataClassification',
    'owner',
    'frequency',
    'retention',
  ],
  restoreTestInterval: {
    default: { days: 180 },
    public: { days: 180 },
    internal: { days: 180 },
    confidential: { days: 180 },
    pii: { days: 90 },
    'sensitive-pii': { days: 90 },
  },
  dueSoonWindow: { days: 14 },
  encryptionRequiredFor: ['confidential', 'pii', 'sensitive-pii'],
  accessControlRequiredFor: ['pii', 'sensitive-pii'],
  accessReviewInterval: { days: 90 },
  failureAcknowledgeWithin: { days: 1 },
  exemptionApprovers: [],
  maxExemption: { days: 180 },
};

/**
 * Thrown for an invalid `backup.policy`; the message names the key.
 *
 * @public
 */
export class BackupPolicyConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid backup policy config at '${key}': ${problem}`);
    this.name = 'BackupPolicyConfigError';
  }
}

const POLICY_KEY = 'backup.policy';

function readList(
  config: Config,
  key: string,
  fullKey: string,
): string[] | undefined {
  try {
    const value = config.getOptional(key);
    if (value === undefined) {
      return undefined;
    }
    const list = Array.isArray(value) ? value : [value];
    const strings = list.filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    if (strings.length === 0 || strings.length !== list.length) {
      throw new Error('expected a non-empty string or list of strings');
    }
    return strings.map(v => v.toLocaleLowerCase('en-US'));
  } catch (error) {
    throw new BackupPolicyConfigError(fullKey, (error as Error).message);
  }
}

function readScope(policy: Config): BackupScopeRule[] {
  const rules = policy.getOptionalConfigArray('scope');
  if (!rules) {
    return DEFAULT_BACKUP_POLICY.scope;
  }
  return rules.map((rule, index) => {
    const key = `${POLICY_KEY}.scope[${index}]`;
    const kind = readList(rule, 'kind', `${key}.kind`);
    if (!kind) {
      throw new BackupPolicyConfigError(
        `${key}.kind`,
        'missing; each scope rule names the entity kinds it covers',
      );
    }
    return {
      kind,
      type: readList(rule, 'type', `${key}.type`),
      lifecycle: readList(rule, 'lifecycle', `${key}.lifecycle`),
    };
  });
}

function readRequiredAnnotations(policy: Config): BackupField[] {
  const names = policy.getOptionalStringArray('requiredAnnotations');
  if (!names) {
    return DEFAULT_BACKUP_POLICY.requiredAnnotations;
  }
  return names.map((name, index) => {
    const field = backupFieldOfAnnotation(name);
    if (!field) {
      throw new BackupPolicyConfigError(
        `${POLICY_KEY}.requiredAnnotations[${index}]`,
        `unknown annotation '${name}'`,
      );
    }
    return field;
  });
}

function readDuration(policy: Config, key: string): HumanDuration | undefined {
  if (!policy.has(key)) {
    return undefined;
  }
  try {
    return readDurationFromConfig(policy, { key });
  } catch (error) {
    throw new BackupPolicyConfigError(
      `${POLICY_KEY}.${key}`,
      `${
        (error as Error).message
      }; expected an ISO 8601 duration such as P90D or an object such as { days: 90 }`,
    );
  }
}

function readIntervals(policy: Config): BackupPolicy['restoreTestInterval'] {
  const defaults = DEFAULT_BACKUP_POLICY.restoreTestInterval;
  const intervals = policy.getOptionalConfig('restoreTestInterval');
  for (const key of intervals?.keys() ?? []) {
    if (key !== 'default' && !DATA_CLASSIFICATIONS.includes(key as any)) {
      throw new BackupPolicyConfigError(
        `${POLICY_KEY}.restoreTestInterval.${key}`,
        `unknown data classification; expected default or one of ${DATA_CLASSIFICATIONS.join(
          ', ',
        )}`,
      );
    }
  }
  const fallback =
    readDuration(policy, 'restoreTestInterval.default') ?? defaults.default;
  const result = { default: fallback } as BackupPolicy['restoreTestInterval'];
  for (const classification of DATA_CLASSIFICATIONS) {
    result[classification] =
      readDuration(policy, `restoreTestInterval.${classification}`) ??
      (intervals?.has('default') ? fallback : defaults[classification]);
  }
  return result;
}

function readClassifications(
  policy: Config,
  key: string,
): DataClassification[] | undefined {
  const values = policy.getOptionalStringArray(key);
  values?.forEach((value, index) => {
    if (!DATA_CLASSIFICATIONS.includes(value as DataClassification)) {
      throw new BackupPolicyConfigError(
        `${POLICY_KEY}.${key}[${index}]`,
        `unknown data classification '${value}'; expected one of ${DATA_CLASSIFICATIONS.join(
          ', ',
        )}`,
      );
    }
  });
  return values as DataClassification[] | undefined;
}

/** A group ref, normalised as the catalog writes it (`group:default/grc`). */
function readGroupRef(value: string, key: string): string {
  const problem = (message: string) =>
    new BackupPolicyConfigError(key, message);
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw problem((error as Error).message);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw problem(
      `'${value}' is not a group; expected a group entity ref such as group:default/security-grc`,
    );
  }
  return stringifyEntityRef(ref);
}

function readExemptionApprovers(policy: Config): string[] | undefined {
  return policy
    .getOptionalStringArray('exemptionApprovers')
    ?.map((value, index) =>
      readGroupRef(value, `${POLICY_KEY}.exemptionApprovers[${index}]`),
    );
}

function readApprovedAt(policy: Config): string | undefined {
  const value = policy.getOptionalString('approvedAt');
  if (value !== undefined && Number.isNaN(Date.parse(value))) {
    throw new BackupPolicyConfigError(
      `${POLICY_KEY}.approvedAt`,
      `'${value}' is not an ISO 8601 date`,
    );
  }
  return value;
}

/**
 * Reads the agreed backup policy from `backup.policy`, filling in defaults.
 * Throws {@link BackupPolicyConfigError} naming the offending key.
 *
 * @public
 */
export function readBackupPolicy(config: Config): BackupPolicy {
  const policy = config.getOptionalConfig(POLICY_KEY);
  if (!policy) {
    return DEFAULT_BACKUP_POLICY;
  }
  const wrap = <T>(key: string, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof BackupPolicyConfigError) throw error;
      throw new BackupPolicyConfigError(
        `${POLICY_KEY}.${key}`,
        (error as Error).message,
      );
    }
  };
  return {
    version: wrap(
      'version',
      () =>
        policy.getOptionalString('version') ?? DEFAULT_BACKUP_POLICY.version,
    ),
    approvedBy: wrap('approvedBy', () =>
      policy.getOptionalString('approvedBy'),
    ),
    approvedAt: wrap('approvedAt', () => readApprovedAt(policy)),
    scope: wrap('scope', () => readScope(policy)),
    requiredAnnotations: wrap('requiredAnnotations', () =>
      readRequiredAnnotations(policy),
    ),
    restoreTestInterval: wrap('restoreTestInterval', () =>
      readIntervals(policy),
    ),
    dueSoonWindow:
      readDuration(policy, 'dueSoonWindow') ??
      DEFAULT_BACKUP_POLICY.dueSoonWindow,
    encryptionRequiredFor: wrap(
      'encryptionRequiredFor',
      () =>
        readClassifications(policy, 'encryptionRequiredFor') ??
        DEFAULT_BACKUP_POLICY.encryptionRequiredFor,
    ),
    accessControlRequiredFor: wrap(
      'accessControlRequiredFor',
      () =>
        readClassifications(policy, 'accessControlRequiredFor') ??
        DEFAULT_BACKUP_POLICY.accessControlRequiredFor,
    ),
    accessReviewInterval:
      readDuration(policy, 'accessReviewInterval') ??
      DEFAULT_BACKUP_POLICY.accessReviewInterval,
    failureAcknowledgeWithin:
      readDuration(policy, 'failureAcknowledgeWithin') ??
      DEFAULT_BACKUP_POLICY.failureAcknowledgeWithin,
    exemptionApprovers: wrap(
      'exemptionApprovers',
      () =>
        readExemptionApprovers(policy) ??
        DEFAULT_BACKUP_POLICY.exemptionApprovers,
    ),
    maxExemption:
      readDuration(policy, 'maxExemption') ??
      DEFAULT_BACKUP_POLICY.maxExemption,
  };
}
