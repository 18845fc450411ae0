'use client';
import { useDroppable } from '@dnd-kit/core';
import { useMemo, useState } from 'react';
import { CARD_WINDOW } from '../../lib/shared/domain/cardWindow';
import type { CardDTO, CardStage, ColumnDTO } from '../../lib/shared/domain/types';
import { cellKey } from '../../lib/client/laneView';
import { isTempId } from '../../lib/client/optimistic';
import { columnDropId, type DragData } from '../../lib/client/useCardDrag';
import { AddCardForm } from './AddCardForm';
import { useCardMatch } from './BoardFilters';
import { ColumnHeader } from './ColumnHeader';
import { DraggableCard } from './DraggableCard';

/** The room a card not drawn yet takes: a one-line card (.card-slot's intrinsic size) and the gap after it. */
const UNDRAWN_CARD_REM = 5.125;

/** How this work center relates to the card being dragged, if any. */
export type DropState =
  | { kind: 'idle' }
  | { kind: 'allowed'; over: boolean; backward: boolean }
  | { kind: 'refused'; message: string; over: boolean };

interface ColumnProps {
  column: ColumnDTO;
  step: number;
  cards: readonly CardDTO[];
  /** Cards the work center really holds, whatever a drag in progress shows. */
  count: number;
  /** Cards of a big board's work center not sent with the board (lib/shared/domain/cardWindow.ts). */
  notLoaded: number;
  onLoadMore: (columnId: string) => Promise<void>;
  drop: DropState;
  movingBy: ReadonlyMap<string, string>;
  /** The card being dragged here, if any. */
  draggingCardId: string | null;
  /** How many of its cards to draw yet (useDrawLimit); the rest hold their place. */
  drawLimit: number;
  onOpenCard(cardId: string): void;
  /** Absent for those who may not change work centers (members and viewers). */
  onSettings?: () => void;
  /** Absent for viewers. */
  onAddCard?: (title: string) => void;
  isFirst: boolean;
  isLast: boolean;
  /** Why a new card cannot start here, if it cannot. */
  addRefusal: string | null;
  /** A split work center's done half (lib/shared/domain/split.ts): its cards and its drop state; `cards` and `drop` are then the doing half's. */
  done?: { cards: readonly CardDTO[]; drop: DropState };
}

function frameClass(drop: DropState): string {
  if (drop.kind === 'refused') return 'bg-slate-300/60';
  if (drop.kind === 'allowed' && drop.over) {
    return drop.backward ? 'bg-amber-50 ring-2 ring-amber-500' : 'bg-sky-50 ring-2 ring-sky-500';
  }
  if (drop.kind === 'allowed' && drop.backward) return 'bg-slate-200/70 ring-2 ring-amber-300 ring-inset';
  return 'bg-slate-200/70';
}

/** One work center: whole, or split into a doing and a done half under one header. */
export function Column(props: ColumnProps) {
  return props.column.split && props.done ? <SplitColumn {...props} done={props.done} /> : <WholeColumn {...props} />;
}

/**
 * One work center. While a card is dragged, the labels that say why a drop is refused or what a
 * backward drop means are overlays, so nothing moves under the pointer.
 */
