import { isoWeekOf } from './weeklyDigest';

describe('isoWeekOf', () => {
  it('names the ISO week in UTC, across the turn of the year', () => {
    expect(isoWeekOf(new Date('2026-06-15T00:00:00Z'))).toBe('2026-W25');
    expect(isoWeekOf(new Date('2026-06-21T23:59:59Z'))).toBe('2026-W25');
    expect(isoWeekOf(new Date('2027-01-03T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeekOf(new Date('2025-12-29T00:00:00Z'))).toBe('2026-W01');
  });
});
