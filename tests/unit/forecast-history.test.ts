/**
 * What the forecast endpoints build around the simulation (lib/shared/flow/forecast.ts): the working-days
 * setting as a calendar, daily throughput in the viewer's zone, the window's sample, and the backtests.
 */
import { describe, expect, it } from 'vitest';
import { EVERY_DAY, backtestHowMany, backtestWhen, calendarOf, dailyThroughput, isWorkingDay, windowSample } from '../../lib/shared/flow/forecast';
import { parseDate, zonedToUtc, type CalendarDate } from '../../lib/shared/flow/time';

const date = (text: string) => parseDate(text) as CalendarDate;
const all = (value: unknown) => ({ '50': value, '70': value, '85': value, '95': value });

describe('calendarOf', () => {
  it('is every day without a setting, and the listed ISO weekdays less the holidays with one', () => {
    expect(calendarOf(null)).toBe(EVERY_DAY);
    const cal = calendarOf({ weekdays: [1, 2, 3, 4, 5], holidays: ['2026-03-04'] });
    // 2026-03-02 is a Monday.
    expect(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'].map((d) => isWorkingDay(date(d), cal))).toEqual([true, true, false, true, true, false, false]);
    expect(isWorkingDay(date('2026-03-08'), calendarOf({ weekdays: [7], holidays: [] }))).toBe(true);
  });
});

describe('dailyThroughput', () => {
  it('counts each finish on its local date, the day a zone says, across a change of clocks', () => {
    const tz = 'Europe/Berlin';
    // Berlin moves to summer time on Sunday 2026-03-29: that day has 23 hours.
    const at = (d: string, h: number, m = 0) => zonedToUtc(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10)), h, m, 0, tz);
    const done = [at('2026-03-28', 23, 59), at('2026-03-29', 0, 0), at('2026-03-29', 23, 30), at('2026-03-30', 0, 30), at('2026-03-31', 12)];
    expect(dailyThroughput(done, date('2026-03-28'), date('2026-03-30'), tz)).toEqual([
      { date: '2026-03-28', count: 1 },
      { date: '2026-03-29', count: 2 },
      { date: '2026-03-30', count: 1 },
    ]);
  });
});

describe('windowSample', () => {
  const daily = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'].map((d, i) => ({ date: d, count: i }));
  it('keeps the working days of the window, and none before the board existed', () => {
    expect(windowSample(daily, '2026-03-02', '2026-03-08', EVERY_DAY)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(windowSample(daily, '2026-03-02', '2026-03-08', calendarOf({ weekdays: [1, 2, 3, 4, 5], holidays: ['2026-03-03'] }))).toEqual([1, 3, 4, 5]);
    expect(windowSample(daily, '2026-03-01', '2026-03-08', EVERY_DAY, '2026-03-05')).toEqual([4, 5, 6, 7]);
  });
});

describe('backtests', () => {
  // Six weeks from Monday 2026-01-05: two items each day of the first three weeks, one a day after.
  const daily = Array.from({ length: 42 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 0, 5 + i));
    return { date: d.toISOString().slice(0, 10), count: i < 21 ? 2 : 1 };
  });
  const input = { daily, from: date('2026-02-09'), to: date('2026-02-15'), calendar: EVERY_DAY, firstDay: '2026-01-05', options: { trials: 500, seed: 3 } };

  it('how many: the forecast of 2 weeks ago (one a day) came true, that of 4 weeks ago (two a day) missed', () => {
    expect(backtestHowMany(input)).toEqual([
      // Seven items in the past window: the past forecast carried its warning too.
      { weeksAgo: 2, madeOn: '2026-02-01', sample: { days: 7, finished: 7 }, until: '2026-02-15', percentiles: all(14), actual: 14, outcome: all('met'), warnings: [expect.objectContaining({ code: 'SMALL_SAMPLE' })] },
      { weeksAgo: 4, madeOn: '2026-01-18', sample: { days: 7, finished: 14 }, until: '2026-02-15', percentiles: all(56), actual: 35, outcome: all('missed'), warnings: [] },
    ]);
  });

  it('when: met, missed, or not known yet while the forecast date is still ahead', () => {
    const [two, four] = backtestWhen(input, 7);
    // 2 weeks ago: one a day, seven items by 02-08; the seventh finished then.
    expect(two).toMatchObject({ madeOn: '2026-02-01', percentiles: all('2026-02-08'), actual: '2026-02-08', finishedSince: 14, outcome: all('met') });
    // 4 weeks ago: two a day, seven items by 01-22 (the fourth day: 2 + 2 + 2 + 2 ≥ 7); so it went.
    expect(four).toMatchObject({ madeOn: '2026-01-18', percentiles: all('2026-01-22'), actual: '2026-01-22', outcome: all('met') });
    // Fifty items: never done by 02-15; the 4-week forecast (two a day: 25 days, 02-12) has passed, the 2-week one (one a day: fifty days from 02-02, 03-23) is ahead.
    const [open, missed] = backtestWhen(input, 50);
    expect(open).toMatchObject({ actual: null, percentiles: all('2026-03-23'), outcome: all('open') });
    expect(missed).toMatchObject({ actual: null, percentiles: all('2026-02-12'), outcome: all('missed') });
  });

  it('leaves out a past forecast made before the board existed', () => {
    expect(backtestHowMany({ ...input, firstDay: '2026-01-25' }).map((b) => b.weeksAgo)).toEqual([2]);
  });
});
