import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { NotificationsConfig } from '../config';
import { BackupReminders } from './BackupReminders';

/**
 * Runs the reminders on the configured schedule. Global scope: one replica
 * runs it at a time; the sent-reminders table makes a repeated or concurrent
 * run send nothing twice.
 */
export async function scheduleBackupReminders(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  reminders: BackupReminders;
  schedule: NotificationsConfig['schedule'];
}) {
  const { scheduler, logger, reminders, schedule } = options;
  await scheduler.scheduleTask({
    id: 'backup-reminders',
    ...schedule,
    scope: 'global',
    fn: async () => {
      const { sent, failed, withoutOwner } = await reminders.run();
      if (sent > 0 || failed > 0) {
        logger.info(
          `Backup reminders: ${sent} sent, ${failed} failed (retried next run)`,
        );
      }
      if (withoutOwner > 0) {
        logger.warn(
          `Backup reminders: ${withoutOwner} events of entities without an owner (spec.owner) were not sent`,
        );
      }
    },
  });
}
