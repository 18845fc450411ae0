'use client';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowData } from '../../lib/shared/flow/data';
import type { BacktestOutcome, ForecastWarning, LevelKey } from '../../lib/shared/flow/forecast';
import { addDays, formatDate, parseDate } from '../../lib/shared/flow/time';
import { formatIsoDate } from './format';
import { Panel } from './Panel';

const LEVELS: LevelKey[] = ['50', '70', '85', '95'];
const axis = { fontSize: 12, fill: 'var(--color-slate-600)' };
/** The panel asks again this long after the last change (a burst of moves, typing a number). */
const DEBOUNCE_MS = 600;
/** A fixed seed: the same history gives the same picture, so a reload only moves what changed. */
const SEED = 1;

interface Sample {
  days: number;
  finished: number;
  from: string;
  to: string;
}
interface BacktestBase {
  weeksAgo: number;
  madeOn: string;
  sample: { days: number; finished: number };
  outcome: Record<LevelKey, BacktestOutcome>;
}
interface WhenAnswer {
  percentiles: Record<LevelKey, string | null>;
  histogram: { date: string; trials: number }[];
  never: number;
  sample: Sample;
  warnings: ForecastWarning[];
  items: number;
  trials: number;
  start: string;
  backtest: (BacktestBase & { items: number; percentiles: Record<LevelKey, string | null>; actual: string | null; finishedSince: number })[];
}
interface HowManyAnswer {
  percentiles: Record<LevelKey, number>;
  histogram: { items: number; trials: number }[];
  workingDays: number;
  sample: Sample;
  warnings: ForecastWarning[];
  trials: number;
  start: string;
  backtest: (BacktestBase & { until: string; percentiles: Record<LevelKey, number>; actual: number })[];
}

/** `2026-03-13` → `Fri 13 Mar 2026`. */
function longDate(date: string | null): string {
  if (date === null) return 'not within 10 years';
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** A share of the trials to a tenth of a percent; a few trials out of many are "<0.1%", not "0.0%". */
function percent(trials: number, total: number): string {
  const share = (trials / Math.max(1, total)) * 100;
  return trials > 0 && share < 0.05 ? '<0.1%' : `${share.toFixed(1)}%`;
}

/** One forecast's answer, asked again when the query or what the forecast is made of changes. */
function useForecast<T>(url: string | null, version: string): { answer: T | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ url: string | null; answer: T | null; error: string | null }>({ url: null, answer: null, error: null });
  useEffect(() => {
    if (!url) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const res = await fetch(url, { cache: 'no-store', signal: abort.signal });
          const body = (await res.json()) as T | { error: { message: string } };
          if (!res.ok || (body && typeof body === 'object' && 'error' in body)) {
            setState({ url, answer: null, error: (body as { error?: { message?: string } }).error?.message ?? `The server answered ${res.status}` });
          } else setState({ url, answer: body as T, error: null });
        } catch (e) {
          if (!abort.signal.aborted) setState({ url, answer: null, error: e instanceof Error ? e.message : String(e) });
        }
      })();
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
    // Asked again when what the forecast is made of changed, though the request does not name it.
    // oxlint-disable-next-line react/exhaustive-effect-dependencies
  }, [url, version]);
  return { answer: state.answer, error: state.error, loading: state.url !== url };
}

function Warnings({ warnings }: { warnings: readonly ForecastWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200" data-testid="forecast-warnings">
      {warnings.map((w) => (
        <li key={w.code}>
          <strong className="font-semibold">Careful:</strong> {w.message}.
        </li>
      ))}
    </ul>
  );
}

const OUTCOME_TEXT: Record<BacktestOutcome, string> = { met: 'came true', missed: 'missed', open: 'not known yet' };
const OUTCOME_CLASS: Record<BacktestOutcome, string> = { met: 'text-emerald-800', missed: 'text-rose-800', open: 'text-slate-600' };

