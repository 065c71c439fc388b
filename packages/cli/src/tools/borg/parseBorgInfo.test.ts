import { backupRunInputProblems } from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOOL_OUTPUT_DIR } from '../../__testUtils__/toolOutputCapture';
import { borgArchiveToRun, borgInstant, parseBorgInfo } from './parseBorgInfo';

// `borg info --json --glob-archives '*'` of borg 1.2.4 (run with TZ=UTC),
// captured from the tests' real repository
const captured = readFileSync(
  resolve(TOOL_OUTPUT_DIR, 'borg-info.json'),
  'utf8',
);

describe('parseBorgInfo', () => {
  it('reads every archive of real borg output as a succeeded run with size and duration', () => {
    const archives = parseBorgInfo(captured);
    expect(archives.map(archive => archive.name)).toEqual([
      'nightly-1',
      'nightly-2',
    ]);
    const runs = archives.map(borgArchiveToRun);
    const [first] = archives;
    expect(runs[0]).toEqual({
      runAt: `${first.start.slice(0, 23)}Z`,
      outcome: 'succeeded',
      sizeBytes: first.stats!.original_size,
      durationSeconds: Math.round(first.duration!),
      message: `archive nightly-1 of ${first.hostname} (200.0 kB)`,
      source: 'borg',
      externalId: `borg:${first.id}`,
    });
    // borg's microseconds become the API's milliseconds; every run passes its rules
    expect(runs[0].runAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const run of runs) {
      expect(backupRunInputProblems(run, new Date())).toEqual([]);
    }
  });

  it('reads times without a zone as UTC and keeps an offset when borg prints one', () => {
    expect(borgInstant('2026-10-01T02:00:00.123456')).toBe(
      '2026-10-01T02:00:00.123Z',
    );
    expect(borgInstant('2026-10-01T02:00:00.123456+02:00')).toBe(
      '2026-10-01T00:00:00.123Z',
    );
    expect(borgInstant('2026-10-01T02:00:00Z')).toBe(
      '2026-10-01T02:00:00.000Z',
    );
    const [archive] = JSON.parse(captured).archives;
    const run = borgArchiveToRun(
      parseBorgInfo(
        JSON.stringify({
          archives: [
            {
              ...archive,
              start: '2026-10-01T02:00:00.500000',
              duration: 599.6,
              stats: { ...archive.stats, original_size: 5_000_000_000 },
            },
          ],
        }),
      )[0],
    );
    expect(run).toMatchObject({
      runAt: '2026-10-01T02:00:00.500Z',
      sizeBytes: 5_000_000_000,
      durationSeconds: 600,
      message: expect.stringMatching(/ \(5\.0 GB\)$/),
    });
  });

  it('reads `borg list --json` too, without sizes, and leaves checkpoints out', () => {
    const listed = {
      archives: [
        {
          id: 'a'.repeat(64),
          name: 'db-1-2026-10-01',
          start: '2026-10-01T02:00:00.000000',
          hostname: 'db-1',
        },
        {
          id: 'b'.repeat(64),
          name: 'db-1-2026-10-02.checkpoint',
          start: '2026-10-02T02:00:00.000000',
        },
        {
          id: 'c'.repeat(64),
          name: 'db-1-2026-10-02.checkpoint.1',
          start: '2026-10-02T02:30:00.000000',
        },
      ],
    };
    const archives = parseBorgInfo(JSON.stringify(listed));
    expect(archives.map(archive => archive.name)).toEqual(['db-1-2026-10-01']);
    expect(borgArchiveToRun(archives[0])).toEqual({
      runAt: '2026-10-01T02:00:00.000Z',
      outcome: 'succeeded',
      message: 'archive db-1-2026-10-01 of db-1',
      source: 'borg',
      externalId: `borg:${'a'.repeat(64)}`,
    });
  });

  it('reads an empty repository and refuses anything else', () => {
    expect(parseBorgInfo('{"archives":[]}')).toEqual([]);
    const message =
      'borg info --json printed something other than an archive list';
    // `borg info --json` without archives selected describes the repository
    expect(() => parseBorgInfo('{"repository":{"id":"x"},"cache":{}}')).toThrow(
      message,
    );
    expect(() => parseBorgInfo('Repository /x does not exist.')).toThrow(
      message,
    );
    expect(() => parseBorgInfo('null')).toThrow(message);
    expect(() =>
      parseBorgInfo('{"archives":[{"id":"x","name":"n","start":"soon"}]}'),
    ).toThrow(message);
  });
});
