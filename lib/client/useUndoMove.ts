'use client';
import { useCallback, useEffect, useRef } from 'react';
import { isBackwardMove } from '../shared/domain/rules';
import type { BoardSnapshot, CardStage } from '../shared/domain/types';
import { placeOf, UNDO_WINDOW_MS } from '../shared/domain/undo';
import { columnName } from './boardView';
import type { BoardActions } from './boardActions';
import type { OwnMove } from './optimistic';
import type { MoveOutcome } from './useCardDrag';
import type { ToastOptions, ToastTone } from './useToasts';

/** The toast leaves a little before the server's window closes, so its button is never refused for being late. */
const TOAST_MARGIN_MS = 1_000;

interface Options {
  view: BoardSnapshot;
  actions: BoardActions;
  notify(message: string, tone?: ToastTone, options?: ToastOptions): number;
  dismiss(id: number): void;
}

/**
 * One's own moves, with their undo: after a move the server confirmed, a toast offers Undo for the
 * window (lib/shared/domain/undo.ts), and `undo` (Ctrl+Z / Cmd+Z on the board) takes the last one back.
 */
export function useUndoMove({ view, actions, notify, dismiss }: Options) {
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });
  const last = useRef<{ move: OwnMove; until: number; toastId: number } | null>(null);

  const undo = useCallback(async (): Promise<boolean> => {
    const entry = last.current;
    if (!entry || Date.now() > entry.until) return false;
    last.current = null;
    dismiss(entry.toastId);
    const { move } = entry;
    const ack = await actions.undoMove(move);
    const board = viewRef.current;
    const title = board.cards.find((c) => c.id === move.cardId)?.title ?? 'The card';
    // A refusal is shown by the sync engine; a success is said, for those who cannot see the card go.
    if (ack.ok) notify(`Undone: “${title}” is back in ${columnName(board.columns, move.before.columnId)}${move.before.stage === 'done' ? ', done' : ''}`, 'info');
    return true;
  }, [actions, dismiss, notify]);

  const move = useCallback(
    async (cardId: string, toColumnId: string, beforeCardId: string | null, reason: string | null, toLaneId?: string, stage?: CardStage): Promise<MoveOutcome> => {
      const board = viewRef.current;
      const card = board.cards.find((c) => c.id === cardId);
      const ack = await actions.moveCard(cardId, toColumnId, beforeCardId, reason, toLaneId, stage);
      if (!ack.ok) return { ok: false, message: ack.message };
      if (!card) return { ok: true };
      if (last.current) dismiss(last.current.toastId);
      const backward = board.columns.some((c) => c.id === card.columnId) && board.columns.some((c) => c.id === toColumnId) && isBackwardMove(board.columns.map((c) => c.id), card.columnId, toColumnId);
      const own: OwnMove = { cardId, version: ack.version, at: ack.card.updatedAt, toColumnId, backward, before: placeOf(card), toStage: ack.card.stage };
      const shown = Math.max(0, UNDO_WINDOW_MS - TOAST_MARGIN_MS);
      const where = `${columnName(board.columns, toColumnId)}${ack.card.stage !== card.stage ? `, ${ack.card.stage}` : ''}`;
      const toastId = notify(card.columnId === toColumnId && ack.card.stage === card.stage ? `Moved “${card.title}” within ${where}` : `Moved “${card.title}” to ${where}`, 'info', {
        durationMs: shown,
        action: { label: 'Undo', keys: 'Control+Z Meta+Z', run: () => void undo() },
      });
      last.current = { move: own, until: Date.now() + shown, toastId };
      return { ok: true };
    },
    [actions, dismiss, notify, undo],
  );

  return { move, undo };
}
