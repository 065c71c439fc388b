import { BackupFindingCode } from './evaluate';

/**
 * What a finding rests on, and so what can raise it without anyone editing
 * the entity:
 * - `declaration`: the entity's annotations and the policy alone; only an
 *   edit of either raises it. A date declared in the future, or an exemption
 *   running longer than the policy allows, counts here too: it is wrong when
 *   written, and time passing can only clear it, never raise it;
 * - `clock`: the date: time passing raises it (a restore test falls due, an
 *   exemption expires);
 * - `evidence`: recorded evidence (restore tests, backup runs, access
 *   reviews, follow-ups) raises or clears it;
 * - `catalog`: other entities of the catalog (an approver's group
 *   memberships) raise or clear it.
 *
 * A check of a catalog file (a CI lint, a form) fails only on `declaration`
 * findings, so that a change never fails because a test fell due meanwhile.
 *
 * @public
 */
export type BackupFindingSource =
  | 'declaration'
  | 'clock'
  | 'evidence'
  | 'catalog';

/**
 * The source of every finding code; a new code does not compile until it is
 * given one.
 *
 * @public
 */
export const BACKUP_FINDING_SOURCES: Readonly<
  Record<BackupFindingCode, BackupFindingSource>
> = {
  'out-of-scope': 'declaration',
  'annotation-invalid': 'declaration',
  'annotation-missing': 'declaration',
  'restore-test-in-future': 'declaration',
  'access-review-in-future': 'declaration',
  'encryption-undeclared': 'declaration',
  'access-control-undeclared': 'declaration',
  'backup-method-none': 'declaration',
  'encryption-required': 'declaration',
  'deletion-protection-required': 'declaration',
  'access-logging-required': 'declaration',
  'exemption-approver-missing': 'declaration',
  'exemption-too-long': 'declaration',
  'exemption-approver-not-allowed': 'catalog',
  'restore-test-overdue': 'clock',
  'restore-test-due-soon': 'clock',
  'access-review-overdue': 'clock',
  'access-review-due-soon': 'clock',
  'exemption-active': 'clock',
  'exemption-expired': 'clock',
  // never tested or reviewed: a stored record settles it as well as a date
  'restore-test-missing': 'evidence',
  'access-review-missing': 'evidence',
  // the annotated date lacks its link only while no newer record exists
  'restore-test-evidence-missing': 'evidence',
  'access-review-evidence-missing': 'evidence',
  'restore-test-failed': 'evidence',
  'backup-run-failed': 'evidence',
  'backup-run-missing': 'evidence',
  'rto-exceeded': 'evidence',
  'failure-unacknowledged': 'evidence',
};
