import { FollowUpRecord } from '@backup-assurance/plugin-backup-common';
import {
  acknowledgeBy,
  FollowedFailure,
  followUpsByFailure,
  followUpStateOf,
  isAcknowledgementOverdue,
} from './failureFollowUps';

const failure: FollowedFailure = {
  kind: 'backup-run',
  id: 'br-1',
  failedAt: '2026-11-20T10:00:00.000Z',
};

const followUp = (
  overrides: Partial<FollowUpRecord> & Pick<FollowUpRecord, 'id' | 'action'>,
): FollowUpRecord => ({
  failure: { kind: 'backup-run', id: 'br-1' },
  at: '2026-11-20T12:00:00.000Z',
  entityRef: 'resource:default/invoice-archive',
  source: 'manual',
  recordedBy: 'user:default/guest',
  recordedAt: '2026-11-20T12:00:00.000Z',
  sequence: 1,
  previousHash: 'genesis',
  hash: 'x',
  ...overrides,
});

describe('failure follow-ups', () => {
  it('keeps the newest follow-up of each action, per failure', () => {
    const followUpsOf = followUpsByFailure([
      followUp({
        id: 'fu-3',
        action: 'acknowledged',
        ticketUrl: 'https://t/2',
      }),
      followUp({
        id: 'fu-2',
        action: 'acknowledged',
        ticketUrl: 'https://t/1',
      }),
      followUp({
        id: 'fu-1',
        action: 'acknowledged',
        failure: { kind: 'restore-test', id: 'br-1' },
        ticketUrl: 'https://t/other-kind',
      }),
    ]);
    expect(followUpsOf(failure)).toEqual({
      acknowledged: expect.objectContaining({ id: 'fu-3' }),
    });
    expect(followUpStateOf(followUpsOf(failure))).toBe('acknowledged');
    expect(followUpsOf({ ...failure, id: 'br-2' })).toEqual({});
  });

  it('counts a resolution as settling the failure, acknowledged or not', () => {
    const resolved = followUp({ id: 'fu-1', action: 'resolved' });
    expect(followUpStateOf({ resolved })).toBe('resolved');
    expect(followUpStateOf({})).toBe('unacknowledged');
    expect(
      isAcknowledgementOverdue(
        failure,
        { resolved },
        { days: 1 },
        new Date('2026-12-01T00:00:00Z'),
      ),
    ).toBe(false);
  });

  it('is overdue from the end of the window on, as the evaluator judges', () => {
    expect(acknowledgeBy(failure, { hours: 4 })).toBe(
      '2026-11-20T14:00:00.000Z',
    );
    const overdueAt = (iso: string) =>
      isAcknowledgementOverdue(failure, {}, { hours: 4 }, new Date(iso));
    expect(overdueAt('2026-11-20T13:59:59.999Z')).toBe(false);
    expect(overdueAt('2026-11-20T14:00:00.000Z')).toBe(true);
  });
});
