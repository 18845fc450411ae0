/**
 * Monte Carlo forecasts over a board's daily throughput (docs/metrics.md, "Forecasts").
 *
 * A trial replays the future one working day at a time; each working day finishes as many items as
 * one day drawn at random (with replacement) from the history window's working days. "When" counts the
 * working days a trial needs to finish N items; "how many" sums the items a trial finishes by a date.
 * Days that are not working days (a board setting) finish nothing and are left out of the sample.
 * Pure: the API, the flow page and the tests call the same functions, and a seed replays a run.
 */
import { prng } from '../random';
import { intervalIndex } from './data';
import { addDays, formatDate, intervalBoundaries, type CalendarDate } from './time';

export const FORECAST_LEVELS = [50, 70, 85, 95] as const;
export type ForecastLevel = (typeof FORECAST_LEVELS)[number];
export type LevelKey = `${ForecastLevel}`;

export const DEFAULT_TRIALS = 10_000;
export const MAX_TRIALS = 100_000;
/** A trial that has not finished after this many calendar days (ten years) is counted as never. */
export const MAX_HORIZON_DAYS = 3_650;
/** Fewer finished items than this in the window make a forecast a guess: it says so. */
export const MIN_FINISHED_FOR_FORECAST = 10;

/** Which weekdays are worked (Monday first) and which dates are holidays. */
export interface WorkCalendar {
  /** Seven flags, Monday to Sunday. */
  weekdays: readonly boolean[];
  /** Dates (YYYY-MM-DD) on which nobody works, whatever the weekday. */
  holidays?: ReadonlySet<string>;
}

export const EVERY_DAY: WorkCalendar = { weekdays: [true, true, true, true, true, true, true] };
export const MONDAY_TO_FRIDAY: WorkCalendar = { weekdays: [true, true, true, true, true, false, false] };

/** Monday = 0 … Sunday = 6. */
export function weekdayOf(d: CalendarDate): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
}

export function isWorkingDay(d: CalendarDate, calendar: WorkCalendar): boolean {
  return calendar.weekdays[weekdayOf(d)] === true && !calendar.holidays?.has(formatDate(d));
}

/** The working days from `start` on, at most `limit` of them, within MAX_HORIZON_DAYS calendar days. */
export function workingDaysFrom(start: CalendarDate, calendar: WorkCalendar, limit: number): CalendarDate[] {
  const days: CalendarDate[] = [];
  for (let i = 0; i < MAX_HORIZON_DAYS && days.length < limit; i++) {
    const d = addDays(start, i);
    if (isWorkingDay(d, calendar)) days.push(d);
  }
  return days;
}

/** The daily throughput sample: the counts of the window's working days, in date order. */
export function throughputSample(days: readonly { date: string; count: number }[], calendar: WorkCalendar): number[] {
  return days.filter((d) => isWorkingDayText(d.date, calendar)).map((d) => d.count);
}

function isWorkingDayText(date: string, calendar: WorkCalendar): boolean {
  const [year, month, day] = date.split('-').map(Number);
  return isWorkingDay({ year: year ?? 0, month: month ?? 0, day: day ?? 0 }, calendar);
}

export type ForecastWarning =
  | { code: 'NO_WORKING_DAYS'; message: string }
  | { code: 'NO_THROUGHPUT'; message: string }
  | { code: 'SMALL_SAMPLE'; message: string }
  | { code: 'UNSTABLE'; message: string }
  | { code: 'BEYOND_HORIZON'; message: string };

/**
 * What makes a sample a poor guide: no working day in it, nothing finished, fewer than
 * MIN_FINISHED_FOR_FORECAST items, or a trend (one half of the window finished at least twice the
 * items of the other, with enough items for the difference not to be chance).
 */
export function sampleWarnings(sample: readonly number[]): ForecastWarning[] {
  if (sample.length === 0) return [{ code: 'NO_WORKING_DAYS', message: 'The history window has no working day to learn from: widen it' }];
  const finished = sample.reduce((a, b) => a + b, 0);
  if (finished === 0) return [{ code: 'NO_THROUGHPUT', message: 'Nothing was finished in the history window, so no date can be forecast' }];
  const warnings: ForecastWarning[] = [];
  if (finished < MIN_FINISHED_FOR_FORECAST) {
    warnings.push({
      code: 'SMALL_SAMPLE',
      message: `Only ${finished} item${finished === 1 ? '' : 's'} finished in the history window (at least ${MIN_FINISHED_FOR_FORECAST} make a forecast worth trusting)`,
    });
  }
  const half = Math.floor(sample.length / 2);
  const early = sample.slice(0, half).reduce((a, b) => a + b, 0);
  const late = sample.slice(sample.length - half).reduce((a, b) => a + b, 0);
  if (half > 0 && early + late >= MIN_FINISHED_FOR_FORECAST && (late >= 2 * Math.max(early, 1) || early >= 2 * Math.max(late, 1))) {
    warnings.push({
      code: 'UNSTABLE',
      message: `Throughput is not stable: ${early} items finished in the first half of the window, ${late} in the second. The forecast assumes the whole window is typical`,
    });
  }
  return warnings;
}

