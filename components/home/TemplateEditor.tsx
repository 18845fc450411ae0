'use client';
import { LIMITS } from '../../lib/shared/domain/limits';
import type { TemplateRow } from '../../lib/client/forms';

export interface EditableRow extends TemplateRow {
  key: number;
}

interface TemplateEditorProps {
  rows: EditableRow[];
  onChange(rows: EditableRow[]): void;
  newKey(): number;
}

function swap<T>(list: readonly T[], a: number, b: number): T[] {
  const next = [...list];
  const [x, y] = [next[a], next[b]];
  if (x === undefined || y === undefined) return next;
  next[a] = y;
  next[b] = x;
  return next;
}

const small = 'rounded-md px-1.5 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-30 disabled:hover:bg-transparent';

/** The value stream of a new board, left to right: rename, add, remove, reorder, set WIP limits. */
export function TemplateEditor({ rows, onChange, newKey }: TemplateEditorProps) {
  const update = (i: number, patch: Partial<TemplateRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div>
      <ol className="flow-preview mb-3 flex flex-wrap gap-1" aria-label="Preview of the value stream">
        {rows.map((row) => (
          <li key={row.key} className="flow-chevron bg-slate-700 py-0.5 pr-4 pl-3 text-xs font-semibold text-white">
            {row.name.trim() || '…'}
            {row.wipLimit.trim() ? <span className="ml-1 opacity-75">({row.wipLimit.trim()})</span> : null}
          </li>
        ))}
      </ol>
      <div className="mb-1 grid grid-cols-[1.5rem_minmax(0,1fr)_6.5rem_auto] gap-2 px-1 text-xs font-medium text-slate-500">
        <span aria-hidden>#</span>
        <span>Work center</span>
        <span>WIP limit</span>
        <span className="sr-only">Actions</span>
      </div>
      <ol className="space-y-1.5" data-testid="template-rows">
        {rows.map((row, i) => (
          <li key={row.key} className="grid grid-cols-[1.5rem_minmax(0,1fr)_6.5rem_auto] items-center gap-2" data-testid="template-row">
            <span className="text-right text-sm text-slate-500 tabular-nums">{i + 1}</span>
            <input
              value={row.name}
              maxLength={LIMITS.columnName}
              onChange={(e) => update(i, { name: e.target.value })}
              aria-label={`Name of work center ${i + 1}`}
              className="rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-none"
            />
            <input
              type="number"
              min={1}
              max={LIMITS.wipLimitMax}
              value={row.wipLimit}
              placeholder="None"
              onChange={(e) => update(i, { wipLimit: e.target.value })}
              aria-label={`WIP limit of ${row.name.trim() || `work center ${i + 1}`}`}
              className="rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-none"
            />
            <span className="flex">
              <button type="button" className={small} disabled={i === 0} onClick={() => onChange(swap(rows, i, i - 1))} aria-label={`Move ${row.name || 'work center'} earlier`}>
                ↑
              </button>
              <button
                type="button"
                className={small}
                disabled={i === rows.length - 1}
                onClick={() => onChange(swap(rows, i, i + 1))}
                aria-label={`Move ${row.name || 'work center'} later`}
              >
                ↓
              </button>
              <button
                type="button"
                className={`${small} hover:text-rose-700`}
                disabled={rows.length === 1}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
                aria-label={`Remove ${row.name || 'work center'}`}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => onChange([...rows, { key: newKey(), name: '', wipLimit: '' }])}
        disabled={rows.length >= LIMITS.columnsPerBoard}
        className="mt-2 rounded-lg px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50 disabled:text-slate-400"
        data-testid="template-add-row"
      >
        + Add work center
      </button>
    </div>
  );
}
