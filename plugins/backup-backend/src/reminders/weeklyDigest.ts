import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  BackupEntityRow,
  computeBackupFigures,
} from '@backup-assurance/plugin-backup-common';
import { DateTime } from 'luxon';

/** The event kind of the digest in the sent-reminders table. */
export const WEEKLY_DIGEST = 'weekly-digest';

/** The org-wide dashboard of the frontend plugin. */
export const DASHBOARD_PATH = '/backup';

/** The ISO week of an instant in UTC, e.g. 2026-W48: the digest's key. */
export function isoWeekOf(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'utc' }).toFormat("kkkk-'W'WW");
}

/** What the managers are told, from the same figures as the dashboard. */
export interface DigestFigures {
  inScope: number;
  overdue: number;
  dueSoon: number;
  unacknowledgedFailures: number;
  nonCompliant: number;
}

export function digestFiguresOf(
  rows: BackupEntityRow[],
  now: Date,
): DigestFigures {
  const figures = computeBackupFigures(rows, now);
  return {
    inScope: figures.inScope,
    overdue: figures.overdue,
    dueSoon: figures.counts['due-soon'],
    unacknowledgedFailures: rows.filter(row =>
      row.findings.some(f => f.code === 'failure-unacknowledged'),
    ).length,
    nonCompliant: figures.nonCompliant,
  };
}

/**
 * The weekly digest to the configured group. One scope per recipient: each
 * week's digest replaces the last one in the inbox, marked unread.
 */
export function digestNotification(
  recipient: string,
  week: string,
  figures: DigestFigures,
): NotificationSendOptions {
  const attention =
    figures.overdue + figures.unacknowledgedFailures + figures.nonCompliant;
  return {
    recipients: { type: 'entity', entityRef: recipient },
    payload: {
      title: `Backup assurance digest, week ${week}`,
      description: `Entities by backup status: ${figures.overdue} overdue, ${figures.dueSoon} due soon, ${figures.nonCompliant} non-compliant, ${figures.unacknowledgedFailures} with failures not acknowledged; ${figures.inScope} in scope.`,
      link: DASHBOARD_PATH,
      severity: attention > 0 ? 'normal' : 'low',
      topic: 'backup-weekly-digest',
      scope: `backup:${WEEKLY_DIGEST}:${recipient}`,
      metadata: { week, ...figures },
    },
  };
}