/** Nearest rank: the smallest value with at least p% of the sorted values at or below it. */
function rankAtOrBelow(sorted: Int32Array, p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? 0;
}

/** The largest value that at least p% of the sorted values reach or pass. */
function rankAtOrAbove(sorted: Int32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(((100 - p) / 100) * sorted.length))] ?? 0;
}

export interface SimulationOptions {
  trials?: number;
  seed?: number;
}

export interface WhenResult {
  /** The date by which the items are finished with at least that likelihood; null: past the horizon. */
  percentiles: Record<LevelKey, string | null>;
  /** Trials finishing on each date, in date order (dates with no trial left out). */
  histogram: { date: string; trials: number }[];
  /** Trials that did not finish within MAX_HORIZON_DAYS. */
  never: number;
  warnings: ForecastWarning[];
}

/**
 * When will `items` items be finished, starting on `start` (its work counts)? Each trial draws
 * working days from `sample` until the items are done; the answer is the date of its last day.
 */
export function forecastWhen(sample: readonly number[], items: number, start: CalendarDate, calendar: WorkCalendar, options: SimulationOptions = {}): WhenResult {
  const trials = options.trials ?? DEFAULT_TRIALS;
  const warnings = sampleWarnings(sample);
  const days = workingDaysFrom(start, calendar, Number.MAX_SAFE_INTEGER);
  const empty = { percentiles: levelsOf(() => null), histogram: [], never: 0 };
  if (items <= 0) return { ...empty, percentiles: levelsOf(() => formatDate(addDays(start, -1))), warnings };
  if (days.length === 0) return { ...empty, never: trials, warnings: [...warnings, beyond()] };
  if (sample.every((c) => c === 0)) return { ...empty, never: trials, warnings };
  const trialSeeds = prng(options.seed ?? 1);
  const pool = Int32Array.from(sample);
  const n = pool.length;
  const horizon = days.length;
  // Working days each trial needs; horizon + 1 means "not within the horizon".
  const needed = new Int32Array(trials);
  for (let t = 0; t < trials; t++) {
    // Each trial its own stream of days (common random numbers): with one seed, trial t lives the same
    // days whatever is asked, so more items never finish earlier and a later date never finishes fewer.
    const draw = prng(trialSeeds.int(4_294_967_296));
    let left = items;
    let d = 0;
    while (left > 0 && d < horizon) {
      left -= pool[draw.int(n)] ?? 0;
      d++;
    }
    needed[t] = left > 0 ? horizon + 1 : d;
  }
  needed.sort();
  const counts = new Map<number, number>();
  let never = 0;
  for (const d of needed) {
    if (d > horizon) never++;
    else counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const dateAt = (d: number) => (d > horizon ? null : formatDate(days[d - 1] as CalendarDate));
  return {
    percentiles: levelsOf((p) => dateAt(rankAtOrBelow(needed, p))),
    histogram: [...counts].map(([d, count]) => ({ date: dateAt(d) as string, trials: count })),
    never,
    warnings: never > 0 ? [...warnings, beyond()] : warnings,
  };
}

export interface HowManyResult {
  /** At least this many items are finished by the date with that likelihood. */
  percentiles: Record<LevelKey, number>;
  /** Trials finishing each number of items, in increasing order (numbers no trial reached left out). */
  histogram: { items: number; trials: number }[];
  /** Working days from the start to the date, both counted. */
  workingDays: number;
  warnings: ForecastWarning[];
}

/** How many items will be finished from `start` to `end` (both counted)? */
export function forecastHowMany(sample: readonly number[], start: CalendarDate, end: CalendarDate, calendar: WorkCalendar, options: SimulationOptions = {}): HowManyResult {
  const trials = options.trials ?? DEFAULT_TRIALS;
  const warnings = sampleWarnings(sample);
  const workingDays = countWorkingDays(start, end, calendar);
  if (sample.length === 0 || workingDays === 0) {
    return { percentiles: levelsOf(() => 0), histogram: [{ items: 0, trials }], workingDays, warnings };
  }
  const trialSeeds = prng(options.seed ?? 1);
  const pool = Int32Array.from(sample);
  const n = pool.length;
  const totals = new Int32Array(trials);
  for (let t = 0; t < trials; t++) {
    const draw = prng(trialSeeds.int(4_294_967_296));
    let sum = 0;
    for (let d = 0; d < workingDays; d++) sum += pool[draw.int(n)] ?? 0;
    totals[t] = sum;
  }
  totals.sort();
  const counts = new Map<number, number>();
  for (const v of totals) counts.set(v, (counts.get(v) ?? 0) + 1);
  return {
    percentiles: levelsOf((p) => rankAtOrAbove(totals, p)),
    histogram: [...counts].map(([value, count]) => ({ items: value, trials: count })),
    workingDays,
    warnings,
  };
}

/** Working days from `start` to `end`, both counted; 0 when `end` is before `start`. */
export function countWorkingDays(start: CalendarDate, end: CalendarDate, calendar: WorkCalendar): number {
  let count = 0;
  for (let d = start, i = 0; i <= MAX_HORIZON_DAYS && formatDate(d) <= formatDate(end); d = addDays(start, ++i)) {
    if (isWorkingDay(d, calendar)) count++;
  }
  return count;
}

/**
 * A started item's likely remaining time: among the finished items that were at least as old as this
 * one is now, the cycle time at each level, minus its age. Null at a level no such item reaches
 * (nothing that old ever finished): the item is older than the history knows.
 */
export function remainingTime(cycleTimesMs: readonly number[], ageMs: number): { percentiles: Record<LevelKey, number | null>; sample: number } {
  const peers = cycleTimesMs.filter((ct) => ct >= ageMs).toSorted((a, b) => a - b);
  const at = (p: number) => {
    if (peers.length === 0) return null;
    const v = peers[Math.max(1, Math.ceil((p / 100) * peers.length)) - 1];
    return v === undefined ? null : v - ageMs;
  };
  return { percentiles: levelsOf(at), sample: peers.length };
}

function levelsOf<T>(value: (p: ForecastLevel) => T): Record<LevelKey, T> {
  return Object.fromEntries(FORECAST_LEVELS.map((p) => [String(p), value(p)])) as Record<LevelKey, T>;
}

function beyond(): ForecastWarning {
  return { code: 'BEYOND_HORIZON', message: `Some trials did not finish within ${MAX_HORIZON_DAYS / 365} years: at this pace the work may never be done` };
}

/** A board's working-days setting (ISO weekdays, 1 = Monday … 7 = Sunday) as a calendar; null: every day. */
export function calendarOf(setting: { weekdays: readonly number[]; holidays: readonly string[] } | null | undefined): WorkCalendar {
  if (!setting) return EVERY_DAY;
  const days = new Set(setting.weekdays);
  return { weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => days.has(d)), holidays: new Set(setting.holidays) };
}

