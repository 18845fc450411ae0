'use client';
import { useState } from 'react';
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowData } from '../../lib/shared/flow/data';
import type { FlowMetrics, Percentiles } from '../../lib/shared/flow/metrics';
import { formatDateLong, formatDay, formatDays, PERCENTILE_COLORS, PERCENTILE_TEXT_COLORS } from './format';
import { Panel, Toggle } from './Panel';
import { ChartFigure } from './ChartData';
import { cycleTimeSummary, cycleTimeTable } from '../../lib/client/chartTables';

type Measure = 'cycle' | 'lead';

export function PercentileLegend({ p }: { p: Percentiles }) {
  return (
    <p className="flex flex-wrap gap-x-4 text-xs text-slate-600">
      {(['p50', 'p85', 'p95'] as const).map((k) => (
        <span key={k}>
          <span className="mr-1 inline-block h-0.5 w-3 align-middle" style={{ background: PERCENTILE_COLORS[k] }} />
          {k.slice(1)}th: <strong className="tabular-nums text-slate-800">{formatDays(p[k])}</strong>
        </span>
      ))}
    </p>
  );
}

function CycleTooltip({ active, payload, tz }: { active?: boolean; payload?: readonly { payload?: unknown }[]; tz: string }) {
  const d = active ? (payload?.[0]?.payload as { x: number; y: number; title: string } | undefined) : undefined;
  if (!d) return null;
  return (
    <div className="max-w-64 rounded-lg bg-white/95 px-3 py-2 text-xs shadow-lg ring-1 ring-slate-200">
      <p className="font-semibold text-slate-800">{d.title}</p>
      <p className="text-slate-600">
        Finished {formatDateLong(d.x, tz)} · {formatDays(d.y)}
      </p>
    </div>
  );
}

export function CycleTimeChart({ data, metrics }: { data: FlowData; metrics: FlowMetrics }) {
  const [measure, setMeasure] = useState<Measure>('cycle');
  const tz = data.range.tz;
  const points = metrics.finished
    .map((f) => ({ x: Date.parse(f.doneAt), y: measure === 'cycle' ? f.cycleTimeDays : f.leadTimeDays, title: f.title }))
    .filter((p): p is { x: number; y: number; title: string } => p.y !== null);
  const p = measure === 'cycle' ? metrics.cycleTimePercentiles : metrics.leadTimePercentiles;
  const domain: [number, number] = [data.boundaries[0] ?? 0, data.boundaries.at(-1) ?? 0];
  return (
    <Panel
      title={measure === 'cycle' ? 'Cycle time' : 'Lead time'}
      help="cycleTime"
      exportName={`${measure}-time`}
      testId="cycle-time-panel"
      actions={
        <Toggle<Measure>
          label="Measure"
          value={measure}
          onChange={setMeasure}
          options={[
            { value: 'cycle', label: 'Cycle' },
            { value: 'lead', label: 'Lead' },
          ]}
        />
      }
    >
      <PercentileLegend p={p} />
      <ChartFigure
        name={`${measure === 'cycle' ? 'Cycle' : 'Lead'} time of finished cards, by finish date`}
        summary={cycleTimeSummary(points, measure, p, formatDays)}
        table={cycleTimeTable(points, measure, (ms) => formatDateLong(ms, tz))}
      >
      <div style={{ height: 330 }}>
        <ScatterChart accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 10, right: 40, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
          <XAxis type="number" dataKey="x" domain={domain} scale="time" tickFormatter={(v: number) => formatDay(v, tz)} tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }} minTickGap={24} />
          <YAxis type="number" dataKey="y" tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }} width={44} unit=" d" allowDecimals={false} />
          <Tooltip cursor={{ strokeDasharray: '3 3' }} content={<CycleTooltip tz={tz} />} />
          {(['p50', 'p85', 'p95'] as const).map((k) =>
            p[k] === null ? null : (
              <ReferenceLine key={k} y={p[k] ?? 0} stroke={PERCENTILE_COLORS[k]} strokeDasharray="6 3" label={{ value: k.slice(1) + '%', position: 'right', fontSize: 11, fill: PERCENTILE_TEXT_COLORS[k] }} />
            ),
          )}
          <Scatter data={points} fill="var(--color-slate-700)" fillOpacity={points.length > 2000 ? 0.25 : 0.6} isAnimationActive={false} shape="circle" />
        </ScatterChart>
      </div>
      </ChartFigure>
    </Panel>
  );
}
