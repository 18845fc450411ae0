'use client';
import { useMemo } from 'react';
import { DAY_MS } from '../../lib/shared/domain/blocked';
import { blockerSummary } from '../../lib/shared/flow/blockers';
import type { FlowData } from '../../lib/shared/flow/data';
import { formatDays, formatPercent } from './format';
import { Panel } from './Panel';

const days = (ms: number) => formatDays(ms / DAY_MS);

/**
 * Blocked time over the range: where cards waited (work centers), why (reasons, most cards first), and
 * how much of the finished cards' cycle time was spent blocked. Tables are the data itself, so a
 * screen reader reads what a sighted reader sees.
 */
export function BlockersPanel({ data, now }: { data: FlowData; now: number }) {
  const s = useMemo(() => blockerSummary(data, Math.max(data.asOf, now)), [data, now]);
  return (
    <Panel title="Blockers" help="blockers" testId="blockers-panel">
      <p className="mb-3 text-sm text-slate-700" data-testid="blocked-share">
        {s.share === null ? (
          'No card with a cycle time finished in this range.'
        ) : (
          <>
            <strong className="text-lg text-slate-900">{formatPercent(s.share)}</strong> of the cycle time of {s.finishedCards} finished {s.finishedCards === 1 ? 'card' : 'cards'} was spent
            blocked ({days(s.blockedInCycleMs)} of {days(s.cycleMs)}).
          </>
        )}
      </p>
      {s.byColumn.length === 0 ? (
        <p className="text-sm text-slate-500">No card was blocked in this range.</p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <table className="self-start text-sm tabular-nums" data-testid="blocked-by-column">
            <caption className="mb-1 text-left text-xs font-medium text-slate-600">Blocked time by work center</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-3 text-left font-medium">Work center</th>
                <th scope="col" className="py-1 text-right font-medium">Blocked</th>
              </tr>
            </thead>
            <tbody>
              {s.byColumn.map((c) => (
                <tr key={c.columnId} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal text-slate-800">{c.name}</th>
                  <td className="py-1 text-right">{days(c.ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="self-start text-sm tabular-nums" data-testid="blocked-by-reason">
            <caption className="mb-1 text-left text-xs font-medium text-slate-600">Reasons, most common first</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-3 text-left font-medium">Reason</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">Cards</th>
                <th scope="col" className="py-1 text-right font-medium">Blocked</th>
              </tr>
            </thead>
            <tbody>
              {s.byReason.map((r) => (
                <tr key={r.reason ?? ''} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal wrap-anywhere text-slate-800">{r.reason ?? <span className="text-slate-500">(no reason given)</span>}</th>
                  <td className="py-1 pr-3 text-right">{r.cards}</td>
                  <td className="py-1 text-right">{days(r.ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
