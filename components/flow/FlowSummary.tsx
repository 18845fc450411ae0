'use client';
import type { FlowData } from '../../lib/shared/flow/data';
import { BOTTLENECK_RULE, reworkNote, type BottleneckEvidence, type FlowMetrics } from '../../lib/shared/flow/metrics';
import { formatDays, formatNumber, formatPercent } from './format';
import { Help, Panel } from './Panel';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2">
      <p className="text-xs text-slate-500">{label}</p>
      <p className="text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

/** Why no work center is named, in the words of the rule (BOTTLENECK_RULE). */
function noBottleneck(e: BottleneckEvidence): string {
  switch (e.verdict) {
    case 'short-range':
      return `Too short a range to name a bottleneck: pick at least ${BOTTLENECK_RULE.minDays} days.`;
    case 'few-arrivals':
      return `Too few cards moved to name a bottleneck: ${e.arrivals} arrivals, at least ${BOTTLENECK_RULE.minArrivals} needed.`;
    case 'no-growth':
      return 'No queue grew enough over this range: no bottleneck stands out.';
    case 'too-close':
      return `${e.leader?.name ?? ''} and ${e.runnerUp?.name ?? ''} grew about as fast: no single bottleneck stands out yet.`;
    case 'named':
      return '';
    default: {
      const unknown: never = e.verdict;
      return unknown;
    }
  }
}

function basisOf(e: BottleneckEvidence): string {
  return `Based on the daily count of cards in each work center after the commitment point over ${formatNumber(e.days, 0)} days (${e.arrivals} arrivals). Named only with at least ${BOTTLENECK_RULE.minDays} days and ${BOTTLENECK_RULE.minArrivals} arrivals, a queue that grew by ${BOTTLENECK_RULE.minGrowthCards} cards or more, and a lead no single move could close.`;
}

export function BottleneckBanner({ metrics }: { metrics: FlowMetrics }) {
  const b = metrics.bottleneck;
  return (
    <div
      className={`flex items-center gap-3 rounded-xl px-4 py-3 ring-1 ${b ? 'bg-amber-50 text-amber-900 ring-amber-200' : 'bg-emerald-50 text-emerald-900 ring-emerald-200'}`}
      data-testid="bottleneck"
    >
      {/* Drawn, not an emoji: kiosk browsers on standup screens often lack an emoji font. */}
      <svg viewBox="0 0 20 20" className="size-5 shrink-0" aria-hidden>
        {b ? (
          <path d="M4 2h12v2l-4.5 6L16 16v2H4v-2l4.5-6L4 4z" fill="currentColor" />
        ) : (
          <path d="M3 10.5l4.5 4.5L17 5.5" stroke="currentColor" strokeWidth="2.5" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        )}
      </svg>
      <div className="text-sm">
        <p>
          {b ? (
            <>
              Bottleneck: <strong>{b.name}</strong> — its queue grew by about {formatNumber(b.growthCards, 0)} cards ({formatNumber(b.growthPerDay, 2)} a day) over the range.
            </>
          ) : (
            noBottleneck(metrics.bottleneckEvidence)
          )}
        </p>
        <p className="text-xs opacity-80" data-testid="bottleneck-basis">
          {basisOf(metrics.bottleneckEvidence)}
        </p>
      </div>
      <span className="ml-auto">
        <Help topic="bottleneck" align="right" />
      </span>
    </div>
  );
}

export function LittlesLawPanel({ metrics }: { metrics: FlowMetrics }) {
  const l = metrics.littlesLaw;
  return (
    <Panel title="Little’s law" help="littlesLaw" testId="littles-law">
      <div className="grid grid-cols-2 gap-2">
        <Stat label="Average WIP" value={formatNumber(l.averageWip)} testId="avg-wip" />
        <Stat label="Throughput × cycle time" value={formatNumber(l.expectedWip)} />
        <Stat label="Throughput" value={`${formatNumber(l.throughputPerDay, 2)} / day`} />
        <Stat label="Average cycle time" value={formatDays(l.averageCycleTimeDays)} />
      </div>
      <p className="mt-2 text-sm text-slate-700">
        {l.deviation !== null ? <strong className="tabular-nums">{`${l.deviation > 0 ? '+' : ''}${formatPercent(l.deviation)} · `}</strong> : null}
        {l.reading}
      </p>
    </Panel>
  );
}

export function DemandPanel({ metrics, onEdit }: { metrics: FlowMetrics; onEdit(): void }) {
  const d = metrics.demand;
  const max = Math.max(d.intakePerWeek, d.throughputPerWeek, d.demandPerWeek ?? 0, 1);
  const bars: { label: string; value: number | null; color: string }[] = [
    { label: 'Intake', value: d.intakePerWeek, color: 'bg-sky-500' },
    { label: 'Throughput', value: d.throughputPerWeek, color: 'bg-emerald-500' },
    { label: 'Demand', value: d.demandPerWeek, color: 'bg-violet-500' },
  ];
  const off = d.pilingUp || d.overproduction || d.belowDemand;
  return (
    <Panel
      title="Intake, throughput, demand"
      help="demand"
      testId="demand-panel"
      actions={
        <button type="button" onClick={onEdit} className="rounded px-1.5 py-0.5 text-xs text-sky-700 hover:bg-sky-50" data-testid="edit-demand">
          Set demand
        </button>
      }
    >
      <div className="space-y-1.5">
        {bars.map((b) => (
          <div key={b.label} className="grid grid-cols-[5.5rem_1fr_4.5rem] items-center gap-2 text-sm">
            <span className="text-slate-600">{b.label}</span>
            <span className="h-3 rounded bg-slate-100">
              {b.value !== null ? <span className={`block h-3 rounded ${b.color}`} style={{ width: `${(b.value / max) * 100}%` }} /> : null}
            </span>
            <span className="text-right tabular-nums text-slate-800">{b.value === null ? 'not set' : `${formatNumber(b.value)}/wk`}</span>
          </div>
        ))}
      </div>
      <p className={`mt-2 text-sm ${off ? 'font-medium text-amber-800' : 'text-slate-700'}`} data-testid="demand-reading">
        {d.reading}
      </p>
    </Panel>
  );
}

