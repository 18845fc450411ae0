/**
 * The forecast endpoints (docs/api.md "Forecasts", docs/metrics.md "Forecasts"): the query is checked
 * here, on the main thread, so a refusal carries its code; the history is read and the trials run in
 * the heavy-read worker (lib/server/heavyReads.ts), so 100,000 trials never hold the event loop.
 */
import { randomInt } from 'node:crypto';
import type { Engine } from '../../db/engine';
import { checkRange, matchingCards } from '../../db/flow';
import { parseWorkingDays } from '../../db/store/rows';
import type { Store } from '../../db/store';
import type { HeavyReader } from './heavyReads';
import { DomainError } from '../shared/domain/errors';
import {
  BACKTEST_WEEKS,
  DEFAULT_TRIALS,
  MAX_HORIZON_DAYS,
  MAX_TRIALS,
  MIN_FINISHED_FOR_FORECAST,
  backtestHowMany,
  backtestWhen,
  calendarOf,
  dailyThroughput,
  forecastHowMany,
  forecastWhen,
  remainingTime,
  windowSample,
  type LevelKey,
} from '../shared/flow/forecast';
import { addDays, DAY_MS, dateOf, daysBetween, formatDate, parseDate, startOfDate, type CalendarDate } from '../shared/flow/time';
import { parseRange } from './flow';
import { filterOf, type LaneFilter } from '../shared/flow/laneFilter';

/** The most items a "when" forecast takes: beyond it a typo, not a plan. */
export const MAX_FORECAST_ITEMS = 100_000;

interface ForecastBase {
  boardId: string;
  /** The history window, dates in `tz`, both counted. */
  from: string;
  to: string;
  tz: string;
  trials: number;
  seed: number;
  /** The forecast's first day (its work counts); by default the day after `to`. */
  start: string;
  now: number;
  /** Only the cards of one lane, or of the lanes of one class of service (their current lane). */
  filter: LaneFilter | null;
}

export type ForecastJob =
  | (ForecastBase & { kind: 'forecast.when'; items: number | null })
  | (ForecastBase & { kind: 'forecast.how-many'; date: string })
  | { kind: 'forecast.card'; boardId: string; cardId: string; from: string; to: string; tz: string; now: number };

function wholeNumber(query: URLSearchParams, name: string, min: number, max: number): number | null {
  const text = query.get(name);
  if (text === null || text === '') return null;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new DomainError('INVALID', `${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}`);
  }
  return value;
}

function dateParam(query: URLSearchParams, name: string): CalendarDate | null {
  const text = query.get(name);
  if (text === null || text === '') return null;
  const date = parseDate(text);
  if (!date) throw new DomainError('INVALID', `${name} must be a date as YYYY-MM-DD`);
  return date;
}

const KNOWN = {
  when: new Set(['items', 'from', 'to', 'tz', 'trials', 'seed', 'start', 'lane', 'class']),
  'how-many': new Set(['date', 'from', 'to', 'tz', 'trials', 'seed', 'start', 'lane', 'class']),
  card: new Set(['from', 'to', 'tz']),
} as const;

function refuseUnknown(query: URLSearchParams, kind: keyof typeof KNOWN) {
  for (const key of query.keys()) {
    if (!KNOWN[kind].has(key)) throw new DomainError('INVALID', `Unknown parameter ${key}: a ${kind} forecast takes ${[...KNOWN[kind]].join(', ')}`);
  }
}

/** The history window and the simulation's settings shared by "when" and "how many". */
function parseBase(boardId: string, query: URLSearchParams, now: number): ForecastBase {
  const range = parseRange(query, now, 'day');
  const { to } = checkRange(range);
  const trials = wholeNumber(query, 'trials', 1, MAX_TRIALS) ?? DEFAULT_TRIALS;
  const seed = wholeNumber(query, 'seed', 0, 2 ** 32 - 1) ?? randomInt(0, 2 ** 32 - 1);
  const start = dateParam(query, 'start') ?? addDays(to, 1);
  return { boardId, from: range.from, to: range.to, tz: range.tz, trials, seed, start: formatDate(start), now, filter: filterOf(range) };
}

export function parseWhen(boardId: string, query: URLSearchParams, now: number): ForecastJob {
  refuseUnknown(query, 'when');
  const base = parseBase(boardId, query, now);
  return { ...base, kind: 'forecast.when', items: wholeNumber(query, 'items', 1, MAX_FORECAST_ITEMS) };
}

