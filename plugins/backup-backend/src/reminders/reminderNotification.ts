import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { BackupEntityRow } from '@backup-assurance/plugin-backup-common';
import { ReminderEvent, ReminderEventKind } from './reminderEvents';

/**
 * Notification topics, one per area, so that users can mute an area in their
 * notification settings (per origin `plugin:backup` and topic).
 */
export const REMINDER_TOPICS: Record<ReminderEventKind, string> = {
  'restore-test-due-soon': 'backup-restore-tests',
  'restore-test-overdue': 'backup-restore-tests',
  'failure-unacknowledged': 'backup-failures',
  'access-review-due': 'backup-access-reviews',
  'exemption-expiring': 'backup-exemptions',
};

/**
 * The entity's Backup tab, as the catalog's entity routes name it (kind and
 * namespace lower-case), relative to the app's base URL.
 */
export function entityBackupPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${[
    namespace.toLocaleLowerCase('en-US'),
    kind.toLocaleLowerCase('en-US'),
    name,
  ]
    .map(encodeURIComponent)
    .join('/')}/backup`;
}

/**
 * The notification of one reminder, to the entity's owner (a group reaches
 * its members). The scope names entity and subject: should an event be sent
 * twice, or a later one arrive on the same subject, the notifications backend
 * updates the owner's notification and marks it unread instead of adding one.
 */
export function reminderNotification(
  row: BackupEntityRow,
  owner: string,
  event: ReminderEvent,
): NotificationSendOptions {
  return {
    recipients: { type: 'entity', entityRef: owner },
    payload: {
      title: `${event.title}: ${row.title ?? row.name}`,
      description: event.description,
      link: entityBackupPath(row.entityRef),
      severity: event.severity,
      topic: REMINDER_TOPICS[event.kind],
      scope: `backup:${event.subject}:${row.entityRef}`,
      metadata: { entityRef: row.entityRef, reminder: event.kind },
    },
  };
}
