'use client';
import { DndContext, DragOverlay, MeasuringStrategy } from '@dnd-kit/core';
import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { arrivalRefusal, columnName, keepUnchangedLists } from '../../lib/client/boardView';
import { cardsByCell, cellKey, hasLanes, parseCellKey } from '../../lib/client/laneView';
import { cardCount, cardsNotLoaded } from '../../lib/shared/domain/cardWindow';
import { hasRole } from '../../lib/shared/domain/roles';
import { useBoardActions } from '../../lib/client/useBoardActions';
import { useBoardSync } from '../../lib/client/useBoardSync';
import { useCardDrag } from '../../lib/client/useCardDrag';
import { useDrawLimit } from '../../lib/client/useDrawLimit';
import { usePresence } from '../../lib/client/usePresence';
import { useToasts } from '../../lib/client/useToasts';
import { useUndoMove } from '../../lib/client/useUndoMove';
import { useRemoteAnnouncements, useSay } from '../../lib/client/useAnnouncements';
import { LiveRegion } from '../ui/LiveRegion';
import { SkipLink } from '../ui/SkipLink';
import { connectEarly } from '../../lib/client/socket';
import { RenderedAtContext } from '../../lib/client/useNow';
import { Toasts } from '../ui/Toasts';
import type { DialogState } from './BoardDialogs';
import { BoardHeader, type BoardMe } from './BoardHeader';
import { CardDragProvider } from './CardDragSource';
import { CardFace } from './CardFace';
import { FlowMarksProvider } from '../flow/FlowMarks';
import { Column, type DropState } from './Column';
import { LaneGrid } from './LaneGrid';
import { cardElement } from './focus';
import { ReasonDialog } from './ReasonDialog';
import { BoardFilterProvider, FilterBar } from './BoardFilters';
import { PeopleProvider } from './People';
import { CardKeysProvider } from './CardKey';
import { keyPrefixOf } from '../../lib/shared/domain/keys';
import { NO_FILTER, type BoardFilter } from '../../lib/client/boardFilter';

const SCREEN_READER_INSTRUCTIONS = {
  draggable:
    'To move a card, press Space to pick it up, use the arrow keys to move it between work centers, press Space again to drop it, or Escape to cancel. Press Enter to open it.',
};

// The dialogs (and the Markdown renderer the card dialog needs) load when one first opens, or once the
// board is live, whichever comes first: a fifth of the board's script that its first draw does not need.
const loadDialogs = () => import('./BoardDialogs');
const BoardDialogs = lazy(() => loadDialogs().then((module) => ({ default: module.BoardDialogs })));

// The board's connection opens as soon as this code loads, while the page hydrates (useBoardSync takes it).
connectEarly();

const NO_CARDS: readonly CardDTO[] = [];
/** A viewer's board has no drag sensors: it follows the board live and changes nothing. */
const NO_SENSORS: never[] = [];

/**
 * The work centers are the only droppables (cards are placed from the pointer, see beforeCardAt);
 * measure them while a card is dragged only, not on every change to the board.
 */
const MEASURING = { droppable: { strategy: MeasuringStrategy.WhileDragging } };

/**
 * `renderedAt` is when the server rendered the page: hydration shows card ages as of then, exactly
 * as the server's HTML does (see useClock).
 */
