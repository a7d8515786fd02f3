import { describe, expect, it } from 'vitest';
import { formatDay, formatWhen, monthGrid, parseDay, weekdayOrder } from './dates';

describe('dates day/month/year', () => {
  it('shows an ISO day as dd/mm/yyyy', () => {
    expect(formatDay('2026-11-05')).toBe('05/11/2026');
    expect(formatDay('')).toBe('');
  });

  it('reads typed days with the day first, in any digits, and refuses impossible ones', () => {
    expect(parseDay('5/11/2026')).toBe('2026-11-05');
    expect(parseDay('05-11-26')).toBe('2026-11-05');
    expect(parseDay('٠٥/١١/٢٠٢٦')).toBe('2026-11-05');
    expect(parseDay('13/12/2026')).toBe('2026-12-13');
    // Month/day order is never guessed: 12/13 is the 12th of a 13th month, which does not exist.
    expect(parseDay('12/13/2026')).toBeNull();
    expect(parseDay('31/02/2026')).toBeNull();
    expect(parseDay('2026-11-05')).toBeNull();
    expect(parseDay('')).toBeNull();
  });

  it('a time today is just the time; another day is dd/mm/yyyy and the time', () => {
    const now = new Date(2026, 10, 21, 18, 0);
    expect(formatWhen(new Date(2026, 10, 21, 14, 5).toISOString(), 'en', now)).toBe('14:05');
    expect(formatWhen(new Date(2026, 10, 3, 9, 7).toISOString(), 'ar', now)).toBe('03/11/2026 09:07');
    expect(formatWhen('not a date', 'en', now)).toBe('not a date');
  });
});

describe('weeks start on the shop’s day', () => {
  it('orders the weekdays from the chosen first day', () => {
    expect(weekdayOrder('sunday')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(weekdayOrder('saturday')).toEqual([6, 0, 1, 2, 3, 4, 5]);
    expect(weekdayOrder('monday')).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });

  it('lays a month out in weeks starting on that day', () => {
    // 1 November 2026 is a Sunday.
    const sunday = monthGrid(2026, 11, 'sunday');
    expect(sunday[0]![0]).toBe('2026-11-01');
    const saturday = monthGrid(2026, 11, 'saturday');
    expect(saturday[0]).toEqual([null, '2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']);
    const monday = monthGrid(2026, 11, 'monday');
    expect(monday[0]!.slice(5)).toEqual([null, '2026-11-01']);
    for (const grid of [sunday, saturday, monday]) {
      expect(grid.flat().filter(Boolean)).toHaveLength(30);
      for (const week of grid) expect(week).toHaveLength(7);
    }
  });
});
