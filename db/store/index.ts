/**
 * The store: every write of a board and every read of it, over either engine (db/engine.ts). The
 * rules are pure functions in lib/shared/domain; this module only orders the reads and writes around them
 * in one transaction per write, and keeps the flow projection following the log.
 */
import { randomUUID } from 'node:crypto';
import type { BoardEvent, BoardSnapshot, BoardSummaryDTO, CardDTO, CardHistoryEntry, ColumnDTO, LaneDTO } from '../../lib/shared/domain/types';
import type {
  BoardConfigureInput,
  BoardCreateInput,
  BoardRenameInput,
  CardCreateInput,
  CardDeleteInput,
  CardSplitInput,
  CardMoveInput,
  CardUndoMoveInput,
  CardUpdateInput,
  ColumnAddInput,
  ColumnMoveInput,
  ColumnRemoveInput,
  ColumnUpdateInput,
  LaneAddInput,
  LaneMoveInput,
  LaneRemoveInput,
  LaneUpdateInput,
} from '../../lib/shared/protocol';
import type { Engine, Sql } from '../engine';
import { applyPending, createFlowAggregates } from '../flow';
import { cardPageOf, configureBoard, eventsAfter, historyOf, insertBoard, listBoards, renameBoard, snapshotOf, windowedSnapshotOf } from './boards';
import { createCard, deleteCard, moveCard, updateCard } from './cards';
import { undoMove } from './undo';
import { splitCard } from './cardSplit';
import { addColumn, moveColumn, removeColumn, updateColumn } from './columns';
import { addLane, moveLane, removeLane, updateLane } from './lanes';
import { toColumnDTO } from './rows';
import { peopleOf } from './people';
import { windowOf } from '../../lib/shared/domain/cardWindow';
import { DomainError } from '../../lib/shared/domain/errors';
import { defaultKeyPrefix, isCardKey } from '../../lib/shared/domain/keys';
import { cardIdOf, namesCardKey, withCardIds, type KeyScope } from './keys';
import { alertFired, alertResolved, appendLog, claimDelivery, hookBoardOf, hookOf, hooksOf, logOf, newHookSecret, noteRefusal, releaseDelivery, setMapping, toHookDTO, type HookRow, type LogLine } from './hooks';
import type { HookProvider, HookRule, InboundHookDTO } from '../../lib/shared/hooks';
import { appendEvent, boardWrite, type Actor, type Commit, type Guard, type Target, type WriteContext } from './tx';

export type { Actor, Commit, Guard } from './tx';
export type { KeyScope } from './keys';

export interface StoreOptions {
  /** Milliseconds since the epoch; injectable so tests and imports can place events in time. */
  clock?: () => number;
  newId?: () => string;
  /** Told when a board's flow aggregates could not be applied; they are rebuilt from its log. */
  onFlowError?: (error: unknown, boardId: string) => void;
  /** A committed write put webhook deliveries in the outbox: wake the sender (lib/server/webhooks/sender.ts). */
  onOutbox?: () => void;
}

/**
 * A write that changes work centers or the commitment point: the aggregates first catch up under
 * the old ones, in the write's transaction (it holds the board's lock, so nothing lands between).
 */
const reshaping =
  <T>(fn: (ctx: WriteContext) => Promise<T>) =>
  async (ctx: WriteContext): Promise<T> => {
    await applyPending(ctx.tx, ctx.boardId);
    return fn(ctx);
  };

