import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ACCESS_LOGGING_LEVELS,
  AccessLoggingLevel,
  BACKUP_ANNOTATIONS,
  BACKUP_METHODS,
  BackupField,
  BackupMethod,
  DATA_CLASSIFICATIONS,
  DataClassification,
  DELETION_PROTECTIONS,
  DeletionProtection,
  ENCRYPTION_LEVELS,
  EncryptionLevel,
} from './annotations';
import {
  isHttpUrl,
  parseIsoDuration,
  parseIsoInstant,
  splitList,
  textProblem,
} from './values';

/**
 * The typed, normalised backup declaration of one entity. Only annotations
 * that were present and valid appear; dates are ISO 8601 strings in UTC and
 * durations are normalised ISO 8601 strings, so the profile is plain JSON.
 *
 * @public
 */
export interface BackupProfile {
  methods?: BackupMethod[];
  dataClassification?: DataClassification;
  /** Entity ref of the accountable group or user. */
  owner?: string;
  lastRestoreTest?: string;
  restoreTestEvidence?: string;
  frequency?: string;
  retention?: string;
  rpo?: string;
  rto?: string;
  encryption?: EncryptionLevel;
  locations?: string[];
  provider?: string;
  exemption?: string;
  exemptionExpires?: string;
  /** Entity ref of the user or group who approved the exemption. */
  exemptionApprovedBy?: string;
  /** Entity refs of the groups or users who can delete backups or disable backup jobs. */
  backupAdmins?: string[];
  deletionProtection?: DeletionProtection;
  accessLogging?: AccessLoggingLevel;
  /** When the access of those administrators was last reviewed. */
  lastAccessReview?: string;
  accessReviewEvidence?: string;
}

/**
 * One annotation whose value could not be accepted.
 *
 * @public
 */
export interface BackupFieldError {
  field: BackupField;
  annotation: string;
  /** The value as given (untrimmed). */
  value: string;
  /** What the annotation accepts, in words. */
  expected: string;
}

/** @public */
export interface ParsedBackupProfile {
  profile: BackupProfile;
  errors: BackupFieldError[];
  /** Whether the entity carries any backup annotation at all. */
  annotated: boolean;
}

type FieldParser<T> = (
  value: string,
  entity: Entity,
) => { value: T } | { expected: string };

const oneOf =
  <T extends string>(allowed: readonly T[]): FieldParser<T> =>
  value =>
    (allowed as readonly string[]).includes(value)
      ? { value: value as T }
      : { expected: `one of: ${allowed.join(', ')}` };

const instant: FieldParser<string> = value => {
  const parsed = parseIsoInstant(value);
  return parsed
    ? { value: parsed.toISO()! }
    : {
        expected:
          'an ISO 8601 date (2026-10-01) or date-time with a time zone (2026-10-01T14:30:00Z), from 1970 on',
      };
};

const duration: FieldParser<string> = value => {
  const parsed = parseIsoDuration(value);
  return parsed
    ? { value: parsed.toISO()! }
    : {
        expected:
          'a positive ISO 8601 duration, e.g. P1D (daily), PT4H (4 hours), P30D, P1Y',
      };
};

const text: FieldParser<string> = value => ({ value });

const urlOf =
  (record: string): FieldParser<string> =>
  value =>
    isHttpUrl(value) ? { value } : { expected: `an http(s) URL of ${record}` };

const methods: FieldParser<BackupMethod[]> = value => {
  const items = [...new Set(splitList(value))];
  const unknown = items.filter(
    item => !(BACKUP_METHODS as readonly string[]).includes(item),
  );
  if (items.length === 0 || unknown.length > 0) {
    return {
      expected: `a comma list of: ${BACKUP_METHODS.join(', ')}`,
    };
  }
  if (items.includes('none') && items.length > 1) {
    return { expected: '"none" on its own, or a list of real methods' };
  }
  return { value: items as BackupMethod[] };
};

