import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { DatabaseSnapshotStore } from '../database/SnapshotStore';
import { BackupOverviewService } from './BackupOverviewService';

/** Writes today's figures per owner group; a day already written is kept. */
export async function writeDailySnapshot(options: {
  overview: BackupOverviewService;
  snapshots: DatabaseSnapshotStore;
  now: Date;
}): Promise<number> {
  const { overview, snapshots, now } = options;
  const day = now.toISOString().slice(0, 10);
  return snapshots.writeDay(day, await overview.figuresByOwner(), now);
}

/**
 * Runs the snapshot hourly so a missed run is caught up the same day. Global
 * scope: one replica runs it at a time, and the per-day key makes a repeated
 * run harmless.
 */
export async function scheduleDailySnapshot(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  overview: BackupOverviewService;
  snapshots: DatabaseSnapshotStore;
}) {
  const { scheduler, logger, overview, snapshots } = options;
  await scheduler.scheduleTask({
    id: 'backup-daily-snapshot',
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      const written = await writeDailySnapshot({
        overview,
        snapshots,
        now: new Date(),
      });
      if (written > 0) {
        logger.info(`Backup snapshot written for ${written} owner groups`);
      }
    },
  });
}
