'use client';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowData } from '../../lib/shared/flow/data';
import type { FlowMetrics } from '../../lib/shared/flow/metrics';
import { formatDay, formatHour, formatIsoDate, formatNumber } from './format';
import { Panel, Toggle } from './Panel';
import { ChartFigure } from './ChartData';
import { runTable, throughputSummary, wipSummary } from '../../lib/client/chartTables';

const axis = { fontSize: 12, fill: 'var(--color-slate-600)' };

export function ThroughputChart({ metrics }: { metrics: FlowMetrics }) {
  const [per, setPer] = useState<'day' | 'week'>('day');
  const rows =
    per === 'day'
      ? metrics.throughputPerDay.map((d) => ({ label: formatIsoDate(d.date), count: d.count }))
      : metrics.throughputPerWeek.map((w) => ({ label: `${formatIsoDate(w.date)}${w.days < 7 ? ` (${w.days}d)` : ''}`, count: w.count }));
  const runRows = rows.map((r) => ({ label: r.label, value: r.count }));
  const total = metrics.throughputPerDay.reduce((s, d) => s + d.count, 0);
  const mean = rows.length ? total / rows.length : 0;
  return (
    <Panel
      title="Throughput"
      help="throughput"
      exportName={`throughput-per-${per}`}
      testId="throughput-panel"
      actions={
        <Toggle<'day' | 'week'>
          label="Per"
          value={per}
          onChange={setPer}
          options={[
            { value: 'day', label: 'Per day' },
            { value: 'week', label: 'Per week' },
          ]}
        />
      }
    >
      <p className="text-xs text-slate-600">
        {total} finished · mean <strong className="tabular-nums text-slate-800">{formatNumber(mean)}</strong> per {per}
      </p>
      <ChartFigure
        name={`Cards finished per ${per}`}
        summary={throughputSummary(runRows, per)}
        table={runTable(runRows, `Cards finished per ${per}`, [per === 'day' ? 'Day' : 'Week of', 'Finished'])}
      >
      <div style={{ height: 200 }}>
        <BarChart data={rows} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="label" tick={axis} minTickGap={16} />
          <YAxis allowDecimals={false} tick={axis} width={36} />
          <Tooltip cursor={{ fill: 'var(--color-slate-100)' }} formatter={(v) => [v, 'finished']} />
          <Bar dataKey="count" fill="var(--color-emerald-500)" isAnimationActive={false} />
        </BarChart>
      </div>
      </ChartFigure>
    </Panel>
  );
}

export function WipChart({ data, metrics }: { data: FlowData; metrics: FlowMetrics }) {
  const tz = data.range.tz;
  const rows = metrics.wipPerInterval.map((p, i) => ({
    label: (data.range.interval === 'hour' ? formatHour : formatDay)(data.boundaries[i] ?? 0, tz),
    wip: p.wip,
  }));
  const runRows = rows.map((r) => ({ label: r.label, value: r.wip }));
  return (
    <Panel title={`WIP per ${data.range.interval}`} help="wip" exportName="wip" testId="wip-panel">
      <p className="text-xs text-slate-600">
        Now <strong className="tabular-nums text-slate-800">{rows.at(-1)?.wip ?? 0}</strong> · average{' '}
        <strong className="tabular-nums text-slate-800">{formatNumber(metrics.littlesLaw.averageWip)}</strong>
      </p>
      <ChartFigure
        name={`Work in progress per ${data.range.interval}`}
        summary={wipSummary(runRows, metrics.littlesLaw.averageWip)}
        table={runTable(runRows, `Cards in progress at the end of each ${data.range.interval}`, ['Interval end', 'In progress'])}
      >
      <div style={{ height: 200 }}>
        <LineChart data={rows} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="label" tick={axis} minTickGap={24} />
          <YAxis allowDecimals={false} tick={axis} width={36} />
          <Tooltip formatter={(v) => [v, 'WIP']} />
          <Line type="stepAfter" dataKey="wip" stroke="var(--color-indigo-500)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </div>
      </ChartFigure>
    </Panel>
  );
}
