'use client';
import { useMemo } from 'react';
import { batchSize, type BatchSide } from '../../lib/shared/flow/batch';
import type { FlowData } from '../../lib/shared/flow/data';
import { formatDays } from './format';
import { Panel } from './Panel';

function Row({ label, side }: { label: string; side: BatchSide }) {
  return (
    <tr className="border-t border-slate-100">
      <th scope="row" className="py-1 pr-3 text-left font-normal text-slate-800">
        {label}
      </th>
      <td className="py-1 pr-3 text-right">{side.count}</td>
      <td className="py-1 pr-3 text-right">{formatDays(side.p50)}</td>
      <td className="py-1 text-right">{formatDays(side.p85)}</td>
    </tr>
  );
}

/**
 * Batch size (docs/metrics.md): how many cards were split in the range, and whether the split items
 * finished faster than those never split. The sentence and the table are the data; no chart to read.
 */
export function BatchPanel({ data }: { data: FlowData }) {
  const b = useMemo(() => batchSize(data), [data]);
  return (
    <Panel title="Batch size" help="batch" testId="batch-panel">
      <div className="grid gap-4 md:grid-cols-2">
        <div className="space-y-2 text-sm text-slate-700">
          <p data-testid="batch-splits">
            {b.splits === 0 ? (
              'No card was split in this range.'
            ) : (
              <>
                <strong className="text-lg text-slate-900">{b.splits}</strong> {b.splits === 1 ? 'card was' : 'cards were'} split into <strong className="text-lg text-slate-900">{b.children}</strong> smaller
                ones in this range.
              </>
            )}
          </p>
          <p data-testid="batch-sentence" className="font-medium text-slate-900">
            {b.sentence}
          </p>
          {b.warning ? (
            <p data-testid="batch-warning" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
              {b.warning}
            </p>
          ) : null}
        </div>
        <table className="self-start text-sm tabular-nums" data-testid="batch-table">
          <caption className="mb-1 text-left text-xs font-medium text-slate-600">Cycle time of the items finished in this range</caption>
          <thead>
            <tr className="text-slate-500">
              <th scope="col" className="py-1 pr-3 text-left font-medium">Items</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Finished</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Median</th>
              <th scope="col" className="py-1 text-right font-medium">85th percentile</th>
            </tr>
          </thead>
          <tbody>
            <Row label="Split from a larger card" side={b.split} />
            <Row label="Never split" side={b.unsplit} />
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
