import { backupRunInputProblems } from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOOL_OUTPUT_DIR } from '../../__testUtils__/toolOutputCapture';
import {
  parseResticSnapshots,
  resticSnapshotToRun,
} from './parseResticSnapshots';

// `restic snapshots --json` of restic 0.14, captured from the tests' real repository
const captured = readFileSync(
  resolve(TOOL_OUTPUT_DIR, 'restic-snapshots.json'),
  'utf8',
);

describe('parseResticSnapshots', () => {
  it('reads every snapshot of real restic output as a succeeded run', () => {
    const snapshots = parseResticSnapshots(captured);
    expect(snapshots).toHaveLength(2);
    const runs = snapshots.map(resticSnapshotToRun);
    expect(runs[0]).toEqual({
      runAt: new Date(Date.parse(snapshots[0].time)).toISOString(),
      outcome: 'succeeded',
      message: `snapshot ${snapshots[0].short_id} of app-1:${snapshots[0].paths?.[0]} [nightly]`,
      source: 'restic',
      externalId: `restic:${snapshots[0].id}`,
    });
    // nanoseconds become the API's milliseconds; every run passes its rules
    expect(runs[0].runAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const run of runs) {
      expect(backupRunInputProblems(run, new Date())).toEqual([]);
    }
  });

  it("takes size and duration from restic 0.17's summary when present", () => {
    const [snapshot] = JSON.parse(captured);
    const withSummary = JSON.stringify([
      {
        ...snapshot,
        time: '2026-10-01T02:00:00.123456789+02:00',
        summary: {
          backup_start: '2026-10-01T02:00:00.123456789+02:00',
          backup_end: '2026-10-01T02:09:59.9+02:00',
          total_bytes_processed: 5_000_000_000,
        },
      },
    ]);
    expect(
      resticSnapshotToRun(parseResticSnapshots(withSummary)[0]),
    ).toMatchObject({
      runAt: '2026-10-01T00:00:00.123Z',
      sizeBytes: 5_000_000_000,
      durationSeconds: 600,
      message: expect.stringMatching(/ \(5\.0 GB\)$/),
    });
  });

  it('reads an empty repository and refuses anything else', () => {
    expect(parseResticSnapshots('[]')).toEqual([]);
    expect(parseResticSnapshots('null')).toEqual([]);
    expect(() => parseResticSnapshots('Fatal: wrong password')).toThrow(
      'restic snapshots --json printed something other than a snapshot list',
    );
    expect(() => parseResticSnapshots('[{"id":"x","time":"soon"}]')).toThrow();
  });
});
