import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVERY_DAY,
  FORECAST_LEVELS,
  MONDAY_TO_FRIDAY,
  countWorkingDays,
  forecastHowMany,
  forecastWhen,
  remainingTime,
  sampleWarnings,
  throughputSample,
  workingDaysFrom,
} from '../../lib/shared/flow/forecast';
import { formatDate, parseDate, type CalendarDate } from '../../lib/shared/flow/time';

const date = (text: string) => parseDate(text) as CalendarDate;
const MONDAY = date('2026-01-05');

/**
 * The exact distribution of the sum of k independent draws from the sample (a k-fold convolution of
 * its empirical distribution): the independent answer the simulation is checked against.
 */
function sumDistribution(sample: readonly number[], k: number): Map<number, number> {
  const one = new Map<number, number>();
  for (const v of sample) one.set(v, (one.get(v) ?? 0) + 1 / sample.length);
  let dist = new Map<number, number>([[0, 1]]);
  for (let i = 0; i < k; i++) {
    const next = new Map<number, number>();
    for (const [s, p] of dist) for (const [v, q] of one) next.set(s + v, (next.get(s + v) ?? 0) + p * q);
    dist = next;
  }
  return dist;
}

const atLeast = (dist: Map<number, number>, n: number) => [...dist].filter(([s]) => s >= n).reduce((a, [, p]) => a + p, 0);

/** Five standard errors of a proportion over `trials`, plus one trial: beyond it, the simulation is wrong. */
const tolerance = (p: number, trials: number) => {
  const q = Math.min(1, Math.max(0, p));
  return 5 * Math.sqrt((q * (1 - q)) / trials) + 1 / trials;
};

describe('forecastWhen against the exact distribution', () => {
  const sample = [0, 1, 1, 2, 0, 3, 1, 0, 2, 1];
  const items = 12;
  const trials = 100_000;
  const result = forecastWhen(sample, items, MONDAY, EVERY_DAY, { trials, seed: 42 });
  const days = workingDaysFrom(MONDAY, EVERY_DAY, 60);

  it('finishes on each day as often as the convolution says (100,000 trials)', () => {
    const simulated = new Map(result.histogram.map((h) => [h.date, h.trials / trials]));
    let previous = 0;
    days.forEach((d, i) => {
      // P(done by day i+1) = P(the first i+1 days finish at least `items`).
      const doneBy = atLeast(sumDistribution(sample, i + 1), items);
      const exact = doneBy - previous;
      previous = doneBy;
      const key = formatDate(d);
      expect(Math.abs((simulated.get(key) ?? 0) - exact)).toBeLessThanOrEqual(tolerance(exact, trials));
    });
    expect(result.histogram.reduce((a, h) => a + h.trials, 0) + result.never).toBe(trials);
  });

  it('gives at each level the first date the exact probability reaches, or the day next to it', () => {
    for (const level of FORECAST_LEVELS) {
      const exactIndex = days.findIndex((_, i) => atLeast(sumDistribution(sample, i + 1), items) >= level / 100);
      const got = result.percentiles[`${level}`];
      const index = days.findIndex((d) => got === formatDate(d));
      expect(Math.abs(index - exactIndex)).toBeLessThanOrEqual(1);
    }
  });

  it('replays the same run from the same seed, and another from another seed', () => {
    const again = forecastWhen(sample, items, MONDAY, EVERY_DAY, { trials: 2_000, seed: 7 });
    expect(forecastWhen(sample, items, MONDAY, EVERY_DAY, { trials: 2_000, seed: 7 })).toEqual(again);
    expect(forecastWhen(sample, items, MONDAY, EVERY_DAY, { trials: 2_000, seed: 8 }).histogram).not.toEqual(again.histogram);
  });
});

describe('forecastHowMany against the exact distribution', () => {
  const sample = [2, 0, 1, 4, 1, 0, 0, 3];
  const trials = 100_000;
  const end = date('2026-01-16');
  const result = forecastHowMany(sample, MONDAY, end, MONDAY_TO_FRIDAY, { trials, seed: 3 });

  it('counts only working days between the dates', () => {
    expect(result.workingDays).toBe(10);
    expect(countWorkingDays(MONDAY, date('2026-01-04'), MONDAY_TO_FRIDAY)).toBe(0);
  });

  it('matches the ten-day convolution bin by bin', () => {
    const exact = sumDistribution(sample, 10);
    for (const [items, p] of exact) {
      const got = (result.histogram.find((h) => h.items === items)?.trials ?? 0) / trials;
      expect(Math.abs(got - p)).toBeLessThanOrEqual(tolerance(p, trials));
    }
  });

  it('promises at each level a number the exact distribution reaches with about that likelihood', () => {
    const exact = sumDistribution(sample, 10);
    for (const level of FORECAST_LEVELS) {
      const n = result.percentiles[`${level}`];
      expect(atLeast(exact, n)).toBeGreaterThanOrEqual(level / 100 - 0.01);
      expect(atLeast(exact, n + 2)).toBeLessThan(level / 100 + 0.01);
    }
  });
});

