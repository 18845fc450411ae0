import { DomainError } from './errors';
import type { BoardEventBody, CardStage } from './types';

/** Minimal view of a column that the move rules need. */
export interface RuleColumn {
  id: string;
  name: string;
  wipLimit: number | null;
}

export function wipLimitMessage(column: RuleColumn, count: number): string {
  return `${column.name} is at its WIP limit (${count} of ${column.wipLimit}): finish or move a card out first`;
}

/**
 * A pull into `target` that already holds `countInTarget` cards. Reordering inside a column is
 * never a pull. A column over its limit (the limit was lowered) accepts nothing until it is under.
 */
export function assertRoomFor(target: RuleColumn, countInTarget: number, sameColumn: boolean): void {
  if (sameColumn || target.wipLimit === null) return;
  if (countInTarget >= target.wipLimit) {
    throw new DomainError('WIP_LIMIT', wipLimitMessage(target, countInTarget));
  }
}

/** Work flows left to right: a move to a column with a lower index is backward. */
export function isBackwardMove(columnOrder: readonly string[], fromColumnId: string, toColumnId: string): boolean {
  const from = columnOrder.indexOf(fromColumnId);
  const to = columnOrder.indexOf(toColumnId);
  if (from < 0 || to < 0) throw new DomainError('NOT_FOUND', 'Column not found on this board');
  return isBackwardStep(from, to);
}

/** The same rule for two places in the value stream (0 is the leftmost work center). */
export function isBackwardStep(fromIndex: number, toIndex: number): boolean {
  return toIndex < fromIndex;
}

/** A backward move passes a defect downstream; we refuse it unless someone says what the defect is. */
export function requireReason(backward: boolean, reason: string | null | undefined): string | null {
  if (!backward) return reason?.trim() ? reason.trim() : null;
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) {
    throw new DomainError(
      'REASON_REQUIRED',
      'Moving a card backward passes a defect downstream: give the reason it is going back',
    );
  }
  return trimmed;
}

/** A column that still holds cards cannot be removed: the cards would vanish from the flow. */
export function assertColumnEmpty(column: RuleColumn, cardCount: number): void {
  if (cardCount > 0) {
    throw new DomainError(
      'CONFLICT',
      `${column.name} still holds ${cardCount} card${cardCount === 1 ? '' : 's'}: move them out before removing it`,
    );
  }
}

export interface CardMove {
  cardId: string;
  fromColumnId: string;
  toColumnId: string;
  position: string;
  backward: boolean;
  reason: string | null;
  /** Given when the move changes the card's lane (lanes.ts). */
  fromLaneId?: string;
  toLaneId?: string;
  /** The card's half of a split work center before and after (lib/shared/domain/split.ts); absent: doing. */
  fromStage?: CardStage;
  toStage?: CardStage;
}

/**
 * The event a move is recorded as, on the server and in a browser's prediction alike. A backward
 * move carries its defect: the reason, the work center that found it (the one the card left) and
 * the one it returned to; a forward move carries none of these (every viewer receives every event).
 */
export function cardMovedEvent(move: CardMove): Extract<BoardEventBody, { type: 'card_moved' }> {
  const { cardId, fromColumnId, toColumnId, position, backward, reason, fromLaneId, toLaneId } = move;
  const fromStage = move.fromStage ?? 'doing';
  const toStage = move.toStage ?? 'doing';
  return {
    type: 'card_moved',
    cardId,
    fromColumnId,
    toColumnId,
    ...(fromLaneId && toLaneId && fromLaneId !== toLaneId ? { fromLaneId, toLaneId } : {}),
    ...(fromStage !== toStage ? { fromStage, toStage } : {}),
    position,
    backward,
    ...(backward ? { reason, detectedAtColumnId: fromColumnId, returnedToColumnId: toColumnId } : {}),
  };
}
