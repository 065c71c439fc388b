export { DefaultBackupReminders } from './BackupReminders';
export type { BackupReminders, ReminderRunSummary } from './BackupReminders';
export { DatabaseSentReminderStore } from './SentReminderStore';
export type { SentReminderStore } from './SentReminderStore';
export { scheduleBackupReminders } from './scheduleBackupReminders';
export type { ReminderEventKind } from './reminderEvents';
