/**
 * The board seen through its lanes. A board with one lane is drawn as it always was: its drop
 * targets and card lists are keyed by work center id. With more lanes, each cell (lane × work
 * center) is a drop target and a list, keyed by cellKey. A split work center (split.ts) has two of
 * each, side by side: its doing half keyed as the work center (or cell) itself, its done half with
 * the stage added to the key.
 */
import { cardCount } from '../shared/domain/cardWindow';
import { isDomainError } from '../shared/domain/errors';
import { assertRoomInLane, inProgress, laneCounts } from '../shared/domain/lanes';
import { personRefusal } from '../shared/domain/people';
import { sortByPosition } from '../shared/domain/ordering';
import type { BoardSnapshot, CardDTO, CardStage, LaneDTO } from '../shared/domain/types';

const SEPARATOR = '::';
/** Ends the key of a split work center's done half (ids are UUIDs: neither separator occurs in them). */
const DONE_SUFFIX = '@@done';

/** The list and drop-target key of a cell; a board with one lane uses the work center's id. */
export function cellKey(columnId: string, laneId: string | null, stage: CardStage = 'doing'): string {
  const key = laneId === null ? columnId : `${columnId}${SEPARATOR}${laneId}`;
  return stage === 'done' ? `${key}${DONE_SUFFIX}` : key;
}

export function parseCellKey(key: string): { columnId: string; laneId: string | null; stage: CardStage } {
  const stage: CardStage = key.endsWith(DONE_SUFFIX) ? 'done' : 'doing';
  const base = stage === 'done' ? key.slice(0, -DONE_SUFFIX.length) : key;
  const at = base.indexOf(SEPARATOR);
  return at < 0 ? { columnId: base, laneId: null, stage } : { columnId: base.slice(0, at), laneId: base.slice(at + SEPARATOR.length), stage };
}

export const hasLanes = (board: Pick<BoardSnapshot, 'lanes'>): boolean => board.lanes.length > 1;

/** Cards of every cell (or every work center, on a one-lane board) in display order; a split one's halves apart. */
export function cardsByCell(board: BoardSnapshot): Map<string, CardDTO[]> {
  const lanes = hasLanes(board);
  const map = new Map<string, CardDTO[]>();
  for (const column of board.columns) {
    for (const laneId of lanes ? board.lanes.map((l) => l.id) : [null]) {
      map.set(cellKey(column.id, laneId), []);
      if (column.split) map.set(cellKey(column.id, laneId, 'done'), []);
    }
  }
  for (const card of board.cards) {
    const laneId = lanes ? card.laneId : null;
    // A done card whose work center is no longer split (a prediction the server has not answered) shows in doing.
    const list = (card.stage === 'done' ? map.get(cellKey(card.columnId, laneId, 'done')) : undefined) ?? map.get(cellKey(card.columnId, laneId));
    list?.push(card);
  }
  for (const [key, cards] of map) map.set(key, sortByPosition(cards));
  return map;
}

function refusalOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
}

/**
 * Why the server would refuse `cardId` in cell `key` (or a new card when `cardId` is null), or null.
 * The domain rule itself (lanes.ts assertRoomInLane) over the counts the browser knows.
 */
export function cellRefusal(board: BoardSnapshot, cardId: string | null, key: string): string | null {
  const { columnId, laneId } = parseCellKey(key);
  const card = cardId === null ? undefined : board.cards.find((c) => c.id === cardId);
  if (cardId !== null && !card) return null;
  const column = board.columns.find((c) => c.id === columnId);
  const lane: LaneDTO | undefined = board.lanes.find((l) => l.id === (laneId ?? card?.laneId ?? board.lanes[0]?.id));
  if (!column || !lane) return null;
  const order = board.columns.map((c) => c.id);
  const sameColumn = card?.columnId === columnId;
  const counts = laneCounts(board.cards, order, lane.id, columnId, card?.id ?? '');
  const wasIn = card !== undefined && card.laneId === lane.id && inProgress(order.indexOf(card.columnId), order.length);
  const refusal = refusalOf(() =>
    assertRoomInLane({
      column,
      // All the work center's cards, those a big board's window did not send included.
      columnCount: cardCount(board, columnId) - (sameColumn ? 1 : 0),
      sameColumn,
      lane,
      laneInProgress: counts.laneInProgress,
      entersLaneProgress: inProgress(order.indexOf(columnId), order.length) && !wasIn,
      cellCount: counts.cellCount,
      sameCell: sameColumn && card?.laneId === lane.id,
    }),
  );
  // A cell with room, and a person at their limit: the person's rule refuses too.
  return refusal ?? (card ? personRefusal(board, card, columnId) : null);
}
