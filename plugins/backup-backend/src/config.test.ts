import { ConfigReader } from '@backstage/config';
import fc from 'fast-check';
import { readNotificationsConfig, readSnapshotsConfig } from './config';

const read = (notifications: unknown) =>
  readNotificationsConfig(
    new ConfigReader({ backup: { notifications } } as any),
  );

describe('readNotificationsConfig', () => {
  it('is off by default, with every event on, hourly, no digest', () => {
    const config = readNotificationsConfig(new ConfigReader({}));
    expect(config).toEqual({
      enabled: false,
      schedule: {
        frequency: { hours: 1 },
        timeout: { minutes: 15 },
        initialDelay: { minutes: 5 },
      },
      events: new Set([
        'restore-test-due-soon',
        'restore-test-overdue',
        'failure-unacknowledged',
        'access-review-due',
        'exemption-expiring',
      ]),
      exemptionExpiringWithin: { days: 30 },
      digest: undefined,
    });
  });

  it('reads every key', () => {
    const config = read({
      enabled: true,
      schedule: { frequency: 'PT10M', timeout: 'PT2M', initialDelay: 'PT15S' },
      events: { restoreTestDueSoon: false, exemptionExpiring: false },
      exemptionExpiringWithin: 'P14D',
      digest: { recipient: 'security-grc' },
    });
    expect(config.enabled).toBe(true);
    expect(config.schedule).toEqual({
      frequency: { minutes: 10 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 15 },
    });
    expect([...config.events]).toEqual([
      'restore-test-overdue',
      'failure-unacknowledged',
      'access-review-due',
    ]);
    expect(config.exemptionExpiringWithin).toEqual({ days: 14 });
    // the digest is on once it has a recipient, normalised as a group ref
    expect(config.digest).toEqual({ recipient: 'group:default/security-grc' });
  });

  it('takes a cron frequency, and a digest switched off despite its recipient', () => {
    const config = read({
      schedule: { frequency: { cron: '0 7 * * *' } },
      digest: { enabled: false, recipient: 'group:default/security-grc' },
    });
    expect(config.schedule.frequency).toEqual({ cron: '0 7 * * *' });
    expect(config.digest).toBeUndefined();
  });

  it.each([
    [{ enabled: 'maybe' }, 'backup.notifications.enabled'],
    [
      { schedule: { frequency: 'hourly' } },
      'backup.notifications.schedule.frequency',
    ],
    [
      { schedule: { frequency: 'PT0S' } },
      'backup.notifications.schedule.frequency',
    ],
    [
      { schedule: { frequency: { cron: '' } } },
      'backup.notifications.schedule.frequency.cron',
    ],
    [{ schedule: { timeout: 'P0D' } }, 'backup.notifications.schedule.timeout'],
    [
      { schedule: { initialDelay: 'soon' } },
      'backup.notifications.schedule.initialDelay',
    ],
    [
      { events: { restoreTestDue: true } },
      'backup.notifications.events.restoreTestDue',
    ],
    [
      { events: { accessReviewDue: 'sometimes' } },
      'backup.notifications.events.accessReviewDue',
    ],
    [
      { exemptionExpiringWithin: 14 },
      'backup.notifications.exemptionExpiringWithin',
    ],
    [{ digest: { enabled: true } }, 'backup.notifications.digest.recipient'],
    [
      { digest: { recipient: 'group:' } },
      'backup.notifications.digest.recipient',
    ],
    [{ digest: { recipient: 42 } }, 'backup.notifications.digest.recipient'],
    ['on', 'backup.notifications'],
  ])('fails start-up on %j, naming %s', (notifications, key) => {
    expect(() => read(notifications)).toThrow(`Invalid config at '${key}': `);
  });

  it('names the key of any value that is not a switch', () => {
    // Backstage reads y/yes/true/1/on and n/no/false/0/off as switches too
    const readAsSwitch = (value: unknown) =>
      typeof value !== 'object' &&
      /^(?:y|yes|true|1|on|n|no|false|0|off)$/i.test(String(value).trim());
    const notSwitch = fc
      .oneof(
        fc.string(),
        fc.integer(),
        fc.array(fc.boolean(), { minLength: 1 }),
      )
      .filter(value => !readAsSwitch(value));
    const keys = [
      'restoreTestDueSoon',
      'restoreTestOverdue',
      'failureUnacknowledged',
      'accessReviewDue',
      'exemptionExpiring',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), notSwitch, (key, value) => {
        expect(() => read({ events: { [key]: value } })).toThrow(
          `Invalid config at 'backup.notifications.events.${key}': `,
        );
      }),
    );
  });
});

describe('readSnapshotsConfig', () => {
  const readBackfill = (backfillDays: unknown) =>
    readSnapshotsConfig(
      new ConfigReader({ backup: { snapshots: { backfillDays } } } as any),
    ).backfillDays;

  it('backfills nothing by default, and reads a number of days', () => {
    expect(readSnapshotsConfig(new ConfigReader({}))).toEqual({
      backfillDays: 0,
    });
    expect(readBackfill(90)).toBe(90);
  });

  it.each([-1, 1.5, 367, 'ninety'])(
    'fails start-up on %p, naming the key',
    value => {
      expect(() => readBackfill(value)).toThrow(
        "Invalid config at 'backup.snapshots.backfillDays'",
      );
    },
  );
});
