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
  if (expectedWip === null) reading = 'No card finished in this range, so Little’s law has nothing to compare yet.';
  // Finished, but with no time in progress (moved from commitment to done at once, or imported with
  // one time for both): throughput × 0 is 0, and a comparison with it would mean nothing.
  else if (deviation === null)
    reading = `${ct.length === 1 ? 'The card that finished' : `The ${ct.length} cards that finished`} in this range spent no time in progress (committed and done at the same moment), so Little’s law has no cycle time to compare with.`;
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

/**
 * Plain words for a rework rate over 100%: more returns than departures is possible, since a card can
 * be sent back to a work center it left before the range, or several times for one departure counted.
 */
export function reworkNote(r: Pick<ReworkRate, 'returns' | 'departures' | 'rate'>, name: string): string | null {
  if (r.rate === null || r.rate <= 1) return null;
  return `Over 100%: ${name} got ${r.returns} cards back but passed only ${r.departures} on in this range. Cards that left it before the range can come back during it, and one card can come back more than once.`;
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
  /** The same over the whole range: about how many cards its queue gained. */
  growthCards: number;
}

/**
 * When the flow page may name a bottleneck. A queue's trend is a least-squares slope, which a few
 * moves can tilt: these keep a handful of moves on a short range from naming one.
 */
export const BOTTLENECK_RULE = {
  /** A shorter range is a week's ups and downs, not a trend. */
  minDays: 7,
  /** Fewer arrivals than this into the work centers after the commitment point: too few cards moved to tell. */
  minArrivals: 10,
  /** A queue that gained fewer cards than this over the range is a card or two in passing. */
  minGrowthCards: 2,
} as const;

export type BottleneckVerdict = 'named' | 'short-range' | 'few-arrivals' | 'no-growth' | 'too-close';

/** What the flow page says a bottleneck (or its absence) is based on. */
export interface BottleneckEvidence {
  verdict: BottleneckVerdict;
  /** Days in the range. */
  days: number;
  /** Cards that entered the work centers between the commitment point and the last one, over the range. */
  arrivals: number;
  /** The queue that grew fastest, named or not; null when none grew. */
  leader: Bottleneck | null;
  /** The one after it, whose lead one move must not be able to close. */
  runnerUp: Bottleneck | null;
}

/** One queue's count at each interval end, for the rule below. */
export interface QueueSeries {
  columnId: string;
  name: string;
  counts: readonly number[];
}

/**
 * The rule, over plain series (`ends`: each interval end in days from the range start):
 * - enough evidence: at least `minDays` days and `minArrivals` arrivals;
 * - the fastest-growing queue gained at least `minGrowthCards` over the range;
 * - its lead over the next one is more than two moves' worth of slope. One move from one work center
 *   to another raises one count and lowers the other from its time on, which tilts each slope by at
 *   most `oneMoveSlope(ends)`: so no single move can hand the name to another work center.
 */
export function judgeBottleneck(ends: readonly number[], queues: readonly QueueSeries[], arrivals: number, days: number): BottleneckEvidence {
  const slopes = queues
    .map((q) => {
      const growthPerDay = slopeOf(ends, q.counts);
      return { columnId: q.columnId, name: q.name, growthPerDay, growthCards: growthPerDay * days };
    })
    .filter((b) => b.growthPerDay > 1e-9)
    .toSorted((a, b) => b.growthPerDay - a.growthPerDay);
  const leader = slopes[0] ?? null;
  const runnerUp = slopes[1] ?? null;
  const base = { days, arrivals, leader, runnerUp };
  if (days < BOTTLENECK_RULE.minDays || ends.length < 2) return { ...base, verdict: 'short-range' };
  if (arrivals < BOTTLENECK_RULE.minArrivals) return { ...base, verdict: 'few-arrivals' };
  if (!leader || leader.growthCards < BOTTLENECK_RULE.minGrowthCards) return { ...base, verdict: 'no-growth' };
  if (runnerUp && leader.growthPerDay - runnerUp.growthPerDay <= 2 * oneMoveSlope(ends)) return { ...base, verdict: 'too-close' };
  return { ...base, verdict: 'named' };
}

function slopeOf(xs: readonly number[], ys: readonly number[]): number {
  const meanX = xs.reduce((s, x) => s + x, 0) / xs.length;
  const meanY = ys.reduce((s, y) => s + y, 0) / (ys.length || 1);
  const sxx = xs.reduce((s, x) => s + (x - meanX) ** 2, 0);
  const sxy = xs.reduce((s, x, i) => s + (x - meanX) * (n0(ys[i]) - meanY), 0);
  return sxx > 0 ? sxy / sxx : 0;
}

/** The most one card entering (or leaving) a queue at some interval can change its slope. */
export function oneMoveSlope(ends: readonly number[]): number {
  const meanX = ends.reduce((s, x) => s + x, 0) / ends.length;
  const sxx = ends.reduce((s, x) => s + (x - meanX) ** 2, 0);
  if (sxx <= 0) return 0;
  // A step of one from interval k on adds Σ_{i≥k}(x_i − x̄) / sxx to the slope; the largest such tail.
  let tail = 0;
  let most = 0;
  for (let i = ends.length - 1; i >= 0; i--) {
    tail += n0(ends[i]) - meanX;
    most = Math.max(most, Math.abs(tail));
  }
  return most / sxx;
}

/** The evidence for a bottleneck among the work centers between the commitment point and the last one. */
export function bottleneckEvidence(data: FlowData): BottleneckEvidence {
  const series = inColumnSeries(data);
  const ends = data.boundaries.slice(1).map((t) => toDays(t - (data.boundaries[0] ?? 0)));
  const days = toDays((data.boundaries.at(-1) ?? 0) - (data.boundaries[0] ?? 0));
  const { commit, done } = flowPositions(data);
  const queues: QueueSeries[] = [];
  let arrivals = 0;
  for (let c = commit; c < done; c++) {
    const column = data.columns[c] as FlowColumn;
    if (!column.live) continue;
    queues.push({ columnId: column.id, name: column.name, counts: series.map((row) => n0(row[c])) });
    arrivals += data.counts.reduce((s, interval) => s + n0(interval[c]?.[K.entered]), 0);
  }
  return judgeBottleneck(ends, queues, arrivals, days);
}

/** The bottleneck when the evidence names one (see BOTTLENECK_RULE and docs/metrics.md), else null. */
export function bottleneck(data: FlowData): Bottleneck | null {
  const evidence = bottleneckEvidence(data);
  return evidence.verdict === 'named' ? evidence.leader : null;
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
  bottleneckEvidence: BottleneckEvidence;
}

export function computeMetrics(data: FlowData): FlowMetrics {
  const finished = finishedCardTimes(data);
  const evidence = bottleneckEvidence(data);
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
    bottleneck: evidence.verdict === 'named' ? evidence.leader : null,
    bottleneckEvidence: evidence,
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
