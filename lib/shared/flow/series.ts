/**
 * The cumulative flow diagram from FlowData: a pure function shared by the API, the flow page and
 * the tests.
 *
 * Line k at an interval end = cards that had reached work center k or any later one by then. A card
 * counts at the furthest work center it has reached, so a backward move pulls no line down and no
 * line ever goes down. The top line is cumulative arrivals, the bottom one cumulative departures.
 */
import { K } from './replay';
import type { FlowColumn, FlowData } from './data';

export interface CfdColumn {
  id: string;
  name: string;
  removed: boolean;
}

export interface CfdPoint {
  /** The interval's end, ISO 8601 (UTC). */
  at: string;
  cumulative: Record<string, number>;
  inColumn: Record<string, number>;
}

export interface DefectMarker {
  /** The interval's end, ISO 8601. */
  at: string;
  columnId: string;
  /** Backward moves that returned cards to this work center in the interval. */
  count: number;
}

export interface Cfd {
  columns: CfdColumn[];
  points: CfdPoint[];
  defectReturns: DefectMarker[];
}

const n0 = (v: number | undefined) => v ?? 0;

/**
 * Work centers shown for the range: those that existed during part of it. A hidden one (removed
 * before, or added after) is folded into the band of the visible work center before it, or the first
 * one when none is before it, so the top line always counts every card.
 */
export function visibleColumns(data: Pick<FlowData, 'columns' | 'boundaries' | 'doneColumnId'>): { column: FlowColumn; index: number }[] {
  const start = data.boundaries[0] ?? 0;
  const end = data.boundaries.at(-1) ?? 0;
  // Removed work centers past the last live one fold into it, so the bottom line stays departures.
  const done = data.columns.findIndex((c) => c.id === data.doneColumnId);
  return data.columns
    .map((column, index) => ({ column, index }))
    .filter(({ column, index }) => (done < 0 || index <= done) && column.createdAt < end && (column.removedAt === null || column.removedAt >= start));
}

/** Cumulative totals of one counter kind at each interval end: [interval][column]. */
export function cumulativeOf(data: Pick<FlowData, 'start' | 'counts'>, kind: number): number[][] {
  const running = data.start.map((row) => n0(row[kind]));
  return data.counts.map((interval) => {
    interval.forEach((row, c) => (running[c] = n0(running[c]) + n0(row[kind])));
    return [...running];
  });
}

/** Cards in each work center at each interval end: [interval][column]. */
export function inColumnSeries(data: Pick<FlowData, 'start' | 'counts'>): number[][] {
  const entered = cumulativeOf(data, K.entered);
  const exited = cumulativeOf(data, K.exited);
  const deleted = cumulativeOf(data, K.deleted);
  return entered.map((row, i) => row.map((v, c) => v - n0(exited[i]?.[c]) - n0(deleted[i]?.[c])));
}

/** The CFD lines at each interval end for the visible work centers: [interval][visible index]. */
export function cfdLines(data: FlowData): { columns: CfdColumn[]; lines: number[][] } {
  const visible = visibleColumns(data);
  const reached = cumulativeOf(data, K.reached);
  const columns = visible.map(({ column }) => ({ id: column.id, name: column.name, removed: !column.live }));
  const lines = reached.map((row) => visible.map(({ index }, v) => (v === 0 ? n0(row[0]) : n0(row[index]))));
  return { columns, lines };
}

export function buildCfd(data: FlowData): Cfd {
  const visible = visibleColumns(data);
  const { columns, lines } = cfdLines(data);
  const inColumn = inColumnSeries(data);
  const points: CfdPoint[] = lines.map((line, i) => {
    const cumulative: Record<string, number> = {};
    const inCol: Record<string, number> = {};
    visible.forEach(({ column, index }, v) => {
      cumulative[column.id] = n0(line[v]);
      inCol[column.id] = n0(inColumn[i]?.[index]);
    });
    return { at: new Date(data.boundaries[i + 1] ?? 0).toISOString(), cumulative, inColumn: inCol };
  });
  const defectReturns: DefectMarker[] = [];
  data.counts.forEach((interval, i) => {
    visible.forEach(({ column, index }) => {
      const count = n0(interval[index]?.[K.returned]);
      if (count > 0) defectReturns.push({ at: new Date(data.boundaries[i + 1] ?? 0).toISOString(), columnId: column.id, count });
    });
  });
  return { columns, points, defectReturns };
}
