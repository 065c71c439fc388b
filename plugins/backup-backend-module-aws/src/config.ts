import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** One account and region whose AWS Backup jobs are read. */
export interface AwsBackupTarget {
  accountId: string;
  region: string;
}

/** `backup.aws`, read and checked. */
export interface AwsBackupCollectorConfig {
  targets: AwsBackupTarget[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Only jobs created this long before a run or later are read. */
  lookback: HumanDuration;
}

const KEY = 'backup.aws';
const ACCOUNT_ID = /^\d{12}$/;
// e.g. eu-west-1, us-gov-west-1, eusc-de-east-1
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
// ListBackupJobs answers for the last 30 days only; a longer window reads nothing more
const MAX_LOOKBACK_DAYS = 30;

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 15 },
  initialDelay: { minutes: 1 },
};
export const DEFAULT_LOOKBACK: HumanDuration = { days: 7 };

/** A start-up failure that names the config key at fault. */
export class AwsBackupConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config at '${key}': ${problem}`);
    this.name = 'AwsBackupConfigError';
  }
}

/** Reads `backup.aws`; an invalid value fails start-up naming the key. */
export function readAwsBackupCollectorConfig(
  config: Config,
): AwsBackupCollectorConfig {
  const aws = wrap(KEY, () => config.getOptionalConfig(KEY));
  if (!aws) {
    throw new AwsBackupConfigError(
      `${KEY}.accounts`,
      'missing; list the AWS accounts and regions to read, e.g. [{ accountId: "123456789012", region: "eu-west-1" }]',
    );
  }
  const schedule = readSchedule(aws);
  const lookback = readLookback(aws);
  checkLookbackCoversFrequency(lookback, schedule);
  return { targets: readTargets(aws), schedule, lookback };
}

function readTargets(aws: Config): AwsBackupTarget[] {
  const key = `${KEY}.accounts`;
  const accounts = wrap(key, () => aws.getOptionalConfigArray('accounts'));
  if (!accounts || accounts.length === 0) {
    throw new AwsBackupConfigError(
      key,
      'missing or empty; list at least one { accountId, region }',
    );
  }
  const targets = accounts.flatMap((account, index) =>
    readAccount(account, `${key}[${index}]`),
  );
  const unique = new Map(targets.map(t => [`${t.accountId}/${t.region}`, t]));
  return [...unique.values()];
}

function readAccount(account: Config, key: string): AwsBackupTarget[] {
  const accountId = wrap(`${key}.accountId`, () =>
    account.getOptionalString('accountId'),
  );
  if (!accountId || !ACCOUNT_ID.test(accountId)) {
    throw new AwsBackupConfigError(
      `${key}.accountId`,
      `${JSON.stringify(
        accountId ?? null,
      )}; expected the 12-digit account id as a quoted string`,
    );
  }
  return readRegions(account, key).map(region => ({ accountId, region }));
}

function readRegions(account: Config, key: string): string[] {
  const one = wrap(`${key}.region`, () => account.getOptionalString('region'));
  const many = wrap(`${key}.regions`, () =>
    account.getOptionalStringArray('regions'),
  );
  if (one === undefined && (!many || many.length === 0)) {
    throw new AwsBackupConfigError(
      `${key}.region`,
      'missing; give `region` (e.g. eu-west-1) or a list `regions`',
    );
  }
  const regions = [...(one === undefined ? [] : [one]), ...(many ?? [])];
  regions.forEach((region, index) => {
    if (!REGION.test(region)) {
      const at = one !== undefined && index === 0 ? 'region' : 'regions';
      throw new AwsBackupConfigError(
        `${key}.${at}`,
        `${JSON.stringify(region)} is not an AWS region such as eu-west-1`,
      );
    }
  });
  return regions;
}

function readSchedule(aws: Config): SchedulerServiceTaskScheduleDefinition {
  const schedule = wrap(`${KEY}.schedule`, () =>
    aws.getOptionalConfig('schedule'),
  );
  if (!schedule) return DEFAULT_SCHEDULE;
  return wrap(`${KEY}.schedule`, () =>
    readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule),
  );
}

function readLookback(aws: Config): HumanDuration {
  const key = `${KEY}.lookback`;
  if (!aws.has('lookback')) return DEFAULT_LOOKBACK;
  const lookback = wrap(
    key,
    () => readDurationFromConfig(aws, { key: 'lookback' }),
    'expected an ISO 8601 duration such as P7D or an object such as { days: 7 }',
  );
  const ms = durationToMilliseconds(lookback);
  if (!(ms > 0) || ms > MAX_LOOKBACK_DAYS * 86400_000) {
    throw new AwsBackupConfigError(
      key,
      `expected more than zero and at most ${MAX_LOOKBACK_DAYS} days, the job history AWS Backup keeps`,
    );
  }
  return lookback;
}

/** A window shorter than the gap between runs would miss jobs. */
function checkLookbackCoversFrequency(
  lookback: HumanDuration,
  schedule: SchedulerServiceTaskScheduleDefinition,
) {
  const { frequency } = schedule;
  if ('cron' in frequency || 'trigger' in frequency) return;
  const every =
    'toMillis' in frequency
      ? frequency.toMillis()
      : durationToMilliseconds(frequency);
  if (durationToMilliseconds(lookback) < every) {
    throw new AwsBackupConfigError(
      `${KEY}.lookback`,
      'shorter than the schedule frequency, so jobs between runs would be missed',
    );
  }
}

function wrap<T>(key: string, read: () => T, expected?: string): T {
  try {
    return read();
  } catch (error) {
    const hint = expected ? `; ${expected}` : '';
    throw new AwsBackupConfigError(key, `${(error as Error).message}${hint}`);
  }
}
