'use client';
import Link from 'next/link';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { useFlowData, type FlowStatus } from '../../lib/client/useFlowData';
import { useNow } from '../../lib/client/useNow';
import type { FlowRange } from '../../lib/shared/flow/data';
import { CLASS_LABELS } from '../../lib/shared/domain/lanes';
import { CLASSES_OF_SERVICE, type ClassOfService } from '../../lib/shared/domain/types';
import { computeMetrics } from '../../lib/shared/flow/metrics';
import { buildCfd } from '../../lib/shared/flow/series';
import { addDays, dateOf, daysBetween, formatDate, parseDate, type Interval } from '../../lib/shared/flow/time';
import { AgingChart } from './AgingChart';
import { BatchPanel } from './BatchPanel';
import { BlockersPanel } from './BlockersPanel';
import { CfdChart, CfdLegend, doneBeforeRange, type CfdView } from './CfdChart';
import { CycleTimeChart } from './CycleTimeChart';
import { FlowSettingsDialog, type FlowSettings } from './FlowSettingsDialog';
import { ForecastPanel } from './ForecastPanel';
import { BottleneckBanner, DefectsPanel, DemandPanel, LittlesLawPanel, WorkCenterWeeks } from './FlowSummary';
import { Panel, Toggle } from './Panel';
import { ThroughputChart, WipChart } from './RunCharts';

/** Hours at hour resolution beyond this many days would be thousands of points: the server caps it too. */
const MAX_HOUR_DAYS = 31;
const PRESETS = [7, 30, 90, 365] as const;

function StatusBadge({ status }: { status: FlowStatus }) {
  const text = { loading: 'Loading…', live: 'Live', offline: 'Reconnecting…', error: 'Error' }[status];
  const color = { loading: 'bg-slate-500', live: 'bg-emerald-500', offline: 'bg-amber-500', error: 'bg-rose-500' }[status];
  return (
    <span className="flex items-center gap-1.5 text-xs text-slate-300" data-testid="flow-status" data-status={status}>
      <span className={`size-2 rounded-full ${color}`} />
      {text}
    </span>
  );
}

function todayIn(tz: string): string {
  return formatDate(dateOf(Date.now(), tz));
}

function lastDays(tz: string, days: number): { from: string; to: string } {
  const today = dateOf(Date.now(), tz);
  return { from: formatDate(addDays(today, -(days - 1))), to: formatDate(today) };
}

const noSubscription = () => () => {};

/** The viewer's IANA zone: only the browser knows it, so null while rendering on the server. */
function useTimeZone(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    () => null,
  );
}

/** `''`, `class:<class>` or `lane:<id>`: the filter picker's value. */
function filterValue(filter: { lane?: string; class?: string }): string {
  return filter.lane ? `lane:${filter.lane}` : filter.class ? `class:${filter.class}` : '';
}

