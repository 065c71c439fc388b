import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Record a restore test for an entity (people and CI jobs).
 *
 * @public
 */
export const backupRestoreTestCreatePermission = createPermission({
  name: 'backup.restore-test.create',
  attributes: { action: 'create' },
});

/**
 * Report a backup run for an entity (backup tools).
 *
 * @public
 */
export const backupBackupRunCreatePermission = createPermission({
  name: 'backup.backup-run.create',
  attributes: { action: 'create' },
});

/**
 * Record a review of who can delete backups or disable backup jobs (security
 * reviewers and access-governance tools).
 *
 * @public
 */
export const backupAccessReviewCreatePermission = createPermission({
  name: 'backup.access-review.create',
  attributes: { action: 'create' },
});

/**
 * Acknowledge or resolve a failed backup run or restore test (on-call
 * engineers and ticketing tools).
 *
 * @public
 */
export const backupFollowUpCreatePermission = createPermission({
  name: 'backup.follow-up.create',
  attributes: { action: 'create' },
});

/**
 * Read restore-test, backup-run and access-review history. Callers must also be able to
 * read the entity in the catalog.
 *
 * @public
 */
export const backupEvidenceReadPermission = createPermission({
  name: 'backup.evidence.read',
  attributes: { action: 'read' },
});

/**
 * Download the evidence pack (policy, backup register, restore-test records).
 *
 * @public
 */
export const backupEvidenceExportPermission = createPermission({
  name: 'backup.evidence.export',
  attributes: { action: 'read' },
});

/** @public */
export const backupPermissions = [
  backupRestoreTestCreatePermission,
  backupBackupRunCreatePermission,
  backupAccessReviewCreatePermission,
  backupFollowUpCreatePermission,
  backupEvidenceReadPermission,
  backupEvidenceExportPermission,
];
