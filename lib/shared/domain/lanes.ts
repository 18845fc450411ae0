/**
 * Swimlanes and classes of service. A board's lanes are horizontal rows across its work centers; a
 * board always has at least one. Each lane has a class of service:
 *
 * - standard, fixed_date, intangible: their cards share each work center's WIP limit with every
 *   other lane's (the column limit counts the cards of all lanes).
 * - expedite: drawn first, at most one per board. Its cards may enter a work center at its limit
 *   (they still count towards it), but the lane's own limit is hard. It defaults to 1.
 *
 * A lane's own limit counts its cards in progress: in every work center but the first (the backlog)
 * and the last (done). A cell (lane × work center) may have a limit too, enforced like a column's.
 *
 * Logs written before lanes existed stay foldable: a `board_created` without `lanes` means one
 * standard lane with the id defaultLaneId(board), and a card created without `laneId` is in it. The
 * migrations (db/<engine>/migrations, "lanes") give existing boards that same lane.
 */
import { DomainError } from './errors';
import type { ClassOfService, LaneDTO } from './types';
import type { RuleColumn } from './rules';

export const CLASS_LABELS: Record<ClassOfService, string> = {
  standard: 'Standard',
  expedite: 'Expedite',
  fixed_date: 'Fixed date',
  intangible: 'Intangible',
};

/** The expedite lane's limit when none is given: one urgent thing at a time. */
export const EXPEDITE_DEFAULT_LIMIT = 1;
/** More lanes than this no longer fit a screen. */
export const LANES_PER_BOARD = 10;

/** The id of a board's first lane when the board was made before lanes (the migration uses the same). */
export const defaultLaneId = (boardId: string): string => `lane-${boardId}`;

export function defaultLane(boardId: string): LaneDTO {
  return { id: defaultLaneId(boardId), boardId, name: 'Standard', classOfService: 'standard', wipLimit: null, cellLimits: {} };
}

/** The lanes of a `board_created` event; a log from before lanes has none: the default lane. */
export function createdLanes(boardId: string, lanes: LaneDTO[] | undefined): LaneDTO[] {
  return lanes && lanes.length > 0 ? lanes : [defaultLane(boardId)];
}

/** Where a new card goes when no lane is named: the first standard lane, else the first lane. */
export function laneForNewCard<L extends Pick<LaneDTO, 'classOfService'>>(lanes: readonly L[]): L {
  return lanes.find((l) => l.classOfService === 'standard') ?? (lanes[0] as L);
}

/** Whether a work center at `index` of `count` counts towards a lane's own limit: not the first, not the last. */
export function inProgress(index: number, count: number): boolean {
  return index > 0 && index < count - 1;
}

/** The index an expedite lane may take (first) or another lane (below any expedite lane). */
export function clampLaneIndex(lanes: readonly Pick<LaneDTO, 'id' | 'classOfService'>[], laneId: string | null, classOfService: ClassOfService, wanted: number): number {
  const others = lanes.filter((l) => l.id !== laneId);
  if (classOfService === 'expedite') return 0;
  const floor = others.some((l) => l.classOfService === 'expedite') ? 1 : 0;
  return Math.max(floor, Math.min(wanted, others.length));
}

export function laneLimitMessage(lane: Pick<LaneDTO, 'name' | 'wipLimit'>, count: number): string {
  return `The ${lane.name} lane is at its WIP limit (${count} of ${lane.wipLimit} in progress): finish or move one of its cards out first`;
}

export function cellLimitMessage(lane: Pick<LaneDTO, 'name'>, column: Pick<RuleColumn, 'name'>, count: number, limit: number): string {
  return `${column.name} in the ${lane.name} lane is at its WIP limit (${count} of ${limit}): finish or move a card out first`;
}

export interface LanePull {
  /** The work center the card goes to, and how many live cards it holds in all lanes. */
  column: RuleColumn;
  columnCount: number;
  /** The card stays in its work center (a reorder, or a move to another lane only). */
  sameColumn: boolean;
  lane: Pick<LaneDTO, 'name' | 'classOfService' | 'wipLimit' | 'cellLimits'>;
  /** The lane's cards in progress, the moving card left out. */
  laneInProgress: number;
  /** The target work center is in progress, and the card was not already in progress in this lane. */
  entersLaneProgress: boolean;
  /** Cards in the target cell, the moving card left out. */
  cellCount: number;
  sameCell: boolean;
}

