import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import {
  BackupOverviewService,
  EVALUATION_REUSE_MS,
} from './BackupOverviewService';

/** The warm-up's id, for tests that run it on demand. */
export const WARM_EVALUATIONS_TASK_ID = 'backup-warm-evaluations';

/**
 * Keeps every entity's evaluation warm, so that the first /summary or
 * /entities call is as fast as a later one. Twice per reuse window (every
 * minute): an evaluation a caller finds is then never older than the
 * window, and callers evaluate only what changed since the last run. Local
 * scope: the evaluations are cached per process, so every replica warms
 * its own. A short initial delay lets the catalog start first.
 */
export async function scheduleEvaluationWarmUp(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  overview: BackupOverviewService;
}) {
  const { scheduler, logger, overview } = options;
  await scheduler.scheduleTask({
    id: WARM_EVALUATIONS_TASK_ID,
    frequency: { milliseconds: EVALUATION_REUSE_MS / 2 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 5 },
    scope: 'local',
    fn: async () => {
      const count = await overview.warm();
      logger.debug(`Backup evaluations warmed for ${count} entities`);
    },
  });
}
