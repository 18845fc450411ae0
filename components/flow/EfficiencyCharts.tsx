'use client';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowEfficiency } from '../../lib/shared/flow/vsm';
import {
  efficiencyHistogramRows,
  efficiencyHistogramTable,
  efficiencySummary,
  efficiencyTrendSummary,
  efficiencyTrendTable,
  type TrendRow,
} from '../../lib/client/vsmTables';
import { ChartFigure } from './ChartData';
import { formatIsoDate, formatPercent } from './format';
import { Panel } from './Panel';

const axis = { fontSize: 12, fill: 'var(--color-slate-600)' };
const asPercent = (v: number) => `${Math.round(v * 100)}%`;

/** Flow efficiency of the range's finished cards: the distribution and its weekly trend. */
export function EfficiencyPanel({ efficiency }: { efficiency: FlowEfficiency }) {
  const histogram = efficiencyHistogramRows(efficiency);
  const trend: TrendRow[] = efficiency.weekly.map((w) => ({ label: `${formatIsoDate(w.week)}${w.days < 7 ? ` (${w.days}d)` : ''}`, median: w.median, board: w.board, cards: w.cards }));
  return (
    <Panel title="Flow efficiency" help="flowEfficiency" exportName="flow-efficiency" testId="efficiency-panel">
      <p className="text-sm text-slate-700" data-testid="efficiency-headline">
        {efficiency.cards.length ? (
          <>
            Median <strong className="tabular-nums text-slate-900">{formatPercent(efficiency.median)}</strong> · board{' '}
            <strong className="tabular-nums text-slate-900">{formatPercent(efficiency.board)}</strong> · {efficiency.cards.length} finished card
            {efficiency.cards.length === 1 ? '' : 's'}
          </>
        ) : (
          'No card with a cycle time finished in this range: pick a longer range.'
        )}
      </p>
      {efficiency.cards.length ? (
        <div className="mt-2 grid gap-4 lg:grid-cols-2">
          <ChartFigure name="Finished cards by flow efficiency" summary={efficiencySummary(efficiency)} table={efficiencyHistogramTable(histogram)} testId="efficiency-histogram">
            <div style={{ height: 200 }}>
              <BarChart data={histogram} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
                <XAxis dataKey="label" tick={axis} interval={0} angle={-30} textAnchor="end" height={48} />
                <YAxis allowDecimals={false} tick={axis} width={36} />
                <Tooltip cursor={{ fill: 'var(--color-slate-100)' }} formatter={(v) => [v, 'cards']} />
                <Bar dataKey="cards" fill="var(--color-emerald-600)" isAnimationActive={false} />
              </BarChart>
            </div>
          </ChartFigure>
          <ChartFigure name="Flow efficiency per week" summary={efficiencyTrendSummary(trend)} table={efficiencyTrendTable(trend)} testId="efficiency-trend">
            <div style={{ height: 200 }}>
              <LineChart data={trend} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
                <XAxis dataKey="label" tick={axis} minTickGap={16} />
                <YAxis domain={[0, 1]} tickFormatter={asPercent} tick={axis} width={44} />
                <Tooltip formatter={(v, name) => [typeof v === 'number' ? asPercent(v) : '–', name]} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line dataKey="median" name="Median" stroke="var(--color-sky-700)" strokeWidth={2} dot connectNulls isAnimationActive={false} />
                <Line dataKey="board" name="Board" stroke="var(--color-emerald-600)" strokeWidth={2} strokeDasharray="5 3" dot connectNulls isAnimationActive={false} />
              </LineChart>
            </div>
          </ChartFigure>
        </div>
      ) : null}
    </Panel>
  );
}
