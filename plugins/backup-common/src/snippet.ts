import { BACKUP_ANNOTATIONS, BackupField } from './annotations';
import { BackupPolicy } from './policy';

const EXAMPLE_VALUES: Record<BackupField, string> = {
  method: 'database-dump, pitr',
  dataClassification: 'pii',
  owner: 'group:default/my-team',
  lastRestoreTest: '2026-10-01',
  restoreTestEvidence: 'https://tickets.example.com/OPS-123',
  frequency: 'P1D',
  retention: 'P35D',
  rpo: 'PT24H',
  rto: 'PT4H',
  encryption: 'customer-managed',
  locations: 'eu-west-1, eu-central-1',
  provider: '',
  exemption: '',
  exemptionExpires: '',
  exemptionApprovedBy: '',
  backupAdmins: 'group:default/backup-admins',
  deletionProtection: 'immutable',
  accessLogging: 'tamper-evident',
  lastAccessReview: '2026-10-01',
  accessReviewEvidence: 'https://tickets.example.com/SEC-45',
};

/**
 * A YAML `metadata.annotations` block with example values for the fields the
 * policy requires plus the ones a restore test and PII protection (encryption
 * and access control) need, for an entity that declares nothing yet.
 *
 * @public
 */
export function backupAnnotationsSnippet(
  policy: Pick<BackupPolicy, 'requiredAnnotations'>,
  existing: Record<string, string> = {},
): string {
  const fields = new Set<BackupField>([
    ...policy.requiredAnnotations,
    'lastRestoreTest',
    'restoreTestEvidence',
    'encryption',
    'locations',
    'backupAdmins',
    'deletionProtection',
    'accessLogging',
    'lastAccessReview',
    'accessReviewEvidence',
  ]);
  const lines = (Object.keys(BACKUP_ANNOTATIONS) as BackupField[])
    .filter(field => fields.has(field))
    .filter(field => existing[BACKUP_ANNOTATIONS[field]] === undefined)
    .map(
      field => `    ${BACKUP_ANNOTATIONS[field]}: '${EXAMPLE_VALUES[field]}'`,
    );
  return ['metadata:', '  annotations:', ...lines].join('\n');
}