export function parseHowMany(boardId: string, query: URLSearchParams, now: number): ForecastJob {
  refuseUnknown(query, 'how-many');
  const base = parseBase(boardId, query, now);
  const date = dateParam(query, 'date');
  if (!date) throw new DomainError('INVALID', 'date is required: the day (YYYY-MM-DD) by which to count the items finished');
  const start = parseDate(base.start) as CalendarDate;
  if (daysBetween(start, date) < 0) throw new DomainError('INVALID', `date must not be before the forecast's first day, ${base.start}`);
  if (daysBetween(start, date) >= MAX_HORIZON_DAYS) throw new DomainError('INVALID', `date must be within ${MAX_HORIZON_DAYS / 365} years of the forecast's first day, ${base.start}`);
  return { ...base, kind: 'forecast.how-many', date: formatDate(date) };
}

export function parseCard(boardId: string, cardId: string, query: URLSearchParams, now: number): ForecastJob {
  refuseUnknown(query, 'card');
  const range = parseRange(query, now, 'day');
  checkRange(range);
  return { kind: 'forecast.card', boardId, cardId, from: range.from, to: range.to, tz: range.tz, now };
}

/** Parses, catches the board's aggregates up, and has the worker answer. */
export async function forecast(store: Store, heavy: HeavyReader, job: ForecastJob): Promise<Uint8Array> {
  await store.flow.settle(job.boardId);
  return (await heavy.run(job)).bytes;
}

/** What a forecast reads: the board's first day and calendar, the finishing instants of a span, the open items. */
async function readHistory(engine: Engine, boardId: string, from: CalendarDate, to: CalendarDate, tz: string, filter: LaneFilter | null) {
  const startMs = startOfDate(from, tz);
  const endMs = startOfDate(addDays(to, 1), tz);
  return engine.read(async (sql) => {
    const board = await sql.get<{ createdAt: number; workingDays: string | null }>('select created_at as "createdAt", working_days as "workingDays" from boards where id = ?', [boardId]);
    if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
    const firstDay = formatDate(dateOf(Number(board.createdAt), tz));
    const workingDays = parseWorkingDays(board.workingDays);
    if (filter) {
      // A lane or a class: the cards in it now, as the flow page filters them (db/flow.ts).
      const matching = await matchingCards(sql, boardId, filter);
      const done = await sql.values<[string, number]>('select card_id, done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ?', [boardId, startMs, endMs]);
      const open = await sql.values<[string]>('select card_id from flow_cards where board_id = ? and deleted_at is null and done_at is null', [boardId]);
      return { firstDay, workingDays, doneAts: done.filter((r) => matching.has(r[0])).map((r) => Number(r[1])), open: open.filter((r) => matching.has(r[0])).length };
    }
    const done = await sql.values<[number]>('select done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ?', [boardId, startMs, endMs]);
    const open = await sql.get<{ n: number }>('select count(*) as n from flow_cards where board_id = ? and deleted_at is null and done_at is null', [boardId]);
    return { firstDay, workingDays, doneAts: done.map((r) => Number(r[0])), open: Number(open?.n ?? 0) };
  });
}

/** The answer's echo of what it was made from. */
function sampleOf(sample: readonly number[], job: ForecastBase, firstDay: string) {
  return {
    days: sample.length,
    finished: sample.reduce((a, b) => a + b, 0),
    from: job.from > firstDay ? job.from : firstDay,
    to: job.to,
  };
}

export interface CardForecastAnswer {
  cardId: string;
  /** When it crossed the commitment point; null: not started. */
  startedAt: string | null;
  doneAt: string | null;
  ageDays: number | null;
  /** The day it is likely finished by, at each level; null where the history has no answer. */
  percentiles: Record<LevelKey, string | null>;
  /** Finished items of the window at least as old as this one now: the peers the answer is made of. */
  sample: { finished: number; peers: number; from: string; to: string };
  warnings: { code: string; message: string }[];
}