function WholeColumn({ column, step, cards: all, count, notLoaded, onLoadMore, drop, movingBy, draggingCardId, drawLimit, onOpenCard, onSettings, onAddCard, isFirst, isLast, addRefusal }: ColumnProps) {
  const data: DragData = { type: 'column', columnId: column.id };
  const { setNodeRef } = useDroppable({ id: columnDropId(column.id), data, disabled: isTempId(column.id) });
  // The board's filters (BoardFilters.tsx) choose what is drawn; the header's count stays whole.
  const match = useCardMatch();
  const cards = useMemo(() => (match ? all.filter(match) : all), [all, match]);
  const backward = drop.kind === 'allowed' && drop.backward;
  const undrawn = cards.length - drawLimit;

  return (
    <section
      ref={setNodeRef}
      aria-label={column.name}
      data-testid={`column-${column.id}`}
      data-drop-state={backward ? 'backward' : drop.kind}
      data-drop-over={drop.kind !== 'idle' && drop.over ? 'true' : 'false'}
      // On a phone 17rem (about 240 px): a readable card, with the next work center peeking in to say the board scrolls.
      // contain-inline-size: what a column holds (a long name, a pasted URL) never widens the board;
      // every column shares the width equally down to its minimum.
      className={`relative flex min-w-[17rem] flex-1 basis-0 flex-col sm:min-w-[9rem] rounded-xl contain-inline-size transition-[background-color,box-shadow] ${frameClass(drop)}`}
    >
      <div className="flex min-h-0 flex-1 flex-col p-1.5">
        <ColumnHeader column={column} step={step} count={count} isLast={isLast} onSettings={onSettings} />
        <ol
          data-drop-column={column.id}
          className="mt-1.5 flex min-h-16 flex-col gap-1.5 overflow-y-auto p-0.5"
          aria-label={`Cards in ${column.name}`}
        >
          {(undrawn > 0 ? cards.slice(0, drawLimit) : cards).map((card) => (
            <DraggableCard key={card.id} card={card} columnId={column.id} movingBy={movingBy.get(card.id)} dragging={card.id === draggingCardId} onOpen={onOpenCard} />
          ))}
          {/* The cards not drawn yet keep their room, so the column's scrollbar does not jump as they come. */}
          {undrawn > 0 ? <li aria-hidden className="list-none" style={{ height: `${undrawn * UNDRAWN_CARD_REM}rem` }} /> : null}
          {notLoaded > 0 && undrawn <= 0 ? (
            <li className="list-none">
              <ShowMore count={notLoaded} onLoad={() => onLoadMore(column.id)} />
            </li>
          ) : null}
          {cards.length === 0 && all.length > 0 ? (
            <li className="list-none rounded-lg border-2 border-dashed border-slate-300 px-2 py-4 text-center text-xs text-slate-600" data-testid={`column-filtered-${column.id}`}>
              No card here matches the filters
            </li>
          ) : null}
          {all.length === 0 && notLoaded === 0 ? (
            <li className="list-none rounded-lg border-2 border-dashed border-slate-300 px-2 py-4 text-center text-xs text-slate-600">
              {drop.kind === 'allowed' ? 'Drop here' : isFirst ? 'New work starts here' : 'Nothing in progress'}
            </li>
          ) : null}
        </ol>
        <div className="mt-1.5 min-h-8">
          {backward ? (
            <p className="rounded-lg bg-amber-100 px-2 py-1.5 text-center text-xs font-semibold text-amber-900">↩ Sends it back: name the defect</p>
          ) : onAddCard ? (
            <AddCardForm columnId={column.id} columnName={column.name} onAdd={onAddCard} prominent={isFirst} refusal={addRefusal} />
          ) : null}
        </div>
      </div>
      {/* A veil, not a filter over the cards: filtering a work center repainted all of it on every drag. */}
      {drop.kind === 'refused' ? <div aria-hidden className="refused-veil" /> : null}
      {drop.kind === 'refused' ? (
        <p
          data-testid={`column-refused-${column.id}`}
          title={drop.message}
          className={`pointer-events-none absolute inset-x-2 top-1/3 z-10 rounded-lg px-2 py-2 text-center font-bold text-white shadow-lg ${
            drop.over ? 'bg-rose-700 text-sm' : 'bg-slate-900/90 text-xs'
          }`}
        >
          WIP limit reached
          {drop.over ? <span className="mt-1 block text-xs font-medium">{drop.message}</span> : null}
        </p>
      ) : null}
    </section>
  );
}

/**
 * A split work center: one header (its count is both halves': the WIP limit counts them together),
 * then its halves side by side, each a drop target of its own. The done half, where finished cards
 * wait for the next work center to pull them, is shaded.
 */
function SplitColumn({ column, step, cards, done, count, notLoaded, onLoadMore, drop, movingBy, draggingCardId, drawLimit, onOpenCard, onSettings, onAddCard, isLast, addRefusal }: ColumnProps & { done: NonNullable<ColumnProps['done']> }) {
  const backward = (drop.kind === 'allowed' && drop.backward) || (done.drop.kind === 'allowed' && done.drop.backward);
  const halves = { column, movingBy, draggingCardId, drawLimit, onOpenCard };
  return (
    <section
      aria-label={`${column.name}, split into doing and done`}
      data-testid={`column-${column.id}`}
      data-split="true"
      className="relative flex min-w-[22rem] flex-[2_1_0%] flex-col rounded-xl bg-slate-200/70 contain-inline-size sm:min-w-[16rem]"
    >
      <div className="flex min-h-0 flex-1 flex-col p-1.5">
        <ColumnHeader column={column} step={step} count={count} isLast={isLast} onSettings={onSettings} />
        <div className="mt-1.5 flex min-h-0 flex-1 gap-1.5">
          <ColumnHalf {...halves} stage="doing" cards={cards} drop={drop} />
          <ColumnHalf {...halves} stage="done" cards={done.cards} drop={done.drop} />
        </div>
        {notLoaded > 0 ? <ShowMore className="mt-1.5" count={notLoaded} onLoad={() => onLoadMore(column.id)} /> : null}
        <div className="mt-1.5 min-h-8">
          {backward ? (
            <p className="rounded-lg bg-amber-100 px-2 py-1.5 text-center text-xs font-semibold text-amber-900">↩ Sends it back: name the defect</p>
          ) : onAddCard ? (
            <AddCardForm columnId={column.id} columnName={column.name} onAdd={onAddCard} prominent={false} refusal={addRefusal} />
          ) : null}
        </div>
      </div>
    </section>
  );
}

const HALF_LABEL: Record<CardStage, string> = { doing: 'Doing', done: 'Done' };

