'use client';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { keyPrefixOf } from '../../lib/shared/domain/keys';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import type { FlowSocket } from '../../lib/client/socket';
import type { BoardActions } from '../../lib/client/useBoardActions';
import { BoardSettingsDialog } from './BoardSettingsDialog';
import { CardDialog } from './CardDialog';
import { ColumnDialog } from './ColumnDialog';
import { LaneSettings } from './LaneSettings';
import { cardElement } from './focus';

export type DialogState =
  | null
  | { kind: 'card'; cardId: string }
  | { kind: 'column'; columnId: string }
  | { kind: 'board'; focus: 'rename' | 'add-column' };

interface BoardDialogsProps {
  dialog: DialogState;
  setDialog(dialog: DialogState): void;
  view: BoardSnapshot;
  cardById: ReadonlyMap<string, CardDTO>;
  /** Live cards of each work center, those a big board's window did not send included. */
  cardCounts: ReadonlyMap<string, number>;
  socket: FlowSocket | null;
  actions: BoardActions;
  notify(message: string, tone?: 'error' | 'info'): void;
  /** True for viewers: cards open to read only. */
  readOnly: boolean;
}

/** The one dialog open at a time (besides the reason dialog, which belongs to a drop). */
export function BoardDialogs({ dialog, setDialog, view, cardById, cardCounts, socket, actions, notify, readOnly }: BoardDialogsProps) {
  const close = () => setDialog(null);
  /** The card this browser is splitting: its disappearance is no news to the person who split it. */
  const ownSplit = useRef<string | null>(null);
  const openCard = dialog?.kind === 'card' ? cardById.get(dialog.cardId) : undefined;
  const openColumnIndex = dialog?.kind === 'column' ? view.columns.findIndex((c) => c.id === dialog.columnId) : -1;
  const cardGone = dialog?.kind === 'card' && !openCard;
  const columnGone = dialog?.kind === 'column' && openColumnIndex < 0;

  // Someone else deleted what this dialog shows, or it was split (by them, or here: then focus goes to its first new card).
  const splitInto = cardGone ? view.cards.find((c) => c.parentId === dialog.cardId) : undefined;
  useEffect(() => {
    if (cardGone && splitInto) {
      if (ownSplit.current !== splitInto.parentId) notify('That card was just split into smaller cards by someone else', 'info');
      ownSplit.current = null;
      requestAnimationFrame(() => cardElement(splitInto.id)()?.focus());
    } else if (cardGone) notify('That card was just deleted by someone else', 'info');
    if (cardGone || columnGone) setDialog(null);
  }, [cardGone, columnGone, splitInto, notify, setDialog]);

  if (dialog?.kind === 'card' && openCard) {
    return (
      <CardDialog
        key={openCard.id}
        card={openCard}
        columns={view.columns}
        lanes={view.lanes}
        socket={socket}
        returnFocus={cardElement(openCard.id)}
        onSave={(changes) => void actions.updateCard(openCard.id, changes)}
        onDelete={() => {
          close();
          void actions.deleteCard(openCard.id);
        }}
        onSplit={
          readOnly || view.columns.at(-1)?.id === openCard.columnId
            ? undefined
            : (titles) => {
                ownSplit.current = openCard.id;
                return actions.splitCard(openCard.id, titles).then((ack) => {
                  if (!ack.ok) ownSplit.current = null;
                  return ack;
                });
              }
        }
        onClose={close}
        readOnly={readOnly}
      />
    );
  }

  const openColumn = view.columns[openColumnIndex];
  if (dialog?.kind === 'column' && openColumn) {
    return (
      <ColumnDialog
        key={openColumn.id}
        column={openColumn}
        index={openColumnIndex}
        columnCount={view.columns.length}
        cardCount={cardCounts.get(openColumn.id) ?? 0}
        doneCount={openColumn.split ? view.cards.filter((c) => c.columnId === openColumn.id && c.stage === 'done').length : 0}
        onSave={(changes) => void actions.updateColumn(openColumn.id, changes)}
        onMove={(toIndex) => void actions.moveColumn(openColumn.id, toIndex)}
        onRemove={() => actions.removeColumn(openColumn.id)}
        onClose={close}
      />
    );
  }

  if (dialog?.kind === 'board') {
    return (
      <BoardSettingsDialog
        boardName={view.name}
        columnCount={view.columns.length}
        focus={dialog.focus}
        onRename={(name) => void actions.renameBoard(name)}
        personWipLimit={view.personWipLimit ?? null}
        onSetPersonWipLimit={(limit) => void actions.setPersonWipLimit(limit)}
        keyPrefix={keyPrefixOf(view)}
        onSetKeyPrefix={(prefix) => void actions.setKeyPrefix(prefix)}
        onAddColumn={(name, wipLimit) => void actions.addColumn(name, wipLimit, view.columns.length)}
        onClose={close}
      >
        <LaneSettings lanes={view.lanes} columns={view.columns} cardsIn={(laneId) => view.cards.filter((c) => c.laneId === laneId).length} actions={actions} />
        {/* Here rather than in the header: the header's line has no room left at 1280 px. */}
        <p className="mt-5 border-t border-slate-200 pt-4 text-sm text-slate-700">
          <Link href={`/boards/${view.id}/integrations`} className="font-medium text-sky-800 underline" data-testid="open-integrations">
            Integrations
          </Link>
          : outgoing webhooks that tell other tools what happens on this board.
        </p>
      </BoardSettingsDialog>
    );
  }

  return null;
}
