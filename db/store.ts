import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, gte, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { backwardMoves, boardMembers, boards, cards, columns, events } from './schema';
import { createFlowAggregates } from './flow';
import { DomainError } from '../lib/domain/errors';
import { DEFECT_WINDOW_DAYS, LIMITS, VALUE_STREAM_TEMPLATE } from '../lib/domain/limits';
import { positionBefore } from '../lib/domain/ordering';
import { assertColumnEmpty, assertRoomFor, cardMovedEvent, isBackwardStep, requireReason } from '../lib/domain/rules';
import type {
  BoardEvent,
  BoardEventBody,
  BoardSnapshot,
  BoardSummaryDTO,
  CardDTO,
  CardHistoryEntry,
  CardType,
  ColumnDTO,
} from '../lib/domain/types';
import type {
  BoardConfigureInput,
  BoardCreateInput,
  BoardRenameInput,
  CardCreateInput,
  CardDeleteInput,
  CardMoveInput,
  CardUpdateInput,
  ColumnAddInput,
  ColumnMoveInput,
  ColumnRemoveInput,
  ColumnUpdateInput,
} from '../lib/realtime/protocol';

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

export interface StoreOptions {
  /** Milliseconds since the epoch; injectable so tests and imports can place events in time. */
  clock?: () => number;
  newId?: () => string;
  /**
   * Told when a write's flow aggregates could not be applied. Writes go on: the board's aggregates
   * are rebuilt from its log, or, when that fails too, at the next start (it keeps flow_ready = 0).
   */
  onFlowError?: (error: unknown, boardIds: readonly string[]) => void;
}

type CardRow = typeof cards.$inferSelect;
type ColumnRow = typeof columns.$inferSelect;
/**
 * What a write's body runs its queries on. better-sqlite3 has one connection, so the database handle
 * itself runs inside the open transaction (see write()): no drizzle transaction object per write.
 */
type Tx = Db;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function toCardDTO(row: CardRow): CardDTO {
  return {
    id: row.id,
    boardId: row.boardId,
    columnId: row.columnId,
    position: row.position,
    title: row.title,
    description: row.description,
    type: row.type as CardType,
    blocked: row.blocked,
    blockedReason: row.blockedReason,
    defectCount: row.defectCount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    enteredColumnAt: iso(row.enteredColumnAt),
  };
}

function toColumnDTO(row: ColumnRow, defectsReturned = 0): ColumnDTO {
  return { id: row.id, boardId: row.boardId, name: row.name, wipLimit: row.wipLimit, defectsReturned };
}

function eventFromRow(row: typeof events.$inferSelect): BoardEvent {
  const body = JSON.parse(row.data) as Omit<BoardEventBody, 'type'> & { clientMutationId?: string | null };
  return {
    ...body,
    type: row.type,
    boardId: row.boardId,
    version: row.version,
    actor: row.actor,
    actorId: row.actorId ?? null,
    at: iso(row.at),
    clientMutationId: body.clientMutationId ?? null,
  } as BoardEvent;
}

/**
 * The queries of the hot paths (every move, every event), prepared once per store: building the SQL
 * with drizzle and compiling it in SQLite on each call cost several times more than running it
 * (see bench/, `npm run bench -- throughput`). The ones every move runs are plain better-sqlite3
 * statements with positional parameters, whose columns are aliased to the row types' field names:
 * drizzle's placeholder filling and per-column row mapping were a tenth of a move's server time
 * (`npm run bench -- fanout --profile`). better-sqlite3 has a single connection, so these statements
 * run inside whatever transaction is open on it, like the `tx` queries.
 */
const CARD_FIELDS = `id, board_id as boardId, column_id as columnId, position, title, description, type, blocked,
  blocked_reason as blockedReason, defect_count as defectCount, created_at as createdAt, updated_at as updatedAt,
  entered_column_at as enteredColumnAt, deleted_at as deletedAt`;
const COLUMN_FIELDS = 'id, board_id as boardId, name, ord, wip_limit as wipLimit, created_at as createdAt, removed_at as removedAt, flow_ord as flowOrd';

/** SQLite stores the boolean as 0 or 1; drizzle's schema reads it as a boolean. */
type RawCardRow = Omit<CardRow, 'blocked'> & { blocked: number | boolean };
const cardRowOf = (raw: RawCardRow): CardRow => ({ ...raw, blocked: Boolean(raw.blocked) });

