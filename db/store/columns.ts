/** Work-center writes: add, rename and limit, move, remove. */
import { DomainError } from '../../lib/shared/domain/errors';
import { LIMITS } from '../../lib/shared/domain/limits';
import { assertColumnEmpty } from '../../lib/shared/domain/rules';
import { assertDoneHalfEmpty, assertSplitPlaces, assertSplittable } from '../../lib/shared/domain/split';
import type { BoardEvent, ColumnDTO } from '../../lib/shared/domain/types';
import type { ColumnAddInput, ColumnMoveInput, ColumnRemoveInput, ColumnUpdateInput } from '../../lib/shared/protocol';
import { toColumnDTO, type ColumnRow } from './rows';
import { columnOn, liveColumns, rewriteColumnOrder, type Commit, type WriteContext } from './tx';

export async function addColumn({ tx, boardId, now, append }: WriteContext, input: ColumnAddInput, newId: () => string): Promise<Commit & { column: ColumnDTO }> {
  const existing = await liveColumns(tx, boardId);
  if (existing.length >= LIMITS.columnsPerBoard) throw new DomainError('CONFLICT', `A board holds at most ${LIMITS.columnsPerBoard} work centers`);
  const index = Math.min(input.index ?? existing.length, existing.length);
  const row: ColumnRow = { id: newId(), boardId, name: input.name, ord: index, wipLimit: input.wipLimit ?? null, createdAt: now, removedAt: null, flowOrd: 0, split: false };
  await tx.run('insert into columns (id, board_id, name, ord, wip_limit, created_at, removed_at, flow_ord) values (?, ?, ?, ?, ?, ?, null, 0)', [
    row.id,
    boardId,
    row.name,
    index,
    row.wipLimit,
    now,
  ]);
  const ordered = [...existing];
  ordered.splice(index, 0, row);
  await rewriteColumnOrder(tx, ordered);
  const column = toColumnDTO(row);
  const event = await append({ type: 'column_added', column, index });
  return { boardId, version: event.version, events: [event], column };
}

/** SQLite keeps the flag as 0 or 1. */
const splitOf = (c: ColumnRow) => ({ name: c.name, split: Boolean(c.split) });

const columnOf = (ctx: WriteContext, columnId: string) =>
  columnOn(ctx.tx, ctx.boardId, columnId).catch(() => {
    throw new DomainError('NOT_FOUND', 'Work center not found');
  });

export async function updateColumn(ctx: WriteContext, input: ColumnUpdateInput): Promise<Commit> {
  const column = await columnOf(ctx, input.columnId);
  const out: BoardEvent[] = [];
  if (input.name !== undefined && input.name !== column.name) {
    await ctx.tx.run('update columns set name = ? where id = ?', [input.name, column.id]);
    out.push(await ctx.append({ type: 'column_renamed', columnId: column.id, name: input.name }));
  }
  if (input.wipLimit !== undefined && input.wipLimit !== column.wipLimit) {
    // Lowering below the current count is allowed: the column then refuses pulls until it is under.
    await ctx.tx.run('update columns set wip_limit = ? where id = ?', [input.wipLimit, column.id]);
    out.push(await ctx.append({ type: 'wip_limit_set', columnId: column.id, wipLimit: input.wipLimit }));
  }
  if (input.split !== undefined && input.split !== Boolean(column.split)) {
    if (input.split) {
      const existing = await liveColumns(ctx.tx, ctx.boardId);
      assertSplittable(column, column.ord, existing.length);
    } else {
      const done = await ctx.tx.get<{ n: number }>("select count(*) as n from cards where column_id = ? and stage = 'done' and deleted_at is null", [column.id]);
      assertDoneHalfEmpty(column, Number(done?.n ?? 0));
    }
    await ctx.tx.run('update columns set split = ? where id = ?', [input.split, column.id]);
    out.push(await ctx.append({ type: 'column_split_set', columnId: column.id, split: input.split }));
  }
  return { boardId: ctx.boardId, version: out.at(-1)?.version ?? ctx.version, events: out };
}

export async function moveColumn(ctx: WriteContext, input: ColumnMoveInput): Promise<Commit> {
  const column = await columnOf(ctx, input.columnId);
  const existing = await liveColumns(ctx.tx, ctx.boardId);
  const toIndex = Math.min(input.toIndex, existing.length - 1);
  const ordered = existing.filter((c) => c.id !== column.id);
  ordered.splice(toIndex, 0, column);
  assertSplitPlaces(ordered.map(splitOf));
  await rewriteColumnOrder(ctx.tx, ordered);
  const event = await ctx.append({ type: 'column_moved', columnId: column.id, toIndex });
  return { boardId: ctx.boardId, version: event.version, events: [event] };
}

export async function removeColumn(ctx: WriteContext, input: ColumnRemoveInput): Promise<Commit> {
  const column = await columnOf(ctx, input.columnId);
  const count = (await ctx.tx.get<{ n: number }>('select count(*) as n from cards where column_id = ? and deleted_at is null', [column.id]))?.n ?? 0;
  assertColumnEmpty(column, count);
  const existing = await liveColumns(ctx.tx, ctx.boardId);
  if (existing.length <= 1) throw new DomainError('CONFLICT', 'A board keeps at least one work center');
  assertSplitPlaces(existing.filter((c) => c.id !== column.id).map(splitOf));
  await ctx.tx.run('update columns set removed_at = ? where id = ?', [ctx.now, column.id]);
  await rewriteColumnOrder(ctx.tx, existing.filter((c) => c.id !== column.id));
  const event = await ctx.append({ type: 'column_removed', columnId: column.id });
  return { boardId: ctx.boardId, version: event.version, events: [event] };
}
