/**
 * Splitting a card into smaller ones: the flow principle "reduce batch size". The parent leaves the
 * board (recorded as split, not deleted) and its children take its place, right after it, in its
 * work center and lane, with its type and assignees and a link back to it (`parentId`).
 *
 * One card becomes n, so a split adds n − 1 to the work center, the lane, the cell and each of the
 * card's people: every limit is checked against that, as hard as a pull's (db/store/cardSplit.ts checks
 * it in the write's transaction, the browser predicts it with the same function).
 */
import { DomainError } from './errors';
import type { RuleColumn } from './rules';
import type { CardDTO, LaneDTO } from './types';
import { personWipLimitMessage } from './people';

/** Fewer than two is no split; more than this is a new backlog, better made as cards of their own. */
export const SPLIT_MIN_CHILDREN = 2;
export const SPLIT_MAX_CHILDREN = 20;

/** The titles a split form starts with: "<parent title> (1)", "(2)", cut to fit a title. */
export function defaultSplitTitles(parentTitle: string, count = SPLIT_MIN_CHILDREN, maxLength = 200): string[] {
  return Array.from({ length: count }, (_, i) => {
    const suffix = ` (${i + 1})`;
    return parentTitle.slice(0, Math.max(1, maxLength - suffix.length)).trimEnd() + suffix;
  });
}

export interface SplitRoom {
  parentTitle: string;
  /** How many cards the parent becomes. */
  children: number;
  /** The parent's work center and its live cards, the parent included. */
  column: RuleColumn;
  columnCount: number;
  /** The work center is neither the first nor the last (lanes.ts inProgress): lane and person limits count it. */
  inProgress: boolean;
  lane: Pick<LaneDTO, 'name' | 'classOfService' | 'wipLimit' | 'cellLimits'>;
  /** The lane's cards in progress, the parent included (when it is in progress). */
  laneInProgress: number;
  /** The cards in the parent's cell, the parent included. */
  cellCount: number;
  /** The board's per-person limit (null: none) and the card's people with the cards in progress each holds, the parent included. */
  personWipLimit: number | null;
  people: { name: string; held: number }[];
}

function refuse(room: SplitRoom, where: string, count: number, limit: number): never {
  const added = room.children - 1;
  throw new DomainError(
    'WIP_LIMIT',
    `Splitting "${room.parentTitle}" into ${room.children} cards adds ${added} to ${where}, which would then hold ${count + added} (WIP limit ${limit}): split into fewer cards, or finish work first`,
  );
}

/**
 * Refuses a split that would take any limit past itself. The lane's own limit, the cell's and each
 * person's are hard for every class; the work center's is passed by an expedite lane, as on a pull
 * (lanes.ts assertRoomInLane), but counted.
 */
export function assertRoomForSplit(room: SplitRoom): void {
  const added = room.children - 1;
  const { lane, column } = room;
  if (room.inProgress && lane.wipLimit !== null && room.laneInProgress + added > lane.wipLimit) refuse(room, `the ${lane.name} lane`, room.laneInProgress, lane.wipLimit);
  const cellLimit = lane.cellLimits[column.id];
  if (cellLimit !== undefined && room.cellCount + added > cellLimit) refuse(room, `${column.name} in the ${lane.name} lane`, room.cellCount, cellLimit);
  if (lane.classOfService !== 'expedite' && column.wipLimit !== null && room.columnCount + added > column.wipLimit) refuse(room, column.name, room.columnCount, column.wipLimit);
  if (room.inProgress && room.personWipLimit !== null) {
    for (const person of room.people) {
      if (person.held + added > room.personWipLimit) {
        throw new DomainError(
          'WIP_LIMIT',
          `Splitting "${room.parentTitle}" into ${room.children} cards gives each of them its people: ${personWipLimitMessage(person.name, person.held, room.personWipLimit)}, and would then hold ${person.held + added}`,
        );
      }
    }
  }
}

/** The children's titles as given: trimmed, each 1..200 characters, 2..20 of them (the schema says so too). */
export function checkSplitTitles(titles: readonly string[]): string[] {
  const trimmed = titles.map((t) => t.trim());
  if (trimmed.length < SPLIT_MIN_CHILDREN || trimmed.length > SPLIT_MAX_CHILDREN) {
    throw new DomainError('INVALID', `A card splits into ${SPLIT_MIN_CHILDREN} to ${SPLIT_MAX_CHILDREN} cards, not ${trimmed.length}`);
  }
  if (trimmed.some((t) => t.length === 0)) throw new DomainError('INVALID', 'Each new card needs a title');
  return trimmed;
}

/** A child as the split creates it: the parent's place and kind, its own title, a fresh start. */
/** `number`: the child's number on the board (card keys), given by the server; 0 in a browser's prediction. */
export function childOf(parent: CardDTO, id: string, title: string, position: string, at: string, number = 0): CardDTO {
  return {
    id,
    boardId: parent.boardId,
    columnId: parent.columnId,
    laneId: parent.laneId,
    position,
    title,
    description: '',
    type: parent.type,
    blocked: false,
    blockedReason: null,
    blockedMs: 0,
    blockedSince: null,
    defectCount: 0,
    createdAt: at,
    updatedAt: at,
    enteredColumnAt: at,
    assigneeIds: [...parent.assigneeIds],
    // Its parent's half of a split work center (lib/shared/domain/split.ts): the children take its place.
    stage: parent.stage,
    parentId: parent.id,
    number,
  };
}
