/** Lane writes (add, rename and configure, move, remove) and the lane checks of a card's pull. */
import { DomainError } from '../../lib/shared/domain/errors';
import {
  EXPEDITE_DEFAULT_LIMIT,
  LANES_PER_BOARD,
  assertLaneEmpty,
  assertRoomInLane,
  clampLaneIndex,
  defaultLane,
  defaultLaneId,
  inProgress,
  laneForNewCard,
} from '../../lib/shared/domain/lanes';
import type { BoardEvent, LaneDTO } from '../../lib/shared/domain/types';
import type { LaneAddInput, LaneMoveInput, LaneRemoveInput, LaneUpdateInput } from '../../lib/shared/protocol';
import type { Sql, WriteTx } from '../engine';
import { LANE_FIELDS, toLaneDTO, type ColumnRow, type LaneRow } from './rows';
import { liveColumns, type Commit, type WriteContext } from './tx';

/** A board's live lanes, top to bottom, with their cell limits. */
export async function liveLanes(sql: Pick<Sql, 'all'>, boardId: string): Promise<LaneDTO[]> {
  const rows = await sql.all<LaneRow>(`select ${LANE_FIELDS} from lanes where board_id = ? and deleted_at is null order by ord, id`, [boardId]);
  const limits = await sql.all<{ laneId: string; columnId: string; wipLimit: number }>(
    'select lane_id as "laneId", column_id as "columnId", wip_limit as "wipLimit" from lane_column_limits where board_id = ?',
    [boardId],
  );
  const cells = new Map<string, Record<string, number>>();
  for (const l of limits) cells.set(l.laneId, { ...cells.get(l.laneId), [l.columnId]: Number(l.wipLimit) });
  // A board written before lanes that the migration did not reach (none should be): its default lane.
  if (rows.length === 0) return [defaultLane(boardId)];
  return rows.map((r) => toLaneDTO(r, cells.get(r.id) ?? {}));
}

/** A new board's one lane (its board_created event names it). */
export async function insertDefaultLane(tx: WriteTx, boardId: string, now: number): Promise<LaneDTO> {
  const lane = defaultLane(boardId);
  await tx.run("insert into lanes (id, board_id, name, class_of_service, wip_limit, ord, created_at, deleted_at) values (?, ?, ?, 'standard', null, 0, ?, null)", [lane.id, boardId, lane.name, now]);
  return lane;
}

async function laneOn(ctx: WriteContext, laneId: string): Promise<{ lanes: LaneDTO[]; lane: LaneDTO; index: number }> {
  const lanes = await liveLanes(ctx.tx, ctx.boardId);
  const index = lanes.findIndex((l) => l.id === laneId);
  const lane = lanes[index];
  if (!lane) throw new DomainError('NOT_FOUND', 'Lane not found');
  return { lanes, lane, index };
}

async function rewriteLaneOrder(tx: WriteTx, ordered: readonly LaneDTO[]): Promise<void> {
  for (const [ord, l] of ordered.entries()) await tx.run('update lanes set ord = ? where id = ?', [ord, l.id]);
}

function assertOneExpedite(lanes: readonly LaneDTO[], laneId: string | null): void {
  if (lanes.some((l) => l.classOfService === 'expedite' && l.id !== laneId)) {
    throw new DomainError('CONFLICT', 'A board has at most one expedite lane');
  }
}

async function assertColumnsOf(ctx: WriteContext, columnIds: readonly string[]): Promise<void> {
  if (columnIds.length === 0) return;
  const live = new Set((await liveColumns(ctx.tx, ctx.boardId)).map((c) => c.id));
  if (columnIds.some((id) => !live.has(id))) throw new DomainError('NOT_FOUND', 'Work center not found on this board');
}

