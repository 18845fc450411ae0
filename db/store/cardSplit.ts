/**
 * A card split into smaller ones (lib/shared/domain/cardSplit.ts), in one transaction after the board's
 * lock: the limits counted with the children, the parent off the board, the children in its place,
 * one `card_split` event.
 */
import { DomainError } from '../../lib/shared/domain/errors';
import { inProgress } from '../../lib/shared/domain/lanes';
import { keyBetween, sortByPosition } from '../../lib/shared/domain/ordering';
import { assertRoomForSplit, checkSplitTitles, childOf } from '../../lib/shared/domain/cardSplit';
import type { CardDTO } from '../../lib/shared/domain/types';
import type { CardSplitInput } from '../../lib/shared/protocol';
import { cardOn, cardsIn } from './cards';
import { liveLanes, defaultLaneId } from './lanes';
import { heldInProgress, personNames, personWipLimitOf } from './people';
import { iso, toCardDTO } from './rows';
import { columnOn, liveColumns, type Commit, type WriteContext } from './tx';

export async function splitCard(ctx: WriteContext, input: CardSplitInput, newId: () => string): Promise<Commit & { cards: CardDTO[] }> {
  const { tx, boardId, now } = ctx;
  const titles = checkSplitTitles(input.titles);
  const row = await cardOn(tx, boardId, input.cardId);
  const parent = toCardDTO(row);
  const column = await columnOn(tx, boardId, parent.columnId);
  const live = await liveColumns(tx, boardId);
  // Done is done: a finished card's batch was what it was (and its throughput is counted).
  if (column.ord === live.length - 1) throw new DomainError('CONFLICT', `${column.name} is the last work center: a finished card cannot be split`);
  const lanes = await liveLanes(tx, boardId);
  const lane = lanes.find((l) => l.id === parent.laneId) ?? lanes.find((l) => l.id === defaultLaneId(boardId)) ?? lanes[0];
  if (!lane) throw new DomainError('NOT_FOUND', 'Lane not found');
  const progress = inProgress(column.ord, live.length);
  const inColumn = await cardsIn(tx, column.id);
  const middle = live.slice(1, -1).map((c) => c.id);
  // Counted after the board's lock (boardWrite): no other write of this board can slip in between.
  const laneInProgress =
    progress && lane.wipLimit !== null
      ? Number(
          (await tx.get<{ n: number }>(`select count(*) as n from cards where lane_id = ? and deleted_at is null and column_id in (${middle.map(() => '?').join(', ')})`, [lane.id, ...middle]))?.n ??
            0,
        )
      : 0;
  const cellCount =
    lane.cellLimits[column.id] !== undefined
      ? Number((await tx.get<{ n: number }>('select count(*) as n from cards where lane_id = ? and column_id = ? and deleted_at is null', [lane.id, column.id]))?.n ?? 0)
      : 0;
  const personWipLimit = progress && parent.assigneeIds.length > 0 ? await personWipLimitOf(tx, boardId) : null;
  const names = personWipLimit === null ? new Map<string, string>() : await personNames(tx, parent.assigneeIds);
  const people =
    personWipLimit === null ? [] : await Promise.all(parent.assigneeIds.map(async (id) => ({ name: names.get(id) ?? 'A former member', held: await heldInProgress(tx, boardId, middle, id, null) })));
  assertRoomForSplit({
    parentTitle: parent.title,
    children: titles.length,
    column,
    columnCount: inColumn.length,
    inProgress: progress,
    lane,
    laneInProgress,
    cellCount,
    personWipLimit,
    people,
  });

  // The children go where the parent was: between it and the card after it, in order.
  const sorted = sortByPosition(inColumn);
  const next = sorted[sorted.findIndex((c) => c.id === parent.id) + 1] ?? null;
  const at = iso(now);
  let previous = parent.position;
  // Each child is a new card with a key of its own: the board's next numbers, after its lock (the parent keeps its number).
  const first = Number((await tx.get<{ n: number | null }>('select max(number) as n from cards where board_id = ?', [boardId]))?.n ?? 0) + 1;
  const children: CardDTO[] = titles.map((title, i) => {
    previous = keyBetween(previous, next?.position ?? null);
    return childOf(parent, newId(), title, previous, at, first + i);
  });

  // The parent leaves the board: off every live query (deleted_at), split in the log.
  await tx.run('update cards set deleted_at = ?, updated_at = ? where id = ?', [now, now, parent.id]);
  for (const child of children) {
    await tx.run(
      `insert into cards (id, board_id, column_id, lane_id, position, title, description, type, blocked, blocked_reason, defect_count, created_at, updated_at, entered_column_at, assignee_ids, parent_id, stage, number)
       values (?, ?, ?, ?, ?, ?, '', ?, false, null, 0, ?, ?, ?, ?, ?, ?, ?)`,
      [child.id, boardId, child.columnId, child.laneId, child.position, child.title, child.type, now, now, now, JSON.stringify(child.assigneeIds), parent.id, child.stage, child.number],
    );
  }
  const event = await ctx.append({ type: 'card_split', cardId: parent.id, columnId: parent.columnId, children }, parent.id);
  return { boardId, version: event.version, events: [event], cards: children };
}