function Outcomes({ outcome }: { outcome: Record<LevelKey, BacktestOutcome> }) {
  return (
    <span className="flex flex-wrap gap-x-2">
      {LEVELS.map((l) => (
        <span key={l} className={OUTCOME_CLASS[outcome[l]]}>
          {l}%: {outcome[l] === 'met' ? '✓' : outcome[l] === 'missed' ? '✗' : '…'} {OUTCOME_TEXT[outcome[l]]}
        </span>
      ))}
    </span>
  );
}

/** "1st", "2nd", "3rd", "11th", "22nd": the place of the item a backtest waited for. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The past forecasts of one question, a line each (`<li>`), under one heading. */
function Backtests({ count, testId, children }: { count: number; testId: string; children: ReactNode }) {
  return (
    <div className="mt-3 border-t border-slate-100 pt-2 text-xs text-slate-700" data-testid={testId}>
      <h4 className="font-semibold text-slate-800">Backtest on this board’s history</h4>
      {count === 0 ? <p>Not enough history yet: the board is younger than a past window.</p> : <ul className="mt-1 space-y-1.5">{children}</ul>}
    </div>
  );
}

function WhenBacktests({ backtest }: { backtest: WhenAnswer['backtest'] }) {
  return (
    <Backtests count={backtest.length} testId="when-backtest">
      {backtest.map((b) => (
        <li key={b.weeksAgo}>
          Made {b.weeksAgo} weeks ago (history up to {formatIsoDate(b.madeOn)}: {b.sample.finished} finished in {b.sample.days} working days), {b.items} items: 85% by{' '}
          <strong>{longDate(b.percentiles['85'])}</strong>.{' '}
          {b.actual ? (
            <>
              The {ordinal(b.items)} item finished on <strong>{longDate(b.actual)}</strong>.
            </>
          ) : (
            <>Only {b.finishedSince} have finished since.</>
          )}{' '}
          <Outcomes outcome={b.outcome} />
        </li>
      ))}
    </Backtests>
  );
}

function HowManyBacktests({ backtest }: { backtest: HowManyAnswer['backtest'] }) {
  return (
    <Backtests count={backtest.length} testId="how-many-backtest">
      {backtest.map((b) => (
        <li key={b.weeksAgo}>
          Made {b.weeksAgo} weeks ago (history up to {formatIsoDate(b.madeOn)}): by {formatIsoDate(b.until)}, 85% at least <strong>{b.percentiles['85']}</strong> items.{' '}
          <strong>{b.actual}</strong> were finished. <Outcomes outcome={b.outcome} />
        </li>
      ))}
    </Backtests>
  );
}