export async function addLane(ctx: WriteContext, input: LaneAddInput, newId: () => string): Promise<Commit & { lane: LaneDTO }> {
  const lanes = await liveLanes(ctx.tx, ctx.boardId);
  if (lanes.length >= LANES_PER_BOARD) throw new DomainError('CONFLICT', `A board holds at most ${LANES_PER_BOARD} lanes`);
  const classOfService = input.classOfService ?? 'standard';
  if (classOfService === 'expedite') assertOneExpedite(lanes, null);
  const wipLimit = input.wipLimit !== undefined ? input.wipLimit : classOfService === 'expedite' ? EXPEDITE_DEFAULT_LIMIT : null;
  const index = clampLaneIndex(lanes, null, classOfService, input.index ?? lanes.length);
  const lane: LaneDTO = { id: newId(), boardId: ctx.boardId, name: input.name, classOfService, wipLimit, cellLimits: {} };
  await ctx.tx.run('insert into lanes (id, board_id, name, class_of_service, wip_limit, ord, created_at, deleted_at) values (?, ?, ?, ?, ?, ?, ?, null)', [
    lane.id,
    ctx.boardId,
    lane.name,
    classOfService,
    wipLimit,
    index,
    ctx.now,
  ]);
  const ordered = [...lanes];
  ordered.splice(index, 0, lane);
  await rewriteLaneOrder(ctx.tx, ordered);
  const event = await ctx.append({ type: 'lane_added', lane, index });
  return { boardId: ctx.boardId, version: event.version, events: [event], lane };
}

export async function updateLane(ctx: WriteContext, input: LaneUpdateInput): Promise<Commit> {
  const { lanes, lane, index } = await laneOn(ctx, input.laneId);
  const out: BoardEvent[] = [];
  if (input.name !== undefined && input.name !== lane.name) {
    await ctx.tx.run('update lanes set name = ? where id = ?', [input.name, lane.id]);
    out.push(await ctx.append({ type: 'lane_renamed', laneId: lane.id, name: input.name }));
  }
  const classOfService = input.classOfService ?? lane.classOfService;
  if (classOfService === 'expedite' && lane.classOfService !== 'expedite') assertOneExpedite(lanes, lane.id);
  const becameExpedite = classOfService === 'expedite' && lane.classOfService !== 'expedite';
  const wipLimit = input.wipLimit !== undefined ? input.wipLimit : becameExpedite && lane.wipLimit === null ? EXPEDITE_DEFAULT_LIMIT : lane.wipLimit;
  const cellLimits = { ...lane.cellLimits };
  if (input.cellLimits) {
    await assertColumnsOf(ctx, Object.keys(input.cellLimits));
    for (const [columnId, limit] of Object.entries(input.cellLimits)) {
      if (limit === null) delete cellLimits[columnId];
      else cellLimits[columnId] = limit;
    }
  }
  const cellsChanged = JSON.stringify(Object.entries(cellLimits).toSorted()) !== JSON.stringify(Object.entries(lane.cellLimits).toSorted());
  if (classOfService !== lane.classOfService || wipLimit !== lane.wipLimit || cellsChanged) {
    await ctx.tx.run('update lanes set class_of_service = ?, wip_limit = ? where id = ?', [classOfService, wipLimit, lane.id]);
    if (cellsChanged) {
      await ctx.tx.run('delete from lane_column_limits where lane_id = ?', [lane.id]);
      for (const [columnId, limit] of Object.entries(cellLimits)) {
        await ctx.tx.run('insert into lane_column_limits (lane_id, column_id, board_id, wip_limit) values (?, ?, ?, ?)', [lane.id, columnId, ctx.boardId, limit]);
      }
    }
    out.push(await ctx.append({ type: 'lane_configured', laneId: lane.id, classOfService, wipLimit, cellLimits }));
    // An expedite lane is drawn first; a lane that stops being expedite stays where it is.
    const toIndex = clampLaneIndex(lanes, lane.id, classOfService, index);
    if (toIndex !== index) {
      const ordered = lanes.filter((l) => l.id !== lane.id);
      ordered.splice(toIndex, 0, lane);
      await rewriteLaneOrder(ctx.tx, ordered);
      out.push(await ctx.append({ type: 'lane_moved', laneId: lane.id, toIndex }));
    }
  }
  return { boardId: ctx.boardId, version: out.at(-1)?.version ?? ctx.version, events: out };
}

