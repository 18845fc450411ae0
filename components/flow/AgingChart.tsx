'use client';
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowData } from '../../lib/shared/flow/data';
import type { AgingLevel, FlowMetrics } from '../../lib/shared/flow/metrics';
import { formatDays, PERCENTILE_COLORS } from './format';
import { agingSummary, agingTable, type AgingRow } from '../../lib/client/chartTables';
import { ChartFigure } from './ChartData';
import { Panel } from './Panel';
import { PercentileLegend } from './CycleTimeChart';

const LEVEL_COLOR: Record<Exclude<AgingLevel, null>, string> = PERCENTILE_COLORS;

interface AgingPoint {
  x: number;
  y: number;
  title: string;
  level: AgingLevel;
}

function AgingTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const d = active ? (payload?.[0]?.payload as AgingPoint | undefined) : undefined;
  if (!d) return null;
  return (
    <div className="max-w-64 rounded-lg bg-white/95 px-3 py-2 text-xs shadow-lg ring-1 ring-slate-200">
      <p className="font-semibold text-slate-800">{d.title}</p>
      <p className="text-slate-600">
        Age {formatDays(d.y)}
        {d.level ? ` · older than the ${d.level.slice(1)}th percentile` : ''}
      </p>
    </div>
  );
}

function AgingDot(props: { cx?: number; cy?: number; payload?: AgingPoint }) {
  const level = props.payload?.level ?? null;
  return <circle cx={props.cx} cy={props.cy} r={5} fill={level ? LEVEL_COLOR[level] : 'var(--color-slate-500)'} stroke="var(--color-white)" strokeWidth={1} />;
}

/** Started, unfinished cards by work center (x) and age (y), against the cycle-time percentiles. */
export function AgingChart({ data, metrics }: { data: FlowData; metrics: FlowMetrics }) {
  const commit = data.columns.findIndex((c) => c.id === data.commitmentColumnId);
  const done = data.columns.findIndex((c) => c.id === data.doneColumnId);
  const columns = data.columns.filter((c, i) => c.live && i < done && (i >= commit || metrics.aging.some((a) => a.columnId === c.id)));
  const index = new Map(columns.map((c, i) => [c.id, i]));
  // Cards in the same place spread a little sideways so they do not hide each other.
  const seen = new Map<number, number>();
  const points: AgingPoint[] = metrics.aging.map((a) => {
    const x = index.get(a.columnId) ?? 0;
    const n = seen.get(x) ?? 0;
    seen.set(x, n + 1);
    return { x: x + (((n * 0.37) % 0.6) - 0.3), y: a.ageDays, title: a.title, level: a.level };
  });
  const p = metrics.cycleTimePercentiles;
  const names = new Map(data.columns.map((c) => [c.id, c.name]));
  const rows: AgingRow[] = metrics.aging.map((a) => ({ title: a.title, column: names.get(a.columnId) ?? 'a removed work center', ageDays: a.ageDays, level: a.level }));
  return (
    <Panel title="Aging work in progress" help="aging" exportName="aging-wip" testId="aging-panel">
      <PercentileLegend p={p} />
      <ChartFigure name="Aging work in progress: age of each card in progress, by work center" summary={agingSummary(rows, formatDays)} table={agingTable(rows)}>
      <div style={{ height: 330 }}>
        <ScatterChart accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 10, right: 40, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[-0.5, Math.max(columns.length - 0.5, 0.5)]}
            ticks={columns.map((_, i) => i)}
            tickFormatter={(v: number) => columns[v]?.name ?? ''}
            tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }}
            interval={0}
          />
          <YAxis type="number" dataKey="y" tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }} width={44} unit=" d" allowDecimals={false} />
          <Tooltip content={<AgingTooltip />} />
          {(['p50', 'p85', 'p95'] as const).map((k) =>
            p[k] === null ? null : <ReferenceLine key={k} y={p[k] ?? 0} stroke={PERCENTILE_COLORS[k]} strokeDasharray="6 3" ifOverflow="extendDomain" />,
          )}
          <Scatter data={points} isAnimationActive={false} shape={AgingDot} />
        </ScatterChart>
      </div>
      </ChartFigure>
    </Panel>
  );
}
