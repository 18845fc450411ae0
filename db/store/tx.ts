/**
 * One write = one transaction that locks the board, checks who asks, changes state and appends its
 * events. Nothing is emitted here: the caller broadcasts the returned events after the commit.
 */
import { DomainError } from '../../lib/shared/domain/errors';
import type { BoardEvent, BoardEventBody } from '../../lib/shared/domain/types';
import type { Engine, WriteTx } from '../engine';
import { outboxEvent } from '../webhooks';
import { COLUMN_FIELDS, iso, type ColumnRow } from './rows';

/** Who made a change; recorded on every event. */
export interface Actor {
  name: string;
  /** The account; absent for the seeded demo board and other changes made by the app itself. */
  id?: string | null;
}

/** What every write returns: the events it committed (broadcast them) and the board's new version. */
export interface Commit {
  boardId: string;
  version: number;
  events: BoardEvent[];
}

/**
 * Checks the asker's role on the board, inside the write's transaction (so a member removed
 * meanwhile cannot slip a change in). Gets null when they are not a member or the board is missing;
 * throws to refuse.
 */
export type Guard = (role: string | null) => void;

/** What a write names: the board itself, or a card or work center on it. */
export type Target = { boardId: string } | { cardId: string } | { columnId: string } | { laneId: string };

export interface WriteContext {
  tx: WriteTx;
  boardId: string;
  /** The board's version when the write locked it: what a write that changes nothing answers. */
  version: number;
  now: number;
  actor: Actor;
  clientMutationId?: string | null;
  /** Appends an event (version bump, log row, projections kept in the same transaction). */
  append(body: BoardEventBody, cardId?: string | null): Promise<BoardEvent>;
  /** Events this write put in the webhooks' outbox: the sender is woken after the commit. */
  outboxed?: number;
}

async function boardOf(tx: WriteTx, target: Target): Promise<string | null> {
  if ('boardId' in target) return target.boardId;
  if ('cardId' in target) return (await tx.get<{ b: string }>('select board_id as b from cards where id = ?', [target.cardId]))?.b ?? null;
  if ('laneId' in target) return (await tx.get<{ b: string }>('select board_id as b from lanes where id = ? and deleted_at is null', [target.laneId]))?.b ?? null;
  return (await tx.get<{ b: string }>('select board_id as b from columns where id = ?', [target.columnId]))?.b ?? null;
}

const MISSING: Record<string, string> = { boardId: 'Board not found', cardId: 'Card not found', columnId: 'Work center not found', laneId: 'Lane not found' };

/**
 * Runs `fn` in one transaction on the board `target` belongs to: resolve the board, lock it (every
 * other write of this board, on any process, waits here), check the guard, write.
 */
export async function boardWrite<T>(
  engine: Engine,
  target: Target,
  actor: Actor,
  clock: () => number,
  guard: Guard | undefined,
  clientMutationId: string | null | undefined,
  fn: (ctx: WriteContext) => Promise<T>,
): Promise<T> {
  return engine.write(async (tx) => {
    const boardId = await boardOf(tx, target);
    const missing = MISSING[Object.keys(target)[0] as string] as string;
    const version = boardId === null ? undefined : await tx.lockBoard(boardId);
    if (guard) {
      const role =
        version === undefined || !actor.id ? null : ((await tx.get<{ role: string }>('select role from board_members where board_id = ? and user_id = ?', [boardId, actor.id]))?.role ?? null);
      guard(role);
    }
    if (version === undefined || boardId === null) throw new DomainError('NOT_FOUND', missing);
    const now = clock();
    const ctx: WriteContext = { tx, boardId, version, now, actor, clientMutationId, append: (body, cardId) => appendEvent(ctx, body, cardId) };
    return fn(ctx);
  });
}

export async function appendEvent(ctx: WriteContext, body: BoardEventBody, cardId?: string | null): Promise<BoardEvent> {
  const { tx, boardId, actor, now, clientMutationId } = ctx;
  const version = (await tx.get<{ version: number }>('update boards set version = version + 1 where id = ? returning version', [boardId]))?.version;
  if (version === undefined) throw new DomainError('NOT_FOUND', 'Board not found');
  const { type, ...rest } = body;
  const data = clientMutationId ? { ...rest, clientMutationId } : rest;
  const actorId = actor.id ?? null;
  const seq = (
    await tx.get<{ seq: number }>('insert into events (board_id, version, type, actor, actor_id, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?, ?) returning seq', [
      boardId,
      version,
      type,
      actor.name,
      actorId,
      now,
      cardId ?? null,
      JSON.stringify(data),
    ])
  )?.seq;
  if (seq === undefined) throw new Error('The event insert returned no row');
  // Every viewer of the board receives this: what is absent (no account, no request id) is left out.
  const event = {
    ...body,
    boardId,
    version,
    actor: actor.name,
    ...(actorId ? { actorId } : {}),
    at: iso(now),
    ...(clientMutationId ? { clientMutationId } : {}),
  } as BoardEvent;
  // A projection kept in the same transaction: defect counts per work center need no scan of the log.
  if (event.type === 'card_moved' && event.backward && event.reason && event.detectedAtColumnId && event.returnedToColumnId) {
    await tx.run(
      `insert into backward_moves (event_seq, board_id, card_id, detected_at_column_id, returned_to_column_id, reason, actor, at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [seq, boardId, event.cardId, event.detectedAtColumnId, event.returnedToColumnId, event.reason, actor.name, now],
    );
  }
  // The webhooks' outbox (db/webhooks.ts): committed with the event or not at all.
  const outboxed = await outboxEvent(tx, event, now);
  if (outboxed > 0) ctx.outboxed = (ctx.outboxed ?? 0) + outboxed;
  return event;
}

export async function liveColumns(tx: Pick<WriteTx, 'all'>, boardId: string): Promise<ColumnRow[]> {
  return tx.all<ColumnRow>(`select ${COLUMN_FIELDS} from columns where board_id = ? and removed_at is null order by ord`, [boardId]);
}

/**
 * How many live work centers the board has. Their places are dense (rewriteColumnOrder), so this also
 * says which is last (count − 1) and which are in progress (lib/shared/domain/lanes.ts inProgress).
 */
export async function columnCountOf(tx: Pick<WriteTx, 'get'>, boardId: string): Promise<number> {
  const row = await tx.get<{ n: number }>('select count(*) as n from columns where board_id = ? and removed_at is null', [boardId]);
  return Number(row?.n ?? 0);
}

/** A live work center of this board; NOT_FOUND otherwise. */
export async function columnOn(tx: WriteTx, boardId: string, columnId: string): Promise<ColumnRow> {
  const row = await tx.get<ColumnRow>(`select ${COLUMN_FIELDS} from columns where id = ? and removed_at is null`, [columnId]);
  if (!row || row.boardId !== boardId) throw new DomainError('NOT_FOUND', 'Work center not found on this board');
  return row;
}

/** Live work centers keep dense places 0..n-1 in board order. */
export async function rewriteColumnOrder(tx: WriteTx, ordered: readonly ColumnRow[]): Promise<void> {
  for (const [ord, c] of ordered.entries()) {
    if (c.ord !== ord) await tx.run('update columns set ord = ? where id = ?', [ord, c.id]);
  }
}
