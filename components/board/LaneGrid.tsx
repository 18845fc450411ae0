'use client';
import { useDroppable } from '@dnd-kit/core';
import { memo, useMemo } from 'react';
import type { BoardSnapshot, CardDTO, CardStage, ClassOfService, ColumnDTO, LaneDTO } from '../../lib/shared/domain/types';
import { CLASS_LABELS } from '../../lib/shared/domain/lanes';
import { cardCount, cardsNotLoaded } from '../../lib/shared/domain/cardWindow';
import { formatCount, wipState, type WipState } from '../../lib/client/boardView';
import { cellKey, cellRefusal } from '../../lib/client/laneView';
import { inProgress } from '../../lib/shared/domain/lanes';
import { columnDropId, type DragData } from '../../lib/client/useCardDrag';
import { AddCardForm } from './AddCardForm';
import { ColumnHeader } from './ColumnHeader';
import { ShowMore, type DropState } from './Column';
import { DraggableCard } from './DraggableCard';

const BADGE: Record<ClassOfService, string> = {
  standard: 'bg-slate-200 text-slate-800',
  expedite: 'bg-rose-700 text-white',
  fixed_date: 'bg-violet-700 text-white',
  intangible: 'bg-teal-700 text-white',
};

const LANE_TINT: Record<ClassOfService, string> = {
  standard: 'bg-slate-200/70',
  expedite: 'bg-rose-100/80',
  fixed_date: 'bg-violet-100/70',
  intangible: 'bg-teal-50',
};

const COUNT: Record<WipState, string> = {
  unlimited: 'bg-white text-slate-800 ring-slate-300',
  under: 'bg-white text-slate-800 ring-slate-300',
  full: 'bg-amber-100 text-amber-950 ring-amber-400',
  over: 'bg-rose-700 text-white ring-rose-800',
};

interface LaneGridProps {
  view: BoardSnapshot;
  shown: ReadonlyMap<string, readonly CardDTO[]>;
  dropStateOf(key: string): DropState;
  movingBy: ReadonlyMap<string, string>;
  draggingCardId: string | null;
  drawLimit: number;
  onOpenCard(cardId: string): void;
  onColumnSettings?: (columnId: string) => void;
  onAddCard?: (columnId: string, laneId: string, title: string) => void;
  /** The next page of a big board's work center (lib/shared/domain/cardWindow.ts). */
  onLoadMore(columnId: string): Promise<void>;
}

const NO_CARDS: readonly CardDTO[] = [];

/**
 * A board with more than one lane: the work centers' headers on top, then each lane as a row of
 * cells across them (an expedite lane first). Every cell is a drop target. On a phone the lanes stack
 * and the work centers scroll sideways, as on a board without lanes.
 */
