import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { DateTime } from 'luxon';
import { EvidenceStore } from '../database/EvidenceStore';

/**
 * Prunes backup-run reports older than the retention once a day. Global
 * scope: one replica runs it; running it twice deletes nothing more.
 */
export async function scheduleBackupRunRetention(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  store: EvidenceStore;
  retention: HumanDuration;
}) {
  const { scheduler, logger, store, retention } = options;
  await scheduler.scheduleTask({
    id: 'backup-run-retention',
    frequency: { hours: 24 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 5 },
    scope: 'global',
    fn: async () => {
      const cutoff = DateTime.utc().minus(retention).toJSDate();
      const pruned = await store.pruneBackupRuns(cutoff);
      logger.info(
        `Pruned ${pruned} backup-run reports recorded before ${cutoff.toISOString()}`,
      );
    },
  });
}
