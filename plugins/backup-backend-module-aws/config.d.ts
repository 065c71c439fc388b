import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  backup?: {
    /**
     * The AWS Backup evidence collector (module `aws` of the backup plugin).
     * Credentials come from the `aws` integration config (`aws.mainAccount`,
     * `aws.accounts`, `aws.accountDefaults`).
     */
    aws?: {
      /**
       * The accounts and regions whose backup and restore jobs are read.
       * Required, at least one.
       */
      accounts: Array<{
        /** The 12-digit AWS account id, e.g. '123456789012' (quoted in YAML). */
        accountId: string;
        /** One region, e.g. eu-west-1; or use `regions`. */
        region?: string;
        /** Several regions of the account; or use `region`. */
        regions?: string[];
      }>;
      /**
       * When the collector runs (frequency, timeout, initialDelay). Default:
       * every hour, timing out after 15 minutes, first run a minute after
       * start-up.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Only jobs created this long ago or later are read, as an ISO 8601
       * duration or a duration object; at least the schedule's frequency and
       * at most 30 days (AWS Backup's own job history). Default P7D.
       */
      lookback?: string | HumanDuration;
    };
  };
}
