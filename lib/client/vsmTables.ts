/**
 * The value stream page as text: the map's numbers as a table, the flow efficiency charts' rows and
 * tables, and a sentence for each. Pure, like chartTables.ts, so a test holds them to the answer.
 */
import type { FlowEfficiency, ValueStreamMap } from '../shared/flow/vsm';
import type { ChartTable } from './chartTables';

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const days = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const perWeek = (v: number) => v.toFixed(1);

export function vsmTable(map: ValueStreamMap): ChartTable {
  return {
    caption: 'Each work center in progress over the range: time there (days), its split, %C/A, arrivals and departures a week',
    head: ['Work center', 'Left', 'Median days', '85th percentile days', 'Median active days', 'Active', 'Waiting', 'Blocked', 'Left forward', 'Sent back', '%C/A', 'Arrivals a week', 'Departures a week'],
    rows: map.workCenters.map((w) => [
      w.name,
      w.departed,
      days(w.medianDays),
      days(w.p85Days),
      days(w.medianActiveDays),
      pct(w.activeShare),
      pct(w.waitingShare),
      pct(w.blockedShare),
      w.forwardDepartures,
      w.sentBack,
      pct(w.completeAccurate),
      perWeek(w.arrivalsPerWeek),
      perWeek(w.departuresPerWeek),
    ]),
  };
}

export function vsmSummary(map: ValueStreamMap): string {
  const s = map.summary;
  if (map.workCenters.every((w) => w.departed === 0)) return 'Nothing left a work center in progress in this range.';
  return `Lead time ${days(s.leadTimeDays)} days, of which ${days(s.activeDays)} active (activity ratio ${pct(s.activityRatio)}); rolled %C/A ${pct(s.rolledCompleteAccurate)}.`;
}

export interface HistogramRow {
  label: string;
  cards: number;
}

export function efficiencyHistogramRows(e: FlowEfficiency): HistogramRow[] {
  return e.histogram.map((b) => ({ label: `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`, cards: b.count }));
}

export function efficiencyHistogramTable(rows: readonly HistogramRow[]): ChartTable {
  return { caption: 'Finished cards by flow efficiency (active time ÷ cycle time)', head: ['Flow efficiency', 'Cards'], rows: rows.map((r) => [r.label, r.cards]) };
}

export function efficiencySummary(e: FlowEfficiency): string {
  if (e.cards.length === 0) return 'No card with a cycle time finished in this range.';
  return `${e.cards.length} finished card${e.cards.length === 1 ? '' : 's'}: median flow efficiency ${pct(e.median)}, the board’s ${pct(e.board)} (all active time ÷ all cycle time).`;
}

export interface TrendRow {
  label: string;
  median: number | null;
  board: number | null;
  cards: number;
}

export function efficiencyTrendTable(rows: readonly TrendRow[]): ChartTable {
  return {
    caption: 'Flow efficiency per week (by finish date)',
    head: ['Week of', 'Cards', 'Median', 'Board'],
    rows: rows.map((r) => [r.label, r.cards, pct(r.median), pct(r.board)]),
  };
}

export function efficiencyTrendSummary(rows: readonly TrendRow[]): string {
  const weeks = rows.filter((r) => r.median !== null);
  if (weeks.length < 2) return 'Too few weeks with finished cards for a trend.';
  const first = weeks[0] as TrendRow;
  const last = weeks.at(-1) as TrendRow;
  return `Median flow efficiency went from ${pct(first.median)} in the week of ${first.label} to ${pct(last.median)} in the week of ${last.label}.`;
}