export function LaneGrid({ view, shown, dropStateOf, movingBy, draggingCardId, drawLimit, onOpenCard, onColumnSettings, onAddCard, onLoadMore }: LaneGridProps) {
  const columns = view.columns;
  // One pass over the cards for every cell's count and every lane's work in progress (not per cell per render).
  const counts = useMemo(() => {
    const order = view.columns.map((c) => c.id);
    const cells = new Map<string, number>();
    const lanes = new Map<string, number>();
    for (const c of view.cards) {
      const key = cellKey(c.columnId, c.laneId);
      cells.set(key, (cells.get(key) ?? 0) + 1);
      if (inProgress(order.indexOf(c.columnId), order.length)) lanes.set(c.laneId, (lanes.get(c.laneId) ?? 0) + 1);
    }
    return { cells, lanes };
  }, [view.cards, view.columns]);
  // Every row is a grid of its own with the same tracks: a card arriving in one lane lays out that
  // lane's row again, not every cell of the board (one grid for all made each drag step relayout all).
  // A split work center (its halves side by side in every lane) takes two tracks' room.
  const tracks = { gridTemplateColumns: columns.map((c) => (c.split ? 'minmax(calc(2 * var(--lane-cell-min)), 2fr)' : 'minmax(var(--lane-cell-min), 1fr)')).join(' ') };
  return (
    <div className="min-w-min px-2 pb-2" data-testid="lane-grid">
      <div className="sticky top-0 z-20 grid gap-x-2 bg-slate-100 pt-2 pb-1" style={tracks}>
        {columns.map((column, index) => (
          <div key={column.id}>
            <ColumnHeader
              column={column}
              step={index + 1}
              count={cardCount(view, column.id)}
              isLast={index === columns.length - 1}
              onSettings={onColumnSettings ? () => onColumnSettings(column.id) : undefined}
            />
            {/* A big board's work center sent in part: its cards load a page at a time, into their lanes. */}
            {cardsNotLoaded(view, column.id) > 0 ? <ShowMore className="mt-1" count={cardsNotLoaded(view, column.id)} onLoad={() => onLoadMore(column.id)} /> : null}
          </div>
        ))}
      </div>
      {view.lanes.map((lane) => (
        <div key={lane.id} className="mt-1">
          <LaneHeader lane={lane} working={counts.lanes.get(lane.id) ?? 0} />
          <div className="grid gap-x-2" style={tracks}>
            {columns.map((column, index) => {
              const key = cellKey(column.id, lane.id);
              const cell = (
                <LaneCell
                  key={key}
                  cellId={key}
                  lane={lane}
                  column={column}
                  stage={column.split ? 'doing' : null}
                  cards={shown.get(key) ?? NO_CARDS}
                  count={counts.cells.get(key) ?? 0}
                  drop={dropStateOf(key)}
                  movingBy={movingBy}
                  draggingCardId={draggingCardId}
                  drawLimit={drawLimit}
                  onOpenCard={onOpenCard}
                  isFirst={index === 0}
                  onAddCard={onAddCard && index === 0 ? onAddCard : undefined}
                  addRefusal={index === 0 ? cellRefusal(view, null, key) : null}
                />
              );
              if (!column.split) return cell;
              // A split work center's cell: its doing and done halves side by side (the cell's limit counts both).
              const doneKey = cellKey(column.id, lane.id, 'done');
              return (
                <div key={key} className="grid grid-cols-2 gap-1">
                  {cell}
                  <LaneCell
                    cellId={doneKey}
                    lane={lane}
                    column={column}
                    stage="done"
                    cards={shown.get(doneKey) ?? NO_CARDS}
                    count={counts.cells.get(key) ?? 0}
                    drop={dropStateOf(doneKey)}
                    movingBy={movingBy}
                    draggingCardId={draggingCardId}
                    drawLimit={drawLimit}
                    onOpenCard={onOpenCard}
                    isFirst={false}
                    addRefusal={null}
                  />
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}


function LaneHeader({ lane, working }: { lane: LaneDTO; working: number }) {
  const state = wipState(working, lane.wipLimit);
  return (
    <div className="mb-1" data-testid={`lane-${lane.id}`} data-lane-class={lane.classOfService}>
      <h2 className="sticky left-2 inline-flex items-center gap-2 rounded-lg px-1 py-0.5 text-sm font-bold text-slate-900">
        <span>{lane.name}</span>
        <span className={`rounded px-1.5 text-xs font-semibold ${BADGE[lane.classOfService]}`}>{CLASS_LABELS[lane.classOfService]}</span>
        {lane.wipLimit !== null ? (
          <span
            data-testid={`lane-count-${lane.id}`}
            data-wip-state={state}
            title={`${working} in progress, lane WIP limit ${lane.wipLimit} (the first and last work centers do not count)`}
            className={`rounded-md px-1.5 text-sm leading-5 font-bold tabular-nums ring-1 ${COUNT[state]}`}
          >
            <span className="sr-only">Lane work in progress </span>
            {formatCount(working, lane.wipLimit)}
          </span>
        ) : null}
        {state === 'full' || state === 'over' ? <span className="text-xs font-semibold text-amber-800">{state === 'full' ? 'Full' : 'Over limit'}</span> : null}
      </h2>
    </div>
  );
}

interface LaneCellProps {
  cellId: string;
  lane: LaneDTO;
  column: ColumnDTO;
  /** The half of a split work center this cell is; null for a work center that is not split. */
  stage: CardStage | null;
  cards: readonly CardDTO[];
  count: number;
  drop: DropState;
  movingBy: ReadonlyMap<string, string>;
  draggingCardId: string | null;
  drawLimit: number;
  onOpenCard(cardId: string): void;
  isFirst: boolean;
  onAddCard?: (columnId: string, laneId: string, title: string) => void;
  addRefusal: string | null;
}

/** Drop states are small objects made anew on each render: compared by their fields. */
const sameDrop = (a: DropState, b: DropState) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * A cell is drawn again only when what it shows changed: its cards (the same array while they are,
 * see keepUnchangedLists), its count, its drop state or the dragged card. A drag changes one or two
 * cells, not the board's every cell. Its callbacks are the board's stable ones.
 */
function sameCell(a: LaneCellProps, b: LaneCellProps): boolean {
  return (
    a.cards === b.cards &&
    a.count === b.count &&
    a.lane === b.lane &&
    a.column === b.column &&
    a.stage === b.stage &&
    sameDrop(a.drop, b.drop) &&
    a.movingBy === b.movingBy &&
    (a.draggingCardId === b.draggingCardId || (!a.cards.some((c) => c.id === a.draggingCardId) && !b.cards.some((c) => c.id === b.draggingCardId))) &&
    a.drawLimit === b.drawLimit &&
    a.addRefusal === b.addRefusal &&
    Boolean(a.onAddCard) === Boolean(b.onAddCard)
  );
}

function frameClass(drop: DropState, tint: string): string {
  if (drop.kind === 'refused') return 'bg-slate-300/60';
  if (drop.kind === 'allowed' && drop.over) return drop.backward ? 'bg-amber-50 ring-2 ring-amber-500' : 'bg-sky-50 ring-2 ring-sky-500';
  if (drop.kind === 'allowed' && drop.backward) return `${tint} ring-2 ring-amber-300 ring-inset`;
  return tint;
}

/** One lane in one work center: a drop target with its cards, and its own limit if it has one. */
const LaneCell = memo(function LaneCell({ cellId, lane, column, stage, cards, count, drop, movingBy, draggingCardId, drawLimit, onOpenCard, isFirst, onAddCard, addRefusal }: LaneCellProps) {
  const data: DragData = { type: 'column', columnId: cellId };
  const { setNodeRef } = useDroppable({ id: columnDropId(cellId), data });
  // A split work center's cell limit counts both halves: its count is shown once, in the doing half.
  const limit = stage === 'done' ? null : (lane.cellLimits[column.id] ?? null);
  const state = wipState(count, limit);
  const full = state === 'full' || state === 'over';
  const half = stage === 'done' ? ', done: waiting to be pulled' : stage === 'doing' ? ', doing' : '';
  const label = `${column.name}${half}, ${lane.name} lane${limit !== null ? `, ${count} of ${limit}${full ? ', at its WIP limit' : ''}` : ''}`;
  const backward = drop.kind === 'allowed' && drop.backward;
  return (
    <section
      ref={setNodeRef}
      aria-label={label}
      data-testid={`cell-${column.id}-${lane.id}${stage === 'done' ? '-done' : ''}`}
      data-drop-state={backward ? 'backward' : drop.kind}
      data-drop-over={drop.kind !== 'idle' && drop.over ? 'true' : 'false'}
      data-wip-state={state}
      className={`relative flex min-h-20 flex-col rounded-xl p-1.5 contain-inline-size transition-[background-color,box-shadow] ${frameClass(drop, stage === 'done' ? `${LANE_TINT[lane.classOfService]} done-half` : LANE_TINT[lane.classOfService])} ${
        full && drop.kind === 'idle' ? 'ring-2 ring-amber-400 ring-inset' : ''
      }`}
    >
      {limit !== null ? (
        <p className="mb-1 flex items-center gap-1.5 text-xs">
          <span className={`rounded px-1 font-bold tabular-nums ring-1 ${COUNT[state]}`} data-testid={`cell-count-${column.id}-${lane.id}`}>
            {formatCount(count, limit)}
          </span>
          {full ? <span className="font-semibold text-amber-800">Full</span> : null}
        </p>
      ) : null}
      {stage !== null ? (
        <p className="mb-1 px-0.5 text-xs font-semibold text-slate-700" aria-hidden>
          {stage === 'done' ? 'Done' : 'Doing'}
        </p>
      ) : null}
      <ol data-drop-column={cellId} className="flex flex-1 flex-col gap-1.5 p-0.5" aria-label={`Cards in ${column.name}${half}, ${lane.name} lane`}>
        {(cards.length > drawLimit ? cards.slice(0, drawLimit) : cards).map((card) => (
          <DraggableCard key={card.id} card={card} columnId={cellId} movingBy={movingBy.get(card.id)} dragging={card.id === draggingCardId} onOpen={onOpenCard} />
        ))}
        {cards.length === 0 && drop.kind === 'allowed' ? <li className="list-none rounded-lg border-2 border-dashed border-slate-300 px-2 py-2 text-center text-xs text-slate-500">Drop here</li> : null}
      </ol>
      {onAddCard ? (
        <div className="mt-1">
          <AddCardForm columnId={cellId} columnName={`${column.name}, ${lane.name} lane`} onAdd={(title) => onAddCard(column.id, lane.id, title)} prominent={isFirst && lane.classOfService === 'standard'} refusal={addRefusal} />
        </div>
      ) : null}
      {/* A veil, not a filter over the cards: filtering a tall cell repainted all of it on every drag. */}
      {drop.kind === 'refused' ? <div aria-hidden className="refused-veil" /> : null}
      {drop.kind === 'refused' ? (
        <p
          data-testid={`cell-refused-${column.id}-${lane.id}`}
          title={drop.message}
          className={`pointer-events-none absolute inset-x-2 top-2 z-10 rounded-lg px-2 py-1.5 text-center font-bold text-white shadow-lg ${drop.over ? 'bg-rose-700 text-sm' : 'bg-slate-900/90 text-xs'}`}
        >
          WIP limit reached
          {drop.over ? <span className="mt-1 block text-xs font-medium">{drop.message}</span> : null}
        </p>
      ) : null}
    </section>
  );
}, sameCell);