function prepareQueries(db: Db) {
  const sqlite = db.$client;
  const boardParam = sql.placeholder('boardId');
  const liveCardsIn = and(eq(cards.columnId, sql.placeholder('columnId')), isNull(cards.deletedAt));
  const card = sqlite.prepare<[string], RawCardRow>(`select ${CARD_FIELDS} from cards where id = ? and deleted_at is null`);
  const column = sqlite.prepare<[string], ColumnRow>(`select ${COLUMN_FIELDS} from columns where id = ? and removed_at is null`);
  const boardOfCard = sqlite.prepare<[string], { b: string }>('select board_id as b from cards where id = ?');
  const cardsInColumn = sqlite.prepare<[string], { id: string; position: string }>('select id, position from cards where column_id = ? and deleted_at is null');
  const placeCard = sqlite.prepare<[string, string, number, number, number, string]>(
    'update cards set column_id = ?, position = ?, defect_count = ?, updated_at = ?, entered_column_at = ? where id = ?',
  );
  // A new event leaves the board's flow aggregates behind until its backlog is applied (see createStore).
  const bumpVersion = sqlite.prepare<[string], { version: number }>('update boards set version = version + 1, flow_ready = 0 where id = ? returning version');
  const appendEvent = sqlite.prepare<[string, number, string, string, string | null, number, string | null, string], { seq: number }>(
    'insert into events (board_id, version, type, actor, actor_id, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?, ?) returning seq',
  );
  const appendBackwardMove = sqlite.prepare<[number, string, string, string, string, string, string, number]>(
    `insert into backward_moves (event_seq, board_id, card_id, detected_at_column_id, returned_to_column_id, reason, actor, at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    board: db.select().from(boards).where(eq(boards.id, sql.placeholder('id'))).prepare(),
    column: (id: string): ColumnRow | undefined => column.get(id),
    liveColumns: db
      .select()
      .from(columns)
      .where(and(eq(columns.boardId, boardParam), isNull(columns.removedAt)))
      .orderBy(asc(columns.ord))
      .prepare(),
    card: (id: string): CardRow | undefined => {
      const raw = card.get(id);
      return raw && cardRowOf(raw);
    },
    // Every write is authorized on the board that owns its card or work center (lib/server/commands.ts).
    boardOfCard: (id: string): string | null => boardOfCard.get(id)?.b ?? null,
    boardOfColumn: db.select({ b: columns.boardId }).from(columns).where(eq(columns.id, sql.placeholder('id'))).prepare(),
    cardsIn: (columnId: string) => cardsInColumn.all(columnId),
    countIn: db.select({ n: count() }).from(cards).where(liveCardsIn).prepare(),
    placeCard: (id: string, to: { columnId: string; position: string; defectCount: number; updatedAt: number; enteredColumnAt: number }) =>
      void placeCard.run(to.columnId, to.position, to.defectCount, to.updatedAt, to.enteredColumnAt, id),
    bumpVersion: (boardId: string): number | undefined => bumpVersion.get(boardId)?.version,
    appendEvent: (e: { boardId: string; version: number; type: string; actor: string; actorId: string | null; at: number; cardId: string | null; data: string }) =>
      appendEvent.get(e.boardId, e.version, e.type, e.actor, e.actorId, e.at, e.cardId, e.data)?.seq,
    appendBackwardMove: (m: { eventSeq: number; boardId: string; cardId: string; detectedAtColumnId: string; returnedToColumnId: string; reason: string; actor: string; at: number }) =>
      void appendBackwardMove.run(m.eventSeq, m.boardId, m.cardId, m.detectedAtColumnId, m.returnedToColumnId, m.reason, m.actor, m.at),
  };
}

type Queries = ReturnType<typeof prepareQueries>;

function append(
  q: Queries,
  boardId: string,
  actor: Actor,
  now: number,
  body: BoardEventBody,
  clientMutationId?: string | null,
  cardId?: string | null,
): BoardEvent {
  const version = q.bumpVersion(boardId);
  if (version === undefined) throw new DomainError('NOT_FOUND', 'Board not found');
  const { type, ...rest } = body;
  const data = clientMutationId ? { ...rest, clientMutationId } : rest;
  const actorId = actor.id ?? null;
  const seq = q.appendEvent({ boardId, version, type, actor: actor.name, actorId, at: now, cardId: cardId ?? null, data: JSON.stringify(data) });
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
  if (event.type === 'card_moved' && event.backward && event.reason && event.detectedAtColumnId && event.returnedToColumnId) {
    q.appendBackwardMove({
      eventSeq: seq,
      boardId,
      cardId: event.cardId,
      detectedAtColumnId: event.detectedAtColumnId,
      returnedToColumnId: event.returnedToColumnId,
      reason: event.reason,
      actor: actor.name,
      at: now,
    });
  }
  return event;
}

function liveColumns(q: Queries, boardId: string): ColumnRow[] {
  return q.liveColumns.all({ boardId });
}

function getBoardRow(q: Queries, boardId: string) {
  const row = q.board.get({ id: boardId });
  if (!row) throw new DomainError('NOT_FOUND', 'Board not found');
  return row;
}

function getColumnRow(q: Queries, columnId: string): ColumnRow {
  const row = q.column(columnId);
  if (!row) throw new DomainError('NOT_FOUND', 'Work center not found');
  return row;
}

function getCardRow(q: Queries, cardId: string): CardRow {
  const row = q.card(cardId);
  if (!row) throw new DomainError('NOT_FOUND', 'Card not found');
  return row;
}

function cardsIn(q: Queries, columnId: string): { id: string; position: string }[] {
  return q.cardsIn(columnId);
}

function countIn(q: Queries, columnId: string): number {
  return q.countIn.get({ columnId })?.n ?? 0;
}

function rewriteColumnOrder(tx: Tx, ordered: readonly ColumnRow[]): void {
  ordered.forEach((c, ord) => {
    if (c.ord !== ord) tx.update(columns).set({ ord }).where(eq(columns.id, c.id)).run();
  });
}

/**
 * Every write is one synchronous IMMEDIATE transaction that checks the rules against what it reads,
 * changes state and appends its events. Nothing is emitted here: the caller broadcasts the returned
 * events after the commit.
 */
export function createStore(db: Db, options: StoreOptions = {}) {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? (() => randomUUID());
  const q = prepareQueries(db);
  const flow = createFlowAggregates(db.$client);

  // better-sqlite3's own transaction function, made once: BEGIN IMMEDIATE, COMMIT, or ROLLBACK and
  // rethrow. drizzle's db.transaction() builds a new wrapper and a transaction object on every call,
  // a measurable part of a move (npm run bench -- fanout).
  const immediate = db.$client.transaction((body: () => unknown) => body()).immediate;

  /*
   * The flow aggregates (db/flow.ts) follow the events one write behind, off the path of a move: a
   * write commits its state and events, the caller broadcasts them, and their aggregates are applied
   * right after (setImmediate), or at the start of the next write's transaction, or before any read
   * of the aggregates, whichever comes first. So the backlog holds the events of one write at most,
   * and they are applied to exactly the tables that write left, as if in its own transaction. A
   * board's flow_ready is 0 from its event's commit until its aggregates are applied in a later
   * commit; after a crash in between, the start (flow.ensureReady) rebuilds that board from its log.
   */
  let flowBacklog: readonly BoardEvent[] = [];
  /** Events of the write in the open transaction: the backlog once it commits. */
  let uncommitted: BoardEvent[] = [];
  let settleScheduled = false;

  /** Boards whose aggregates could not be repaired: they stay marked until a rebuild at the next start. */
  const flowBroken = new Set<string>();

  // Inside a write's transaction these are savepoints: what fails rolls back alone.
  const applyFlowAtomically = db.$client.transaction((committed: readonly BoardEvent[]) => {
    for (const event of committed) flow.applyEvent(event);
    for (const boardId of new Set(committed.map((e) => e.boardId))) {
      if (!flowBroken.has(boardId)) flow.markReady(boardId);
    }
  });
  const rebuildFlowAtomically = db.$client.transaction((boardId: string) => {
    flow.rebuildBoard(boardId);
    flow.markReady(boardId);
  });

  /**
   * Applies the backlog inside a write's transaction. Events the aggregates cannot take must not
   * block every later write: their boards are rebuilt from the log instead, and when even that
   * fails they stay marked (flow_ready = 0) for the rebuild at the next start. Either way, reported.
   */
  function applyFlowInWrite(backlog: readonly BoardEvent[]): void {
    if (backlog.length === 0) return;
    try {
      applyFlowAtomically(backlog);
    } catch (error) {
      const boardIds = [...new Set(backlog.map((e) => e.boardId))];
      for (const boardId of boardIds) {
        try {
          rebuildFlowAtomically(boardId);
        } catch {
          flowBroken.add(boardId);
        }
      }
      options.onFlowError?.(error, boardIds);
    }
  }

  /** Applies the backlog now, in a transaction of its own; on failure the next write tries again. */
  function settleFlow(): void {
    if (flowBacklog.length === 0 || db.$client.inTransaction) return;
    const backlog = flowBacklog;
    try {
      applyFlowAtomically.immediate(backlog);
      if (flowBacklog === backlog) flowBacklog = [];
    } catch {
      // Kept: the next write applies it, or reports and drops it if it fails there too.
    }
  }

  function scheduleSettle(): void {
    if (settleScheduled) return;
    settleScheduled = true;
    setImmediate(() => {
      settleScheduled = false;
      settleFlow();
    });
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction, or inside the one already open: a caller that checks
   * something first (authorization, lib/server/commands.ts) and then writes does both atomically.
   */
  function atomically<T>(fn: () => T): T {
    if (db.$client.inTransaction) return fn();
    const backlog = flowBacklog;
    uncommitted = [];
    try {
      const result = immediate(() => {
        applyFlowInWrite(backlog);
        return fn();
      }) as T;
      // Committed: the old backlog with it, and this write's events are the new one.
      flowBacklog = uncommitted;
      if (flowBacklog.length > 0) scheduleSettle();
      return result;
    } finally {
      uncommitted = [];
    }
  }

  function write<T extends { events: readonly BoardEvent[] }>(fn: (tx: Tx, now: number) => T): T {
    return atomically(() => {
      const result = fn(db, clock());
      uncommitted.push(...result.events);
      return result;
    });
  }

  /** What the rest of the app reads the aggregates through: always caught up with the last commit. */
  const settledFlow = {
    ...flow,
    settle: settleFlow,
    read(...args: Parameters<typeof flow.read>): ReturnType<typeof flow.read> {
      settleFlow();
      return flow.read(...args);
    },
  };

  function defectsReturnedByColumn(boardId: string): Map<string, number> {
    const since = clock() - DEFECT_WINDOW_DAYS * DAY_MS;
    const rows = db
      .select({ columnId: backwardMoves.returnedToColumnId, n: count() })
      .from(backwardMoves)
      .where(and(eq(backwardMoves.boardId, boardId), gte(backwardMoves.at, since)))
      .groupBy(backwardMoves.returnedToColumnId)
      .all();
    return new Map(rows.map((r) => [r.columnId, r.n]));
  }

  function getSnapshot(boardId: string): BoardSnapshot {
    // One read transaction, so the version matches the rows.
    return db.transaction((tx) => {
      const board = getBoardRow(q, boardId);
      const defects = defectsReturnedByColumn(boardId);
      const cols = liveColumns(q, boardId).map((c) => toColumnDTO(c, defects.get(c.id) ?? 0));
      const rows = tx
        .select()
        .from(cards)
        .where(and(eq(cards.boardId, boardId), isNull(cards.deletedAt)))
        .orderBy(asc(cards.columnId), asc(cards.position), asc(cards.id))
        .all();
      return {
        id: board.id,
        name: board.name,
        version: board.version,
        createdAt: iso(board.createdAt),
        columns: cols,
        cards: rows.map(toCardDTO),
      };
    });
  }

  return {
    atomically,
    /** The flow aggregates: read a range for the flow page, rebuild a board, settle the backlog. */
    flow: settledFlow,

    /** Flow settings: the customer's demand (cards per week) and the commitment work center. */
    configureBoard(input: BoardConfigureInput, actor: Actor): Commit {
      return write((tx, now) => {
        const board = getBoardRow(q, input.boardId);
        const demandPerWeek = input.demandPerWeek === undefined ? board.demandPerWeek : input.demandPerWeek;
        const commitmentColumnId = input.commitmentColumnId === undefined ? board.commitmentColumnId : input.commitmentColumnId;
        if (commitmentColumnId !== null && !liveColumns(q, board.id).some((c) => c.id === commitmentColumnId)) {
          throw new DomainError('NOT_FOUND', 'The commitment work center is not on this board');
        }
        if (demandPerWeek === board.demandPerWeek && commitmentColumnId === board.commitmentColumnId) {
          return { boardId: board.id, version: board.version, events: [] };
        }
        tx.update(boards).set({ demandPerWeek, commitmentColumnId }).where(eq(boards.id, board.id)).run();
        const event = append(q, board.id, actor, now, { type: 'board_settings_changed', demandPerWeek, commitmentColumnId }, input.clientMutationId);
        return { boardId: board.id, version: event.version, events: [event] };
      });
    },

    listBoards(): BoardSummaryDTO[] {
      const rows = db
        .select({
          id: boards.id,
          name: boards.name,
          version: boards.version,
          createdAt: boards.createdAt,
          cardCount: sql<number>`(select count(*) from cards where cards.board_id = "boards"."id" and cards.deleted_at is null)`,
          columnCount: sql<number>`(select count(*) from columns where columns.board_id = "boards"."id" and columns.removed_at is null)`,
        })
        .from(boards)
        // A board being imported (db/import.ts) appears once its last slice is written.
        .where(eq(boards.importing, false))
        .orderBy(asc(boards.createdAt), asc(boards.id))
        .all();
      return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
    },

    getSnapshot,

    /** Events after `sinceVersion`, or null when more than `max` would be needed (send a snapshot). */
    eventsSince(boardId: string, sinceVersion: number, max: number): BoardEvent[] | null {
      const board = getBoardRow(q, boardId);
      if (sinceVersion > board.version) throw new DomainError('CONFLICT', `Version ${sinceVersion} is ahead of the board (${board.version})`);
      if (board.version - sinceVersion > max) return null;
      return db
        .select()
        .from(events)
        .where(and(eq(events.boardId, boardId), gt(events.version, sinceVersion)))
        .orderBy(asc(events.version))
        .all()
        .map(eventFromRow);
    },

    cardHistory(cardId: string): CardHistoryEntry[] {
      const exists = db.select({ id: cards.id }).from(cards).where(eq(cards.id, cardId)).get();
      if (!exists) throw new DomainError('NOT_FOUND', 'Card not found');
      return db
        .select()
        .from(events)
        .where(eq(events.cardId, cardId))
        .orderBy(asc(events.seq))
        .all()
        .map((row) => {
          const e = eventFromRow(row);
          const entry: CardHistoryEntry = { version: e.version, type: e.type, actor: e.actor, at: e.at };
          if (e.type === 'card_moved') {
            Object.assign(entry, { fromColumnId: e.fromColumnId, toColumnId: e.toColumnId, backward: e.backward, reason: e.reason });
          } else if (e.type === 'card_created') {
            Object.assign(entry, { toColumnId: e.card.columnId });
          } else if (e.type === 'card_updated') {
            Object.assign(entry, { changes: e.changes });
          }
          return entry;
        });
    },

    /** The board a card or column belongs to, for routing broadcasts; null when unknown. */
    boardOfCard(cardId: string): string | null {
      return q.boardOfCard(cardId);
    },

    boardOfColumn(columnId: string): string | null {
      return q.boardOfColumn.get({ id: columnId })?.b ?? null;
    },

    createBoard(input: BoardCreateInput, actor: Actor): Commit & { board: BoardSnapshot } {
      const boardId = newId();
      const template = input.columns ?? VALUE_STREAM_TEMPLATE;
      const commit = write((tx, now) => {
        tx.insert(boards).values({ id: boardId, name: input.name, version: 0, createdAt: now }).run();
        const cols = template.map((c, ord) => ({
          id: newId(),
          boardId,
          name: c.name,
          ord,
          wipLimit: c.wipLimit ?? null,
          createdAt: now,
          removedAt: null,
          // The flow order is written by db/flow.ts from the board_created event.
          flowOrd: ord,
        }));
        tx.insert(columns).values(cols).run();
        // Whoever creates a board is its first admin, in the same transaction: a board is never without one.
        if (actor.id) tx.insert(boardMembers).values({ boardId, userId: actor.id, role: 'admin', createdAt: now }).run();
        const event = append(q, boardId, actor, now, { type: 'board_created', name: input.name, columns: cols.map((c) => toColumnDTO(c)) });
        return { boardId, version: event.version, events: [event] };
      });
      return { ...commit, board: getSnapshot(boardId) };
    },

    renameBoard(input: BoardRenameInput, actor: Actor): Commit {
      return write((tx, now) => {
        const board = getBoardRow(q, input.boardId);
        const event = append(q, board.id, actor, now, { type: 'board_renamed', name: input.name }, input.clientMutationId);
        tx.update(boards).set({ name: input.name }).where(eq(boards.id, board.id)).run();
        return { boardId: board.id, version: event.version, events: [event] };
      });
    },

    addColumn(input: ColumnAddInput, actor: Actor): Commit & { column: ColumnDTO } {
      return write((tx, now) => {
        const board = getBoardRow(q, input.boardId);
        const existing = liveColumns(q, board.id);
        if (existing.length >= LIMITS.columnsPerBoard) {
          throw new DomainError('CONFLICT', `A board holds at most ${LIMITS.columnsPerBoard} work centers`);
        }
        const index = Math.min(input.index ?? existing.length, existing.length);
        const row: ColumnRow = { id: newId(), boardId: board.id, name: input.name, ord: index, wipLimit: input.wipLimit ?? null, createdAt: now, removedAt: null, flowOrd: 0 };
        tx.insert(columns).values(row).run();
        const ordered = [...existing];
        ordered.splice(index, 0, row);
        rewriteColumnOrder(tx, ordered);
        const column = toColumnDTO(row);
        const event = append(q, board.id, actor, now, { type: 'column_added', column, index }, input.clientMutationId);
        return { boardId: board.id, version: event.version, events: [event], column };
      });
    },

    updateColumn(input: ColumnUpdateInput, actor: Actor): Commit {
      return write((tx, now) => {
        const column = getColumnRow(q, input.columnId);
        const out: BoardEvent[] = [];
        if (input.name !== undefined && input.name !== column.name) {
          tx.update(columns).set({ name: input.name }).where(eq(columns.id, column.id)).run();
          out.push(append(q, column.boardId, actor, now, { type: 'column_renamed', columnId: column.id, name: input.name }, input.clientMutationId));
        }
        if (input.wipLimit !== undefined && input.wipLimit !== column.wipLimit) {
          // Lowering below the current count is allowed: the column then refuses pulls until it is under.
          tx.update(columns).set({ wipLimit: input.wipLimit }).where(eq(columns.id, column.id)).run();
          out.push(append(q, column.boardId, actor, now, { type: 'wip_limit_set', columnId: column.id, wipLimit: input.wipLimit }, input.clientMutationId));
        }
        const version = out.at(-1)?.version ?? getBoardRow(q, column.boardId).version;
        return { boardId: column.boardId, version, events: out };
      });
    },

    moveColumn(input: ColumnMoveInput, actor: Actor): Commit {
      return write((tx, now) => {
        const column = getColumnRow(q, input.columnId);
        const existing = liveColumns(q, column.boardId);
        const toIndex = Math.min(input.toIndex, existing.length - 1);
        const ordered = existing.filter((c) => c.id !== column.id);
        ordered.splice(toIndex, 0, column);
        rewriteColumnOrder(tx, ordered);
        const event = append(q, column.boardId, actor, now, { type: 'column_moved', columnId: column.id, toIndex }, input.clientMutationId);
        return { boardId: column.boardId, version: event.version, events: [event] };
      });
    },

    removeColumn(input: ColumnRemoveInput, actor: Actor): Commit {
      return write((tx, now) => {
        const column = getColumnRow(q, input.columnId);
        assertColumnEmpty(column, countIn(q, column.id));
        const existing = liveColumns(q, column.boardId);
        if (existing.length <= 1) throw new DomainError('CONFLICT', 'A board keeps at least one work center');
        tx.update(columns).set({ removedAt: now }).where(eq(columns.id, column.id)).run();
        rewriteColumnOrder(tx, existing.filter((c) => c.id !== column.id));
        const event = append(q, column.boardId, actor, now, { type: 'column_removed', columnId: column.id }, input.clientMutationId);
        return { boardId: column.boardId, version: event.version, events: [event] };
      });
    },

    createCard(input: CardCreateInput, actor: Actor): Commit & { card: CardDTO } {
      return write((tx, now) => {
        const board = getBoardRow(q, input.boardId);
        const column = input.columnId ? getColumnRow(q, input.columnId) : liveColumns(q, board.id)[0];
        if (!column || column.boardId !== board.id) throw new DomainError('NOT_FOUND', 'Work center not found on this board');
        const inColumn = cardsIn(q, column.id);
        assertRoomFor(column, inColumn.length, false);
        const position = positionBefore(inColumn, input.beforeCardId ?? null, null);
        if (position === null) throw new DomainError('NOT_FOUND', 'The card to insert before is not in that work center');
        const row: CardRow = {
          id: newId(),
          boardId: board.id,
          columnId: column.id,
          position,
          title: input.title,
          description: input.description ?? '',
          type: input.type ?? 'feature',
          blocked: false,
          blockedReason: null,
          defectCount: 0,
          createdAt: now,
          updatedAt: now,
          enteredColumnAt: now,
          deletedAt: null,
        };
        tx.insert(cards).values(row).run();
        const card = toCardDTO(row);
        const event = append(q, board.id, actor, now, { type: 'card_created', card }, input.clientMutationId, card.id);
        return { boardId: board.id, version: event.version, events: [event], card };
      });
    },

    updateCard(input: CardUpdateInput, actor: Actor): Commit {
      return write((tx, now) => {
        const card = getCardRow(q, input.cardId);
        const changes: Extract<BoardEventBody, { type: 'card_updated' }>['changes'] = {};
        if (input.title !== undefined && input.title !== card.title) changes.title = input.title;
        if (input.description !== undefined && input.description !== card.description) changes.description = input.description;
        if (input.type !== undefined && input.type !== card.type) changes.type = input.type;
        if (input.blocked !== undefined && input.blocked !== card.blocked) changes.blocked = input.blocked;
        const blocked = changes.blocked ?? card.blocked;
        if (!blocked && card.blockedReason !== null) changes.blockedReason = null;
        else if (blocked && input.blockedReason !== undefined) {
          const reason = input.blockedReason?.trim() || null;
          if (reason !== card.blockedReason) changes.blockedReason = reason;
        }
        if (Object.keys(changes).length === 0) {
          return { boardId: card.boardId, version: getBoardRow(q, card.boardId).version, events: [] };
        }
        tx.update(cards).set({ ...changes, updatedAt: now }).where(eq(cards.id, card.id)).run();
        const event = append(q, card.boardId, actor, now, { type: 'card_updated', cardId: card.id, changes }, input.clientMutationId, card.id);
        return { boardId: card.boardId, version: event.version, events: [event] };
      });
    },

    deleteCard(input: CardDeleteInput, actor: Actor): Commit {
      return write((tx, now) => {
        const card = getCardRow(q, input.cardId);
        tx.update(cards).set({ deletedAt: now, updatedAt: now }).where(eq(cards.id, card.id)).run();
        const event = append(q, card.boardId, actor, now, { type: 'card_deleted', cardId: card.id, columnId: card.columnId }, input.clientMutationId, card.id);
        return { boardId: card.boardId, version: event.version, events: [event] };
      });
    },

    moveCard(input: CardMoveInput, actor: Actor): Commit & { card: CardDTO } {
      return write((tx, now) => {
        const card = getCardRow(q, input.cardId);
        const target = getColumnRow(q, input.toColumnId);
        if (target.boardId !== card.boardId) throw new DomainError('NOT_FOUND', 'Work center not found on this board');
        const sameColumn = target.id === card.columnId;
        // Live work centers have dense `ord`s (rewriteColumnOrder), so the card's own work center and
        // the target give the direction: the board's whole column order need not be read on a move.
        const source = sameColumn ? target : getColumnRow(q, card.columnId);
        const backward = !sameColumn && isBackwardStep(source.ord, target.ord);
        const reason = requireReason(backward, input.reason);
        const inTarget = cardsIn(q, target.id);
        // The count is read inside this IMMEDIATE transaction, so no other pull can slip in between.
        assertRoomFor(target, inTarget.length, sameColumn);
        // "Before itself" within its own column means: stay where it is.
        const keepsPlace = sameColumn && input.beforeCardId === card.id;
        const position = keepsPlace ? card.position : positionBefore(inTarget, input.beforeCardId ?? null, card.id);
        if (position === null) throw new DomainError('NOT_FOUND', 'The card to place before is not in that work center');
        const updated: CardRow = {
          ...card,
          columnId: target.id,
          position,
          defectCount: card.defectCount + (backward ? 1 : 0),
          updatedAt: now,
          enteredColumnAt: sameColumn ? card.enteredColumnAt : now,
        };
        q.placeCard(card.id, updated);
        const event = append(
          q,
          card.boardId,
          actor,
          now,
          cardMovedEvent({ cardId: card.id, fromColumnId: card.columnId, toColumnId: target.id, position, backward, reason }),
          input.clientMutationId,
          card.id,
        );
        return { boardId: card.boardId, version: event.version, events: [event], card: toCardDTO(updated) };
      });
    },
  };
}

export type Store = ReturnType<typeof createStore>;