/** Items finished on each date from `from` to `to` (both counted, in `tz`), from their finishing instants. */
export function dailyThroughput(doneAts: readonly number[], from: CalendarDate, to: CalendarDate, tz: string): { date: string; count: number }[] {
  const boundaries = intervalBoundaries(from, to, 'day', tz);
  const counts = Array.from({ length: Math.max(0, boundaries.length - 1) }, () => 0);
  for (const at of doneAts) {
    const i = intervalIndex(boundaries, at);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ date: formatDate(addDays(from, i)), count }));
}

/**
 * The sample of a history window: the counts of its working days from `from` to `to`, leaving out the
 * days before `firstDay` (the board did not exist: those days finished nothing for want of a board,
 * not of throughput).
 */
export function windowSample(daily: readonly { date: string; count: number }[], from: string, to: string, calendar: WorkCalendar, firstDay = ''): number[] {
  const start = from > firstDay ? from : firstDay;
  return throughputSample(
    daily.filter((d) => d.date >= start && d.date <= to),
    calendar,
  );
}

/** How far back the backtests go: a forecast made this many weeks before the window's end. */
export const BACKTEST_WEEKS = [2, 4] as const;

/** How one level of a past forecast fared: met, missed, or not known yet (its date is still ahead). */
export type BacktestOutcome = 'met' | 'missed' | 'open';