/** The histogram as a bar chart, and the same numbers as a table for whoever cannot see the chart. */
function Histogram({ rows, what, testId }: { rows: { label: string; trials: number }[]; what: string; testId: string }) {
  const total = rows.reduce((a, r) => a + r.trials, 0);
  const cumulative = rows.reduce<number[]>((acc, r) => [...acc, (acc.at(-1) ?? 0) + r.trials], []);
  return (
    <div data-testid={testId}>
      <div style={{ height: 180 }} role="img" aria-label={`Bar chart of trials by ${what.toLowerCase()}: the same numbers are in the table below`} data-testid={`${testId}-chart`}>
        <BarChart data={rows} accessibilityLayer={false} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="label" tick={axis} minTickGap={12} />
          <YAxis allowDecimals={false} tick={axis} width={48} />
          <Tooltip cursor={{ fill: 'var(--color-slate-100)' }} formatter={(v) => [v, 'trials']} />
          <Bar dataKey="trials" fill="var(--color-indigo-500)" isAnimationActive={false} />
        </BarChart>
      </div>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer rounded text-slate-700 hover:text-slate-900">The histogram as a table</summary>
        {/* Focusable, so that a keyboard can scroll a long table. */}
        <div className="max-h-56 overflow-auto rounded focus-visible:outline-2 focus-visible:outline-sky-600" tabIndex={0} role="region" aria-label={`Trials by ${what.toLowerCase()}`}>
          <table className="mt-1 w-full text-left tabular-nums" data-testid={`${testId}-table`}>
            <caption className="sr-only">Trials by {what}, of {total}</caption>
            <thead>
              <tr className="text-slate-600">
                <th scope="col" className="py-0.5 pr-2 font-medium">
                  {what}
                </th>
                <th scope="col" className="py-0.5 pr-2 font-medium">
                  Trials
                </th>
                <th scope="col" className="py-0.5 pr-2 font-medium">
                  Share
                </th>
                <th scope="col" className="py-0.5 font-medium">
                  Cumulative
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                return (
                  <tr key={r.label} className="border-t border-slate-100 text-slate-800">
                    <th scope="row" className="py-0.5 pr-2 font-normal">
                      {r.label}
                    </th>
                    <td className="py-0.5 pr-2">{r.trials}</td>
                    <td className="py-0.5 pr-2">{percent(r.trials, total)}</td>
                    <td className="py-0.5">{percent(cumulative[i] ?? 0, total)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

function SampleLine({ sample, trials }: { sample: Sample; trials: number }) {
  return (
    <p className="mt-1 text-xs text-slate-600">
      From {sample.finished} items finished in {sample.days} working days ({formatIsoDate(sample.from)} to {formatIsoDate(sample.to)}), {trials.toLocaleString('en-GB')} trials.
    </p>
  );
}

/**
 * Monte Carlo forecasts over the range's throughput (docs/metrics.md "Forecasts"): when will N items
 * be done, and how many by a date, each with its histogram, its warnings and its backtest. Asked of
 * the server (GET /forecast/when and /how-many) again whenever the flow data moves.
 */
export function ForecastPanel({ data }: { data: FlowData }) {
  const ids = { items: useId(), date: useId(), whenOut: useId(), howOut: useId() };
  const open = data.open.length;
  const [itemsText, setItemsText] = useState<string | null>(null);
  const itemsValue = itemsText ?? String(Math.max(1, open));
  const items = /^\d+$/.test(itemsValue) && Number(itemsValue) >= 1 && Number(itemsValue) <= 100_000 ? Number(itemsValue) : null;
  const to = parseDate(data.range.to);
  const [dateText, setDateText] = useState<string | null>(null);
  const defaultDate = to ? formatDate(addDays(to, 14)) : '';
  const date = dateText ?? defaultDate;
  const minDate = to ? formatDate(addDays(to, 1)) : undefined;
  const api = `/api/boards/${encodeURIComponent(data.boardId)}/forecast`;
  // The page's lane or class filter applies to the forecast too: that lane's throughput, its open cards.
  const history = new URLSearchParams({
    from: data.range.from,
    to: data.range.to,
    tz: data.range.tz,
    seed: String(SEED),
    ...(data.range.lane ? { lane: data.range.lane } : {}),
    ...(data.range.class ? { class: data.range.class } : {}),
  });
  const whenUrl = items === null ? null : `${api}/when?${history}&items=${items}`;
  const dateOk = parseDate(date) !== null && (!minDate || date >= minDate);
  const howManyUrl = dateOk ? `${api}/how-many?${history}&date=${date}` : null;
  // What the answers depend on: the items finished (the sample), the open ones (the default), the
  // working days. A move between work centers in progress changes none of them: no new request.
  const basis = [data.finished.length, data.finished.at(-1)?.cardId ?? '', data.finished.at(-1)?.doneAt ?? 0, open, JSON.stringify(data.workingDays ?? null)].join('|');
  const when = useForecast<WhenAnswer>(whenUrl, basis);
  const howMany = useForecast<HowManyAnswer>(howManyUrl, basis);
  const w = when.answer;
  const hm = howMany.answer;

  return (
    <Panel title="Forecast" help="forecast" testId="forecast-panel">
      <p className="text-xs text-slate-600">Monte Carlo simulation over the daily throughput of the range shown above; the board’s working days are set in Settings.</p>
      <div className="mt-3 grid gap-6 lg:grid-cols-2">
        <section aria-labelledby={`${ids.whenOut}-h`} className="min-w-0" data-testid="forecast-when">
          <h3 id={`${ids.whenOut}-h`} className="text-sm font-semibold text-slate-900">
            When will these items be done?
          </h3>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <label htmlFor={ids.items} className="text-slate-700">
              Items
            </label>
            <input
              id={ids.items}
              type="number"
              min={1}
              max={100_000}
              inputMode="numeric"
              value={itemsValue}
              onChange={(e) => setItemsText(e.target.value)}
              aria-describedby={`${ids.items}-hint`}
              aria-invalid={items === null}
              className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1 text-slate-900 tabular-nums"
              data-testid="forecast-items"
            />
            <span id={`${ids.items}-hint`} className="text-xs text-slate-600">
              {open} open on the board{itemsText !== null && Number(itemsText) !== open ? '' : ' (the default)'}
            </span>
          </div>
          {items === null ? <p className="mt-1 text-xs text-rose-800">Items is a whole number from 1 to 100,000.</p> : null}
          {when.error ? <p className="mt-2 text-sm text-rose-800">{when.error}</p> : null}
          <div id={ids.whenOut} aria-live="polite" aria-busy={when.loading} data-testid="forecast-when-result">
            {w ? (
              <>
                <ul className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="forecast-when-percentiles">
                  {LEVELS.map((l) => (
                    <li key={l} data-level={l} data-date={w.percentiles[l] ?? ''}>
                      <span className="block text-xs text-slate-600">{l}% likely by</span>
                      <strong className="text-slate-900">{longDate(w.percentiles[l])}</strong>
                    </li>
                  ))}
                </ul>
                <SampleLine sample={w.sample} trials={w.trials} />
                <Warnings warnings={w.warnings} />
              </>
            ) : null}
          </div>
          {w && w.histogram.length > 0 ? <Histogram rows={w.histogram.map((b) => ({ label: formatIsoDate(b.date), trials: b.trials }))} what="Finished on" testId="when-histogram" /> : null}
          {w ? <WhenBacktests backtest={w.backtest} /> : null}
        </section>

        <section aria-labelledby={`${ids.howOut}-h`} className="min-w-0" data-testid="forecast-how-many">
          <h3 id={`${ids.howOut}-h`} className="text-sm font-semibold text-slate-900">
            How many items by a date?
          </h3>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <label htmlFor={ids.date} className="text-slate-700">
              By
            </label>
            <input
              id={ids.date}
              type="date"
              value={date}
              min={minDate}
              onChange={(e) => setDateText(e.target.value)}
              aria-invalid={!dateOk}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-slate-900"
              data-testid="forecast-date"
            />
            <span className="text-xs text-slate-600">counting from {minDate ? formatIsoDate(minDate) : '…'}</span>
          </div>
          {!dateOk ? <p className="mt-1 text-xs text-rose-800">Pick a date after the range’s last day.</p> : null}
          {howMany.error ? <p className="mt-2 text-sm text-rose-800">{howMany.error}</p> : null}
          <div id={ids.howOut} aria-live="polite" aria-busy={howMany.loading} data-testid="forecast-how-many-result">
            {hm ? (
              <>
                <ul className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="forecast-how-many-percentiles">
                  {LEVELS.map((l) => (
                    <li key={l} data-level={l} data-items={hm.percentiles[l]}>
                      <span className="block text-xs text-slate-600">{l}% likely at least</span>
                      <strong className="text-slate-900">
                        {hm.percentiles[l]} item{hm.percentiles[l] === 1 ? '' : 's'}
                      </strong>
                    </li>
                  ))}
                </ul>
                <SampleLine sample={hm.sample} trials={hm.trials} />
                <p className="text-xs text-slate-600">{hm.workingDays} working days to go.</p>
                <Warnings warnings={hm.warnings} />
              </>
            ) : null}
          </div>
          {hm ? <Histogram rows={hm.histogram.map((b) => ({ label: String(b.items), trials: b.trials }))} what="Items finished" testId="how-many-histogram" /> : null}
          {hm ? <HowManyBacktests backtest={hm.backtest} /> : null}
        </section>
      </div>
    </Panel>
  );
}