interface ColumnHalfProps {
  column: ColumnDTO;
  stage: CardStage;
  cards: readonly CardDTO[];
  drop: DropState;
  movingBy: ReadonlyMap<string, string>;
  draggingCardId: string | null;
  drawLimit: number;
  onOpenCard(cardId: string): void;
}

/** One half of a split work center: a drop target with its list of cards. */
function ColumnHalf({ column, stage, cards: all, drop, movingBy, draggingCardId, drawLimit, onOpenCard }: ColumnHalfProps) {
  const key = cellKey(column.id, null, stage);
  const data: DragData = { type: 'column', columnId: key };
  const { setNodeRef } = useDroppable({ id: columnDropId(key), data, disabled: isTempId(column.id) });
  const match = useCardMatch();
  const cards = useMemo(() => (match ? all.filter(match) : all), [all, match]);
  const undrawn = cards.length - drawLimit;
  const backward = drop.kind === 'allowed' && drop.backward;
  const name = stage === 'done' ? `${column.name}, done: waiting to be pulled` : `${column.name}, doing`;
  return (
    <div
      ref={setNodeRef}
      role="group"
      aria-label={name}
      data-testid={`half-${stage}-${column.id}`}
      data-drop-state={backward ? 'backward' : drop.kind}
      data-drop-over={drop.kind !== 'idle' && drop.over ? 'true' : 'false'}
      className={`relative flex min-h-0 min-w-0 flex-1 basis-0 flex-col rounded-lg transition-[background-color,box-shadow] ${halfFrame(drop, stage)}`}
    >
      <p className="flex items-baseline justify-between gap-1 px-1.5 pt-1 text-xs font-semibold text-slate-700" aria-hidden>
        <span>{HALF_LABEL[stage]}</span>
        <span className="tabular-nums" data-testid={`half-count-${stage}-${column.id}`}>
          {all.length}
        </span>
      </p>
      <ol data-drop-column={key} className="flex min-h-16 flex-1 flex-col gap-1.5 overflow-y-auto p-0.5" aria-label={`Cards in ${name}`}>
        {(undrawn > 0 ? cards.slice(0, drawLimit) : cards).map((card) => (
          <DraggableCard key={card.id} card={card} columnId={key} movingBy={movingBy.get(card.id)} dragging={card.id === draggingCardId} onOpen={onOpenCard} />
        ))}
        {undrawn > 0 ? <li aria-hidden className="list-none" style={{ height: `${undrawn * UNDRAWN_CARD_REM}rem` }} /> : null}
        {cards.length === 0 && all.length > 0 ? (
          <li className="list-none rounded-lg border-2 border-dashed border-slate-300 px-1 py-4 text-center text-xs text-slate-600">No card here matches the filters</li>
        ) : null}
        {all.length === 0 ? (
          <li className="list-none rounded-lg border-2 border-dashed border-slate-300 px-1 py-4 text-center text-xs text-slate-600">
            {drop.kind === 'allowed' ? 'Drop here' : stage === 'done' ? 'Nothing waiting' : 'Nothing in progress'}
          </li>
        ) : null}
      </ol>
      {drop.kind === 'refused' ? <div aria-hidden className="refused-veil rounded-lg" /> : null}
      {drop.kind === 'refused' ? (
        <p
          data-testid={`half-refused-${stage}-${column.id}`}
          title={drop.message}
          className={`pointer-events-none absolute inset-x-1 top-1/3 z-10 rounded-lg px-1 py-2 text-center font-bold text-white shadow-lg ${drop.over ? 'bg-rose-700 text-sm' : 'bg-slate-900/90 text-xs'}`}
        >
          WIP limit reached
          {drop.over ? <span className="mt-1 block text-xs font-medium">{drop.message}</span> : null}
        </p>
      ) : null}
    </div>
  );
}

/** The done half is shaded a step darker than the work center, so waiting work reads apart from work in hand. */
function halfFrame(drop: DropState, stage: CardStage): string {
  if (drop.kind === 'allowed' && drop.over) return drop.backward ? 'bg-amber-50 ring-2 ring-amber-500' : 'bg-sky-50 ring-2 ring-sky-500';
  if (drop.kind === 'allowed' && drop.backward) return 'ring-2 ring-amber-300 ring-inset';
  return stage === 'done' ? 'bg-slate-300/70' : '';
}

/** The next page of a work center a big board's window did not send whole. */
export function ShowMore({ count, onLoad, className = '' }: { count: number; onLoad: () => Promise<void>; className?: string }) {
  const [loading, setLoading] = useState(false);
  return (
    <button
      type="button"
      data-testid="show-more-cards"
      disabled={loading}
      onClick={() => {
        setLoading(true);
        void onLoad().finally(() => setLoading(false));
      }}
      className={`w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-xs font-semibold text-slate-700 hover:bg-slate-50 disabled:opacity-60 ${className}`}
    >
      {loading ? 'Loading…' : `Show ${Math.min(count, CARD_WINDOW)} more of ${count.toLocaleString('en')} not shown`}
    </button>
  );
}