export async function moveLane(ctx: WriteContext, input: LaneMoveInput): Promise<Commit> {
  const { lanes, lane, index } = await laneOn(ctx, input.laneId);
  const toIndex = clampLaneIndex(lanes, lane.id, lane.classOfService, input.toIndex);
  if (toIndex === index) return { boardId: ctx.boardId, version: ctx.version, events: [] };
  const ordered = lanes.filter((l) => l.id !== lane.id);
  ordered.splice(toIndex, 0, lane);
  await rewriteLaneOrder(ctx.tx, ordered);
  const event = await ctx.append({ type: 'lane_moved', laneId: lane.id, toIndex });
  return { boardId: ctx.boardId, version: event.version, events: [event] };
}

export async function removeLane(ctx: WriteContext, input: LaneRemoveInput): Promise<Commit> {
  const { lanes, lane } = await laneOn(ctx, input.laneId);
  const count = Number((await ctx.tx.get<{ n: number }>('select count(*) as n from cards where lane_id = ? and deleted_at is null', [lane.id]))?.n ?? 0);
  assertLaneEmpty(lane, count);
  if (lanes.length <= 1) throw new DomainError('CONFLICT', 'A board keeps at least one lane');
  await ctx.tx.run('update lanes set deleted_at = ? where id = ?', [ctx.now, lane.id]);
  await rewriteLaneOrder(
    ctx.tx,
    lanes.filter((l) => l.id !== lane.id),
  );
  const event = await ctx.append({ type: 'lane_removed', laneId: lane.id });
  return { boardId: ctx.boardId, version: event.version, events: [event] };
}


/**
 * The lane checks of a card entering `target` in `lane` (lanes.ts assertRoomInLane), counted in the
 * write's transaction after the board's lock. `card` is the moving card; null for a new one.
 * `columnCount`: the cards in `target`; `workCenters`: the board's live work centers (columnCountOf).
 */
export async function assertLanePull(
  tx: WriteTx,
  boardId: string,
  card: { id: string; columnId: string; laneId: string; columnOrd: number } | null,
  target: ColumnRow,
  lane: LaneDTO,
  columnCount: number,
  workCenters: number,
): Promise<void> {
  const sameColumn = card !== null && card.columnId === target.id;
  const sameCell = sameColumn && card.laneId === lane.id;
  let laneInProgress = 0;
  let entersLaneProgress = false;
  if (lane.wipLimit !== null) {
    const n = workCenters;
    const wasIn = card !== null && card.laneId === lane.id && inProgress(card.columnOrd, n);
    entersLaneProgress = inProgress(target.ord, n) && !wasIn;
    if (entersLaneProgress) {
      laneInProgress = Number(
        (
          await tx.get<{ n: number }>(
            'select count(*) as n from cards c join columns k on k.id = c.column_id where c.lane_id = ? and c.deleted_at is null and k.ord > 0 and k.ord < ? and c.id <> ?',
            [lane.id, n - 1, card?.id ?? ''],
          )
        )?.n ?? 0,
      );
    }
  }
  let cellCount = 0;
  if (lane.cellLimits[target.id] !== undefined && !sameCell) {
    cellCount = Number((await tx.get<{ n: number }>('select count(*) as n from cards where lane_id = ? and column_id = ? and deleted_at is null', [lane.id, target.id]))?.n ?? 0);
  }
  assertRoomInLane({ column: target, columnCount, sameColumn, lane, laneInProgress, entersLaneProgress, cellCount, sameCell });
}

export { defaultLaneId, laneForNewCard };
