import {
  EVIDENCE_LIMITS,
  textInputProblems,
} from '@backup-assurance/plugin-backup-common';
import { boundedNotes, cleanToolOutput } from './evidenceText';

describe('cleanToolOutput', () => {
  it('drops terminal escapes, progress redraws and characters the API refuses', () => {
    const raw =
      '\u001b[2Kload indexes\r\n[0:00] 100.00%  2 / 2 packs\nPack ID does not match\u0000\n\uD800x';
    expect(cleanToolOutput(raw)).toBe(
      'load indexes\nPack ID does not match\n\uFFFDx',
    );
  });
});

describe('boundedNotes', () => {
  it('keeps the summary and the end of a long log within the limit', () => {
    const log = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const notes = boundedNotes('restic check failed', log);
    expect(notes.length).toBeLessThanOrEqual(EVIDENCE_LIMITS.longText);
    expect(notes.startsWith('restic check failed\n…')).toBe(true);
    expect(notes.endsWith('line 1999')).toBe(true);
  });

  it('never cuts a surrogate pair in half', () => {
    const notes = boundedNotes('summary', '😀'.repeat(5000), 100);
    expect(notes.length).toBeLessThanOrEqual(100);
    expect(textInputProblems(notes, 'notes')).toEqual([]);
  });

  it('leaves a short text alone', () => {
    expect(boundedNotes('ok', 'done')).toBe('ok\ndone');
    expect(boundedNotes('ok')).toBe('ok');
  });
});
