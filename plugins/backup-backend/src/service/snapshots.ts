import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import { DatabaseSnapshotStore } from '../database/SnapshotStore';
import { BackupOverviewService } from './BackupOverviewService';

/**
 * Writes a day's figures per owner group; a day already written is kept.
 * Today's by default; with asOf, a past day's as it stood at asOf (a
 * backfill), stamped with the time it was actually written.
 */
export async function writeDailySnapshot(options: {
  overview: BackupOverviewService;
  snapshots: DatabaseSnapshotStore;
  now: Date;
  asOf?: Date;
}): Promise<number> {
  const { overview, snapshots, now, asOf } = options;
  const day = (asOf ?? now).toISOString().slice(0, 10);
  return snapshots.writeDay(day, await overview.figuresByOwner(asOf), now);
}

/**
 * Writes the snapshot of each of the `days` days before today that has
 * none, as it stood at the end of that day (UTC), through the same code as
 * the daily snapshot. Returns the number of days written.
 */
export async function backfillDailySnapshots(options: {
  overview: BackupOverviewService;
  snapshots: DatabaseSnapshotStore;
  days: number;
  now: Date;
}): Promise<number> {
  const { overview, snapshots, days, now } = options;
  if (days === 0) return 0;
  const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  const pastDays = Array.from({ length: days }, (_, i) =>
    today.minus({ days: days - i }),
  );
  const written = new Set(
    (
      await snapshots.read({
        from: pastDays[0].toISODate()!,
        to: pastDays[pastDays.length - 1].toISODate()!,
      })
    ).map(point => point.day),
  );
  let backfilled = 0;
  for (const day of pastDays.filter(d => !written.has(d.toISODate()!))) {
    const asOf = day.endOf('day').toJSDate();
    if ((await writeDailySnapshot({ overview, snapshots, now, asOf })) > 0) {
      backfilled++;
    }
  }
  return backfilled;
}

/**
 * Runs the snapshot hourly so a missed run is caught up the same day, after
 * backfilling the configured past days that have none. Global scope: one
 * replica runs it at a time, and the per-day key makes a repeated run
 * harmless.
 */
export async function scheduleDailySnapshot(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  overview: BackupOverviewService;
  snapshots: DatabaseSnapshotStore;
  backfillDays: number;
}) {
  const { scheduler, logger, overview, snapshots, backfillDays } = options;
  await scheduler.scheduleTask({
    id: 'backup-daily-snapshot',
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      const now = new Date();
      const backfilled = await backfillDailySnapshots({
        overview,
        snapshots,
        days: backfillDays,
        now,
      });
      if (backfilled > 0) {
        logger.info(`Backup snapshots backfilled for ${backfilled} past days`);
      }
      const written = await writeDailySnapshot({ overview, snapshots, now });
      if (written > 0) {
        logger.info(`Backup snapshot written for ${written} owner groups`);
      }
    },
  });
}
