import type { CardDTO, CardStage, CardType, ClassOfService } from '../shared/domain/types';
import type { Ack } from '../shared/protocol';
import { newId } from './ids';
import {
  addColumnApply,
  createCardApply,
  deleteCardApply,
  moveCardApply,
  moveColumnApply,
  undoMoveApply,
  type OwnMove,
  renameBoardApply,
  personWipLimitApply,
  keyPrefixApply,
  TEMP_ID_PREFIX,
  updateCardApply,
  updateColumnApply,
  type CardChanges,
} from './optimistic';
import { request } from './socket';
import type { BoardSyncClient } from './sync/BoardSyncClient';

const now = () => new Date().toISOString();

export interface LaneChanges {
  name?: string;
  classOfService?: ClassOfService;
  wipLimit?: number | null;
  cellLimits?: Record<string, number | null>;
}

export interface ColumnChanges {
  name?: string;
  wipLimit?: number | null;
  /** Split into doing and done (lib/shared/domain/split.ts), or join the halves. */
  split?: boolean;
}

/**
 * Every change a person can make to a board, each one optimistic except removing a work center.
 * Plain functions over a sync engine's `mutate`, so the fuzz test makes changes exactly as a board does.
 */
export function boardActions(boardId: string, mutate: BoardSyncClient['mutate']) {
  return {
    /** `toLaneId`: another lane for the card (absent: it stays in its lane); `stage`: the half of a split work center. */
    moveCard: (cardId: string, toColumnId: string, beforeCardId: string | null, reason: string | null, toLaneId?: string, stage?: CardStage) =>
      mutate(moveCardApply(cardId, toColumnId, beforeCardId, reason, now(), toLaneId, stage), (s, clientMutationId) =>
        request(s, 'card:move', { cardId, toColumnId, beforeCardId, clientMutationId, ...(reason ? { reason } : {}), ...(toLaneId ? { toLaneId } : {}), ...(stage ? { stage } : {}) }),
      ),
    /** Takes back one's own last move of a card, within UNDO_WINDOW_MS (optimistic: the card goes back at once). */
    undoMove: (move: OwnMove) =>
      mutate(undoMoveApply(move, now()), (s, clientMutationId) => request(s, 'card:undo-move', { cardId: move.cardId, version: move.version, clientMutationId })),
    createCard: (columnId: string, title: string, type: CardType = 'feature', laneId?: string) =>
      mutate(
        createCardApply({ tempId: `${TEMP_ID_PREFIX}${newId()}`, columnId, title, type, description: '', ...(laneId ? { laneId } : {}) }, now()),
        (s, clientMutationId) => request(s, 'card:create', { boardId, columnId, title, type, clientMutationId, ...(laneId ? { laneId } : {}) }),
      ),
    // Lanes: not optimistic (an expedite lane's place, its default limit and refusals are the server's).
    addLane: (input: { name: string; classOfService: ClassOfService; wipLimit?: number | null }): Promise<Ack> =>
      mutate(null, (s, clientMutationId) => request(s, 'lane:add', { boardId, ...input, clientMutationId })),
    updateLane: (laneId: string, changes: LaneChanges): Promise<Ack> => mutate(null, (s, clientMutationId) => request(s, 'lane:update', { laneId, ...changes, clientMutationId })),
    moveLane: (laneId: string, toIndex: number): Promise<Ack> => mutate(null, (s, clientMutationId) => request(s, 'lane:move', { laneId, toIndex, clientMutationId })),
    removeLane: (laneId: string): Promise<Ack> => mutate(null, (s, clientMutationId) => request(s, 'lane:remove', { laneId, clientMutationId })),
    updateCard: (cardId: string, changes: CardChanges) =>
      mutate(updateCardApply(cardId, changes, now()), (s, clientMutationId) =>
        request(s, 'card:update', { cardId, ...changes, clientMutationId }),
      ),
    /**
     * Replaces a card by smaller ones. Not optimistic: the form waits for the answer and shows a refusal
     * (a WIP limit, usually) where the titles were typed, rather than the card vanishing and coming back.
     */
    splitCard: (cardId: string, titles: string[]): Promise<Ack<{ cards: CardDTO[] }>> =>
      mutate(null, (s, clientMutationId) => request(s, 'card:split', { cardId, titles, clientMutationId })),
    deleteCard: (cardId: string) =>
      mutate(deleteCardApply(cardId, now()), (s, clientMutationId) => request(s, 'card:delete', { cardId, clientMutationId })),
    renameBoard: (name: string) =>
      mutate(renameBoardApply(name, now()), (s, clientMutationId) =>
        request(s, 'board:rename', { boardId, name, clientMutationId }),
      ),
    /** The most cards in progress one person may hold (null: no limit). */
    setPersonWipLimit: (personWipLimit: number | null) =>
      mutate(personWipLimitApply(personWipLimit, now()), (s, clientMutationId) => request(s, 'board:configure', { boardId, personWipLimit, clientMutationId })),
    /** The prefix of the board's card keys (admins): PAY-42 reads PAYM-42 from now on. */
    setKeyPrefix: (keyPrefix: string) =>
      mutate(keyPrefixApply(keyPrefix, now()), (s, clientMutationId) => request(s, 'board:configure', { boardId, keyPrefix, clientMutationId })),
    addColumn: (name: string, wipLimit: number | null, index: number) =>
      mutate(addColumnApply(`${TEMP_ID_PREFIX}${newId()}`, name, wipLimit, index, now()), (s, clientMutationId) =>
        request(s, 'column:add', { boardId, name, wipLimit, index, clientMutationId }),
      ),
    updateColumn: (columnId: string, changes: ColumnChanges) =>
      mutate(updateColumnApply(columnId, changes, now()), (s, clientMutationId) =>
        request(s, 'column:update', { columnId, ...changes, clientMutationId }),
      ),
    moveColumn: (columnId: string, toIndex: number) =>
      mutate(moveColumnApply(columnId, toIndex, now()), (s, clientMutationId) =>
        request(s, 'column:move', { columnId, toIndex, clientMutationId }),
      ),
    // Not optimistic: a work center that still holds cards is refused, and hiding it (and its
    // cards) until the refusal arrives would flash the wrong board at everyone in the room.
    removeColumn: (columnId: string): Promise<Ack> =>
      mutate(null, (s, clientMutationId) => request(s, 'column:remove', { columnId, clientMutationId })),
  };
}

export type BoardActions = ReturnType<typeof boardActions>;
