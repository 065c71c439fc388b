import {
  BACKUP_FINDING_STATUS,
  BACKUP_STATUS_PRECEDENCE,
  BackupEntityRow,
  BackupFindingCode,
} from '@backup-assurance/plugin-backup-common';
import fc from 'fast-check';
import { REMINDER_EVENT_CONFIG_KEYS } from '../config';
import {
  ReminderEventKind,
  reminderEventsOf,
  remindsOfFailures,
} from './reminderEvents';
import { entityBackupPath, reminderNotification } from './reminderNotification';

const NOW = new Date('2026-06-15T12:00:00Z');
const ALL_KINDS = new Set(
  Object.keys(REMINDER_EVENT_CONFIG_KEYS) as ReminderEventKind[],
);
const options = {
  kinds: ALL_KINDS,
  exemptionExpiringWithin: { days: 30 },
  now: NOW,
};

/** A row as the overview service projects it; only what the rules read. */
function row(
  status: BackupEntityRow['status'],
  codes: BackupFindingCode[],
  extra: Partial<BackupEntityRow> = {},
): BackupEntityRow {
  return {
    entityRef: 'component:default/ledger-service',
    kind: 'component',
    name: 'ledger-service',
    owner: 'group:default/payments',
    status,
    lastRestoreTest: '2026-01-01T00:00:00.000Z',
    nextRestoreTestDue: '2026-06-29T00:00:00.000Z',
    daysOverdue: null,
    findings: codes.map(code => ({
      code,
      severity: 'error',
      message: `finding ${code}`,
    })),
    ...extra,
  };
}

describe('reminderEventsOf', () => {
  it('keys a restore test by its due date, and a missing one once', () => {
    expect(
      reminderEventsOf(row('due-soon', ['restore-test-due-soon']), options),
    ).toEqual([
      {
        kind: 'restore-test-due-soon',
        key: '2026-06-29',
        subject: 'restore-test',
        severity: 'normal',
        title: 'Restore test due soon',
        description: 'finding restore-test-due-soon',
      },
    ]);
    const [missing] = reminderEventsOf(
      row('overdue', ['restore-test-missing'], { nextRestoreTestDue: null }),
      options,
    );
    expect(missing).toMatchObject({
      kind: 'restore-test-overdue',
      key: 'never-tested',
      subject: 'restore-test',
      severity: 'high',
    });
  });

  it('keys an access review by its stage and the review it follows', () => {
    const keyOf = (codes: BackupFindingCode[], lastAccessReview?: string) =>
      reminderEventsOf(
        row('due-soon', codes, { lastAccessReview }),
        options,
      ).map(e => `${e.kind} ${e.key} ${e.severity}`);
    expect(
      keyOf(['access-review-due-soon'], '2026-03-20T00:00:00.000Z'),
    ).toEqual(['access-review-due due-soon:2026-03-20 normal']);
    expect(
      keyOf(['access-review-overdue'], '2026-01-20T00:00:00.000Z'),
    ).toEqual(['access-review-due overdue:2026-01-20 high']);
    expect(keyOf(['access-review-missing'])).toEqual([
      'access-review-due missing high',
    ]);
  });

  it('reminds of an honoured exemption only inside the window before it ends', () => {
    const exempt = (exemptionExpires: string) =>
      reminderEventsOf(
        row('exempt', ['exemption-active', 'restore-test-overdue'], {
          exemptionExpires,
        }),
        options,
      );
    expect(exempt('2026-07-15')).toEqual([
      expect.objectContaining({
        kind: 'exemption-expiring',
        key: '2026-07-15',
        subject: 'exemption',
      }),
    ]);
    expect(exempt('2026-07-16')).toEqual([]);
    // a refused exemption (no exemption-active finding) is not reminded of
    expect(
      reminderEventsOf(
        row('overdue', ['restore-test-overdue'], {
          exemptionExpires: '2026-06-20',
        }),
        options,
      ).map(e => e.kind),
    ).toEqual(['restore-test-overdue']);
  });

  it('reminds of no gap that does not apply, cannot be trusted or is exempt', () => {
    const gaps: BackupFindingCode[] = [
      'restore-test-overdue',
      'access-review-missing',
      'failure-unacknowledged',
    ];
    for (const status of ['out-of-scope', 'invalid', 'exempt'] as const) {
      expect(reminderEventsOf(row(status, gaps), options)).toEqual([]);
      expect(remindsOfFailures(row(status, gaps), ALL_KINDS)).toBe(false);
    }
    expect(remindsOfFailures(row('non-compliant', gaps), ALL_KINDS)).toBe(true);
  });

  const findingCodes = Object.keys(
    BACKUP_FINDING_STATUS,
  ) as BackupFindingCode[];
  const isoDay = fc
    .date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map(d => d.toISOString());
  const anyRow = fc
    .record({
      status: fc.constantFrom(...BACKUP_STATUS_PRECEDENCE),
      codes: fc.uniqueArray(fc.constantFrom(...findingCodes)),
      nextRestoreTestDue: isoDay,
      lastAccessReview: fc.option(isoDay, { nil: undefined }),
      exemptionExpires: fc.option(isoDay, { nil: undefined }),
      name: fc.stringMatching(/^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9]){0,30}$/),
    })
    .map(r =>
      row(r.status, r.codes, {
        nextRestoreTestDue: r.nextRestoreTestDue,
        lastAccessReview: r.lastAccessReview,
        exemptionExpires: r.exemptionExpires,
        name: r.name,
        entityRef: `component:default/${r.name}`,
      }),
    );

  it('sends at most one reminder per kind, of enabled kinds only, each fitting its columns', () => {
    fc.assert(
      fc.property(anyRow, fc.subarray([...ALL_KINDS]), (entityRow, enabled) => {
        const events = reminderEventsOf(entityRow, {
          ...options,
          kinds: new Set(enabled),
        });
        const kinds = events.map(e => e.kind);
        expect(new Set(kinds).size).toBe(kinds.length);
        for (const event of events) {
          expect(enabled).toContain(event.kind);
          expect(event.key.length).toBeGreaterThan(0);
          expect(event.key.length).toBeLessThanOrEqual(255);
          const { payload } = reminderNotification(
            entityRow,
            entityRow.owner!,
            event,
          );
          expect(payload.scope!.length).toBeLessThanOrEqual(255);
          expect(payload.link).toBe(
            `/catalog/default/component/${entityRow.name}/backup`,
          );
        }
        // nothing at all for entities out of scope or with invalid annotations
        const judged = !['out-of-scope', 'invalid'].includes(entityRow.status);
        expect(judged || events.length === 0).toBe(true);
      }),
    );
  });
});

describe('entityBackupPath', () => {
  it('links to the Backup tab as the catalog names entity routes', () => {
    expect(entityBackupPath('Resource:Ops/payments-DB')).toBe(
      '/catalog/ops/resource/payments-DB/backup',
    );
  });
});