async function versionOf(sql: Sql, boardId: string): Promise<number> {
  const board = await sql.get<{ version: number }>('select version from boards where id = ?', [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  return board.version;
}

/** How long the projection waits on PostgreSQL to take a moment's writes in one catch-up. */
const POSTGRES_FOLLOW_DELAY_MS = 100;

export function createStore(engine: Engine, options: StoreOptions = {}) {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? (() => randomUUID());
  const flow = createFlowAggregates(engine, { onError: options.onFlowError });

  /*
   * The projection follows each write off the path of the move: the caller broadcasts the commit's
   * events in the promise's continuation, then this runs. Whichever comes first, this, a read of the
   * aggregates, or another process, moves the cursor; the others find nothing to do.
   *
   * A catch-up locks the board's row like a write, so the next write of the board waits for it. On
   * SQLite it is a few statements in-process: right after the broadcast (setImmediate). On PostgreSQL
   * each statement is a round trip, and catching up after every move made the next move wait for it
   * (fan-out 2.1x the plain-SQL floor with it, 1.0x without, measured): there the follow waits a
   * moment and takes the writes of that moment in one transaction. Reads never see it: they catch up
   * first.
   */
  const followDelayMs = engine.kind === 'postgres' ? POSTGRES_FOLLOW_DELAY_MS : 0;
  const scheduled = new Set<string>();
  function followLog(boardId: string): void {
    if (scheduled.has(boardId)) return;
    scheduled.add(boardId);
    const follow = () => {
      scheduled.delete(boardId);
      flow.settle(boardId).catch(() => {
        // Unavailable database or a broken log: the next read, write or start catches up.
      });
    };
    if (followDelayMs === 0) setImmediate(follow);
    else setTimeout(follow, followDelayMs).unref();
  }

  async function write<T extends Commit>(target: Target, actor: Actor, guard: Guard | undefined, clientMutationId: string | null | undefined, fn: (ctx: WriteContext) => Promise<T>): Promise<T> {
    let outboxed = 0;
    const result = await boardWrite(engine, target, actor, clock, guard, clientMutationId, async (ctx) => {
      const written = await fn(ctx);
      outboxed = ctx.outboxed ?? 0;
      return written;
    });
    if (result.events.length > 0) followLog(result.boardId);
    if (outboxed > 0) options.onOutbox?.();
    return result;
  }

  return {
    engine,
    /** The store's clock: reads made elsewhere (lib/server/heavyReads.ts) use the same time. */
    clock,
    /** The flow aggregates: read a range for the flow page, catch a board up. */
    flow,

    listBoards: (): Promise<BoardSummaryDTO[]> => engine.read(listBoards),
    /** A query that touches the database and nothing big: the health check. */
    ping: async (): Promise<void> => {
      await engine.read((sql) => sql.get('select 1 as ok'));
    },
    getSnapshot: (boardId: string): Promise<BoardSnapshot> => engine.read((sql) => snapshotOf(sql, boardId, clock())),
    /** The board as a join sends it: each work center's first cards and the counts (lib/shared/domain/cardWindow.ts). */
    windowedSnapshot: (boardId: string, perColumn: number): Promise<BoardSnapshot> =>
      engine.read(async (sql) => {
        // A board of a few pages is read whole and cut here (sent as it is when every work center fits).
        const few = await sql.get<{ n: number }>('select count(*) as n from (select 1 from cards where board_id = ? and deleted_at is null limit ?) c', [boardId, 10 * perColumn + 1]);
        if (Number(few?.n ?? 0) <= 10 * perColumn) return windowOf(await snapshotOf(sql, boardId, clock()), perColumn);
        return windowedSnapshotOf(sql, engine.dialect.binary, boardId, clock(), perColumn);
      }),
    /** A work center's next cards after a card (its position and id), for a window's "show more". */
    cardPage: (boardId: string, columnId: string, after: { position: string; id: string } | null, limit: number) =>
      engine.read((sql) => cardPageOf(sql, engine.dialect.binary, boardId, columnId, after, limit)),
    /** Events after `sinceVersion`, or null when more than `max` would be needed (send a snapshot). */
    async eventsSince(boardId: string, sinceVersion: number, max: number): Promise<BoardEvent[] | null> {
      return engine.read(async (sql) => {
        const version = await versionOf(sql, boardId);
        if (sinceVersion > version) throw new DomainError('CONFLICT', `Version ${sinceVersion} is ahead of the board (${version})`);
        if (version - sinceVersion > max) return null;
        return eventsAfter(sql, boardId, sinceVersion, max);
      });
    },
    /** One page of a board's log as JSON texts, for GET /events: at most `limit` events after `sinceVersion`, the limit in the query; nothing parsed and encoded again. */
    cardHistory: (cardId: string): Promise<CardHistoryEntry[]> => engine.read((sql) => historyOf(sql, cardId)),
    /** Who the board's cards can name: its members, and former members still assigned (db/store/people.ts). */
    people: (boardId: string) => engine.read((sql) => peopleOf(sql, boardId)),
    /** A card key (`PAY-42`) as the card's id in `scope`; an id comes back as it is (db/store/keys.ts). */
    cardIdOf: (ref: string, scope: KeyScope): Promise<string> => (isCardKey(ref) ? engine.read((sql) => cardIdOf(sql, ref, scope)) : Promise.resolve(ref)),
    /** A request's cardId and beforeCardId with keys made ids. */
    // A request by id (nearly all: every drag) reads nothing more: the move's cost is unchanged.
    withCardIds: (payload: unknown, scope: KeyScope): Promise<unknown> => (namesCardKey(payload) ? engine.read((sql) => withCardIds(sql, payload, scope)) : Promise.resolve(payload)),
    /** The board a card or work center belongs to; null when unknown. */
    boardOfCard: (cardId: string): Promise<string | null> => engine.read(async (sql) => (await sql.get<{ b: string }>('select board_id as b from cards where id = ?', [cardId]))?.b ?? null),
    boardOfColumn: (columnId: string): Promise<string | null> =>
      engine.read(async (sql) => (await sql.get<{ b: string }>('select board_id as b from columns where id = ?', [columnId]))?.b ?? null),

    async createBoard(input: BoardCreateInput, actor: Actor): Promise<Commit & { board: BoardSnapshot }> {
      const boardId = newId();
      const commit = await engine.write(async (tx) => {
        const now = clock();
        const { cols, lanes } = await insertBoard(tx, input, actor, { boardId, newId }, now);
        const ctx: WriteContext = { tx, boardId, version: 0, now, actor, append: (body) => appendEvent(ctx, body) };
        const event = await ctx.append({ type: 'board_created', name: input.name, columns: cols.map((c) => toColumnDTO(c)), lanes, keyPrefix: defaultKeyPrefix(input.name) });
        return { boardId, version: event.version, events: [event] };
      });
      followLog(boardId);
      return { ...commit, board: await engine.read((sql) => snapshotOf(sql, boardId, clock())) };
    },

    renameBoard: (input: BoardRenameInput, actor: Actor, guard?: Guard) => write({ boardId: input.boardId }, actor, guard, input.clientMutationId, (ctx) => renameBoard(ctx, input)),
    configureBoard: (input: BoardConfigureInput, actor: Actor, guard?: Guard) =>
      write({ boardId: input.boardId }, actor, guard, input.clientMutationId, reshaping((ctx) => configureBoard(ctx, input))),
    addColumn: (input: ColumnAddInput, actor: Actor, guard?: Guard): Promise<Commit & { column: ColumnDTO }> =>
      write({ boardId: input.boardId }, actor, guard, input.clientMutationId, reshaping((ctx) => addColumn(ctx, input, newId))),
    updateColumn: (input: ColumnUpdateInput, actor: Actor, guard?: Guard) =>
      write({ columnId: input.columnId }, actor, guard, input.clientMutationId, (ctx) => updateColumn(ctx, input)),
    moveColumn: (input: ColumnMoveInput, actor: Actor, guard?: Guard) => write({ columnId: input.columnId }, actor, guard, input.clientMutationId, reshaping((ctx) => moveColumn(ctx, input))),
    removeColumn: (input: ColumnRemoveInput, actor: Actor, guard?: Guard) =>
      write({ columnId: input.columnId }, actor, guard, input.clientMutationId, reshaping((ctx) => removeColumn(ctx, input))),
    // Lanes do not reshape the flow aggregates: they are keyed by work center (lanes filter by card).
    addLane: (input: LaneAddInput, actor: Actor, guard?: Guard): Promise<Commit & { lane: LaneDTO }> =>
      write({ boardId: input.boardId }, actor, guard, input.clientMutationId, (ctx) => addLane(ctx, input, newId)),
    updateLane: (input: LaneUpdateInput, actor: Actor, guard?: Guard) => write({ laneId: input.laneId }, actor, guard, input.clientMutationId, (ctx) => updateLane(ctx, input)),
    moveLane: (input: LaneMoveInput, actor: Actor, guard?: Guard) => write({ laneId: input.laneId }, actor, guard, input.clientMutationId, (ctx) => moveLane(ctx, input)),
    removeLane: (input: LaneRemoveInput, actor: Actor, guard?: Guard) => write({ laneId: input.laneId }, actor, guard, input.clientMutationId, (ctx) => removeLane(ctx, input)),
    createCard: (input: CardCreateInput, actor: Actor, guard?: Guard): Promise<Commit & { card: CardDTO }> =>
      write({ boardId: input.boardId }, actor, guard, input.clientMutationId, (ctx) => createCard(ctx, input, newId)),
    updateCard: (input: CardUpdateInput, actor: Actor, guard?: Guard) =>
      write({ cardId: input.cardId }, actor, guard, input.clientMutationId, (ctx) => updateCard(ctx, input)),
    deleteCard: (input: CardDeleteInput, actor: Actor, guard?: Guard) => write({ cardId: input.cardId }, actor, guard, input.clientMutationId, (ctx) => deleteCard(ctx, input)),
    moveCard: (input: CardMoveInput, actor: Actor, guard?: Guard): Promise<Commit & { card: CardDTO }> =>
      write({ cardId: input.cardId }, actor, guard, input.clientMutationId, (ctx) => moveCard(ctx, input)),
    /** Inbound hooks (db/store/hooks.ts, lib/server/hooks): their settings and log, and the board writes they make. */
    hooks: {
      get: (hookId: string) => engine.read((sql) => hookOf(sql, hookId)),
      list: async (boardId: string): Promise<InboundHookDTO[]> => (await engine.read((sql) => hooksOf(sql, boardId))).map(toHookDTO),
      async create(boardId: string, input: { name: string; provider: HookProvider }, createdBy: string | null): Promise<{ hook: InboundHookDTO; secret: string }> {
        const row: HookRow = { id: newId(), boardId, name: input.name, provider: input.provider, secret: newHookSecret(), createdAt: clock() };
        await engine.write((tx) => tx.run('insert into inbound_hooks (id, board_id, name, provider, secret, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?)', [row.id, boardId, row.name, row.provider, row.secret, row.createdAt, createdBy]));
        return { hook: toHookDTO(row), secret: row.secret };
      },
      /** A new secret; the old one stops working at once. */
      async rotate(boardId: string, hookId: string): Promise<{ hook: InboundHookDTO; secret: string }> {
        const secret = newHookSecret();
        const row = await engine.write(async (tx) => {
          if ((await tx.run('update inbound_hooks set secret = ? where id = ? and board_id = ?', [secret, hookId, boardId])) === 0) throw new DomainError('NOT_FOUND', 'Hook not found');
          return hookOf(tx, hookId);
        });
        return { hook: toHookDTO(row as HookRow), secret };
      },
      async remove(boardId: string, hookId: string): Promise<void> {
        if ((await engine.write((tx) => tx.run('delete from inbound_hooks where id = ? and board_id = ?', [hookId, boardId]))) === 0) throw new DomainError('NOT_FOUND', 'Hook not found');
      },
      board: (boardId: string) => engine.read((sql) => hookBoardOf(sql, boardId)),
      /** A live card of the board (where it is and its number); NOT_FOUND when it is not on that board. */
      cardOn: (boardId: string, cardId: string) =>
        engine.read(async (sql) => {
          const row = await sql.get<{ id: string; columnId: string; number: number }>('select id, column_id as "columnId", number from cards where id = ? and board_id = ? and deleted_at is null', [cardId, boardId]);
          if (!row) throw new DomainError('NOT_FOUND', 'Card not found');
          return { ...row, number: Number(row.number) };
        }),
      setMapping: (boardId: string, rules: HookRule[]) =>
        engine.write(async (tx) => {
          if ((await tx.lockBoard(boardId)) === undefined) throw new DomainError('NOT_FOUND', 'Board not found');
          return setMapping(tx, boardId, rules);
        }),
      log: (line: LogLine) => engine.write((tx) => appendLog(tx, line, clock())),
      logOf: (hookId: string, limit = 100) => engine.read((sql) => logOf(sql, hookId, limit)),
      claimDelivery: (hookId: string, deliveryId: string) => engine.write((tx) => claimDelivery(tx, hookId, deliveryId, clock())),
      releaseDelivery: (hookId: string, deliveryId: string) => engine.write((tx) => releaseDelivery(tx, hookId, deliveryId)),
      noteRefusal: (boardId: string, input: { cardId: string; hookName: string; toColumnId: string; code: string; message: string }, actor: Actor) =>
        write({ boardId }, actor, undefined, null, (ctx) => noteRefusal(ctx, input)),
      alertFired: (boardId: string, alert: Parameters<typeof alertFired>[1], actor: Actor) => write({ boardId }, actor, undefined, null, (ctx) => alertFired(ctx, alert, newId)),
      alertResolved: (boardId: string, alert: Parameters<typeof alertResolved>[1], actor: Actor) => write({ boardId }, actor, undefined, null, (ctx) => alertResolved(ctx, alert)),
    },
    /** Replaces a card by 2..20 smaller ones in its place (db/store/cardSplit.ts). */
    splitCard: (input: CardSplitInput, actor: Actor, guard?: Guard): Promise<Commit & { cards: CardDTO[] }> =>
      write({ cardId: input.cardId }, actor, guard, input.clientMutationId, (ctx) => splitCard(ctx, input, newId)),
    /** Takes back the asker's own last move of a card within UNDO_WINDOW_MS (db/store/undo.ts). */
    undoMove: (input: CardUndoMoveInput, actor: Actor, guard?: Guard): Promise<Commit & { card: CardDTO }> =>
      write({ cardId: input.cardId }, actor, guard, input.clientMutationId, (ctx) => undoMove(ctx, input)),
  };
}

export type Store = ReturnType<typeof createStore>;
