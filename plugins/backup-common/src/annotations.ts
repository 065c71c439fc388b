/**
 * Prefix shared by every backup-assurance annotation.
 *
 * @public
 */
export const BACKUP_ANNOTATION_PREFIX = 'backup-assurance.io/';

/**
 * The annotation contract: field name in the typed profile to annotation key.
 *
 * @public
 */
export const BACKUP_ANNOTATIONS = {
  method: 'backup-assurance.io/method',
  dataClassification: 'backup-assurance.io/data-classification',
  owner: 'backup-assurance.io/owner',
  lastRestoreTest: 'backup-assurance.io/last-restore-test',
  restoreTestEvidence: 'backup-assurance.io/restore-test-evidence',
  frequency: 'backup-assurance.io/frequency',
  retention: 'backup-assurance.io/retention',
  rpo: 'backup-assurance.io/rpo',
  rto: 'backup-assurance.io/rto',
  encryption: 'backup-assurance.io/encryption',
  locations: 'backup-assurance.io/locations',
  provider: 'backup-assurance.io/provider',
  exemption: 'backup-assurance.io/exemption',
  exemptionExpires: 'backup-assurance.io/exemption-expires',
  exemptionApprovedBy: 'backup-assurance.io/exemption-approved-by',
  backupAdmins: 'backup-assurance.io/backup-admins',
  deletionProtection: 'backup-assurance.io/deletion-protection',
  accessLogging: 'backup-assurance.io/access-logging',
  lastAccessReview: 'backup-assurance.io/last-access-review',
  accessReviewEvidence: 'backup-assurance.io/access-review-evidence',
} as const;

/**
 * The AWS resources whose AWS Backup jobs are this entity's evidence: a comma
 * list of resource ARNs, read by the `aws` module of the backup plugin. Kept
 * apart from {@link BACKUP_ANNOTATIONS} because it maps evidence to an
 * entity rather than declaring part of its backup profile.
 *
 * @public
 */
export const AWS_BACKUP_RESOURCE_ARN_ANNOTATION =
  'backup-assurance.io/aws-backup-resource-arn';

/** @public */
export type BackupField = keyof typeof BACKUP_ANNOTATIONS;

/** @public */
export type BackupAnnotation = (typeof BACKUP_ANNOTATIONS)[BackupField];

/**
 * The short annotation name without the prefix, e.g. `last-restore-test`.
 *
 * @public
 */
export function shortAnnotationName(field: BackupField): string {
  return BACKUP_ANNOTATIONS[field].slice(BACKUP_ANNOTATION_PREFIX.length);
}

/**
 * Finds the profile field of a short (`method`) or full annotation name.
 *
 * @public
 */
export function backupFieldOfAnnotation(name: string): BackupField | undefined {
  const full = name.startsWith(BACKUP_ANNOTATION_PREFIX)
    ? name
    : `${BACKUP_ANNOTATION_PREFIX}${name}`;
  return (Object.keys(BACKUP_ANNOTATIONS) as BackupField[]).find(
    field => BACKUP_ANNOTATIONS[field] === full,
  );
}

/** @public */
export const BACKUP_METHODS = [
  'snapshot',
  'database-dump',
  'pitr',
  'object-replication',
  'file',
  'saas-export',
  'image',
  'rebuild',
  'none',
] as const;

/** @public */
export type BackupMethod = (typeof BACKUP_METHODS)[number];

/** @public */
export const DATA_CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'pii',
  'sensitive-pii',
] as const;

/** @public */
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** @public */
export const ENCRYPTION_LEVELS = [
  'none',
  'provider-managed',
  'customer-managed',
] as const;

/** @public */
export type EncryptionLevel = (typeof ENCRYPTION_LEVELS)[number];

/**
 * What stops a backup from being deleted before its retention ends, even by
 * an administrator: nothing, a recoverable soft delete, or an immutable copy
 * (object lock, vault lock, WORM storage).
 *
 * @public
 */
export const DELETION_PROTECTIONS = [
  'none',
  'soft-delete',
  'immutable',
] as const;

/** @public */
export type DeletionProtection = (typeof DELETION_PROTECTIONS)[number];

/**
 * Whether access to the backup repository (reads, deletions, job changes) is
 * logged, and whether those logs are protected from tampering.
 *
 * @public
 */
export const ACCESS_LOGGING_LEVELS = [
  'none',
  'logged',
  'tamper-evident',
] as const;

/** @public */
export type AccessLoggingLevel = (typeof ACCESS_LOGGING_LEVELS)[number];
