/**
 * The flow charts as text: for each chart, the rows it draws (the same arrays the chart is given),
 * a table of them for the "Show data" toggle, and one sentence saying what it shows now. Pure
 * functions, so a test can hold a table against the chart's own data.
 */
import type { Cfd } from '../shared/flow/series';
import type { AgingLevel } from '../shared/flow/metrics';

export interface ChartTable {
  caption: string;
  /** Column headings; the first column heads each row. */
  head: string[];
  rows: (string | number)[][];
}

export type CfdView = 'cumulative' | 'inColumn';

/** One interval of the CFD as the chart draws it (keys `band:`, `line:` and `in:` + work center id). */
export interface CfdRow {
  label: string;
  [key: string]: number | string;
}

/**
 * The CFD's rows: per work center its band's height (what is stacked), its line (cards that reached
 * it or a later one) and the cards in it. The bottom band starts at the range (`baseline`: cards
 * finished before it would only flatten the chart).
 */
export function cfdRows(cfd: Cfd, labels: readonly string[], baseline: number, view: CfdView): CfdRow[] {
  const cols = cfd.columns;
  return cfd.points.map((p, i) => {
    const row: CfdRow = { label: labels[i] ?? '' };
    cols.forEach((c, k) => {
      const line = p.cumulative[c.id] ?? 0;
      const nextId = cols[k + 1]?.id;
      const next = nextId === undefined ? baseline : (p.cumulative[nextId] ?? 0);
      row[`band:${c.id}`] = view === 'cumulative' ? line - next : (p.inColumn[c.id] ?? 0);
      row[`line:${c.id}`] = line;
      row[`in:${c.id}`] = p.inColumn[c.id] ?? 0;
    });
    return row;
  });
}

/** The CFD's table: per interval end, each work center's line (cumulative view) or its cards (in-column view). */
export function cfdTable(cfd: Cfd, rows: readonly CfdRow[], view: CfdView): ChartTable {
  const key = view === 'cumulative' ? 'line' : 'in';
  return {
    caption:
      view === 'cumulative'
        ? 'Cards that had reached each work center (or a later one) at the end of each interval'
        : 'Cards in each work center at the end of each interval',
    head: ['Interval end', ...cfd.columns.map((c) => (c.removed ? `${c.name} (removed)` : c.name))],
    rows: rows.map((r) => [r.label, ...cfd.columns.map((c) => Number(r[`${key}:${c.id}`] ?? 0))]),
  };
}

const list = (parts: readonly string[]) => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

export function cfdSummary(cfd: Cfd, rows: readonly CfdRow[]): string {
  const last = rows.at(-1);
  const first = rows[0];
  if (!last || !first) return 'No interval in the range.';
  const inEach = cfd.columns.map((c) => `${Number(last[`in:${c.id}`] ?? 0)} in ${c.name}`);
  const done = cfd.columns.at(-1);
  const reachedDone = done ? Number(last[`line:${done.id}`] ?? 0) - Number(first[`line:${done.id}`] ?? 0) : 0;
  return `At ${last.label}: ${list(inEach)}; ${reachedDone} ${reachedDone === 1 ? 'card' : 'cards'} reached ${done?.name ?? 'the end'} since ${first.label}.`;
}

/** A point of the cycle-time scatter: x the finish (ms), y the days. */
export interface TimePoint {
  x: number;
  y: number;
  title: string;
}

export function cycleTimeTable(points: readonly TimePoint[], measure: 'cycle' | 'lead', date: (ms: number) => string): ChartTable {
  return {
    caption: `${measure === 'cycle' ? 'Cycle' : 'Lead'} time of each card finished in the range, in days`,
    head: ['Card', 'Finished', 'Days'],
    rows: points.map((p) => [p.title, date(p.x), round1(p.y)]),
  };
}

export function cycleTimeSummary(points: readonly TimePoint[], measure: 'cycle' | 'lead', p: { p50: number | null; p85: number | null }, days: (d: number | null) => string): string {
  if (points.length === 0) return 'No card finished in the range.';
  const what = measure === 'cycle' ? 'cycle time' : 'lead time';
  return `${points.length} ${points.length === 1 ? 'card' : 'cards'} finished; half had a ${what} of ${days(p.p50)} or less, 85% of ${days(p.p85)} or less.`;
}

export interface AgingRow {
  title: string;
  column: string;
  ageDays: number;
  level: AgingLevel;
}

const LEVEL_TEXT: Record<Exclude<AgingLevel, null>, string> = { p50: 'older than the 50th percentile', p85: 'older than the 85th percentile', p95: 'older than the 95th percentile' };

export function agingTable(rows: readonly AgingRow[]): ChartTable {
  return {
    caption: 'Cards in progress, oldest first: age since commitment, in days',
    head: ['Card', 'Work center', 'Age (days)', 'Against cycle times'],
    rows: rows.map((r) => [r.title, r.column, round1(r.ageDays), r.level ? LEVEL_TEXT[r.level] : 'within the 50th percentile']),
  };
}

export function agingSummary(rows: readonly AgingRow[], days: (d: number) => string): string {
  if (rows.length === 0) return 'No card in progress.';
  const stuck = rows.filter((r) => r.level === 'p85' || r.level === 'p95').length;
  const oldest = rows.reduce((a, b) => (b.ageDays > a.ageDays ? b : a));
  return `${rows.length} ${rows.length === 1 ? 'card' : 'cards'} in progress, ${stuck} older than the 85th percentile; the oldest, ${oldest.title}, is ${days(oldest.ageDays)} old in ${oldest.column}.`;
}

/** One bar or step of a run chart. */
export interface RunRow {
  label: string;
  value: number;
}

export function runTable(rows: readonly RunRow[], caption: string, heads: [string, string]): ChartTable {
  return { caption, head: heads, rows: rows.map((r) => [r.label, r.value]) };
}

export function throughputSummary(rows: readonly RunRow[], per: 'day' | 'week'): string {
  if (rows.length === 0) return 'No interval in the range.';
  const total = rows.reduce((s, r) => s + r.value, 0);
  const most = rows.reduce((a, b) => (b.value > a.value ? b : a));
  return `${total} ${total === 1 ? 'card' : 'cards'} finished, ${round1(total / rows.length)} per ${per} on average; the most, ${most.value}, in the ${per} of ${most.label}.`;
}

export function wipSummary(rows: readonly RunRow[], average: number | null): string {
  const last = rows.at(-1);
  if (!last) return 'No interval in the range.';
  const most = rows.reduce((a, b) => (b.value > a.value ? b : a));
  return `${last.value} ${last.value === 1 ? 'card' : 'cards'} in progress at ${last.label}, ${average === null ? 'no' : round1(average)} on average, at most ${most.value} (${most.label}).`;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
