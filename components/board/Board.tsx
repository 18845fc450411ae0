'use client';
import { DndContext, DragOverlay, MeasuringStrategy } from '@dnd-kit/core';
import { useEffect, useId, useMemo, useState } from 'react';
import type { BoardSnapshot } from '../../lib/domain/types';
import { arrivalRefusal, cardsByColumn, columnName } from '../../lib/client/boardView';
import { saveDisplayName, useDisplayName } from '../../lib/client/displayName';
import { useBoardActions } from '../../lib/client/useBoardActions';
import { useBoardSync } from '../../lib/client/useBoardSync';
import { useCardDrag } from '../../lib/client/useCardDrag';
import { useNow } from '../../lib/client/useNow';
import { usePresence } from '../../lib/client/usePresence';
import { useToasts } from '../../lib/client/useToasts';
import { Toasts } from '../ui/Toasts';
import { BoardDialogs, type DialogState } from './BoardDialogs';
import { BoardHeader } from './BoardHeader';
import { CardFace } from './CardFace';
import { FlowMarksProvider } from '../flow/FlowMarks';
import { Column, type DropState } from './Column';
import { cardElement } from './focus';
import { ReasonDialog } from './ReasonDialog';

const SCREEN_READER_INSTRUCTIONS = {
  draggable:
    'To move a card, press Space to pick it up, use the arrow keys to move it between work centers, press Space again to drop it, or Escape to cancel. Press Enter to open it.',
};

/** Measure droppables continuously: columns scroll and cards move in and out while dragging. */
const MEASURING = { droppable: { strategy: MeasuringStrategy.Always } };

export function Board({ initial }: { initial: BoardSnapshot }) {
  const dndId = useId();
  const myName = useDisplayName();
  const { toasts, notify, dismiss } = useToasts();
  const sync = useBoardSync(initial, myName, notify);
  const { view } = sync;
  const presence = usePresence(sync.socket, view.id);
  const actions = useBoardActions(view.id, sync.mutate);
  const now = useNow();
  const [dialog, setDialog] = useState<DialogState>(null);

  const cards = useMemo(() => cardsByColumn(view), [view]);
  const lists = useMemo(() => new Map([...cards].map(([columnId, list]) => [columnId, list.map((c) => c.id)])), [cards]);
  const cardById = useMemo(() => new Map(view.cards.map((c) => [c.id, c])), [view.cards]);

  const drag = useCardDrag({
    view,
    lists,
    move: (cardId, toColumnId, beforeCardId, reason) => void actions.moveCard(cardId, toColumnId, beforeCardId, reason),
    notify,
    announceDrag: presence.announceDrag,
  });

  useEffect(() => {
    document.title = `${view.name} · Flowboard`;
  }, [view.name]);

  const dropStateOf = (columnId: string): DropState => {
    if (!drag.activeCardId) return { kind: 'idle' };
    const over = drag.overColumnId === columnId;
    const refusal = drag.refusals.get(columnId);
    if (refusal) return { kind: 'refused', message: refusal, over };
    return { kind: 'allowed', over, backward: drag.isBackwardTarget(columnId) };
  };

  const openCard = (cardId: string) => {
    if (!drag.justDropped()) setDialog({ kind: 'card', cardId });
  };

  const status = myName === null ? 'offline' : sync.status;
  const activeCard = drag.activeCardId ? cardById.get(drag.activeCardId) : undefined;

  return (
    <FlowMarksProvider boardId={view.id} version={view.version}>
      <div className="flex h-dvh flex-col bg-slate-100">
        <BoardHeader
          boardId={view.id}
          name={view.name}
          status={status}
          viewers={presence.viewers}
          selfId={presence.selfId}
          myName={myName}
          onOpenSettings={() => setDialog({ kind: 'board', focus: 'rename' })}
          onAddColumn={() => setDialog({ kind: 'board', focus: 'add-column' })}
          onChangeName={() => setDialog({ kind: 'name' })}
        />
        {status === 'reconnecting' || status === 'offline' ? (
          <p className="bg-amber-100 px-4 py-1 text-sm text-amber-950" data-testid="stale-banner">
            {myName === null
              ? 'Pick a name to join the board live.'
              : 'Connection lost: this is the board as of the last update. It catches up by itself when the connection is back; changes are paused until then.'}
          </p>
        ) : null}
        <DndContext
          id={dndId}
          sensors={drag.sensors}
          collisionDetection={drag.collisionDetection}
          measuring={MEASURING}
          accessibility={{ announcements: drag.announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }}
          {...drag.handlers}
        >
          <main className="min-h-0 flex-1 overflow-x-auto overflow-y-hidden" aria-label="Value stream">
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
            ) : (
              <div className="flex h-full min-w-min gap-2 p-2">
                {view.columns.map((column, index) => (
                  <Column
                    key={column.id}
                    column={column}
                    step={index + 1}
                    cards={(drag.displayLists.get(column.id) ?? []).flatMap((id) => cardById.get(id) ?? [])}
                    count={cards.get(column.id)?.length ?? 0}
                    drop={dropStateOf(column.id)}
                    now={now}
                    movingBy={presence.movingBy}
                    onOpenCard={openCard}
                    onSettings={() => setDialog({ kind: 'column', columnId: column.id })}
                    onAddCard={(title) => void actions.createCard(column.id, title)}
                    isFirst={index === 0}
                    isLast={index === view.columns.length - 1}
                    addRefusal={arrivalRefusal(view, column.id)}
                  />
                ))}
              </div>
            )}
          </main>
          <DragOverlay>{activeCard ? <CardFace card={activeCard} now={now} lifted /> : null}</DragOverlay>
        </DndContext>
        <Toasts toasts={toasts} onDismiss={dismiss} />
        <BoardDialogs
          dialog={dialog}
          setDialog={setDialog}
          view={view}
          cardById={cardById}
          cardCounts={cards}
          socket={sync.socket}
          actions={actions}
          notify={notify}
          myName={myName}
          onSaveName={saveDisplayName}
        />
        {drag.pendingDrop ? (
          <ReasonDialog
            cardTitle={cardById.get(drag.pendingDrop.cardId)?.title ?? 'This card'}
            fromName={columnName(view.columns, drag.pendingDrop.fromColumnId)}
            toName={columnName(view.columns, drag.pendingDrop.placement.columnId)}
            returnFocus={cardElement(drag.pendingDrop.cardId)}
            onConfirm={drag.confirmBackward}
            onCancel={drag.cancelBackward}
          />
        ) : null}
      </div>
    </FlowMarksProvider>
  );
}
