import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { EXEMPTION_WARNING_DAYS } from '@backup-assurance/plugin-backup-common';
import { Duration } from 'luxon';
import type { ReminderEventKind } from './reminders/reminderEvents';

export interface EvidenceConfig {
  /** Age after which backup-run reports are pruned (restore tests never are). */
  backupRunRetention: HumanDuration;
}

const RETENTION_KEY = 'backup.evidence.backupRunRetention';

/** Reads `backup.evidence`; an invalid value fails start-up naming the key. */
export function readEvidenceConfig(config: Config): EvidenceConfig {
  if (!config.has(RETENTION_KEY)) {
    return { backupRunRetention: { days: 400 } };
  }
  try {
    return {
      backupRunRetention: readDurationFromConfig(config, {
        key: RETENTION_KEY,
      }),
    };
  } catch (error) {
    throw new Error(
      `Invalid config at '${RETENTION_KEY}': ${
        (error as Error).message
      }; expected an ISO 8601 duration such as P400D or an object such as { days: 400 }`,
    );
  }
}

export interface ExportConfig {
  /** Evidence-pack downloads streamed at once; more are answered 429. */
  maxConcurrentDownloads: number;
}

export const DEFAULT_MAX_CONCURRENT_DOWNLOADS = 4;
const MAX_DOWNLOADS_KEY = 'backup.export.maxConcurrentDownloads';
const MAX_DOWNLOADS_LIMIT = 100;

/**
 * Reads a whole number in [min, max], the default when absent; anything else
 * fails start-up naming the key.
 */
function readWholeNumber(
  config: Config,
  key: string,
  bounds: { min: number; max: number; defaultValue: number },
): number {
  if (!config.has(key)) return bounds.defaultValue;
  const expected = `expected a whole number from ${bounds.min} to ${bounds.max}`;
  let value: number;
  try {
    value = config.getNumber(key);
  } catch (error) {
    throw new Error(
      `Invalid config at '${key}': ${(error as Error).message}; ${expected}`,
    );
  }
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new Error(`Invalid config at '${key}': ${value}; ${expected}`);
  }
  return value;
}

/** Reads `backup.export`; an invalid value fails start-up naming the key. */
export function readExportConfig(config: Config): ExportConfig {
  return {
    maxConcurrentDownloads: readWholeNumber(config, MAX_DOWNLOADS_KEY, {
      min: 1,
      max: MAX_DOWNLOADS_LIMIT,
      defaultValue: DEFAULT_MAX_CONCURRENT_DOWNLOADS,
    }),
  };
}

export interface SnapshotsConfig {
  /** Past days the daily snapshot reconstructs when they have none. */
  backfillDays: number;
}

/** Reads `backup.snapshots`; an invalid value fails start-up naming the key. */
export function readSnapshotsConfig(config: Config): SnapshotsConfig {
  return {
    backfillDays: readWholeNumber(config, 'backup.snapshots.backfillDays', {
      min: 0,
      max: 366,
      defaultValue: 0,
    }),
  };
}

/** The reminder events that can be switched on and off, by config key. */
export const REMINDER_EVENT_CONFIG_KEYS: Record<ReminderEventKind, string> = {
  'restore-test-due-soon': 'restoreTestDueSoon',
  'restore-test-overdue': 'restoreTestOverdue',
  'failure-unacknowledged': 'failureUnacknowledged',
  'access-review-due': 'accessReviewDue',
  'exemption-expiring': 'exemptionExpiring',
};

export interface NotificationsConfig {
  /** Whether the reminder task is scheduled at all. */
  enabled: boolean;
  schedule: {
    frequency: SchedulerServiceTaskScheduleDefinition['frequency'];
    timeout: HumanDuration;
    initialDelay: HumanDuration;
  };
  /** The reminder events that are sent; the others are never evaluated. */
  events: ReadonlySet<ReminderEventKind>;
  /** How long before an exemption ends its owners are reminded. */
  exemptionExpiringWithin: HumanDuration;
  /** The weekly digest, sent when a recipient group is configured. */
  digest: { recipient: string } | undefined;
}

const NOTIFICATIONS_KEY = 'backup.notifications';

export const DEFAULT_NOTIFICATION_SCHEDULE: NotificationsConfig['schedule'] = {
  frequency: { hours: 1 },
  timeout: { minutes: 15 },
  initialDelay: { minutes: 5 },
};

class NotificationsConfigError extends Error {
  constructor(key: string, problem: string) {
    const fullKey = key ? `${NOTIFICATIONS_KEY}.${key}` : NOTIFICATIONS_KEY;
    super(`Invalid config at '${fullKey}': ${problem}`);
    this.name = 'NotificationsConfigError';
  }
}

