'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { useLaneFilter } from '../../lib/client/useLaneFilter';
import { useValueStream } from '../../lib/client/useValueStream';
import { vsmSummary, vsmTable } from '../../lib/client/vsmTables';
import { daysBetween, parseDate } from '../../lib/shared/flow/time';
import type { ValueStreamAnswer, VsmWorkCenter } from '../../lib/shared/flow/vsm';
import { DataTable } from './ChartData';
import { EfficiencyPanel } from './EfficiencyCharts';
import { StatusBadge, lastDays, todayIn, useTimeZone } from './FlowPage';
import { formatDays, formatPercent } from './format';
import { LaneFilterSelect } from './LaneFilterSelect';
import { Panel } from './Panel';
import { VsmMap } from './VsmMap';

const PRESETS = [7, 30, 90] as const;

function SummaryLine({ answer }: { answer: ValueStreamAnswer }) {
  const s = answer.summary;
  const tiles = [
    { label: 'Lead time', value: formatDays(s.leadTimeDays), note: 'sum of the work centers’ median times' },
    { label: 'Active time', value: formatDays(s.activeDays), note: 'sum of their median active times' },
    { label: 'Activity ratio', value: formatPercent(s.activityRatio), note: 'active ÷ lead time' },
    { label: 'Rolled %C/A', value: formatPercent(s.rolledCompleteAccurate), note: 'product of the work centers’ %C/A' },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="vsm-summary">
      {tiles.map((t) => (
        <div key={t.label} className="rounded-xl bg-white p-3 shadow-sm ring-1 ring-slate-200">
          <dt className="text-sm text-slate-600">{t.label}</dt>
          <dd className="text-3xl font-bold tabular-nums text-slate-900" data-testid={`vsm-${t.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
            {t.value}
          </dd>
          <dd className="text-xs text-slate-600">{t.note}</dd>
        </div>
      ))}
    </dl>
  );
}

const LEGEND = [
  { label: 'Active (doing, not blocked)', className: 'bg-emerald-600' },
  { label: 'Waiting (done, to be pulled)', className: 'bg-amber-400' },
  { label: 'Blocked', className: 'bg-rose-600' },
];

/** A work center's longest visits in the range, with their split and a link to each card. */
function WorstItems({ boardId, center, id, onClose }: { boardId: string; center: VsmWorkCenter; id: string; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from a box with the keyboard: the reader goes on where the items are.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="vsm-worst">
      <div className="flex items-center gap-2">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-700">
          Longest in {center.name}
        </h2>
        <button type="button" onClick={onClose} className="ml-auto rounded px-2 py-0.5 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-700" data-testid="vsm-worst-close">
          Close
        </button>
      </div>
      {center.worst.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No card left {center.name} in this range.</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-sm tabular-nums">
            <caption className="sr-only">The cards that spent longest in {center.name} among those that left it in the range</caption>
            <thead>
              <tr className="text-left text-slate-600">
                <th scope="col" className="py-1 pr-3 font-semibold">Card</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Time there</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Active</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Waiting</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Blocked</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Split</th>
                <th scope="col" className="py-1 font-semibold">Sent back later</th>
              </tr>
            </thead>
            <tbody>
              {center.worst.map((item) => (
                <tr key={`${item.cardId}|${item.arrivedAt}`} className="border-t border-slate-100" data-testid="vsm-worst-item">
                  <td className="max-w-[20rem] truncate py-1 pr-3">
                    {item.deleted ? (
                      <span className="text-slate-600">{item.title} (deleted)</span>
                    ) : (
                      <Link href={`/boards/${boardId}?card=${encodeURIComponent(item.cardId)}`} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-700">
                        {item.title}
                      </Link>
                    )}
                  </td>
                  <td className="py-1 pr-3 font-semibold">{formatDays(item.days)}</td>
                  <td className="py-1 pr-3">{formatDays(item.activeDays)}</td>
                  <td className="py-1 pr-3">{formatDays(item.waitingDays)}</td>
                  <td className="py-1 pr-3">{formatDays(item.blockedDays)}</td>
                  <td className="py-1 pr-3" aria-hidden>
                    <span className="flex h-2.5 w-28 overflow-hidden rounded bg-slate-200">
                      {[
                        [item.activeDays, 'bg-emerald-600'],
                        [item.waitingDays, 'bg-amber-400'],
                        [item.blockedDays, 'bg-rose-600'],
                      ].map(([d, c]) => (
                        <span key={c as string} className={c as string} style={{ width: `${item.days > 0 ? ((d as number) / item.days) * 100 : 0}%` }} />
                      ))}
                    </span>
                  </td>
                  <td className="py-1">{item.sentBack ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ValueStreamPage({ boardId, boardName, initialFilter = {} }: { boardId: string; boardName: string; initialFilter?: { lane?: string; class?: string } }) {
  const tz = useTimeZone();
  const { filter, value: filterValue, query: filterQuery, pick: pickFilter } = useLaneFilter(initialFilter);
  const [picked, setPicked] = useState<{ from: string; to: string } | null>(null);
  const defaults = tz ? lastDays(tz, 30) : null;
  const from = picked?.from ?? defaults?.from ?? '';
  const to = picked?.to ?? defaults?.to ?? '';
  const { answer, status, error, loading, reload } = useValueStream(boardId, tz && from && to ? { from, to, tz, ...filter } : null);
  const [selected, setSelected] = useState<string | null>(null);
  const panelId = useId();
  const title = answer?.boardName ?? boardName;
  const spanDays = (() => {
    const a = parseDate(from);
    const b = parseDate(to);
    return a && b ? daysBetween(a, b) + 1 : 0;
  })();
  const center = answer?.workCenters.find((w) => w.columnId === selected) ?? null;
  const flowHref = `/boards/${boardId}/flow${filterQuery}`;
  const nothingLeft = answer ? answer.workCenters.every((w) => w.departed === 0) : false;

  return (
    <div className="min-h-dvh">
      <header className="keep-palette flex flex-wrap items-center gap-x-4 gap-y-2 bg-slate-900 px-4 py-2.5 text-white">
        <Link href={`/boards/${boardId}`} className="rounded text-sm font-medium text-slate-300 hover:text-white" data-testid="back-to-board">
          ← Board
        </Link>
        <h1 className="min-w-0 truncate text-xl font-bold tracking-tight">
          {title} <span className="font-normal text-slate-400">· Value stream</span>
        </h1>
        <StatusBadge status={status} />
        <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
          <div role="group" aria-label="Range" className="flex items-center gap-1">
            {PRESETS.map((d) => (
              <button
                key={d}
                type="button"
                onClick={() => tz && setPicked(lastDays(tz, d))}
                aria-pressed={spanDays === d && to === (tz ? todayIn(tz) : '')}
                className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-white aria-pressed:bg-slate-700 aria-pressed:text-white"
              >
                {d}d
              </button>
            ))}
          </div>
          <label className="flex items-center gap-1 text-slate-400">
            <span className="sr-only">From</span>
            <input type="date" value={from} max={to} onChange={(e) => e.target.value && setPicked({ from: e.target.value, to })} className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 [color-scheme:dark]" data-testid="range-from" />
          </label>
          <span className="text-slate-400">→</span>
          <label className="flex items-center gap-1 text-slate-400">
            <span className="sr-only">To</span>
            <input type="date" value={to} min={from} onChange={(e) => e.target.value && setPicked({ from, to: e.target.value })} className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 [color-scheme:dark]" data-testid="range-to" />
          </label>
          <LaneFilterSelect value={filterValue} lanes={answer?.lanes ?? []} onChange={pickFilter} />
          <Link href={flowHref} className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-white" data-testid="open-flow">
            Flow metrics
          </Link>
        </div>
      </header>

      <main className="mx-auto max-w-[120rem] space-y-4 p-4" aria-busy={loading}>
        {error ? (
          <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200" data-testid="vsm-error">
            {error}{' '}
            <button type="button" className="underline" onClick={() => void reload()}>
              Try again
            </button>
          </p>
        ) : null}
        {!answer ? (
          error ? null : (
            <p className="p-8 text-center text-slate-600" data-testid="vsm-loading">
              Loading the value stream…
            </p>
          )
        ) : answer.workCenters.length === 0 ? (
          <p className="rounded-xl bg-white p-6 text-slate-700 ring-1 ring-slate-200" data-testid="vsm-empty">
            This board has no work center between the commitment point and the last one, so there is no value stream to map. Add a work center, or move the commitment point in the flow settings.
          </p>
        ) : (
          <>
            <SummaryLine answer={answer} />
            {nothingLeft ? (
              <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="vsm-empty">
                No card left a work center in progress between {from} and {to}: the map fills in as cards move. Pick a longer range to see more history.
              </p>
            ) : null}
            <Panel title="Value stream map" help="vsm" testId="vsm-panel">
              <p className="mb-2 text-sm text-slate-600">
                Cards that left each work center in the range. Select a work center (click, or Enter) for its longest items.
              </p>
              <VsmMap map={answer} selected={selected} onOpen={(id) => setSelected((s) => (s === id ? null : id))} panelId={panelId} />
              <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend">
                {LEGEND.map((l) => (
                  <li key={l.label} className="flex items-center gap-1.5">
                    <span className={`inline-block size-3 rounded-sm ${l.className}`} aria-hidden />
                    {l.label}
                  </li>
                ))}
                <li className="flex items-center gap-1.5">
                  <span className="font-bold text-amber-900" aria-hidden>
                    W
                  </span>
                  median time there not active (waiting or blocked)
                </li>
              </ul>
              <p className="sr-only">{vsmSummary(answer)}</p>
              <DataTable name="Value stream map" table={vsmTable(answer)} />
            </Panel>
            {center ? <WorstItems key={center.columnId} boardId={boardId} center={center} id={panelId} onClose={() => setSelected(null)} /> : <div id={panelId} hidden />}
            <EfficiencyPanel efficiency={answer.efficiency} />
          </>
        )}
      </main>
    </div>
  );
}
