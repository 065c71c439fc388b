import { FollowUpRecord } from '@backup-assurance/plugin-backup-common';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import { untestedPiiService } from '../../__testUtils__/renderWithBackup';
import { readFollowUps } from './readFollowUps';

const ref = { kind: 'component', namespace: 'default', name: 'payments-api' };

/** An API holding `count` follow-ups, one an hour back from now, newest first. */
function apiWithFollowUps(count: number) {
  const api = new InMemoryBackupApi(untestedPiiService);
  for (let i = 0; i < count; i++) {
    api.followUps.push({
      id: `fu-${i}`,
      at: new Date(Date.UTC(2026, 10, 20, 12) - i * 3600_000).toISOString(),
    } as FollowUpRecord);
  }
  const listFollowUps = jest.spyOn(api, 'listFollowUps');
  return { api, listFollowUps };
}

const failedAt = (iso: string) => [
  { kind: 'backup-run' as const, id: 'br-1', failedAt: iso },
];

describe('readFollowUps', () => {
  it('asks nothing when no failure is shown', async () => {
    const { api, listFollowUps } = apiWithFollowUps(3);
    await expect(readFollowUps(api, ref, [])).resolves.toEqual([]);
    expect(listFollowUps).not.toHaveBeenCalled();
  });

  it('stops at the first page that reaches back before the oldest failure', async () => {
    const { api, listFollowUps } = apiWithFollowUps(250);
    // 150 hours back: within the second page of 100
    const records = await readFollowUps(
      api,
      ref,
      failedAt(
        new Date(Date.UTC(2026, 10, 20, 12) - 150 * 3600_000).toISOString(),
      ),
    );
    expect(records).toHaveLength(200);
    expect(listFollowUps.mock.calls.map(call => call[1])).toEqual([
      { limit: 100, offset: 0 },
      { limit: 100, offset: 100 },
    ]);
  });

  it('reads to the end of the history when every follow-up may matter', async () => {
    const { api, listFollowUps } = apiWithFollowUps(201);
    const records = await readFollowUps(
      api,
      ref,
      failedAt('2000-01-01T00:00:00Z'),
    );
    expect(records).toHaveLength(201);
    expect(listFollowUps).toHaveBeenCalledTimes(3);
  });
});
