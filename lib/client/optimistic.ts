import { applyEvent } from '../shared/domain/apply';
import { arrivalAnchor, isLastColumn } from '../shared/domain/doneOrder';
import { defaultLaneId, laneForNewCard } from '../shared/domain/lanes';
import { positionBefore, sortByPosition } from '../shared/domain/ordering';
import { cardMovedEvent, isBackwardMove } from '../shared/domain/rules';
import { stageAfterMove } from '../shared/domain/split';
import type { BoardEventBody, BoardSnapshot, CardDTO, CardPlace, CardStage, CardType, ColumnDTO } from '../shared/domain/types';
import { undoMovedEvent } from '../shared/domain/undo';
import type { Apply } from './syncState';

/**
 * Optimistic changes are the server's own events, predicted: each builds the event body the server
 * will commit and folds it through applyEvent, so the prediction and the truth share one reducer.
 * Ids the server assigns (new cards, new columns) get a temporary id until the real event lands.
 */

export const TEMP_ID_PREFIX = 'pending-';
export const isTempId = (id: string) => id.startsWith(TEMP_ID_PREFIX);

function predict(board: BoardSnapshot, body: BoardEventBody, at: string): BoardSnapshot {
  // Same version: a prediction is not a commit, gap detection must keep using the confirmed one.
  return applyEvent(board, { ...body, boardId: board.id, version: board.version, actor: '', at });
}

function findCard(board: BoardSnapshot, cardId: string): CardDTO {
  const card = board.cards.find((c) => c.id === cardId);
  if (!card) throw new Error(`card ${cardId} is not on the board`);
  return card;
}

export function moveCardApply(cardId: string, toColumnId: string, beforeCardId: string | null, reason: string | null, at: string, toLaneId?: string, toStage?: CardStage): Apply {
  return (board) => {
    const card = findCard(board, cardId);
    const order = board.columns.map((c) => c.id);
    const backward = isBackwardMove(order, card.columnId, toColumnId);
    const target = board.cards.filter((c) => c.columnId === toColumnId);
    // The last work center is newest first (doneOrder.ts): an arrival goes on top and a card moved
    // within it stays where it is, as the server does.
    const last = isLastColumn(board.columns, toColumnId);
    const anchor = last ? arrivalAnchor(sortByPosition(target), cardId) : beforeCardId;
    const position = last && card.columnId === toColumnId ? card.position : (positionBefore(target, anchor, cardId) ?? positionBefore(target, null, cardId));
    if (position === null) throw new Error('no position');
    const column = board.columns.find((c) => c.id === toColumnId);
    // The server's rule for the half of a split work center the card lands in (throws where the server refuses).
    const stage = column ? stageAfterMove(column, toStage, card.columnId === toColumnId, card.stage) : 'doing';
    return predict(
      board,
      cardMovedEvent({
        cardId,
        fromColumnId: card.columnId,
        toColumnId,
        position,
        backward,
        reason,
        fromStage: card.stage,
        toStage: stage,
        ...(toLaneId ? { fromLaneId: card.laneId, toLaneId } : {}),
      }),
      at,
    );
  };
}

/** One's own move as its ack confirmed it: what an undo takes back (lib/shared/domain/undo.ts). */
export interface OwnMove {
  cardId: string;
  /** The version of its card_moved event (the ack's version). */
  version: number;
  /** Its event's time (the acked card's updatedAt). */
  at: string;
  toColumnId: string;
  backward: boolean;
  /** Where the card stood before it. */
  before: CardPlace;
  /** The card's half of a split work center after it. */
  toStage?: CardStage;
}

/** The compensating event of an undo, predicted exactly as the server will commit it. */
export function undoMoveApply(move: OwnMove, at: string): Apply {
  return (board) => {
    findCard(board, move.cardId);
    return predict(board, undoMovedEvent({ ...move, returnedToColumnId: move.backward ? move.toColumnId : null }, move.before), at);
  };
}

export interface NewCard {
  tempId: string;
  columnId: string;
  /** The lane; absent: the board's first standard lane (as the server chooses). */
  laneId?: string;
  title: string;
  type: CardType;
  description: string;
}

export function createCardApply(input: NewCard, at: string): Apply {
  return (board) => {
    const target = board.cards.filter((c) => c.columnId === input.columnId);
    const anchor = isLastColumn(board.columns, input.columnId) ? arrivalAnchor(sortByPosition(target), null) : null;
    const card: CardDTO = {
      id: input.tempId,
      boardId: board.id,
      columnId: input.columnId,
      laneId: input.laneId ?? laneForNewCard(board.lanes)?.id ?? defaultLaneId(board.id),
      position: positionBefore(target, anchor, null) ?? 'a0',
      title: input.title.trim(),
      description: input.description,
      type: input.type,
      blocked: false,
      blockedReason: null,
      blockedMs: 0,
      blockedSince: null,
      defectCount: 0,
      createdAt: at,
      updatedAt: at,
      enteredColumnAt: at,
      assigneeIds: [],
      stage: 'doing',
      // The server numbers the card: the key shows once its answer comes.
      number: 0,
      parentId: null,
    };
    return predict(board, { type: 'card_created', card }, at);
  };
}

export type CardChanges = Partial<Pick<CardDTO, 'title' | 'description' | 'type' | 'blocked' | 'blockedReason' | 'assigneeIds'>>;

export function updateCardApply(cardId: string, changes: CardChanges, at: string): Apply {
  return (board) => {
    findCard(board, cardId);
    return predict(board, { type: 'card_updated', cardId, changes }, at);
  };
}

export function deleteCardApply(cardId: string, at: string): Apply {
  return (board) => predict(board, { type: 'card_deleted', cardId, columnId: findCard(board, cardId).columnId }, at);
}

export function renameBoardApply(name: string, at: string): Apply {
  return (board) => predict(board, { type: 'board_renamed', name: name.trim() }, at);
}

export function keyPrefixApply(keyPrefix: string, at: string): Apply {
  return (board) => predict(board, { type: 'key_prefix_set', keyPrefix }, at);
}

export function personWipLimitApply(personWipLimit: number | null, at: string): Apply {
  return (board) => predict(board, { type: 'person_wip_limit_set', personWipLimit }, at);
}

export function addColumnApply(tempId: string, name: string, wipLimit: number | null, index: number, at: string): Apply {
  return (board) => {
    const column: ColumnDTO = { id: tempId, boardId: board.id, name: name.trim(), wipLimit, defectsReturned: 0, split: false };
    return predict(board, { type: 'column_added', column, index: Math.min(index, board.columns.length) }, at);
  };
}

export function updateColumnApply(columnId: string, changes: { name?: string; wipLimit?: number | null; split?: boolean }, at: string): Apply {
  return (board) => {
    let next = board;
    if (changes.name !== undefined) next = predict(next, { type: 'column_renamed', columnId, name: changes.name.trim() }, at);
    if (changes.wipLimit !== undefined) next = predict(next, { type: 'wip_limit_set', columnId, wipLimit: changes.wipLimit }, at);
    if (changes.split !== undefined) next = predict(next, { type: 'column_split_set', columnId, split: changes.split }, at);
    return next;
  };
}

export function moveColumnApply(columnId: string, toIndex: number, at: string): Apply {
  return (board) => predict(board, { type: 'column_moved', columnId, toIndex }, at);
}
