/**
 * Flow metrics from FlowData. Pure: the API, the flow page and the tests call the same functions.
 * Definitions, with worked examples, are in docs/metrics.md.
 */
import { intervalIndex, type FlowData, type FlowColumn, type OpenCard } from './data';
import { K } from './replay';
import { cumulativeOf, inColumnSeries } from './series';
import { DAY_MS, addDays, daysBetween, formatDate, intervalBoundaries, parseDate, type CalendarDate } from './time';

const n0 = (v: number | undefined) => v ?? 0;

export const PERCENTILES = [50, 85, 95] as const;
export type PercentileKey = 'p50' | 'p85' | 'p95';
export type Percentiles = Record<PercentileKey, number | null>;

/** Fewer finished cards than this make percentiles too noisy to flag aging work on the board. */
export const MIN_SAMPLE_FOR_AGING = 5;

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.toSorted((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export function percentilesOf(values: readonly number[]): Percentiles {
  // One typed-array sort for all three: thousands of finished cards in a 90-day range.
  const sorted = Float64Array.from(values).toSorted();
  const at = (p: number) => (sorted.length ? (sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? null) : null);
  return { p50: at(50), p85: at(85), p95: at(95) };
}

export interface FinishedCardTimes {
  cardId: string;
  title: string;
  committedAt: string | null;
  doneAt: string;
  /** Days from entering the commitment work center to entering the last one; null when never committed. */
  cycleTimeDays: number | null;
  /** Days from creation to entering the last one. */
  leadTimeDays: number;
}

const toDays = (ms: number) => ms / DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** In the order of `finished`, which the store reads by done time and the live fold appends to. */
export function finishedCardTimes(data: Pick<FlowData, 'finished'>): FinishedCardTimes[] {
  return data.finished.map((c) => ({
      cardId: c.cardId,
      title: c.title,
      committedAt: c.committedAt === null ? null : iso(c.committedAt),
      doneAt: iso(c.doneAt),
      cycleTimeDays: c.committedAt === null ? null : toDays(c.doneAt - c.committedAt),
      leadTimeDays: toDays(c.doneAt - c.createdAt),
  }));
}

export function cycleTimes(data: Pick<FlowData, 'finished'>): number[] {
  return data.finished.filter((c) => c.committedAt !== null).map((c) => toDays(c.doneAt - (c.committedAt as number)));
}

/** The calendar days of the range, in the viewer's zone. */
export function rangeDays(data: Pick<FlowData, 'range'>): CalendarDate[] {
  const from = parseDate(data.range.from);
  const to = parseDate(data.range.to);
  if (!from || !to) return [];
  const out: CalendarDate[] = [];
  for (let d = from; daysBetween(d, to) >= 0; d = addDays(d, 1)) out.push(d);
  return out;
}

export interface CountPoint {
  /** A local date, YYYY-MM-DD (for weeks: the Monday). */
  date: string;
  count: number;
}

export interface WeekPoint extends CountPoint {
  /** Days of this week inside the range (7 unless the range cuts it). */
  days: number;
}

interface Calendar {
  /** Local midnights: the start of each day of the range, then the end of the last. */
  dayStarts: number[];
  days: string[];
  /** For each day, the index of its week in rangeWeeks(). */
  weekOfDay: number[];
}

const calendars = new WeakMap<object, Calendar>();

/**
 * The range's days and weeks, worked out once per range: placing thousands of instants by binary
 * search over the day starts is what keeps the metrics cheap (bench/flow.ts), not a time-zone
 * conversion per card.
 */
function calendarOf(data: Pick<FlowData, 'range' | 'boundaries'>): Calendar {
  const cached = calendars.get(data.range);
  if (cached) return cached;
  const from = parseDate(data.range.from);
  const to = parseDate(data.range.to);
  const dayStarts = !from || !to ? [] : data.range.interval === 'day' ? data.boundaries : intervalBoundaries(from, to, 'day', data.range.tz);
  const days = rangeDays(data).map(formatDate);
  const weeks = rangeWeeks(data).map((w) => w.date);
  const weekOfDay: number[] = [];
  let w = 0;
  rangeDays(data).forEach((d) => {
    const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
    const key = formatDate(addDays(d, -weekday));
    while (w < weeks.length - 1 && weeks[w] !== key) w++;
    weekOfDay.push(w);
  });
  const calendar = { dayStarts, days, weekOfDay };
  calendars.set(data.range, calendar);
  return calendar;
}

/** Throughput: cards that reached the last work center, per local day of the range. */
export function throughputPerDay(data: Pick<FlowData, 'finished' | 'range' | 'boundaries'>): CountPoint[] {
  const cal = calendarOf(data);
  const counts = cal.days.map(() => 0);
  for (const c of data.finished) {
    const i = intervalIndex(cal.dayStarts, c.doneAt);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + 1;
  }
  return cal.days.map((date, i) => ({ date, count: counts[i] ?? 0 }));
}

/** The weeks (Monday first) that the range touches, with how many of their days it covers. */
export function rangeWeeks(data: Pick<FlowData, 'range'>): WeekPoint[] {
  const weeks = new Map<string, number>();
  for (const d of rangeDays(data)) {
    const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
    const key = formatDate(addDays(d, -weekday));
    weeks.set(key, (weeks.get(key) ?? 0) + 1);
  }
  return [...weeks].map(([date, n]) => ({ date, count: 0, days: n }));
}

export function throughputPerWeek(data: Pick<FlowData, 'finished' | 'range' | 'boundaries'>): WeekPoint[] {
  const weeks = rangeWeeks(data);
  const cal = calendarOf(data);
  for (const c of data.finished) {
    const day = intervalIndex(cal.dayStarts, c.doneAt);
    const w = day < 0 ? undefined : weeks[cal.weekOfDay[day] ?? -1];
    if (w) w.count++;
  }
  return weeks;
}

/** Positions of the commitment and last work centers in the flow order. */
function flowPositions(data: Pick<FlowData, 'columns' | 'commitmentColumnId' | 'doneColumnId'>) {
  const commit = data.columns.findIndex((c) => c.id === data.commitmentColumnId);
  const done = data.columns.findIndex((c) => c.id === data.doneColumnId);
  return { commit: Math.max(commit, 0), done: Math.max(done, 0) };
}

export interface WipPoint {
  at: string;
  wip: number;
}

/**
 * WIP at each interval end: cards that have reached the commitment work center but not the last one,
 * less those deleted on the way (counted where they had got furthest).
 */
export function wipSeries(data: FlowData): WipPoint[] {
  const { commit, done } = flowPositions(data);
  const reached = cumulativeOf(data, K.reached);
  const abandoned = cumulativeOf(data, K.abandoned);
  return reached.map((row, i) => {
    let dropped = 0;
    for (let c = commit; c < done; c++) dropped += n0(abandoned[i]?.[c]);
    return { at: iso(data.boundaries[i + 1] ?? 0), wip: n0(row[commit]) - n0(row[done]) - dropped };
  });
}

export interface LittlesLaw {
  averageWip: number;
  throughputPerDay: number;
  averageCycleTimeDays: number | null;
  /** throughputPerDay × averageCycleTimeDays: the WIP Little's law expects. */
  expectedWip: number | null;
  /** (averageWip − expectedWip) / expectedWip. */
  deviation: number | null;
  reading: string;
}

/** Little's law over the range: average WIP against throughput × average cycle time. */
export function littlesLaw(data: FlowData): LittlesLaw {
  const wip = wipSeries(data);
  const averageWip = wip.length ? wip.reduce((s, p) => s + p.wip, 0) / wip.length : 0;
  const spanDays = toDays((data.boundaries.at(-1) ?? 0) - (data.boundaries[0] ?? 0)) || 1;
  const throughput = data.finished.length / spanDays;
  const ct = cycleTimes(data);
  const averageCycleTimeDays = ct.length ? ct.reduce((s, v) => s + v, 0) / ct.length : null;
  const expectedWip = averageCycleTimeDays === null ? null : throughput * averageCycleTimeDays;
  const deviation = expectedWip ? (averageWip - expectedWip) / expectedWip : null;
  let reading: string;
  if (expectedWip === null || deviation === null) reading = 'No card finished in this range, so Little’s law has nothing to compare yet.';
  else if (Math.abs(deviation) <= 0.2) reading = 'WIP matches throughput × cycle time: flow was stable over this range.';
  else if (deviation > 0)
    reading = 'More work is in progress than finishing explains: work is piling up or aging, and cycle times will grow.';
  else reading = 'Less work is in progress than recent cycle times imply: WIP is draining, and cycle times should shorten.';
  return { averageWip, throughputPerDay: throughput, averageCycleTimeDays, expectedWip, deviation, reading };
}

export type AgingLevel = 'p50' | 'p85' | 'p95' | null;

/** The highest percentile an age is above; null at or under the 50th or without a big enough sample. */
export function agingLevel(ageDays: number, p: Percentiles, sampleSize: number): AgingLevel {
  if (sampleSize < MIN_SAMPLE_FOR_AGING) return null;
  if (p.p95 !== null && ageDays > p.p95) return 'p95';
  if (p.p85 !== null && ageDays > p.p85) return 'p85';
  if (p.p50 !== null && ageDays > p.p50) return 'p50';
  return null;
}

export interface AgingCard {
  cardId: string;
  title: string;
  columnId: string;
  committedAt: string;
  ageDays: number;
  level: AgingLevel;
}

/** Every started, unfinished card with its age (since commitment) against the cycle-time percentiles. */
export function agingWip(data: Pick<FlowData, 'open' | 'finished' | 'asOf'>, now = data.asOf): AgingCard[] {
  const ct = cycleTimes(data);
  const p = percentilesOf(ct);
  return data.open
    .filter((c): c is OpenCard & { committedAt: number } => c.committedAt !== null)
    .map((c) => {
      const ageDays = Math.max(0, toDays(now - c.committedAt));
      return { cardId: c.cardId, title: c.title, columnId: c.columnId, committedAt: iso(c.committedAt), ageDays, level: agingLevel(ageDays, p, ct.length) };
    })
    .toSorted((a, b) => b.ageDays - a.ageDays);
}

export interface WorkCenterWeek {
  week: string;
  columnId: string;
  arrivals: number;
  departures: number;
}

/** Sums of one counter kind per live work center per week: Map<week, number[] by flow index>. */
function weeklySums(data: FlowData, kind: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const cal = calendarOf(data);
  const weeks = rangeWeeks(data);
  data.counts.forEach((interval, i) => {
    const day = intervalIndex(cal.dayStarts, data.boundaries[i] ?? 0);
    const week = weeks[cal.weekOfDay[day] ?? -1]?.date ?? '';
    const acc = out.get(week) ?? data.columns.map(() => 0);
    interval.forEach((row, c) => (acc[c] = n0(acc[c]) + n0(row[kind])));
    out.set(week, acc);
  });
  return out;
}

/** Arrivals (entries) and departures (moves out) per work center per week. */
export function arrivalsAndDepartures(data: FlowData): WorkCenterWeek[] {
  const arrivals = weeklySums(data, K.entered);
  const departures = weeklySums(data, K.exited);
  const out: WorkCenterWeek[] = [];
  for (const [week, row] of arrivals) {
    data.columns.forEach((c, i) => {
      if (c.live) out.push({ week, columnId: c.id, arrivals: n0(row[i]), departures: n0(departures.get(week)?.[i]) });
    });
  }
  return out;
}

export interface Demand {
  /** Cards that crossed the commitment point, per week of the range. */
  intakePerWeek: number;
  throughputPerWeek: number;
  demandPerWeek: number | null;
  pilingUp: boolean;
  overproduction: boolean;
  belowDemand: boolean;
  reading: string;
}

/** A difference under this share is noise, not a finding. */
const DEMAND_TOLERANCE = 0.1;

export function demand(data: FlowData): Demand {
  const { commit } = flowPositions(data);
  const weeks = toDays((data.boundaries.at(-1) ?? 0) - (data.boundaries[0] ?? 0)) / 7 || 1;
  const committed = data.counts.reduce((s, interval) => s + n0(interval[commit]?.[K.reached]), 0);
  const intakePerWeek = committed / weeks;
  const finishedPerWeek = data.finished.length / weeks;
  const d = data.demandPerWeek;
  const pilingUp = intakePerWeek > finishedPerWeek * (1 + DEMAND_TOLERANCE) && intakePerWeek - finishedPerWeek >= 0.5;
  const overproduction = d !== null && finishedPerWeek > d * (1 + DEMAND_TOLERANCE);
  const belowDemand = d !== null && finishedPerWeek < d * (1 - DEMAND_TOLERANCE);
  const parts: string[] = [];
  if (pilingUp) parts.push('Intake is above throughput: work is piling up.');
  if (overproduction) parts.push('Throughput is above demand: overproduction.');
  if (belowDemand) parts.push('Throughput is below demand: the customer is kept waiting.');
  if (d === null) parts.push('Set the customer’s demand in the flow settings to compare against it.');
  if (parts.length === 0) parts.push('Intake, throughput and demand are in balance.');
  return { intakePerWeek, throughputPerWeek: finishedPerWeek, demandPerWeek: d, pilingUp, overproduction, belowDemand, reading: parts.join(' ') };
}

export interface DefectCell {
  detectedAtColumnId: string;
  returnedToColumnId: string;
  count: number;
}

export interface ReworkRate {
  columnId: string;
  returns: number;
  departures: number;
  /** returns / departures; null when nothing departed. */
  rate: number | null;
  /** The same per week of the range, for the trend. */
  weekly: { week: string; returns: number; departures: number; rate: number | null }[];
}

export function defectMatrix(data: Pick<FlowData, 'defects'>): DefectCell[] {
  const cells = new Map<string, DefectCell>();
  for (const d of data.defects) {
    const key = `${d.detectedAtColumnId}|${d.returnedToColumnId}`;
    const cell = cells.get(key) ?? { detectedAtColumnId: d.detectedAtColumnId, returnedToColumnId: d.returnedToColumnId, count: 0 };
    cell.count++;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

const rate = (r: number, d: number) => (d > 0 ? r / d : null);

/** Rework rate per work center: backward moves returned to it divided by departures from it. */
export function reworkRates(data: FlowData): ReworkRate[] {
  const returned = weeklySums(data, K.returned);
  const exited = weeklySums(data, K.exited);
  return data.columns.flatMap((c, i) => {
    if (!c.live) return [];
    const weekly = [...returned].map(([week, row]) => {
      const r = n0(row[i]);
      const d = n0(exited.get(week)?.[i]);
      return { week, returns: r, departures: d, rate: rate(r, d) };
    });
    const returns = weekly.reduce((s, w) => s + w.returns, 0);
    const departures = weekly.reduce((s, w) => s + w.departures, 0);
    return [{ columnId: c.id, returns, departures, rate: rate(returns, departures), weekly }];
  });
}

export interface Bottleneck {
  columnId: string;
  name: string;
  /** Least-squares slope of the work center's card count, in cards per day. */
  growthPerDay: number;
}

/**
 * The work center, between the commitment point and the last one, whose queue (cards in it) grows
 * fastest over the range: the largest positive least-squares slope. Null when no queue grew.
 */
export function bottleneck(data: FlowData): Bottleneck | null {
  const series = inColumnSeries(data);
  const ends = data.boundaries.slice(1).map((t) => toDays(t - (data.boundaries[0] ?? 0)));
  if (ends.length < 2) return null;
  const { commit, done } = flowPositions(data);
  const meanX = ends.reduce((s, x) => s + x, 0) / ends.length;
  const sxx = ends.reduce((s, x) => s + (x - meanX) ** 2, 0);
  let best: Bottleneck | null = null;
  for (let c = commit; c < done; c++) {
    const column = data.columns[c] as FlowColumn;
    if (!column.live) continue;
    const ys = series.map((row) => n0(row[c]));
    const meanY = ys.reduce((s, y) => s + y, 0) / ys.length;
    const sxy = ends.reduce((s, x, i) => s + (x - meanX) * (n0(ys[i]) - meanY), 0);
    const slope = sxx > 0 ? sxy / sxx : 0;
    if (slope > 1e-9 && (!best || slope > best.growthPerDay)) best = { columnId: column.id, name: column.name, growthPerDay: slope };
  }
  return best;
}

export interface FlowMetrics {
  range: FlowData['range'];
  commitmentColumnId: string;
  doneColumnId: string;
  finished: FinishedCardTimes[];
  cycleTimePercentiles: Percentiles;
  leadTimePercentiles: Percentiles;
  throughputPerDay: CountPoint[];
  throughputPerWeek: WeekPoint[];
  wipPerInterval: WipPoint[];
  littlesLaw: LittlesLaw;
  aging: AgingCard[];
  arrivalsAndDepartures: WorkCenterWeek[];
  demand: Demand;
  defects: { matrix: DefectCell[]; reworkRates: ReworkRate[] };
  bottleneck: Bottleneck | null;
}

export function computeMetrics(data: FlowData): FlowMetrics {
  const finished = finishedCardTimes(data);
  return {
    range: data.range,
    commitmentColumnId: data.commitmentColumnId,
    doneColumnId: data.doneColumnId,
    finished,
    cycleTimePercentiles: percentilesOf(cycleTimes(data)),
    leadTimePercentiles: percentilesOf(finished.map((f) => f.leadTimeDays)),
    throughputPerDay: throughputPerDay(data),
    throughputPerWeek: throughputPerWeek(data),
    wipPerInterval: wipSeries(data),
    littlesLaw: littlesLaw(data),
    aging: agingWip(data),
    arrivalsAndDepartures: arrivalsAndDepartures(data),
    demand: demand(data),
    defects: { matrix: defectMatrix(data), reworkRates: reworkRates(data) },
    bottleneck: bottleneck(data),
  };
}

/** A card's stay in the system (here: WIP), for Little's law on a sample path. */
export interface Sojourn {
  arrival: number;
  /** Null while it is still in the system. */
  departure: number | null;
}

/**
 * The sample-path quantities of Little's law over a finite window [start, end): λ = A / T with A the
 * items present at some time in the window, W = the mean time they spent in the system inside the
 * window. Then L (the time-average of the count in the system) = λ × W exactly; the property tests
 * check it against L taken from the aggregate's WIP series.
 */
export function samplePathLittle(sojourns: readonly Sojourn[], start: number, end: number): { arrivals: number; lambda: number; w: number } {
  const span = end - start;
  let arrivals = 0;
  let inside = 0;
  for (const s of sojourns) {
    const a = Math.max(s.arrival, start);
    const d = Math.min(s.departure ?? Infinity, end);
    if (d <= a) continue;
    arrivals++;
    inside += d - a;
  }
  return { arrivals, lambda: span > 0 ? arrivals / span : 0, w: arrivals ? inside / arrivals : 0 };
}
