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
    fc.assert(
      fc.property(parts, p => {
        const parsed = parseIsoDateTime(dateTimeText(p));
        // an offset can move a 1970-01-01 instant into 1969: also rejected
        const real = isRealDay(p) && isRealTime(p);
        if (!real) {
          expect(parsed).toBeUndefined();
          return;
        }
        if (parsed) {
          const local = parsed.setZone(
            p.zulu
              ? 'utc'
              : `UTC${p.offsetSign}${p.offsetHours}:${pad(p.offsetMinutes)}`,
          );
          expect([local.year, local.month, local.day, local.hour]).toEqual([
            p.year,
            p.month,
            p.day,
            p.hour,
          ]);
          expect([local.minute, local.second]).toEqual([p.minute, p.second]);
        } else {
          expect(parsed).toBeUndefined();
          expect(Date.parse(dateTimeText(p))).toBeLessThan(0);
        }
      }),
      { numRuns: 3000 },
    );
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