describe('forecast properties', () => {
  const samples = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 30 }).filter((s) => s.some((v) => v > 0));

  it('never forecasts more items earlier', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (sample, items, more, seed) => {
        const a = forecastWhen(sample, items, MONDAY, MONDAY_TO_FRIDAY, { trials: 300, seed });
        const b = forecastWhen(sample, items + more, MONDAY, MONDAY_TO_FRIDAY, { trials: 300, seed });
        for (const level of FORECAST_LEVELS) expect((b.percentiles[`${level}`] ?? '9999') >= (a.percentiles[`${level}`] ?? '9999')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('never forecasts fewer items by a later date', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (sample, days, later, seed) => {
        const a = forecastHowMany(sample, MONDAY, dateAfter(days), EVERY_DAY, { trials: 300, seed });
        const b = forecastHowMany(sample, MONDAY, dateAfter(days + later), EVERY_DAY, { trials: 300, seed });
        for (const level of FORECAST_LEVELS) expect(b.percentiles[`${level}`]).toBeGreaterThanOrEqual(a.percentiles[`${level}`]);
      }),
      { numRuns: 60 },
    );
  });

  it('has monotone percentiles: more certainty, a later date and fewer items', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 1, max: 80 }), fc.integer(), (sample, items, seed) => {
        const when = forecastWhen(sample, items, MONDAY, EVERY_DAY, { trials: 400, seed });
        const many = forecastHowMany(sample, MONDAY, dateAfter(items), EVERY_DAY, { trials: 400, seed });
        const keys = FORECAST_LEVELS.map((level) => `${level}` as const);
        for (const [i, hi] of keys.entries()) {
          const lo = keys[Math.max(0, i - 1)] ?? hi;
          expect((when.percentiles[hi] ?? '9999') >= (when.percentiles[lo] ?? '9999')).toBe(true);
          expect(many.percentiles[hi]).toBeLessThanOrEqual(many.percentiles[lo]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

const dateAfter = (days: number): CalendarDate => {
  const t = new Date(Date.UTC(MONDAY.year, MONDAY.month - 1, MONDAY.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

describe('calendar and warnings', () => {
  it('skips weekends and holidays when dating the work', () => {
    // One item a day, five items, Monday to Friday with Wednesday off: done the next Monday.
    const calendar = { ...MONDAY_TO_FRIDAY, holidays: new Set(['2026-01-07']) };
    const result = forecastWhen([1], 5, MONDAY, calendar, { trials: 10 });
    expect(result.percentiles['50']).toBe('2026-01-12');
    expect(result.percentiles['95']).toBe('2026-01-12');
  });

  it('takes only working days into the sample', () => {
    const days = [
      { date: '2026-01-09', count: 3 }, // Friday
      { date: '2026-01-10', count: 0 }, // Saturday
      { date: '2026-01-11', count: 0 }, // Sunday
      { date: '2026-01-12', count: 2 }, // Monday
    ];
    expect(throughputSample(days, MONDAY_TO_FRIDAY)).toEqual([3, 2]);
    expect(throughputSample(days, EVERY_DAY)).toEqual([3, 0, 0, 2]);
  });

  it('says when the sample is small, empty, trending or never finishes', () => {
    expect(sampleWarnings([]).map((w) => w.code)).toEqual(['NO_WORKING_DAYS']);
    expect(sampleWarnings([0, 0]).map((w) => w.code)).toEqual(['NO_THROUGHPUT']);
    expect(sampleWarnings([1, 0, 2]).map((w) => w.code)).toEqual(['SMALL_SAMPLE']);
    expect(sampleWarnings([0, 1, 0, 1, 4, 5, 3, 4]).map((w) => w.code)).toEqual(['UNSTABLE']);
    expect(sampleWarnings([2, 1, 2, 1, 2, 1, 2, 1]).map((w) => w.code)).toEqual([]);
    const none = forecastWhen([0, 0], 3, MONDAY, EVERY_DAY, { trials: 10 });
    expect(none.percentiles['50']).toBeNull();
    expect(none.never).toBe(10);
  });

  it('gives a started item the time its peers that got as old still took', () => {
    const day = 86_400_000;
    const cycleTimes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => d * day);
    const { percentiles, sample } = remainingTime(cycleTimes, 6 * day);
    expect(sample).toBe(5);
    expect(percentiles['50']).toBe(2 * day);
    expect(percentiles['95']).toBe(4 * day);
    expect(remainingTime(cycleTimes, 11 * day).percentiles['50']).toBeNull();
  });
});
