import {
  AccessLoggingLevel,
  BackupMethod,
  DataClassification,
  DeletionProtection,
  EncryptionLevel,
} from './annotations';

/** Words for each backup method, for people rather than parsers. @public */
export const BACKUP_METHOD_LABELS: Record<BackupMethod, string> = {
  snapshot: 'Volume or disk snapshot',
  'database-dump': 'Database dump',
  pitr: 'Point-in-time recovery',
  'object-replication': 'Object storage replication',
  file: 'File backup',
  'saas-export': 'SaaS-native export',
  image: 'System image',
  rebuild: 'Rebuilt from code and artifacts',
  none: 'No backup',
};

/** @public */
export const DATA_CLASSIFICATION_LABELS: Record<DataClassification, string> = {
  public: 'Public',
  internal: 'Internal',
  confidential: 'Confidential',
  pii: 'Personal data (PII)',
  'sensitive-pii': 'Sensitive personal data',
};

/** @public */
export const ENCRYPTION_LABELS: Record<EncryptionLevel, string> = {
  none: 'Not encrypted',
  'provider-managed': 'Encrypted, provider-managed keys',
  'customer-managed': 'Encrypted, customer-managed keys',
};

/** @public */
export const DELETION_PROTECTION_LABELS: Record<DeletionProtection, string> = {
  none: 'No deletion protection',
  'soft-delete': 'Soft delete (recoverable for a period)',
  immutable: 'Immutable copies (object or vault lock)',
};

/** @public */
export const ACCESS_LOGGING_LABELS: Record<AccessLoggingLevel, string> = {
  none: 'Access not logged',
  logged: 'Access logged',
  'tamper-evident': 'Access logged, logs protected from tampering',
};
