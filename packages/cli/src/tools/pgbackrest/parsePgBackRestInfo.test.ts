import { backupRunInputProblems } from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOOL_OUTPUT_DIR } from '../../__testUtils__/toolOutputCapture';
import {
  isUsableStanza,
  parsePgBackRestInfo,
  pgBackRestBackupToRun,
  postgresVersionOf,
} from './parsePgBackRestInfo';

// `pgbackrest info --output=json` of pgBackRest 2.45, captured from the tests' real stanza
const captured = readFileSync(
  resolve(TOOL_OUTPUT_DIR, 'pgbackrest-info.json'),
  'utf8',
);

describe('parsePgBackRestInfo', () => {
  it('reads the backups of real pgBackRest output as runs with size and duration', () => {
    const stanza = parsePgBackRestInfo(captured, 'orders')!;
    expect(isUsableStanza(stanza)).toBe(true);
    const [backup] = stanza.backup;
    expect(postgresVersionOf(stanza, backup)).toBe('15');

    const run = pgBackRestBackupToRun('orders', backup);
    expect(run).toEqual({
      runAt: new Date(backup.timestamp.start * 1000).toISOString(),
      outcome: 'succeeded',
      sizeBytes: backup.info!.size,
      durationSeconds: backup.timestamp.stop - backup.timestamp.start,
      message: expect.stringMatching(
        /^full backup \d{8}-\d{6}F \(database [\d.]+ MB, stored [\d.]+ MB\) of stanza orders$/,
      ),
      source: 'pgbackrest',
      externalId: `pgbackrest:orders:${backup.label}`,
    });
    expect(backupRunInputProblems(run, new Date())).toEqual([]);
  });

  it('counts a backup with page checksum errors as failed', () => {
    const [backup] = parsePgBackRestInfo(captured, 'orders')!.backup;
    expect(
      pgBackRestBackupToRun('orders', { ...backup, error: true }),
    ).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/pgBackRest found page checksum errors$/),
    });
  });

  it('tells a usable stanza from a repository that does not open', () => {
    const [stanza] = JSON.parse(captured);
    const withStatus = (code: number, message: string) =>
      parsePgBackRestInfo(
        JSON.stringify([{ ...stanza, status: { code, message } }]),
        'orders',
      )!;
    expect(isUsableStanza(withStatus(2, 'no valid backups'))).toBe(true);
    expect(isUsableStanza(withStatus(1, 'missing stanza path'))).toBe(false);
    expect(isUsableStanza(withStatus(99, 'other'))).toBe(false);
    expect(parsePgBackRestInfo(captured, 'another')).toBeUndefined();
    expect(() => parsePgBackRestInfo('ERROR: [055]', 'orders')).toThrow(
      'pgbackrest info --output=json printed something other than a stanza list',
    );
  });
});