interface BacktestBase {
  weeksAgo: number;
  /** The last day of the history the past forecast had (its window, as long as today's, ended here). */
  madeOn: string;
  /** Its sample: working days and items finished in them. */
  sample: { days: number; finished: number };
  outcome: Record<LevelKey, BacktestOutcome>;
  warnings: ForecastWarning[];
}

export interface WhenBacktest extends BacktestBase {
  items: number;
  percentiles: Record<LevelKey, string | null>;
  /** The day the items-th item after `madeOn` finished; null when fewer have finished by the window's end. */
  actual: string | null;
  /** Items finished after `madeOn`, up to the window's end. */
  finishedSince: number;
}

export interface HowManyBacktest extends BacktestBase {
  /** The forecast's date: the window's end. */
  until: string;
  percentiles: Record<LevelKey, number>;
  /** Items actually finished from the day after `madeOn` to `until`. */
  actual: number;
}

export interface BacktestInput {
  /** Daily throughput from at least BACKTEST_WEEKS' largest before the window's start, up to its end. */
  daily: readonly { date: string; count: number }[];
  /** The window of today's forecast. */
  from: CalendarDate;
  to: CalendarDate;
  calendar: WorkCalendar;
  /** The board's first day: a past window never reaches before it. */
  firstDay?: string;
  options?: SimulationOptions;
}

/** The past window K weeks back: as long as today's, ending 7K days before its end; null when the board did not exist then. */
function pastWindow(input: BacktestInput, weeks: number) {
  const madeOn = addDays(input.to, -7 * weeks);
  const from = addDays(input.from, -7 * weeks);
  if (input.firstDay !== undefined && formatDate(madeOn) < input.firstDay) return null;
  const sample = windowSample(input.daily, formatDate(from), formatDate(madeOn), input.calendar, input.firstDay);
  return { madeOn, sample, after: input.daily.filter((d) => d.date > formatDate(madeOn) && d.date <= formatDate(input.to)) };
}

/**
 * Backtests of "when": for each K in BACKTEST_WEEKS, the forecast for the same number of items made
 * with the window K weeks earlier, against the day the items-th item after it actually finished.
 */
export function backtestWhen(input: BacktestInput, items: number): WhenBacktest[] {
  const out: WhenBacktest[] = [];
  const to = formatDate(input.to);
  for (const weeksAgo of BACKTEST_WEEKS) {
    const past = pastWindow(input, weeksAgo);
    if (!past) continue;
    const forecast = forecastWhen(past.sample, items, addDays(past.madeOn, 1), input.calendar, input.options);
    let done = 0;
    let actual: string | null = null;
    for (const d of past.after) {
      done += d.count;
      if (actual === null && items > 0 && done >= items) actual = d.date;
    }
    if (items <= 0) actual = formatDate(past.madeOn);
    const outcome = levelsOf((p): BacktestOutcome => {
      const said = forecast.percentiles[`${p}`];
      if (actual !== null) return said !== null && actual <= said ? 'met' : 'missed';
      return said !== null && said <= to ? 'missed' : 'open';
    });
    out.push({
      weeksAgo,
      madeOn: formatDate(past.madeOn),
      sample: { days: past.sample.length, finished: past.sample.reduce((a, b) => a + b, 0) },
      items,
      percentiles: forecast.percentiles,
      actual,
      finishedSince: done,
      outcome,
      warnings: forecast.warnings,
    });
  }
  return out;
}

/**
 * Backtests of "how many": for each K in BACKTEST_WEEKS, the forecast made with the window K weeks
 * earlier of the items finished from the next day to the window's end, against the items finished.
 */
export function backtestHowMany(input: BacktestInput): HowManyBacktest[] {
  const out: HowManyBacktest[] = [];
  for (const weeksAgo of BACKTEST_WEEKS) {
    const past = pastWindow(input, weeksAgo);
    if (!past) continue;
    const forecast = forecastHowMany(past.sample, addDays(past.madeOn, 1), input.to, input.calendar, input.options);
    const actual = past.after.reduce((a, d) => a + d.count, 0);
    out.push({
      weeksAgo,
      madeOn: formatDate(past.madeOn),
      sample: { days: past.sample.length, finished: past.sample.reduce((a, b) => a + b, 0) },
      until: formatDate(input.to),
      percentiles: forecast.percentiles,
      actual,
      outcome: levelsOf((p): BacktestOutcome => (actual >= forecast.percentiles[`${p}`] ? 'met' : 'missed')),
      warnings: forecast.warnings,
    });
  }
  return out;
}