const list: FieldParser<string[]> = value => {
  const items = splitList(value);
  return items.length > 0
    ? { value: items }
    : { expected: 'a comma list of backup storage locations' };
};

const GROUP_OR_USER_EXPECTED =
  'an entity ref of a group or user, e.g. group:default/payments';

const ownerRef: FieldParser<string> = (value, entity) => {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind === 'group' || kind === 'user') {
      return { value: stringifyEntityRef({ ...ref, kind }) };
    }
  } catch {
    // falls through to the error below
  }
  return { expected: GROUP_OR_USER_EXPECTED };
};

const refList: FieldParser<string[]> = (value, entity) => {
  const parsed = [...new Set(splitList(value))].map(item =>
    ownerRef(item, entity),
  );
  const refs = parsed.flatMap(item => ('value' in item ? [item.value] : []));
  return refs.length > 0 && refs.length === parsed.length
    ? { value: [...new Set(refs)] }
    : {
        expected:
          'a comma list of group or user entity refs, e.g. group:default/backup-admins',
      };
};

const FIELD_PARSERS: Record<BackupField, FieldParser<unknown>> = {
  method: methods,
  dataClassification: oneOf(DATA_CLASSIFICATIONS),
  owner: ownerRef,
  lastRestoreTest: instant,
  restoreTestEvidence: urlOf('the restore-test record'),
  frequency: duration,
  retention: duration,
  rpo: duration,
  rto: duration,
  encryption: oneOf(ENCRYPTION_LEVELS),
  locations: list,
  provider: text,
  exemption: text,
  exemptionExpires: instant,
  exemptionApprovedBy: ownerRef,
  backupAdmins: refList,
  deletionProtection: oneOf(DELETION_PROTECTIONS),
  accessLogging: oneOf(ACCESS_LOGGING_LEVELS),
  lastAccessReview: instant,
  accessReviewEvidence: urlOf('the access review record'),
};

/** One annotation's value, or what was expected instead. */
function parseField(field: BackupField, value: string, entity: Entity) {
  const unreadable = textProblem(value);
  if (unreadable) {
    return { expected: `well-formed text: the value ${unreadable}` };
  }
  if (!value) return { expected: 'a value (the annotation is empty)' };
  return FIELD_PARSERS[field](value, entity);
}

/**
 * The profile property that holds a field (`method` is kept as `methods`).
 *
 * @public
 */
export function profileKey(field: BackupField): keyof BackupProfile {
  return field === 'method' ? 'methods' : field;
}

/**
 * Reads an entity's backup annotations into a typed profile. Values are
 * trimmed; a value that does not parse becomes a field error and is left out
 * of the profile, never guessed.
 *
 * @public
 */
export function parseBackupProfile(entity: Entity): ParsedBackupProfile {
  const annotations = entity.metadata.annotations ?? {};
  const profile: Record<string, unknown> = {};
  const errors: BackupFieldError[] = [];
  let annotated = false;

  for (const field of Object.keys(FIELD_PARSERS) as BackupField[]) {
    const annotation = BACKUP_ANNOTATIONS[field];
    const raw = annotations[annotation];
    if (raw === undefined) {
      continue;
    }
    annotated = true;
    const parsed = parseField(field, String(raw).trim(), entity);
    if ('value' in parsed) {
      profile[profileKey(field)] = parsed.value;
    } else {
      errors.push({ field, annotation, value: String(raw), ...parsed });
    }
  }

  if (profile.exemption && !profile.exemptionExpires) {
    const given =
      annotations[BACKUP_ANNOTATIONS.exemptionExpires] !== undefined;
    if (!given) {
      errors.push({
        field: 'exemptionExpires',
        annotation: BACKUP_ANNOTATIONS.exemptionExpires,
        value: '',
        expected: 'the date the exemption ends (an exemption must expire)',
      });
    }
  }

  return { profile: profile as BackupProfile, errors, annotated };
}
