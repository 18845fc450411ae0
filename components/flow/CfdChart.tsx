'use client';
import { Area, AreaChart, CartesianGrid, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowData } from '../../lib/shared/flow/data';
import { K } from '../../lib/shared/flow/replay';
import type { Cfd } from '../../lib/shared/flow/series';
import { cfdRows, cfdSummary, cfdTable, type CfdRow, type CfdView } from '../../lib/client/chartTables';
import { ChartFigure } from './ChartData';
import { bandColor, formatDay, formatHour } from './format';

export type { CfdView } from '../../lib/client/chartTables';

type Row = CfdRow;

interface TooltipProps {
  active?: boolean;
  payload?: readonly { payload?: unknown }[];
  label?: string | number;
}

function CfdTooltip({ active, payload, label, cols }: TooltipProps & { cols: Cfd['columns'] }) {
  if (!active || !payload?.length) return null;
  const row = payload[0]?.payload as Row | undefined;
  if (!row) return null;
  return (
    <div className="rounded-lg bg-white/95 px-3 py-2 text-xs shadow-lg ring-1 ring-slate-200">
      <p className="mb-1 font-semibold text-slate-800">{String(label)}</p>
      <table>
        <thead>
          <tr className="text-slate-500">
            <th className="pr-3 text-left font-normal">Work center</th>
            <th className="pr-3 text-right font-normal">reached</th>
            <th className="text-right font-normal">in it</th>
          </tr>
        </thead>
        <tbody>
          {cols.map((c, k) => (
            <tr key={c.id}>
              <td className="pr-3">
                <span className="mr-1.5 inline-block size-2.5 rounded-sm align-middle" style={{ background: bandColor(k, cols.length) }} />
                {c.name}
                {c.removed ? ' (removed)' : ''}
              </td>
              <td className="pr-3 text-right tabular-nums">{row[`line:${c.id}`]}</td>
              <td className="text-right tabular-nums">{row[`in:${c.id}`]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The stacked-area CFD. Bands are drawn bottom-up from the last work center, so band k's top edge is
 * line k (cards that reached k or later). Defect returns are red dots on the top edge of the band of
 * the work center they returned to.
 */
export function CfdChart({ data, cfd, view, height = 340 }: { data: FlowData; cfd: Cfd; view: CfdView; height?: number }) {
  const tz = data.range.tz;
  const label = (i: number) => (data.range.interval === 'hour' ? formatHour : formatDay)(data.boundaries[i] ?? 0, tz);
  const cols = cfd.columns;
  const baseline = doneBeforeRange(data, cfd);
  const rows = cfdRows(
    cfd,
    cfd.points.map((_, i) => label(i)),
    baseline,
    view,
  );
  const labelAt = new Map(cfd.points.map((p, i) => [p.at, label(i)]));
  const stackTop = (at: string, columnId: string) => {
    const p = cfd.points.find((x) => x.at === at);
    if (!p) return 0;
    if (view === 'cumulative') return (p.cumulative[columnId] ?? 0) - baseline;
    const k = cols.findIndex((c) => c.id === columnId);
    return cols.slice(k).reduce((s, c) => s + (p.inColumn[c.id] ?? 0), 0);
  };
  const reversed = cols.toReversed();
  const lastRow = rows.at(-1);
  const stackHeight = lastRow ? cols.reduce((s, c) => s + Number(lastRow[`band:${c.id}`] ?? 0), 0) : 0;
  const name = view === 'cumulative' ? 'Cumulative flow diagram' : 'Cards in each work center, stacked';
  return (
    <ChartFigure name={name} summary={cfdSummary(cfd, rows)} table={cfdTable(cfd, rows, view)} testId="cfd-figure">
      <div
        style={{ height }}
        data-testid="cfd-chart"
        data-points={rows.length}
        // The lines' values at the last interval end, in board order: what a test or a screen reader can read.
        data-last={cols.map((c) => cfd.points.at(-1)?.cumulative[c.id] ?? 0).join(',')}
      >
        <AreaChart data={rows} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: 'var(--color-slate-600)' }} width={44} />
          <Tooltip content={<CfdTooltip cols={cols} />} />
          {reversed.map((c) => {
            const k = cols.indexOf(c);
            return (
              <Area
                key={c.id}
                type="linear"
                dataKey={`band:${c.id}`}
                name={c.name}
                stackId="cfd"
                // Each band's top edge is a line in the text colour: bands stay apart whatever colours one sees.
                stroke="var(--color-slate-800)"
                strokeWidth={1}
                fill={bandColor(k, cols.length)}
                fillOpacity={1}
                isAnimationActive={false}
                label={(props: BandLabelProps) => bandLabel(props, rows.length - 1, c.name, Number(lastRow?.[`band:${c.id}`] ?? 0), stackHeight)}
              />
            );
          })}
          {cfd.defectReturns.map((d) => {
            const x = labelAt.get(d.at);
            if (x === undefined) return null;
            return (
              <ReferenceDot
                key={`${d.at}|${d.columnId}`}
                x={x}
                y={stackTop(d.at, d.columnId)}
                r={3 + Math.min(d.count, 5)}
                fill="var(--color-red-600)"
                stroke="var(--color-white)"
                strokeWidth={1.5}
                ifOverflow="extendDomain"
                label={d.count > 1 ? { value: String(d.count), position: 'top', fontSize: 10, fill: 'var(--color-red-700)' } : undefined}
              />
            );
          })}
        </AreaChart>
      </div>
    </ChartFigure>
  );
}

interface BandLabelProps {
  x?: number | string;
  y?: number | string;
  index?: number;
}

/**
 * A band's name written on it at the right end (direct labels: no colour to match with the legend),
 * where the band is thick enough to hold a line of text.
 */
function bandLabel({ x, y, index }: BandLabelProps, lastIndex: number, name: string, value: number, stackHeight: number) {
  if (index !== lastIndex || value <= 0 || stackHeight <= 0 || value / stackHeight < 0.07) return <g />;
  return (
    <text
      x={Number(x) - 6}
      y={Number(y) + 13}
      textAnchor="end"
      fontSize={11}
      fontWeight={600}
      fill="var(--color-slate-900)"
      stroke="var(--color-white)"
      strokeWidth={3}
      paintOrder="stroke"
      data-testid="cfd-band-label"
    >
      {name}
    </text>
  );
}

/** Cards that had reached the last work center before the range starts: left out of its band. */
export function doneBeforeRange(data: FlowData, cfd: Cfd): number {
  const last = cfd.columns.at(-1)?.id;
  const index = data.columns.findIndex((c) => c.id === last);
  return index < 0 ? 0 : (data.start[index]?.[K.reached] ?? 0);
}

/** The bands' key in board order (left to right = top to bottom of the chart). */
export function CfdLegend({ cfd, doneBefore }: { cfd: Cfd; doneBefore: number }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {cfd.columns.map((c, k) => (
        <li key={c.id} className="flex items-center gap-1.5">
          <span className="inline-block size-3 rounded-sm ring-1 ring-slate-800" style={{ background: bandColor(k, cfd.columns.length) }} />
          {c.name}
          {c.removed ? <span className="text-slate-400">(removed)</span> : null}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span className="inline-block size-3 rounded-full bg-red-600" />
        defect returned
      </li>
      {doneBefore > 0 ? <li className="text-slate-500">{cfd.columns.at(-1)?.name} shows cards finished in the range ({doneBefore} before it not stacked)</li> : null}
    </ul>
  );
}
