/**
 * A big board's join sends each work center's first CARD_WINDOW cards in board order and the count
 * of the rest: a 50,000-card board is a few hundred kB instead of 20 MB, and a screen shows far fewer
 * cards than that anyway. Live events keep the window true: counts follow every arrival and
 * departure, a card that moves past the sent part leaves it, and a card that was not sent moving
 * into it marks the window stale (the client joins again). "Show more" loads the next page of a
 * work center (`board:cards`).
 */
import { comparePositioned, type Positioned } from './ordering';
import type { BoardEvent, BoardSnapshot, CardDTO } from './types';

/** Cards of each work center a join sends, and a page of `board:cards` holds. */
export const CARD_WINDOW = 200;

/** How many live cards a work center holds, sent or not. */
export function cardCount(board: BoardSnapshot, columnId: string): number {
  return board.window?.totals[columnId] ?? board.cards.filter((c) => c.columnId === columnId).length;
}

/** How many of a work center's cards were not sent (0 for a whole one). */
export function cardsNotLoaded(board: BoardSnapshot, columnId: string): number {
  const total = board.window?.totals[columnId];
  return total === undefined ? 0 : total - board.cards.filter((c) => c.columnId === columnId).length;
}

/** The last card sent of a work center, `except` left out; undefined when none. */
function lastLoaded(board: BoardSnapshot, columnId: string, except: string): CardDTO | undefined {
  let last: CardDTO | undefined;
  for (const c of board.cards) if (c.columnId === columnId && c.id !== except && (!last || comparePositioned(c, last) > 0)) last = c;
  return last;
}

/** Whether a card at `key` falls inside the sent part of a work center sent in part. */
function insideLoaded(board: BoardSnapshot, columnId: string, key: Positioned): boolean {
  const last = lastLoaded(board, columnId, key.id);
  return last !== undefined && comparePositioned(key, last) < 0;
}

/** Work centers whose every card is now loaded leave `totals`; a window with none left is dropped. */
function settle(board: BoardSnapshot, totals: Record<string, number>, stale: boolean): BoardSnapshot {
  const loaded = new Map<string, number>();
  for (const c of board.cards) loaded.set(c.columnId, (loaded.get(c.columnId) ?? 0) + 1);
  const left: Record<string, number> = {};
  for (const [columnId, total] of Object.entries(totals)) if ((loaded.get(columnId) ?? 0) < total) left[columnId] = total;
  const { window: _dropped, ...rest } = board;
  return Object.keys(left).length === 0 && !stale ? rest : { ...rest, window: stale ? { totals: left, stale } : { totals: left } };
}

/**
 * `after` (the event applied to the cards as if all were there) made true to the window of `before`.
 * Only for a board with a window.
 */
export function followWindow(before: BoardSnapshot, event: BoardEvent, after: BoardSnapshot): BoardSnapshot {
  const window = before.window;
  if (!window) return after;
  const totals = { ...window.totals };
  let stale = window.stale === true;
  let cards = after.cards;
  const bump = (columnId: string, by: number) => {
    const total = totals[columnId];
    if (total !== undefined) totals[columnId] = total + by;
  };
  const drop = (cardId: string) => {
    cards = cards.filter((c) => c.id !== cardId);
  };
  switch (event.type) {
    case 'card_created': {
      const { columnId, id } = event.card;
      if (totals[columnId] === undefined) break;
      bump(columnId, 1);
      if (!insideLoaded(before, columnId, event.card)) drop(id);
      break;
    }
    case 'card_deleted':
      bump(event.columnId, -1);
      break;
    case 'card_split': {
      // One card became n in its work center; children past the sent part are left for "show more".
      if (totals[event.columnId] === undefined) break;
      bump(event.columnId, event.children.length - 1);
      for (const child of event.children) if (!insideLoaded(before, event.columnId, child)) drop(child.id);
      break;
    }
    case 'card_moved': {
      const { cardId, fromColumnId, toColumnId, position } = event;
      if (fromColumnId !== toColumnId) {
        bump(fromColumnId, -1);
        bump(toColumnId, 1);
      }
      const known = before.cards.some((c) => c.id === cardId);
      const partial = totals[toColumnId] !== undefined;
      const inside = partial && insideLoaded(before, toColumnId, { id: cardId, position });
      if (known && partial && !inside) drop(cardId);
      // A card that was never sent now belongs where cards were: its fields are not in the event.
      if (!known && (!partial || inside)) stale = true;
      break;
    }
    case 'column_removed':
      delete totals[event.columnId];
      break;
    default:
      break;
  }
  return settle({ ...after, cards }, totals, stale);
}

/** The window of a whole board: each work center's first `perColumn` cards, and the counts of the longer ones. */
export function windowOf(board: BoardSnapshot, perColumn = CARD_WINDOW): BoardSnapshot {
  if (board.cards.length <= perColumn) return board;
  const byColumn = new Map<string, CardDTO[]>();
  for (const c of board.cards) byColumn.set(c.columnId, [...(byColumn.get(c.columnId) ?? []), c]);
  const totals: Record<string, number> = {};
  const cards: CardDTO[] = [];
  for (const [columnId, list] of byColumn) {
    const sorted = list.toSorted(comparePositioned);
    if (sorted.length > perColumn) totals[columnId] = sorted.length;
    cards.push(...sorted.slice(0, perColumn));
  }
  // A board whose every work center fits is sent as it is.
  return Object.keys(totals).length === 0 ? board : settle({ ...board, cards }, totals, false);
}

/**
 * A page of a work center's next cards (read at the board's version) added to the window: `cards`
 * are those after the last one loaded, in order; `total` the work center's count when read.
 */
export function addCardPage(board: BoardSnapshot, columnId: string, cards: readonly CardDTO[], total: number): BoardSnapshot {
  const totals = board.window?.totals;
  if (!totals || totals[columnId] === undefined) return board;
  const known = new Set(board.cards.map((c) => c.id));
  return settle({ ...board, cards: [...board.cards, ...cards.filter((c) => !known.has(c.id))] }, { ...totals, [columnId]: total }, board.window?.stale === true);
}
