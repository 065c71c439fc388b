import fc from 'fast-check';
import { parseIsoDateTime, parseIsoDay, textProblem } from './values';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Date-time parts over and beyond their ranges: day 00, hour 29, … */
const parts = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 29 }),
  minute: fc.integer({ min: 0, max: 61 }),
  second: fc.integer({ min: 0, max: 61 }),
  offsetSign: fc.constantFrom('+', '-'),
  offsetHours: fc.integer({ min: 0, max: 99 }),
  offsetMinutes: fc.integer({ min: 0, max: 99 }),
  zulu: fc.boolean(),
});
type Parts = typeof parts extends fc.Arbitrary<infer T> ? T : never;

const dateText = (p: Parts) =>
  `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
const dateTimeText = (p: Parts) =>
  `${dateText(p)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${
    p.zulu
      ? 'Z'
      : `${p.offsetSign}${pad(p.offsetHours)}:${pad(p.offsetMinutes)}`
  }`;

/** An independent oracle: the parts survive a round trip through Date.UTC. */
function isRealDay(p: Parts) {
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day));
  date.setUTCFullYear(p.year); // Date.UTC maps years 0-99 to 1900-1999
  return (
    p.year >= 1970 &&
    date.getUTCFullYear() === p.year &&
    date.getUTCMonth() === p.month - 1 &&
    date.getUTCDate() === p.day
  );
}

const isRealTime = (p: Parts) =>
  p.hour < 24 &&
  p.minute < 60 &&
  p.second < 60 &&
  (p.zulu || (p.offsetHours <= 14 && p.offsetMinutes < 60));

describe('strict reading of dates and text', () => {
  it('accepts a day exactly when it is a real calendar day from 1970', () => {
    fc.assert(
      fc.property(parts, p => {
        expect(parseIsoDay(dateText(p)) !== undefined).toBe(isRealDay(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a date-time exactly when every part is real, and never rolls over', () => {
    const property = fc.property(parts, p => {
      const text = dateTimeText(p);
      const parsed = parseIsoDateTime(text);
      if (!isRealDay(p) || !isRealTime(p)) return parsed === undefined;
      // real parts: rejected only when the offset moves it before 1970
      if (!parsed) return Date.parse(text) < 0;
      const local = parsed.setZone(
        p.zulu
          ? 'utc'
          : `UTC${p.offsetSign}${p.offsetHours}:${pad(p.offsetMinutes)}`,
      );
      return (
        local.year === p.year &&
        local.month === p.month &&
        local.day === p.day &&
        local.hour === p.hour &&
        local.minute === p.minute &&
        local.second === p.second
      );
    });
    expect(() => fc.assert(property, { numRuns: 3000 })).not.toThrow();
  });

  it('rejects exactly the text that could not be stored as hashed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), text => {
        const storable =
          Buffer.from(text, 'utf8').toString('utf8') === text &&
          !text.includes('\u0000');
        expect(textProblem(text) === undefined).toBe(storable);
      }),
      { numRuns: 3000 },
    );
  });
});