export function FlowPage({ boardId, boardName, initialFilter = {} }: { boardId: string; boardName: string; initialFilter?: { lane?: string; class?: string } }) {
  const tz = useTimeZone();
  const [filter, setFilter] = useState<{ lane?: string; class?: ClassOfService }>(() =>
    initialFilter.lane ? { lane: initialFilter.lane } : (CLASSES_OF_SERVICE as readonly string[]).includes(initialFilter.class ?? '') ? { class: initialFilter.class as ClassOfService } : {},
  );
  const pickFilter = (value: string) => {
    const [kind, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
    const next = kind === 'lane' ? { lane: id } : kind === 'class' ? { class: id as ClassOfService } : {};
    setFilter(next);
    // In the address, so the view can be shared and reloaded as it is.
    const url = new URL(window.location.href);
    url.searchParams.delete('lane');
    url.searchParams.delete('class');
    if (next.lane) url.searchParams.set('lane', next.lane);
    if (next.class) url.searchParams.set('class', next.class);
    window.history.replaceState(null, '', url);
  };
  // Null until the viewer picks a range: then the last 30 days in their zone.
  const [picked, setPicked] = useState<{ from: string; to: string } | null>(null);
  const defaults = tz ? lastDays(tz, 30) : null;
  const from = picked?.from ?? defaults?.from ?? '';
  const to = picked?.to ?? defaults?.to ?? '';
  const setFrom = (v: string) => setPicked({ from: v, to });
  const setTo = (v: string) => setPicked({ from, to: v });
  const [interval, setInterval] = useState<Interval>('day');
  const [view, setView] = useState<CfdView>('cumulative');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const now = useNow();

  const range: FlowRange | null = tz && from && to ? { from, to, interval, tz, ...filter } : null;
  const { data, status, error, reload } = useFlowData(boardId, range);
  const cfd = useMemo(() => (data ? buildCfd(data) : null), [data]);
  const metrics = useMemo(() => (data ? computeMetrics({ ...data, asOf: Math.max(data.asOf, now ?? 0) }) : null), [data, now]);
  const title = data?.boardName ?? boardName;

  const spanDays = (() => {
    const a = parseDate(from);
    const b = parseDate(to);
    return a && b ? daysBetween(a, b) + 1 : 0;
  })();
  const pickPreset = (days: number) => {
    if (!tz) return;
    setPicked(lastDays(tz, days));
    if (days > MAX_HOUR_DAYS) setInterval('day');
  };
  const query = range ? new URLSearchParams({ from: range.from, to: range.to, interval: range.interval, tz: range.tz, ...filter }).toString() : '';
  const api = `/api/boards/${encodeURIComponent(boardId)}`;

  const saveSettings = async (settings: FlowSettings) => {
    const res = await fetch(`${api}/settings`, {
      method: 'PATCH',
      // The actor is the signed-in account; the browser adds the Origin the server checks.
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (res.ok) return null;
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return body?.error?.message ?? `The server answered ${res.status}`;
  };

  return (
    <div className="min-h-dvh">
      <header className="keep-palette flex flex-wrap items-center gap-x-4 gap-y-2 bg-slate-900 px-4 py-2.5 text-white">
        <Link href={`/boards/${boardId}`} className="rounded text-sm font-medium text-slate-300 hover:text-white" data-testid="back-to-board">
          ← Board
        </Link>
        <h1 className="min-w-0 truncate text-xl font-bold tracking-tight">
          {title} <span className="font-normal text-slate-400">· Flow</span>
        </h1>
        <StatusBadge status={status} />
        <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
          <div role="group" aria-label="Range" className="flex items-center gap-1">
            {PRESETS.map((d) => (
              <button
                key={d}
                type="button"
                onClick={() => pickPreset(d)}
                aria-pressed={spanDays === d && to === (tz ? todayIn(tz) : '')}
                className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-white aria-pressed:bg-slate-700 aria-pressed:text-white"
              >
                {d === 365 ? '1y' : `${d}d`}
              </button>
            ))}
          </div>
          <label className="flex items-center gap-1 text-slate-400">
            <span className="sr-only">From</span>
            <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 [color-scheme:dark]" data-testid="range-from" />
          </label>
          <span className="text-slate-400">→</span>
          <label className="flex items-center gap-1 text-slate-400">
            <span className="sr-only">To</span>
            <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 [color-scheme:dark]" data-testid="range-to" />
          </label>
          <select
            value={interval}
            onChange={(e) => setInterval(e.target.value as Interval)}
            className="rounded bg-slate-800 px-1.5 py-1 text-slate-100"
            aria-label="Resolution"
            data-testid="interval"
          >
            <option value="day">by day</option>
            <option value="hour" disabled={spanDays > MAX_HOUR_DAYS}>
              by hour
            </option>
          </select>
          {(data?.lanes.length ?? 0) > 1 || filterValue(filter) ? (
            <select
              value={filterValue(filter)}
              onChange={(e) => pickFilter(e.target.value)}
              className="rounded bg-slate-800 px-1.5 py-1 text-slate-100"
              aria-label="Lane or class of service"
              data-testid="lane-filter"
            >
              <option value="">All lanes</option>
              <optgroup label="Class of service">
                {CLASSES_OF_SERVICE.map((c) => (
                  <option key={c} value={`class:${c}`}>
                    {CLASS_LABELS[c]} work
                  </option>
                ))}
              </optgroup>
              <optgroup label="Lane">
                {(data?.lanes ?? []).map((l) => (
                  <option key={l.id} value={`lane:${l.id}`}>
                    {l.name} lane
                  </option>
                ))}
              </optgroup>
            </select>
          ) : null}
          <span className="hidden text-xs text-slate-400 xl:inline">{tz}</span>
          <button type="button" onClick={() => setSettingsOpen(true)} className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-white" data-testid="flow-settings" disabled={!data}>
            Settings
          </button>
          <details className="relative">
            <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-white">Export ▾</summary>
            <div className="absolute right-0 z-30 mt-1 w-56 rounded-lg bg-white p-1 text-sm text-slate-800 shadow-lg ring-1 ring-slate-200">
              <a className="block rounded px-2 py-1.5 hover:bg-slate-100" href={`${api}/export/items.csv?tz=${encodeURIComponent(tz ?? 'UTC')}`}>
                Work items (import format)
              </a>
              <a className="block rounded px-2 py-1.5 hover:bg-slate-100" href={`${api}/export/cfd.csv?${query}`}>
                CFD points
              </a>
              <a className="block rounded px-2 py-1.5 hover:bg-slate-100" href={`${api}/export/cycle-times.csv?${query}`}>
                Cycle times
              </a>
              <a className="block rounded px-2 py-1.5 hover:bg-slate-100" href={`${api}/export/events.csv`}>
                Raw event log
              </a>
              <Link className="block rounded border-t border-slate-100 px-2 py-1.5 hover:bg-slate-100" href="/import">
                Import a CSV as a new board…
              </Link>
            </div>
          </details>
        </div>
      </header>

      <main className="mx-auto max-w-[120rem] space-y-4 p-4">
        {error ? (
          <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
            {error}{' '}
            <button type="button" className="underline" onClick={() => void reload()}>
              Try again
            </button>
          </p>
        ) : null}
        {!data || !cfd || !metrics ? (
          <p className="p-8 text-center text-slate-500">Loading the flow…</p>
        ) : (
          <>
            <BottleneckBanner metrics={metrics} />
            <div className="grid gap-4 xl:grid-cols-3">
              <Panel
                title={view === 'cumulative' ? 'Cumulative flow' : 'Cards in each work center'}
                help={view === 'cumulative' ? 'cfd' : 'inColumn'}
                exportName={view === 'cumulative' ? 'cumulative-flow' : 'cards-per-work-center'}
                className="xl:col-span-2"
                testId="cfd-panel"
                actions={
                  <Toggle<CfdView>
                    label="View"
                    value={view}
                    onChange={setView}
                    options={[
                      { value: 'cumulative', label: 'Cumulative' },
                      { value: 'inColumn', label: 'In column' },
                    ]}
                  />
                }
              >
                <CfdChart data={data} cfd={cfd} view={view} />
                <CfdLegend cfd={cfd} doneBefore={view === 'cumulative' ? doneBeforeRange(data, cfd) : 0} />
              </Panel>
              <div className="grid content-start gap-4 md:grid-cols-2 xl:grid-cols-1">
                <LittlesLawPanel metrics={metrics} />
                <DemandPanel metrics={metrics} onEdit={() => setSettingsOpen(true)} />
              </div>
            </div>
            <div className="grid gap-4 lg:grid-cols-2 xl:grid-cols-3">
              <CycleTimeChart data={data} metrics={metrics} />
              <AgingChart data={data} metrics={metrics} />
              <div className="grid content-start gap-4 lg:col-span-2 lg:grid-cols-2 xl:col-span-1 xl:grid-cols-1">
                <ThroughputChart metrics={metrics} />
                <WipChart data={data} metrics={metrics} />
              </div>
            </div>
            <div className="grid gap-4 lg:grid-cols-2">
              <WorkCenterWeeks data={data} metrics={metrics} />
              <DefectsPanel data={data} metrics={metrics} />
            </div>
            <BlockersPanel data={data} now={now ?? data.asOf} />
            <BatchPanel data={data} />
            <ForecastPanel data={data} />
          </>
        )}
      </main>
      {settingsOpen && data ? <FlowSettingsDialog data={data} onSave={saveSettings} onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}