export function WorkCenterWeeks({ data, metrics }: { data: FlowData; metrics: FlowMetrics }) {
  const weeks = [...new Set(metrics.arrivalsAndDepartures.map((r) => r.week))];
  const live = data.columns.filter((c) => c.live);
  const cell = new Map(metrics.arrivalsAndDepartures.map((r) => [`${r.week}|${r.columnId}`, r]));
  return (
    <Panel title="Arrivals and departures per week" help="arrivals" testId="arrivals-panel">
      <div className="overflow-x-auto">
        <table className="w-full text-xs tabular-nums">
          <thead>
            <tr className="text-slate-500">
              <th scope="col" className="py-1 pr-2 text-left font-medium">Week of</th>
              {live.map((c) => (
                <th key={c.id} scope="col" className="px-1 py-1 text-right font-medium" title={c.name}>
                  <span className="inline-block max-w-24 truncate align-bottom">{c.name}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w} className="border-t border-slate-100">
                <td className="py-1 pr-2 text-slate-600">{w}</td>
                {live.map((c, i) => {
                  const r = cell.get(`${w}|${c.id}`);
                  // The last work center only fills up: that is work done, not a queue.
                  const grow = i < live.length - 1 && (r?.arrivals ?? 0) > (r?.departures ?? 0);
                  return (
                    <td key={c.id} className={`px-1 py-1 text-right ${grow ? 'font-semibold text-amber-800' : 'text-slate-700'}`} data-piling-up={grow || undefined}>
                      {/* Not colour alone: a mark and words say it piled up. */}
                      {grow ? (
                        <span aria-hidden className="mr-0.5">
                          ▲
                        </span>
                      ) : null}
                      <span title="arrivals">{r?.arrivals ?? 0}</span>
                      <span className="text-slate-500"> / </span>
                      <span title="departures">{r?.departures ?? 0}</span>
                      {grow ? <span className="sr-only"> (piling up: more arrived than left)</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-1 text-xs text-slate-500">arrivals / departures; ▲ and amber where more arrived than left (piling up)</p>
    </Panel>
  );
}

export function DefectsPanel({ data, metrics }: { data: FlowData; metrics: FlowMetrics }) {
  const name = new Map(data.columns.map((c) => [c.id, c.name]));
  const { matrix, reworkRates } = metrics.defects;
  const detected = [...new Set(matrix.map((m) => m.detectedAtColumnId))];
  const returned = [...new Set(matrix.map((m) => m.returnedToColumnId))];
  const count = new Map(matrix.map((m) => [`${m.detectedAtColumnId}|${m.returnedToColumnId}`, m.count]));
  const order = (ids: string[]) => ids.toSorted((a, b) => data.columns.findIndex((c) => c.id === a) - data.columns.findIndex((c) => c.id === b));
  return (
    <Panel title="Defects passed downstream" help="defects" testId="defects-panel">
      {matrix.length === 0 ? (
        <p className="text-sm text-slate-600">No backward moves in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="text-xs tabular-nums" data-testid="defects-matrix">
            <thead>
              <tr className="text-slate-500">
                <th className="py-1 pr-3 text-left font-medium">found at ↓ · returned to →</th>
                {order(returned).map((r) => (
                  <th key={r} className="px-2 py-1 text-right font-medium">
                    {name.get(r)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {order(detected).map((d) => (
                <tr key={d} className="border-t border-slate-100">
                  <td className="py-1 pr-3 text-slate-700">{name.get(d)}</td>
                  {order(returned).map((r) => {
                    const n = count.get(`${d}|${r}`) ?? 0;
                    return (
                      <td key={r} className={`px-2 py-1 text-right ${n ? 'font-semibold text-rose-700' : 'text-slate-300'}`}>
                        {n}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="mt-3 mb-1 text-xs font-semibold text-slate-600">Rework rate (returns ÷ departures) and its weekly trend</h3>
      <ul className="space-y-1">
        {reworkRates
          .filter((r) => r.departures > 0 || r.returns > 0)
          .map((r) => {
            const peak = Math.max(...r.weekly.map((w) => w.rate ?? 0), 0.01);
            return (
              <li key={r.columnId} className="grid grid-cols-[7rem_3rem_1fr] items-center gap-2 text-xs">
                <span className="truncate text-slate-700">{name.get(r.columnId)}</span>
                <span className="text-right tabular-nums font-medium">{formatPercent(r.rate)}</span>
                <span className="flex h-4 items-end gap-px" aria-label="weekly rework rate">
                  {r.weekly.map((w) => (
                    <span key={w.week} title={`${w.week}: ${formatPercent(w.rate)}`} className="w-2 rounded-t-sm bg-rose-400" style={{ height: `${((w.rate ?? 0) / peak) * 100}%`, minHeight: 1 }} />
                  ))}
                </span>
              </li>
            );
          })}
      </ul>
      {reworkRates.map((r) => {
        const note = reworkNote(r, name.get(r.columnId) ?? 'This work center');
        return note ? (
          <p key={r.columnId} className="mt-1 text-xs text-slate-600" data-testid={`rework-note-${r.columnId}`}>
            {note}
          </p>
        ) : null;
      })}
    </Panel>
  );
}