/** Wraps a config read so that any failure names the key under notifications. */
function readKey<T>(key: string, read: () => T, expected: string): T {
  try {
    return read();
  } catch (error) {
    throw new NotificationsConfigError(
      key,
      `${(error as Error).message}; ${expected}`,
    );
  }
}

function readFlag(section: Config, key: string, fallback: boolean): boolean {
  return readKey(
    key,
    () => section.getOptionalBoolean(key) ?? fallback,
    'expected true or false',
  );
}

function readNotificationsDuration(
  section: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!section.has(key)) return fallback;
  return readKey(
    key,
    () => readDurationFromConfig(section, { key }),
    'expected an ISO 8601 duration such as P14D or an object such as { days: 14 }',
  );
}

/** A cron expression or a duration, as Backstage's task schedules take. */
function readFrequency(
  section: Config,
): NotificationsConfig['schedule']['frequency'] {
  const key = 'schedule.frequency';
  if (!section.has(key)) return DEFAULT_NOTIFICATION_SCHEDULE.frequency;
  const value = section.get(key);
  if (typeof value === 'object' && value !== null && 'cron' in value) {
    const cron = (value as { cron: unknown }).cron;
    if (typeof cron !== 'string' || !cron.trim()) {
      throw new NotificationsConfigError(
        `${key}.cron`,
        'expected a cron expression such as "0 7 * * *"',
      );
    }
    return { cron };
  }
  return readPositiveDuration(
    section,
    key,
    DEFAULT_NOTIFICATION_SCHEDULE.frequency as HumanDuration,
  );
}

/** A duration that must be longer than zero, such as a task's timeout. */
function readPositiveDuration(
  section: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  const duration = readNotificationsDuration(section, key, fallback);
  if (!(Duration.fromObject(duration).toMillis() > 0)) {
    throw new NotificationsConfigError(key, 'must be longer than zero');
  }
  return duration;
}

function readSchedule(section: Config): NotificationsConfig['schedule'] {
  const { timeout, initialDelay } = DEFAULT_NOTIFICATION_SCHEDULE;
  return {
    frequency: readFrequency(section),
    timeout: readPositiveDuration(section, 'schedule.timeout', timeout),
    initialDelay: readNotificationsDuration(
      section,
      'schedule.initialDelay',
      initialDelay,
    ),
  };
}

function readEvents(section: Config): Set<ReminderEventKind> {
  const events = section.getOptionalConfig('events');
  const known = Object.values(REMINDER_EVENT_CONFIG_KEYS);
  for (const key of events?.keys() ?? []) {
    if (!known.includes(key)) {
      throw new NotificationsConfigError(
        `events.${key}`,
        `unknown reminder event; expected one of ${known.join(', ')}`,
      );
    }
  }
  const kinds = Object.keys(REMINDER_EVENT_CONFIG_KEYS) as ReminderEventKind[];
  return new Set(
    kinds.filter(kind =>
      readFlag(section, `events.${REMINDER_EVENT_CONFIG_KEYS[kind]}`, true),
    ),
  );
}

/** A group (or user) ref, normalised as the catalog writes it. */
function readDigest(section: Config): NotificationsConfig['digest'] {
  const value = readKey(
    'digest.recipient',
    () => section.getOptionalString('digest.recipient'),
    'expected an entity ref such as group:default/security-grc',
  );
  const enabled = readFlag(section, 'digest.enabled', value !== undefined);
  if (!enabled) return undefined;
  if (!value?.trim()) {
    throw new NotificationsConfigError(
      'digest.recipient',
      'missing; the weekly digest needs the group to send it to, such as group:default/security-grc',
    );
  }
  const recipient = readKey(
    'digest.recipient',
    () =>
      stringifyEntityRef(
        parseEntityRef(value.trim(), {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ),
    'expected an entity ref such as group:default/security-grc',
  );
  return { recipient };
}

/**
 * Reads `backup.notifications`: the reminders sent to owners and the weekly
 * digest. Off unless enabled; an invalid value fails start-up naming the key.
 */
export function readNotificationsConfig(config: Config): NotificationsConfig {
  const section =
    readKey(
      '',
      () => config.getOptionalConfig(NOTIFICATIONS_KEY),
      'expected an object',
    ) ?? new ConfigReader({});
  return {
    enabled: readFlag(section, 'enabled', false),
    schedule: readSchedule(section),
    events: readEvents(section),
    exemptionExpiringWithin: readNotificationsDuration(
      section,
      'exemptionExpiringWithin',
      { days: EXEMPTION_WARNING_DAYS },
    ),
    digest: readDigest(section),
  };
}