/** `notice`: what the board's page tells this viewer above the work centers (an admin: a webhook turned off). `openCardId`: the card whose dialog opens with the board. */
export function Board({
  initial,
  me,
  renderedAt,
  filter = NO_FILTER,
  notice,
  openCardId,
}: {
  initial: BoardSnapshot;
  me: BoardMe;
  renderedAt: number;
  filter?: BoardFilter;
  notice?: ReactNode;
  openCardId?: string;
}) {
  const dndId = useId();
  const { toasts, notify, dismiss } = useToasts();
  const sync = useBoardSync(initial, notify);
  const { view } = sync;
  const presence = usePresence(sync.socket, view.id);
  const actions = useBoardActions(view.id, sync.mutate);
  // `?card=<id>` (a link from the value stream map): the board opens with that card's dialog.
  const [dialog, setDialog] = useState<DialogState>(() => (openCardId && initial.cards.some((c) => c.id === openCardId) ? { kind: 'card', cardId: openCardId } : null));

  // Lists per work center, or per cell (lane × work center) on a board with lanes (laneView.ts).
  const cards = useMemo(() => cardsByCell(view), [view]);
  const lanes = hasLanes(view);
  const lists = useMemo(() => new Map([...cards].map(([columnId, list]) => [columnId, list.map((c) => c.id)])), [cards]);
  const cardById = useMemo(() => new Map(view.cards.map((c) => [c.id, c])), [view.cards]);
  const counts = useMemo(() => new Map(view.columns.map((c) => [c.id, cardCount(view, c.id)])), [view]);
  const totalCards = useMemo(() => [...counts.values()].reduce((n, c) => n + c, 0), [counts]);

  const ownMoves = useUndoMove({ view, actions, notify, dismiss });
  // What the live regions say: how one's own drop ended, and what the others change (useAnnouncements).
  const dragStatus = useSay();
  const remoteChange = useRemoteAnnouncements(sync.socket, view, me.id);
  // The drag foresees the per-person limit too, naming the person (lib/shared/domain/people.ts).
  const dragView = useMemo(() => ({ ...view, people: [...sync.people] }), [view, sync.people]);
  const drag = useCardDrag({
    view: dragView,
    lists,
    move: ownMoves.move,
    notify,
    announceDrag: presence.announceDrag,
    say: dragStatus.say,
  });

  useEffect(() => {
    document.title = `${view.name} · Flowboard`;
  }, [view.name]);

  // Ctrl+Z / Cmd+Z on the board takes back one's last move (not while typing, nor inside a dialog).
  const { undo } = ownMoves;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      e.preventDefault();
      void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  useEffect(() => {
    if (sync.status === 'live') void loadDialogs();
  }, [sync.status]);

  // What each work center shows. A move or a drag changes one or two of these lists; the others
  // stay the same arrays, so their cards are not redrawn (see DraggableCard's memo).
  const fresh = useMemo(
    () => new Map([...lists.keys()].map((key) => [key, (drag.displayLists.get(key) ?? []).flatMap((id) => cardById.get(id) ?? [])])),
    [lists, drag.displayLists, cardById],
  );
  // The previous render's lists, kept in state (React's pattern for deriving from the last render).
  const [kept, setKept] = useState(() => ({ from: fresh, lists: keepUnchangedLists(new Map<string, readonly CardDTO[]>(), fresh) }));
  let shown = kept.lists;
  if (kept.from !== fresh) {
    shown = keepUnchangedLists(kept.lists, fresh);
    setKept({ from: fresh, lists: shown });
  }

  const drawLimit = useDrawLimit(
    Math.max(0, ...[...shown.values()].map((list) => list.length)),
    sync.status === 'connecting',
    drag.activeCardId !== null,
  );

  const dropStateOf = (columnId: string): DropState => {
    if (!drag.activeCardId) return { kind: 'idle' };
    const over = drag.overColumnId === columnId;
    const refusal = drag.refusals.get(columnId);
    if (refusal) return { kind: 'refused', message: refusal, over };
    return { kind: 'allowed', over, backward: drag.isBackwardTarget(columnId) };
  };

  const { justDropped } = drag;
  const openCard = useCallback(
    (cardId: string) => {
      if (!justDropped()) setDialog({ kind: 'card', cardId });
    },
    [justDropped],
  );

  const { status } = sync;
  const canWork = hasRole(me.role, 'member');
  const canAdmin = hasRole(me.role, 'admin');
  const activeCard = drag.activeCardId ? cardById.get(drag.activeCardId) : undefined;

  return (
    <RenderedAtContext value={renderedAt}>
      {/* React puts this in <head>. A thousand cards arrive in several chunks of HTML, and the browser
          would lay out and paint the board after each one; it paints once, when the board is whole. */}
      <link rel="expect" href="#board-end" blocking="render" />
      <FlowMarksProvider boardId={view.id} version={view.version} live={status === 'live'}>
        <PeopleProvider people={sync.people}>
        <CardKeysProvider prefix={keyPrefixOf(view)} columns={view.columns}>
        <BoardFilterProvider initial={filter} keyPrefix={keyPrefixOf(view)}>
        <div className="flex h-dvh flex-col bg-slate-100">
          <SkipLink target="work-centers">Skip to work centers</SkipLink>
          <BoardHeader
            boardId={view.id}
            name={view.name}
            status={status}
            viewers={presence.viewers}
            selfId={presence.selfId}
            me={me}
            onOpenSettings={() => setDialog({ kind: 'board', focus: 'rename' })}
            onAddColumn={() => setDialog({ kind: 'board', focus: 'add-column' })}
          />
          <FilterBar cards={view.cards} total={totalCards} people={sync.people} />
          {notice}
          {status === 'reconnecting' || status === 'offline' ? (
            <p className="bg-amber-100 px-4 py-1 text-sm text-amber-950" data-testid="stale-banner">
              {sync.removed
                ? 'You are no longer a member of this board: ask one of its admins to add you again.'
                : 'Connection lost: this is the board as of the last update. It catches up by itself when the connection is back; changes are paused until then.'}
            </p>
          ) : null}
          <DndContext
            id={dndId}
            sensors={canWork ? drag.sensors : NO_SENSORS}
            collisionDetection={drag.collisionDetection}
            measuring={MEASURING}
            accessibility={{ announcements: drag.announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }}
            {...drag.handlers}
          >
            <CardDragProvider describedById={dndId} enabled={canWork}>
              <main id="work-centers" tabIndex={-1} className={`min-h-0 flex-1 overflow-x-auto outline-none ${lanes ? 'overflow-y-auto' : 'overflow-y-hidden'}`} aria-label="Value stream">
                {view.columns.length === 0 ? (
                  <div className="flex h-full flex-col items-center justify-center gap-3 text-slate-600">
                    <p className="text-lg">This board has no work centers yet.</p>
                    <button
                      type="button"
                      onClick={() => setDialog({ kind: 'board', focus: 'add-column' })}
                      className="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800"
                    >
                      Add the first work center
                    </button>
                  </div>
                ) : lanes ? (
                  <LaneGrid
                    view={view}
                    shown={shown}
                    dropStateOf={dropStateOf}
                    movingBy={presence.movingBy}
                    draggingCardId={drag.activeCardId}
                    drawLimit={drawLimit}
                    onOpenCard={openCard}
                    onColumnSettings={canAdmin ? (columnId) => setDialog({ kind: 'column', columnId }) : undefined}
                    onAddCard={canWork ? (columnId, laneId, title) => void actions.createCard(columnId, title, 'feature', laneId) : undefined}
                    onLoadMore={sync.loadMore}
                  />
                ) : (
                  <div className="flex h-full min-w-min gap-2 p-2">
                    {view.columns.map((column, index) => (
                      <Column
                        key={column.id}
                        column={column}
                        step={index + 1}
                        cards={shown.get(column.id) ?? NO_CARDS}
                        count={cardCount(view, column.id)}
                        notLoaded={cardsNotLoaded(view, column.id)}
                        onLoadMore={sync.loadMore}
                        drop={dropStateOf(column.id)}
                        movingBy={presence.movingBy}
                        draggingCardId={drag.activeCardId}
                        drawLimit={drawLimit}
                        onOpenCard={openCard}
                        onSettings={canAdmin ? () => setDialog({ kind: 'column', columnId: column.id }) : undefined}
                        onAddCard={canWork ? (title) => void actions.createCard(column.id, title) : undefined}
                        isFirst={index === 0}
                        isLast={index === view.columns.length - 1}
                        addRefusal={arrivalRefusal(view, column.id)}
                        done={column.split ? { cards: shown.get(cellKey(column.id, null, 'done')) ?? NO_CARDS, drop: dropStateOf(cellKey(column.id, null, 'done')) } : undefined}
                      />
                    ))}
                  </div>
                )}
              </main>
              {/* The end of the board in the page's HTML: nothing is painted before it is parsed (see <link rel="expect">). */}
              <span id="board-end" hidden />
            </CardDragProvider>
            <DragOverlay>{activeCard ? <CardFace card={activeCard} lifted /> : null}</DragOverlay>
          </DndContext>
          <Toasts toasts={toasts} onDismiss={dismiss} />
          <LiveRegion message={dragStatus.said.message} count={dragStatus.said.count} testId="drag-status" />
          <LiveRegion message={remoteChange.message} count={remoteChange.count} testId="remote-changes" />
          {dialog ? (
            <Suspense fallback={null}>
              <BoardDialogs
                dialog={dialog}
                setDialog={setDialog}
                view={view}
                cardById={cardById}
                cardCounts={counts}
                socket={sync.socket}
                actions={actions}
                notify={notify}
                readOnly={!canWork}
              />
            </Suspense>
          ) : null}
          {drag.pendingDrop ? (
            <ReasonDialog
              cardTitle={cardById.get(drag.pendingDrop.cardId)?.title ?? 'This card'}
              fromName={columnName(view.columns, drag.pendingDrop.fromColumnId)}
              toName={columnName(view.columns, parseCellKey(drag.pendingDrop.placement.columnId).columnId)}
              returnFocus={cardElement(drag.pendingDrop.cardId)}
              onConfirm={drag.confirmBackward}
              onCancel={drag.cancelBackward}
            />
          ) : null}
        </div>
        </BoardFilterProvider>
        </CardKeysProvider>
        </PeopleProvider>
      </FlowMarksProvider>
    </RenderedAtContext>
  );
}
