/**
 * The backup status of one entity. When several apply, the first in
 * {@link BACKUP_STATUS_PRECEDENCE} wins.
 *
 * @public
 */
export type BackupStatus =
  | 'compliant'
  | 'due-soon'
  | 'overdue'
  | 'non-compliant'
  | 'incomplete'
  | 'invalid'
  | 'exempt'
  | 'out-of-scope';

/**
 * Which status wins when several apply, strongest first:
 * - `out-of-scope`: the policy does not cover the entity, so nothing else is judged;
 * - `invalid`: a value does not parse, so no other conclusion can be trusted
 *   (not even an exemption);
 * - `exempt`: an unexpired exemption, approved as the policy requires, covers
 *   every remaining gap;
 * - `non-compliant`: a policy rule is broken (e.g. PII backups unencrypted).
 *   A confirmed violation outranks missing data, as in AWS Config, where one
 *   failing rule makes a resource non-compliant: a missing annotation must
 *   not hide a breach that is already known;
 * - `incomplete`: a required annotation is missing, so compliance cannot be
 *   shown yet;
 * - `overdue`: the restore test is past due or was never recorded;
 * - `due-soon`: the restore test falls due within the due-soon window;
 * - `compliant`: none of the above.
 *
 * @public
 */
export const BACKUP_STATUS_PRECEDENCE: readonly BackupStatus[] = [
  'out-of-scope',
  'invalid',
  'exempt',
  'non-compliant',
  'incomplete',
  'overdue',
  'due-soon',
  'compliant',
];

/** @public */
export const BACKUP_STATUS_LABELS: Record<BackupStatus, string> = {
  compliant: 'Compliant',
  'due-soon': 'Restore test due soon',
  overdue: 'Restore test overdue',
  'non-compliant': 'Non-compliant',
  incomplete: 'Incomplete',
  invalid: 'Invalid annotations',
  exempt: 'Exempt',
  'out-of-scope': 'Out of scope',
};
