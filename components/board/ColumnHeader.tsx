import type { ColumnDTO } from '../../lib/shared/domain/types';
import { DEFECT_WINDOW_DAYS } from '../../lib/shared/domain/limits';
import { formatCount, wipState, type WipState } from '../../lib/client/boardView';
import { plural } from '../../lib/client/format';
import { BottleneckMark } from '../flow/FlowMarks';
import { isTempId } from '../../lib/client/optimistic';

const BAND: Record<WipState, string> = {
  unlimited: 'bg-slate-700 text-white',
  under: 'bg-slate-700 text-white',
  full: 'bg-amber-500 text-slate-950',
  over: 'bg-rose-700 text-white',
};

const COUNT: Record<WipState, string> = {
  unlimited: 'bg-white text-slate-800 ring-slate-300',
  under: 'bg-white text-slate-800 ring-slate-300',
  full: 'bg-amber-100 text-amber-950 ring-amber-400',
  over: 'bg-rose-700 text-white ring-rose-800',
};

const STATE_LABEL: Record<WipState, string | null> = {
  unlimited: null,
  under: null,
  full: 'Full',
  over: 'Over limit',
};

interface ColumnHeaderProps {
  column: ColumnDTO;
  step: number;
  count: number;
  isLast: boolean;
  onSettings?: () => void;
}

/** A work center as a step of the value stream: an arrow pointing downstream, then its WIP. */
export function ColumnHeader({ column, step, count, isLast, onSettings }: ColumnHeaderProps) {
  const state = wipState(count, column.wipLimit);
  const label = STATE_LABEL[state];
  // The last work center is where work leaves the stream: it reads as an exit unless it is full.
  const band = isLast && (state === 'unlimited' || state === 'under') ? 'bg-emerald-700 text-white' : BAND[state];
  return (
    <header className="space-y-1.5">
      <div className={`keep-palette flow-chevron flex items-center gap-1.5 py-1.5 pr-4 pl-3.5 ${band}`}>
        <span className="text-xs font-semibold tabular-nums opacity-70" aria-hidden>
          {step}
        </span>
        <h2 className="min-w-0 flex-1 truncate text-[0.95rem] leading-tight font-bold" title={column.name}>
          {column.name}
        </h2>
      </div>
      {/* The marks wrap rather than spill into the next column when they crowd a narrow one; the
          settings button keeps its place at the right. */}
      <div className="flex items-start gap-1.5 px-0.5">
        <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1.5">
          <span
            data-testid={`column-count-${column.id}`}
            data-wip-state={state}
            title={column.wipLimit === null ? `${count} cards, no WIP limit` : `${count} cards, WIP limit ${column.wipLimit}`}
            className={`rounded-md px-1.5 text-base leading-6 font-bold whitespace-nowrap tabular-nums ring-1 ${COUNT[state]}`}
          >
            {formatCount(count, column.wipLimit)}
          </span>
          <BottleneckMark columnId={column.id} />
          {label ? (
            <span className={`text-xs font-semibold whitespace-nowrap ${state === 'over' ? 'text-rose-800' : 'text-amber-800'}`}>{label}</span>
          ) : column.wipLimit === null ? (
            <span className="text-xs whitespace-nowrap text-slate-600">no limit</span>
          ) : null}
        </div>
        {onSettings ? (
          <button
            type="button"
            onClick={onSettings}
            disabled={isTempId(column.id)}
            aria-label={`Settings for ${column.name}`}
            title={`Settings for ${column.name}`}
            data-testid={`column-settings-${column.id}`}
            className="shrink-0 rounded px-1 text-lg leading-6 text-slate-600 hover:bg-slate-300/60 hover:text-slate-900 disabled:opacity-40"
          >
            ⋯
          </button>
        ) : null}
      </div>
      {column.defectsReturned > 0 ? (
        <p
          data-testid={`column-defects-${column.id}`}
          title={`Cards sent back to ${column.name} in the last ${DEFECT_WINDOW_DAYS} days: defects found downstream`}
          className="mx-0.5 rounded bg-rose-100 px-1.5 py-0.5 text-xs font-semibold text-rose-800"
        >
          ↩ {plural(column.defectsReturned, 'defect')} in {DEFECT_WINDOW_DAYS}d
        </p>
      ) : null}
    </header>
  );
}