/** The job's answer as JSON text. Runs in the worker. */
export async function runForecast(engine: Engine, job: ForecastJob): Promise<string> {
  if (job.kind === 'forecast.card') return JSON.stringify(await cardForecast(engine, job));
  const from = parseDate(job.from) as CalendarDate;
  const to = parseDate(job.to) as CalendarDate;
  const start = parseDate(job.start) as CalendarDate;
  const earliest = addDays(from, -7 * Math.max(...BACKTEST_WEEKS));
  const history = await readHistory(engine, job.boardId, earliest, to, job.tz, job.filter);
  const calendar = calendarOf(history.workingDays);
  const daily = dailyThroughput(history.doneAts, earliest, to, job.tz);
  const sample = windowSample(daily, job.from, job.to, calendar, history.firstDay);
  const options = { trials: job.trials, seed: job.seed };
  // A backtest is a check, not the answer: at most the default trials, so that asking for 100,000 does not triple.
  const backtestInput = { daily, from, to, calendar, firstDay: history.firstDay, options: { ...options, trials: Math.min(job.trials, DEFAULT_TRIALS) } };
  const common = { trials: job.trials, seed: job.seed, start: job.start, ...job.filter, calendar: history.workingDays ?? null, sample: sampleOf(sample, job, history.firstDay) };
  if (job.kind === 'forecast.when') {
    const items = job.items ?? history.open;
    const result = forecastWhen(sample, items, start, calendar, options);
    return JSON.stringify({ ...result, ...common, items, itemsDefault: job.items === null, backtest: backtestWhen(backtestInput, items) });
  }
  const end = parseDate(job.date) as CalendarDate;
  const result = forecastHowMany(sample, start, end, calendar, options);
  return JSON.stringify({ ...result, ...common, date: job.date, backtest: backtestHowMany(backtestInput) });
}

async function cardForecast(engine: Engine, job: Extract<ForecastJob, { kind: 'forecast.card' }>): Promise<CardForecastAnswer> {
  const from = parseDate(job.from) as CalendarDate;
  const to = parseDate(job.to) as CalendarDate;
  const startMs = startOfDate(from, job.tz);
  const endMs = startOfDate(addDays(to, 1), job.tz);
  const { card, cycleTimes } = await engine.read(async (sql) => {
    const row = await sql.get<{ committedAt: number | null; doneAt: number | null; deletedAt: number | null }>(
      'select committed_at as "committedAt", done_at as "doneAt", deleted_at as "deletedAt" from flow_cards where board_id = ? and card_id = ?',
      [job.boardId, job.cardId],
    );
    const finished = await sql.values<[number, number]>(
      'select committed_at, done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ? and committed_at is not null',
      [job.boardId, startMs, endMs],
    );
    return { card: row, cycleTimes: finished.map((r) => Number(r[1]) - Number(r[0])) };
  });
  if (!card || card.deletedAt !== null) throw new DomainError('NOT_FOUND', 'Card not found');
  const none = { '50': null, '70': null, '85': null, '95': null };
  const base = { cardId: job.cardId, startedAt: card.committedAt === null ? null : new Date(Number(card.committedAt)).toISOString(), doneAt: card.doneAt === null ? null : new Date(Number(card.doneAt)).toISOString() };
  const window = { finished: cycleTimes.length, from: job.from, to: job.to };
  if (card.doneAt !== null) {
    return { ...base, ageDays: null, percentiles: none, sample: { ...window, peers: 0 }, warnings: [{ code: 'FINISHED', message: 'This card is finished: nothing left to forecast' }] };
  }
  if (card.committedAt === null) {
    return { ...base, ageDays: null, percentiles: none, sample: { ...window, peers: 0 }, warnings: [{ code: 'NOT_STARTED', message: 'This card has not crossed the commitment point: its clock has not started' }] };
  }
  const age = Math.max(0, job.now - Number(card.committedAt));
  const remaining = remainingTime(cycleTimes, age);
  const percentiles = Object.fromEntries(
    Object.entries(remaining.percentiles).map(([level, ms]) => [level, ms === null ? null : formatDate(dateOf(job.now + ms, job.tz))]),
  ) as Record<LevelKey, string | null>;
  const warnings: { code: string; message: string }[] = [];
  if (remaining.sample === 0) {
    warnings.push({ code: 'OLDER_THAN_HISTORY', message: 'No card finished in the history window took this long: it is older than anything the history knows' });
  } else if (remaining.sample < MIN_FINISHED_FOR_FORECAST) {
    warnings.push({
      code: 'SMALL_SAMPLE',
      message: `Only ${remaining.sample} finished card${remaining.sample === 1 ? ' was' : 's were'} at least this old (at least ${MIN_FINISHED_FOR_FORECAST} make a forecast worth trusting)`,
    });
  }
  return { ...base, ageDays: age / DAY_MS, percentiles, sample: { ...window, peers: remaining.sample }, warnings };
}

