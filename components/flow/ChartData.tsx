'use client';
import { useId, useState, type ReactNode } from 'react';
import type { ChartTable } from '../../lib/client/chartTables';

/**
 * A chart with its text alternative: a name, one sentence of what it shows now, the drawing (an
 * image to assistive technology, out of the tab order), and its data as a table behind "Show data".
 */
export function ChartFigure({ name, summary, table, testId, children }: { name: string; summary: string; table: ChartTable; testId?: string; children: ReactNode }) {
  const summaryId = useId();
  return (
    <figure className="m-0" data-testid={testId}>
      <div role="img" aria-label={name} aria-describedby={summaryId}>
        {children}
      </div>
      <figcaption id={summaryId} className="mt-1 text-xs text-slate-600" data-testid="chart-summary">
        {summary}
      </figcaption>
      <DataTable name={name} table={table} />
    </figure>
  );
}

/** The "Show data" toggle and the table it shows. */
export function DataTable({ name, table }: { name: string; table: ChartTable }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="mt-1">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="rounded px-1.5 py-0.5 text-xs font-medium text-sky-800 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-700"
        data-testid="show-data"
      >
        {open ? 'Hide data' : 'Show data'}
        <span className="sr-only"> of {name}</span>
      </button>
      {open ? (
        // A region that scrolls: focusable, so a keyboard can scroll it too.
        // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard
        <div id={id} role="region" aria-label={`${name}: data`} tabIndex={0} className="mt-1 max-h-64 overflow-auto rounded-lg ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-sky-700">
          <table className="w-full text-xs tabular-nums" data-testid="chart-table">
            <caption className="px-2 py-1 text-left text-slate-600">{table.caption}</caption>
            <thead className="sticky top-0 bg-slate-50">
              <tr>
                {table.head.map((h) => (
                  <th key={h} scope="col" className="px-2 py-1 text-left font-semibold text-slate-700">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                // Rows have no id of their own: their place is what they are.
                // oxlint-disable-next-line react/no-array-index-key
                <tr key={i} className="border-t border-slate-100">
                  {row.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row" className="px-2 py-0.5 text-left font-normal text-slate-800">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="px-2 py-0.5 text-slate-800">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