/**
 * A card entering a cell: the lane's own limit (hard, even for expedite), the cell's limit, and the
 * work center's limit (which an expedite card passes, counted but not refused). Checked in the
 * write's transaction after the board's lock (db/store/cards.ts) and predicted in the browser.
 */
export function assertRoomInLane(p: LanePull): void {
  const { lane, column } = p;
  if (lane.wipLimit !== null && p.entersLaneProgress && p.laneInProgress >= lane.wipLimit) {
    throw new DomainError('WIP_LIMIT', laneLimitMessage(lane, p.laneInProgress));
  }
  const cellLimit = lane.cellLimits[column.id];
  if (cellLimit !== undefined && !p.sameCell && p.cellCount >= cellLimit) {
    throw new DomainError('WIP_LIMIT', cellLimitMessage(lane, column, p.cellCount, cellLimit));
  }
  if (lane.classOfService === 'expedite' || p.sameColumn || column.wipLimit === null) return;
  if (p.columnCount >= column.wipLimit) {
    throw new DomainError('WIP_LIMIT', `${column.name} is at its WIP limit (${p.columnCount} of ${column.wipLimit}): finish or move a card out first`);
  }
}

/** A lane that still holds cards cannot be removed: they would vanish from the flow. */
export function assertLaneEmpty(lane: Pick<LaneDTO, 'name'>, cardCount: number): void {
  if (cardCount > 0) {
    throw new DomainError('CONFLICT', `The ${lane.name} lane still holds ${cardCount} card${cardCount === 1 ? '' : 's'}: move them to another lane before removing it`);
  }
}

interface LaneBoard {
  lanes: LaneDTO[];
}

/** The fold of a lane event (apply.ts); the board unchanged for any other event. */
export function applyLaneEvent<B extends LaneBoard>(
  board: B,
  event:
    | { type: 'lane_added'; lane: LaneDTO; index: number }
    | { type: 'lane_renamed'; laneId: string; name: string }
    | { type: 'lane_moved'; laneId: string; toIndex: number }
    | { type: 'lane_removed'; laneId: string }
    | { type: 'lane_configured'; laneId: string; classOfService: ClassOfService; wipLimit: number | null; cellLimits: Record<string, number> },
): B {
  const map = (laneId: string, fn: (l: LaneDTO) => LaneDTO) => board.lanes.map((l) => (l.id === laneId ? fn(l) : l));
  switch (event.type) {
    case 'lane_added': {
      const lanes = board.lanes.filter((l) => l.id !== event.lane.id);
      lanes.splice(event.index, 0, event.lane);
      return { ...board, lanes };
    }
    case 'lane_renamed':
      return { ...board, lanes: map(event.laneId, (l) => ({ ...l, name: event.name })) };
    case 'lane_moved': {
      const moving = board.lanes.find((l) => l.id === event.laneId);
      if (!moving) return board;
      const lanes = board.lanes.filter((l) => l.id !== event.laneId);
      lanes.splice(event.toIndex, 0, moving);
      return { ...board, lanes };
    }
    case 'lane_removed':
      return { ...board, lanes: board.lanes.filter((l) => l.id !== event.laneId) };
    case 'lane_configured':
      return { ...board, lanes: map(event.laneId, (l) => ({ ...l, classOfService: event.classOfService, wipLimit: event.wipLimit, cellLimits: event.cellLimits })) };
  }
}

/** What the browser needs to predict a pull: counts of a board's loaded cards. */
export function laneCounts(
  cards: readonly { id: string; columnId: string; laneId: string }[],
  columnOrder: readonly string[],
  laneId: string,
  columnId: string,
  except: string,
): { laneInProgress: number; cellCount: number } {
  let laneInProgress = 0;
  let cellCount = 0;
  for (const c of cards) {
    if (c.id === except || c.laneId !== laneId) continue;
    if (inProgress(columnOrder.indexOf(c.columnId), columnOrder.length)) laneInProgress++;
    if (c.columnId === columnId) cellCount++;
  }
  return { laneInProgress, cellCount };
}
