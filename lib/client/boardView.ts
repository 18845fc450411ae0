import { cardCount } from '../shared/domain/cardWindow';
import { isDomainError } from '../shared/domain/errors';
import { sortByPosition } from '../shared/domain/ordering';
import { assertRoomFor } from '../shared/domain/rules';
import { personRefusal } from '../shared/domain/people';
import type { BoardSnapshot, CardDTO, ColumnDTO } from '../shared/domain/types';

/** Cards of every column in display order (position, then id). Columns without cards map to []. */
export function cardsByColumn(board: BoardSnapshot): Map<string, CardDTO[]> {
  const byColumn = new Map<string, CardDTO[]>(board.columns.map((c) => [c.id, []]));
  for (const card of board.cards) byColumn.get(card.columnId)?.push(card);
  for (const [id, cards] of byColumn) byColumn.set(id, sortByPosition(cards));
  return byColumn;
}

/**
 * Why the server would refuse pulling `cardId` into `toColumnId`, or null when it would not.
 * Asks the domain rule itself, so the screen and the server cannot disagree.
 */
export function pullRefusal(board: BoardSnapshot, cardId: string, toColumnId: string): string | null {
  const card = board.cards.find((c) => c.id === cardId);
  const column = board.columns.find((c) => c.id === toColumnId);
  if (!card || !column) return null;
  // All the work center's cards, those a big board's window did not send included.
  const count = cardCount(board, toColumnId) - (card.columnId === toColumnId ? 1 : 0);
  try {
    assertRoomFor(column, count, card.columnId === toColumnId);
    // A work center with room, and a person at their limit: the person's rule refuses too.
    return personRefusal(board, card, toColumnId);
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
}

/** Why a new card cannot start in `columnId` (its arrival is a pull too), or null when it can. */
export function arrivalRefusal(board: BoardSnapshot, columnId: string): string | null {
  const column = board.columns.find((c) => c.id === columnId);
  if (!column) return null;
  const count = cardCount(board, columnId);
  try {
    assertRoomFor(column, count, false);
    return null;
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
}

export type WipState = 'unlimited' | 'under' | 'full' | 'over';

export function wipState(count: number, wipLimit: number | null): WipState {
  if (wipLimit === null) return 'unlimited';
  if (count > wipLimit) return 'over';
  return count === wipLimit ? 'full' : 'under';
}

/** "3/5" with a WIP limit, "3" without. */
export function formatCount(count: number, wipLimit: number | null): string {
  return wipLimit === null ? String(count) : `${count}/${wipLimit}`;
}

export function columnName(columns: readonly ColumnDTO[], columnId: string | undefined): string {
  if (!columnId) return 'an unknown work center';
  return columns.find((c) => c.id === columnId)?.name ?? 'a removed work center';
}

/**
 * `next` with every list that holds the same items as in `previous` replaced by the previous list
 * itself. A change to one work center then leaves the others' lists identical, so React skips them
 * (and dnd-kit keeps their sortable contexts) instead of redrawing all 1,000 cards of a board.
 */
export function keepUnchangedLists<T>(previous: ReadonlyMap<string, readonly T[]>, next: ReadonlyMap<string, readonly T[]>): Map<string, readonly T[]> {
  const kept = new Map<string, readonly T[]>();
  for (const [key, list] of next) {
    const before = previous.get(key);
    kept.set(key, before && before.length === list.length && before.every((item, i) => item === list[i]) ? before : list);
  }
  return kept;
}
