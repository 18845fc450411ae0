/**
 * The flow aggregates: a projection of the event log with its cursor in the database
 * (`boards.flow_version`). A write commits its events; right after the broadcast, before any read of
 * the aggregates and at start, `catchUp` applies the events after the cursor and moves it, in one
 * transaction, on whichever process gets there first. No process holds state the others lack.
 *
 * Why these tables (db/sqlite/schema.ts): a 90-day daily CFD on a board with a million events must be
 * a small read. Counters per work center per hour make the range itself ~2,000 rows per work center at
 * most; their daily sums make the totals before the range ~700 rows for two years; flow_cards gives
 * each finished card's times from one covering index range. Hours rather than days because a day
 * starts at a different UTC hour in each viewer's time zone.
 */
import { DomainError } from '../lib/shared/domain/errors';
import { defaultLaneId } from '../lib/shared/domain/lanes';
import type { BoardEvent, ClassOfService, WorkingDays } from '../lib/shared/domain/types';
import { countsFromHourly, filterOf, type LaneFilter } from '../lib/shared/flow/laneFilter';
import type { FlowData, FlowColumn, FinishedCard, OpenCard, DefectReturn, FlowRange, SplitRecord } from '../lib/shared/flow/data';
import { blockStep, cardOfEvent, type BlockInterval } from '../lib/shared/flow/blockers';
import { furthestEntered, placeInFlowOrder, reachedChangesOnEntry, reachedFromEntries, resolveCommitment, type OrderEntry } from '../lib/shared/flow/order';
import { KINDS, K, counterKey, createFlowReplay, dailyFromHourly, dayBucket, hourBucket, zeroCounters, type Kind, type ReplayedFlow } from '../lib/shared/flow/replay';
import { HOUR_MS, assertTimeZone, intervalBoundaries, parseDate, type Interval } from '../lib/shared/flow/time';
import { UnavailableError, type Engine, type Sql, type WriteTx } from './engine';
import { EVENT_FIELDS, eventFromRow, parseWorkingDays, type EventRow } from './store/rows';

const SUM_COLUMNS = KINDS.map((k) => `sum(${k})`).join(', ');
const KIND_COLUMNS = KINDS.join(', ');
const KIND_PARAMS = KINDS.map(() => '?').join(', ');
/** Events read per page when catching up or rebuilding: a long log is never held whole. */
const PAGE = 2000;

/** Longest range one read may cover: a year of days, or a month of hours (keeps a response small). */
export const MAX_RANGE_DAYS = { day: 731, hour: 62 } as const;

const upsertCounters = (table: string) =>
  `insert into ${table} (board_id, column_id, bucket, ${KIND_COLUMNS}) values (?, ?, ?, ${KIND_PARAMS})
   on conflict (board_id, bucket, column_id) do update set ${KINDS.map((k) => `${k} = ${table}.${k} + excluded.${k}`).join(', ')}`;
export const BUMP_HOURLY = upsertCounters('flow_counts_hourly');
export const BUMP_DAILY = upsertCounters('flow_counts_daily');
const INSERT_FLOW_CARD = `insert into flow_cards (card_id, board_id, title, created_at, committed_at, done_at, furthest_id, column_id, deleted_at, parent_id, split_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

interface ColumnRow {
  id: string;
  name: string;
  created_at: number;
  removed_at: number | null;
  flow_ord: number;
}

// The rule lives with the flow order so the value stream map (lib/shared/flow/vsm.ts) shares it.
export { resolveCommitment };

/** The cards of a lane or class filter: by their current lane (lib/shared/flow/laneFilter.ts), deleted ones included. */
export async function matchingCards(sql: Sql, boardId: string, filter: LaneFilter): Promise<Set<string>> {
  const lane = `coalesce(lane_id, ?)`;
  const rows = filter.lane
    ? await sql.all<{ id: string }>(`select id from cards where board_id = ? and ${lane} = ?`, [boardId, defaultLaneId(boardId), filter.lane])
    : await sql.all<{ id: string }>(`select id from cards where board_id = ? and ${lane} in (select id from lanes where board_id = ? and class_of_service = ?)`, [
        boardId,
        defaultLaneId(boardId),
        boardId,
        filter.class ?? '',
      ]);
  return new Set(rows.map((r) => r.id));
}

/** The counters of the matching cards alone, from a replay of their events and the board's structure. */
async function filteredCounts(sql: Sql, boardId: string, through: number, matching: ReadonlySet<string>, boundaries: readonly number[], index: ReadonlyMap<string, number>, width: number) {
  const replay = createFlowReplay();
  for await (const page of eventPages(sql, boardId, 0, through)) {
    for (const e of page) {
      const cardId = e.type === 'card_created' ? e.card.id : 'cardId' in e ? e.cardId : null;
      if (cardId === null || matching.has(cardId)) replay.add(e);
    }
  }
  return countsFromHourly(replay.finish().hourly, boundaries, index, width);
}

/** Deletes a board and, through the foreign keys' cascades, everything of it: undoes a failed import. */
export async function discardBoard(engine: Engine, boardId: string): Promise<void> {
  await engine.write((tx) => tx.run('delete from boards where id = ?', [boardId]));
}

/** Counter changes of one event, flushed to both tables at the end. */
class Deltas {
  private readonly rows = new Map<string, { columnId: string; at: number; values: number[] }>();
  add(columnId: string, at: number, kind: Kind, by: number) {
    const key = counterKey(columnId, hourBucket(at));
    const row = this.rows.get(key) ?? { columnId, at, values: zeroCounters() };
    row.values[K[kind]] = (row.values[K[kind]] ?? 0) + by;
    this.rows.set(key, row);
  }
  async flush(tx: WriteTx, boardId: string) {
    for (const { columnId, at, values } of this.rows.values()) {
      await tx.run(BUMP_HOURLY, [boardId, columnId, hourBucket(at), ...values]);
      await tx.run(BUMP_DAILY, [boardId, columnId, dayBucket(at), ...values]);
    }
  }
}

async function orderOf(tx: Sql, boardId: string): Promise<OrderEntry[]> {
  const rows = await tx.all<{ id: string; removed_at: number | null; flow_ord: number; ord: number }>('select id, removed_at, flow_ord, ord from columns where board_id = ?', [boardId]);
  return rows.toSorted((a, b) => a.flow_ord - b.flow_ord || a.ord - b.ord).map((r) => ({ id: r.id, live: r.removed_at === null }));
}

async function writeOrder(tx: WriteTx, order: readonly OrderEntry[]) {
  for (const [i, e] of order.entries()) await tx.run('update columns set flow_ord = ? where id = ?', [i, e.id]);
}

/** The flow order with the board's commitment and last work centers. */
async function shape(tx: WriteTx, boardId: string) {
  const order = await orderOf(tx, boardId);
  const live = order.filter((e) => e.live);
  const setting = (await tx.get<{ c: string | null }>('select commitment_column_id as c from boards where id = ?', [boardId]))?.c ?? null;
  return { ids: order.map((e) => e.id), commit: resolveCommitment(live, setting), done: live.at(-1)?.id ?? '' };
}
type Shape = Awaited<ReturnType<typeof shape>>;

interface CardFlow {
  reached: Map<string, number>;
  entries: Map<string, number>;
}

async function updateCardTimes(tx: WriteTx, cardId: string, columnId: string, s: Shape, { reached, entries }: CardFlow) {
  await tx.run('update flow_cards set committed_at = ?, done_at = ?, furthest_id = ?, column_id = ? where card_id = ?', [
    reached.get(s.commit) ?? null,
    reached.get(s.done) ?? null,
    furthestEntered(s.ids, entries) ?? columnId,
    columnId,
    cardId,
  ]);
}

/** After a settings or work-center change: every card's commitment and done times, in SQL. */
async function refreshBoardCards(tx: WriteTx, boardId: string) {
  const s = await shape(tx, boardId);
  await tx.run(
    `update flow_cards set
       committed_at = (select reached_at from card_flow f where f.card_id = flow_cards.card_id and f.column_id = ?),
       done_at = (select reached_at from card_flow f where f.card_id = flow_cards.card_id and f.column_id = ?)
     where board_id = ?`,
    [s.commit, s.done, boardId],
  );
}

/** A card enters a work center: first-entry time, reached times (O(work centers)), counters. */
async function enter(tx: WriteTx, boardId: string, orderIds: readonly string[], cardId: string, columnId: string, at: number, d: Deltas): Promise<CardFlow> {
  const rows = await tx.all<{ column_id: string; entered_at: number | null; reached_at: number }>('select column_id, entered_at, reached_at from card_flow where card_id = ?', [cardId]);
  const reached = new Map(rows.map((r) => [r.column_id, r.reached_at]));
  const entries = new Map<string, number>();
  for (const r of rows) if (r.entered_at !== null) entries.set(r.column_id, r.entered_at);
  for (const change of reachedChangesOnEntry(orderIds, reached, columnId, at)) {
    await tx.run(
      `insert into card_flow (card_id, column_id, board_id, entered_at, reached_at) values (?, ?, ?, null, ?)
       on conflict (card_id, column_id) do update set reached_at = excluded.reached_at`,
      [cardId, change.columnId, boardId, change.to],
    );
    reached.set(change.columnId, change.to);
    if (change.from !== null) d.add(change.columnId, change.from, 'reached', -1);
    d.add(change.columnId, change.to, 'reached', 1);
  }
  // The first entry, or an earlier one.
  await tx.run('update card_flow set entered_at = ? where card_id = ? and column_id = ? and (entered_at is null or entered_at > ?)', [at, cardId, columnId, at]);
  const entered = entries.get(columnId);
  if (entered === undefined || entered > at) entries.set(columnId, at);
  d.add(columnId, at, 'entered', 1);
  return { reached, entries };
}

/**
 * An undo: the undone move and its undo count as if neither happened (docs/metrics.md). The undone
 * move's counts are taken back at its own time, and its entry (if it was the card's first into that
 * work center) is forgotten, so its reached times, commitment and done times are as before it.
 */
async function takeBackMove(tx: WriteTx, boardId: string, s: Shape, event: Extract<BoardEvent, { type: 'card_moved' }>, d: Deltas): Promise<void> {
  const undone = event.undoes;
  if (!undone) return;
  const undoneAt = Date.parse(undone.at);
  // The undone move went from this event's toColumnId to its fromColumnId.
  d.add(event.toColumnId, undoneAt, 'exited', -1);
  d.add(event.fromColumnId, undoneAt, 'entered', -1);
  if (undone.backward) d.add(event.fromColumnId, undoneAt, 'returned', -1);
  const rows = await tx.all<{ column_id: string; entered_at: number | null; reached_at: number }>('select column_id, entered_at, reached_at from card_flow where card_id = ?', [event.cardId]);
  const reached = new Map(rows.map((r) => [r.column_id, Number(r.reached_at)]));
  const entries = new Map<string, number>();
  for (const r of rows) if (r.entered_at !== null) entries.set(r.column_id, Number(r.entered_at));
  if (entries.get(event.fromColumnId) === undoneAt) {
    entries.delete(event.fromColumnId);
    await tx.run('update card_flow set entered_at = null where card_id = ? and column_id = ?', [event.cardId, event.fromColumnId]);
  }
  const next = reachedFromEntries(s.ids, entries);
  for (const columnId of new Set([...reached.keys(), ...next.keys()])) {
    const was = reached.get(columnId);
    const now = next.get(columnId);
    if (was === now) continue;
    if (was !== undefined) d.add(columnId, was, 'reached', -1);
    if (now === undefined) {
      await tx.run('delete from card_flow where card_id = ? and column_id = ?', [event.cardId, columnId]);
      continue;
    }
    d.add(columnId, now, 'reached', 1);
    await tx.run(
      `insert into card_flow (card_id, column_id, board_id, entered_at, reached_at) values (?, ?, ?, null, ?)
       on conflict (card_id, column_id) do update set reached_at = excluded.reached_at`,
      [event.cardId, columnId, boardId, now],
    );
  }
  await updateCardTimes(tx, event.cardId, event.toColumnId, s, { reached: next, entries });
}

const INSERT_BLOCK = 'insert into flow_blocks (board_id, card_id, opened_version, column_id, reason, started_at, ended_at) values (?, ?, ?, ?, ?, ?, ?)';

/** The card's blocked intervals after the event (blockStep), before the event changes anything else. */
async function followBlocks(tx: WriteTx, event: BoardEvent, at: number): Promise<void> {
  const cardId = cardOfEvent(event);
  if (cardId === null) return;
  const open = await tx.get<{ v: number; columnId: string; reason: string | null }>(
    'select opened_version as v, column_id as "columnId", reason from flow_blocks where board_id = ? and card_id = ? and ended_at is null',
    [event.boardId, cardId],
  );
  const blocking = event.type === 'card_updated' && event.changes.blocked === true;
  const columnId = blocking ? ((await tx.get<{ c: string }>('select column_id as c from flow_cards where card_id = ?', [cardId]))?.c ?? null) : null;
  const step = blockStep(event, open ?? null, columnId);
  if (!step) return;
  if (step.close && open) await tx.run('update flow_blocks set ended_at = ? where board_id = ? and card_id = ? and opened_version = ?', [at, event.boardId, cardId, open.v]);
  if (step.open) await tx.run(INSERT_BLOCK, [event.boardId, cardId, event.version, step.open.columnId, step.open.reason, at, null]);
}

/** A new card (created, or a child of a split): its row, its entry into its work center. */
async function createFlowCard(tx: WriteTx, boardId: string, s: Shape, card: { id: string; title: string; columnId: string; parentId?: string | null }, at: number, d: Deltas): Promise<void> {
  await tx.run(INSERT_FLOW_CARD, [card.id, boardId, card.title, at, null, null, card.columnId, card.columnId, null, card.parentId ?? null, null]);
  await updateCardTimes(tx, card.id, card.columnId, s, await enter(tx, boardId, s.ids, card.id, card.columnId, at, d));
}

/** A card that left the board unfinished is counted out where it had got furthest (WIP and the CFD). */
async function abandon(tx: WriteTx, boardId: string, cardId: string, at: number, d: Deltas): Promise<void> {
  const rows = await tx.all<{ column_id: string; entered_at: number | null }>('select column_id, entered_at from card_flow where card_id = ?', [cardId]);
  const entries = new Map(rows.filter((r) => r.entered_at !== null).map((r) => [r.column_id, r.entered_at as number]));
  const furthest = furthestEntered((await orderOf(tx, boardId)).map((e) => e.id), entries);
  if (furthest) d.add(furthest, at, 'abandoned', 1);
}

/** One event's aggregates, inside the caller's transaction. */
export async function applyEvent(tx: WriteTx, event: BoardEvent): Promise<void> {
  const at = Date.parse(event.at);
  const boardId = event.boardId;
  const d = new Deltas();
  await followBlocks(tx, event, at);
  switch (event.type) {
    case 'board_created':
      await writeOrder(
        tx,
        event.columns.map((c) => ({ id: c.id, live: true })),
      );
      break;
    case 'board_settings_changed':
    case 'column_removed':
      // The commitment or the last work center may have changed.
      await refreshBoardCards(tx, boardId);
      break;
    case 'column_added': {
      const rest = (await orderOf(tx, boardId)).filter((e) => e.id !== event.column.id);
      const order = placeInFlowOrder(rest, { id: event.column.id, live: true }, event.index);
      await writeOrder(tx, order);
      // Nobody has entered the new work center, so "reached it or later" equals the next one's.
      const next = order[order.findIndex((e) => e.id === event.column.id) + 1];
      if (next) {
        await tx.run(
          `insert into card_flow (card_id, column_id, board_id, entered_at, reached_at)
           select card_id, ?, board_id, null, reached_at from card_flow where board_id = ? and column_id = ?`,
          [event.column.id, boardId, next.id],
        );
        for (const table of ['flow_counts_hourly', 'flow_counts_daily']) {
          await tx.run(
            `insert into ${table} (board_id, column_id, bucket, reached)
             select board_id, ?, bucket, reached from ${table} where board_id = ? and column_id = ? and reached <> 0`,
            [event.column.id, boardId, next.id],
          );
        }
      }
      await refreshBoardCards(tx, boardId);
      break;
    }
    case 'column_moved':
      await writeOrder(tx, placeInFlowOrder(await orderOf(tx, boardId), { id: event.columnId, live: true }, event.toIndex));
      await rebuildBoard(tx, boardId, event.version);
      break;
    case 'card_created':
      await createFlowCard(tx, boardId, await shape(tx, boardId), event.card, at, d);
      break;
    case 'card_split': {
      // The parent leaves like a deleted card (out of WIP and the CFD), marked split; no finished item.
      await tx.run('update flow_cards set deleted_at = ?, split_at = ? where card_id = ?', [at, at, event.cardId]);
      d.add(event.columnId, at, 'deleted', 1);
      await abandon(tx, boardId, event.cardId, at, d);
      const s = await shape(tx, boardId);
      for (const child of event.children) await createFlowCard(tx, boardId, s, child, at, d);
      break;
    }
    case 'card_moved': {
      if (event.fromColumnId === event.toColumnId) break;
      const s = await shape(tx, boardId);
      if (event.undoes) {
        await takeBackMove(tx, boardId, s, event, d);
        break;
      }
      d.add(event.fromColumnId, at, 'exited', 1);
      if (event.backward) d.add(event.toColumnId, at, 'returned', 1);
      await updateCardTimes(tx, event.cardId, event.toColumnId, s, await enter(tx, boardId, s.ids, event.cardId, event.toColumnId, at, d));
      break;
    }
    case 'card_updated':
      if (event.changes.title !== undefined) await tx.run('update flow_cards set title = ? where card_id = ?', [event.changes.title, event.cardId]);
      break;
    case 'card_deleted': {
      await tx.run('update flow_cards set deleted_at = ? where card_id = ?', [at, event.cardId]);
      d.add(event.columnId, at, 'deleted', 1);
      await abandon(tx, boardId, event.cardId, at, d);
      break;
    }
    case 'column_renamed':
    case 'wip_limit_set':
    case 'person_wip_limit_set':
    // A split work center's halves are one work center for the counters (a stage move is no arrival).
    case 'column_split_set':
    case 'working_days_set':
    case 'board_renamed':
    case 'key_prefix_set':
    // An automated move's refusal moved nothing.
    case 'card_automation_refused':
    // Lanes filter the flow by card (the card's current lane), they do not change the counters.
    case 'lane_added':
    case 'lane_renamed':
    case 'lane_moved':
    case 'lane_removed':
    case 'lane_configured':
      break;
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown event ${(unreachable as { type: string }).type}`);
    }
  }
  await d.flush(tx, boardId);
}

/** Events of a board after `after`, up to and including `through`, a page at a time. */
export async function* eventPages(tx: Sql, boardId: string, after: number, through: number): AsyncGenerator<BoardEvent[]> {
  for (let from = after; from < through; ) {
    const rows = await tx.all<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and version > ? and version <= ? order by version limit ?`, [boardId, from, through, PAGE]);
    if (rows.length === 0) return;
    yield rows.map(eventFromRow);
    from = (rows.at(-1) as EventRow).version;
  }
}

/**
 * Recomputes a board's aggregates from its log up to `through` (the same replay the tests compare
 * against), inside the caller's transaction. Cost grows with the log: seconds for a million events.
 */
export async function rebuildBoard(tx: WriteTx, boardId: string, through: number): Promise<void> {
  const replay = createFlowReplay();
  for await (const page of eventPages(tx, boardId, 0, through)) for (const e of page) replay.add(e);
  await writeAggregates(tx, boardId, replay.finish());
}

/** Replaces a board's aggregates with a full recomputation (inside the caller's transaction). */
export async function writeAggregates(tx: WriteTx, boardId: string, flow: ReplayedFlow): Promise<void> {
  for (const table of ['card_flow', 'flow_counts_hourly', 'flow_counts_daily', 'flow_cards', 'flow_blocks']) await tx.run(`delete from ${table} where board_id = ?`, [boardId]);
  await writeOrder(tx, flow.order);
  const live = flow.order.filter((e) => e.live);
  const commit = resolveCommitment(live, flow.commitmentSetting);
  const done = live.at(-1)?.id ?? '';
  const ids = flow.order.map((e) => e.id);
  for (const card of flow.cards.values()) {
    await tx.run(INSERT_FLOW_CARD, [
      card.id,
      boardId,
      card.title,
      card.createdAt,
      card.reached.get(commit) ?? null,
      card.reached.get(done) ?? null,
      furthestEntered(ids, card.entries) ?? card.columnId,
      card.columnId,
      card.deletedAt,
      card.parentId,
      card.splitAt,
    ]);
    for (const [columnId, reachedAt] of card.reached) {
      await tx.run('insert into card_flow (card_id, column_id, board_id, entered_at, reached_at) values (?, ?, ?, ?, ?)', [
        card.id,
        columnId,
        boardId,
        card.entries.get(columnId) ?? null,
        reachedAt,
      ]);
    }
  }
  for (const b of flow.blocks.values()) await tx.run(INSERT_BLOCK, [boardId, b.cardId, b.openedVersion, b.columnId, b.reason, b.startedAt, b.endedAt]);
  // The days are summed here first: one write per day and work center instead of one per hour.
  const write = async (counters: ReadonlyMap<string, number[]>, statement: string) => {
    for (const [key, values] of counters) {
      const bar = key.lastIndexOf('|');
      await tx.run(statement, [boardId, key.slice(0, bar), Number(key.slice(bar + 1)), ...values]);
    }
  };
  await write(flow.hourly, BUMP_HOURLY);
  await write(dailyFromHourly(flow.hourly), BUMP_DAILY);
}

/**
 * Applies up to `limit` events after the board's cursor and moves it, inside the caller's
 * transaction (which holds the board's lock); true when more remain. A write that changes the flow's
 * shape (work centers, the commitment point) calls it first, without a limit: applyEvent reads the
 * board's work centers and settings as they are now, so they must still be those of the events.
 */
export async function applyPending(tx: WriteTx, boardId: string, limit = Number.MAX_SAFE_INTEGER): Promise<boolean> {
  const board = await tx.get<{ version: number; flowVersion: number }>('select version, flow_version as "flowVersion" from boards where id = ?', [boardId]);
  if (!board || board.flowVersion >= board.version) return false;
  const through = Math.min(board.version, board.flowVersion + limit);
  for await (const page of eventPages(tx, boardId, board.flowVersion, through)) for (const e of page) await applyEvent(tx, e);
  await tx.run('update boards set flow_version = ? where id = ?', [through, boardId]);
  return through < board.version;
}

/** A range one read may ask for: dates, interval, zone, and at most MAX_RANGE_DAYS long. */
export function checkRange(range: FlowRange) {
  const from = parseDate(range.from);
  const to = parseDate(range.to);
  if (!from || !to) throw new DomainError('INVALID', 'from and to must be dates as YYYY-MM-DD');
  if (range.interval !== 'day' && range.interval !== 'hour') throw new DomainError('INVALID', 'interval must be day or hour');
  assertTimeZone(range.tz);
  const spanDays = (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000 + 1;
  if (spanDays < 1) throw new DomainError('INVALID', 'to must not be before from');
  const max = MAX_RANGE_DAYS[range.interval as Interval];
  if (spanDays > max) throw new DomainError('RANGE_TOO_LARGE', `A range at ${range.interval} resolution covers at most ${max} days`);
  return { from, to };
}

export interface FlowOptions {
  /** Told when a board's aggregates could not be applied; they are rebuilt from the log instead. */
  onError?: (error: unknown, boardId: string) => void;
}

export function createFlowAggregates(engine: Engine, options: FlowOptions = {}) {
  /**
   * Applies the events after the board's cursor and moves it, a page per transaction. It locks the
   * board's row first, like every write of the board: the same lock order everywhere, so it can
   * never deadlock with a write that changes work centers; of two processes catching up the same
   * board, the second finds nothing left to do.
   */
  async function catchUp(boardId: string): Promise<void> {
    for (;;) {
      const more = await engine.write(async (tx) => {
        await tx.lockBoard(boardId);
        return applyPending(tx, boardId, PAGE);
      });
      if (!more) return;
    }
  }

  /** A board whose events cannot be applied one by one is rebuilt from its whole log. */
  async function repair(boardId: string): Promise<void> {
    await engine.write(async (tx) => {
      await tx.lockBoard(boardId);
      const version = (await tx.get<{ version: number }>('select version from boards where id = ?', [boardId]))?.version;
      if (version === undefined) return;
      await rebuildBoard(tx, boardId, version);
      await tx.run('update boards set flow_version = ? where id = ?', [version, boardId]);
    });
  }

  async function settle(boardId: string): Promise<void> {
    try {
      await catchUp(boardId);
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      // Events the aggregates cannot take must not stop the board's flow page for good.
      options.onError?.(error, boardId);
      await repair(boardId);
    }
  }

  /**
   * At start: a board a crash left half-imported is deleted, and every board whose cursor is behind
   * its log catches up. Returns how many boards had to.
   */
  async function ensureReady(): Promise<number> {
    const importing = await engine.read((sql) => sql.all<{ id: string }>('select id from boards where importing = true'));
    for (const { id } of importing) await discardBoard(engine, id);
    const behind = await engine.read((sql) => sql.all<{ id: string }>('select id from boards where flow_version < version'));
    for (const { id } of behind) await settle(id);
    return behind.length;
  }

  /** A board's current version; NOT_FOUND when there is no such board. */
  async function boardVersion(boardId: string): Promise<number> {
    const row = await engine.read((sql) => sql.get<{ version: number }>('select version from boards where id = ?', [boardId]));
    if (!row) throw new DomainError('NOT_FOUND', 'Board not found');
    return row.version;
  }

  /**
   * The counts of each interval and the totals before the range. With F(b) = everything counted
   * before instant b, an interval's counts are F(end) − F(start). F(b) is read as the daily sums up to
   * the UTC midnight nearest to b, plus or minus the hours between that midnight and b: at most 12
   * hourly rows per boundary instead of every hour of the range (bench/flow.ts). An hour bucket
   * belongs to the interval its start falls in, exact for every zone with a whole-hour offset.
   */
  async function readCounts(sql: Sql, boardId: string, boundaries: readonly number[], index: ReadonlyMap<string, number>, width: number) {
    const hours = boundaries.map((b) => Math.ceil(b / HOUR_MS));
    const days = hours.map((h) => Math.round(h / 24));
    const firstDay = Math.min(...days);
    const lastDay = Math.max(...days);
    const grid = () => Array.from({ length: width }, () => zeroCounters());
    const add = (target: number[][] | undefined, r: unknown[], from: number, sign = 1) => {
      const row = target?.[index.get(r[from] as string) ?? -1];
      if (row) KINDS.forEach((_, k) => (row[k] = (row[k] ?? 0) + sign * Number(r[from + 1 + k] ?? 0)));
    };
    // cumulative[d − firstDay] = the daily sums of every UTC day before day d.
    const cumulative: number[][][] = [grid()];
    for (const r of await sql.values(`select column_id, ${SUM_COLUMNS} from flow_counts_daily where board_id = ? and bucket < ? group by column_id`, [boardId, firstDay])) {
      add(cumulative[0], r, 0);
    }
    const perDay = Array.from({ length: lastDay - firstDay }, grid);
    for (const r of await sql.values(`select bucket, column_id, ${KIND_COLUMNS} from flow_counts_daily where board_id = ? and bucket >= ? and bucket < ?`, [boardId, firstDay, lastDay])) {
      add(perDay[(r[0] as number) - firstDay], r, 1);
    }
    perDay.forEach((day, d) => {
      const before = cumulative[d] as number[][];
      cumulative.push(day.map((row, c) => row.map((v, k) => v + (before[c]?.[k] ?? 0))));
    });
    const totals = days.map((d) => (cumulative[d - firstDay] as number[][]).map((row) => [...row]));
    const edges = hours.map((h, j) => {
      const midnight = (days[j] as number) * 24;
      return h >= midnight ? [midnight, h] : [h, midnight];
    });
    for (const r of await sql.values(engine.dialect.edgeCounts(KINDS.map((k) => `sum(h.${k})`).join(', ')), [JSON.stringify(edges), boardId])) {
      const j = Number(r[0]);
      add(totals[j], r, 1, (hours[j] as number) >= (days[j] as number) * 24 ? 1 : -1);
    }
    const start = totals[0] as number[][];
    const counts = totals.slice(1).map((after, i) => {
      const before = totals[i] as number[][];
      return after.map((row, c) => row.map((v, k) => v - (before[c]?.[k] ?? 0)));
    });
    return { start, counts };
  }

  /** The flow data of a range: caught up with the last commit first. */
  async function read(boardId: string, range: FlowRange, now = Date.now()): Promise<FlowData> {
    checkRange(range);
    await settle(boardId);
    return readSettled(boardId, range, now);
  }

  /**
   * The flow data of a range as the aggregates stand, without catching up (a read-only connection,
   * such as the heavy-read worker's, calls this after the app has settled the board).
   */
  function readSettled(boardId: string, range: FlowRange, now = Date.now()): Promise<FlowData> {
    const { from, to } = checkRange(range);
    // One read snapshot: the version matches the rows.
    return engine.read(async (sql) => {
      const board = await sql.get<{ id: string; name: string; version: number; demand_per_week: number | null; commitment_column_id: string | null; working_days: string | null }>(
        'select id, name, version, demand_per_week, commitment_column_id, working_days from boards where id = ?',
        [boardId],
      );
      if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
      const rows = await sql.all<ColumnRow>('select id, name, created_at, removed_at, flow_ord from columns where board_id = ? order by flow_ord, ord', [boardId]);
      const columns: FlowColumn[] = rows.map((r) => ({ id: r.id, name: r.name, live: r.removed_at === null, createdAt: r.created_at, removedAt: r.removed_at }));
      const index = new Map(columns.map((c, i) => [c.id, i]));
      const live = columns.filter((c) => c.live);
      const commitmentColumnId = resolveCommitment(live, board.commitment_column_id);
      const doneColumnId = live.at(-1)?.id ?? '';

      const boundaries = intervalBoundaries(from, to, range.interval, range.tz);
      const lanes = (await sql.all<{ id: string; name: string; class_of_service: string }>('select id, name, class_of_service from lanes where board_id = ? and deleted_at is null order by ord, id', [boardId])).map(
        (l) => ({ id: l.id, name: l.name, classOfService: l.class_of_service as ClassOfService }),
      );
      // One lane or class (lib/shared/flow/laneFilter.ts): the matching cards' own history, replayed.
      const filter = filterOf(range);
      const matching = filter ? await matchingCards(sql, boardId, filter) : null;
      const { start, counts } = matching ? await filteredCounts(sql, boardId, board.version, matching, boundaries, index, columns.length) : await readCounts(sql, boardId, boundaries, index, columns.length);
      const mine = <T extends { cardId: string }>(list: T[]): T[] => (matching ? list.filter((r) => matching.has(r.cardId)) : list);

      const rangeStart = boundaries[0] as number;
      const rangeEnd = boundaries.at(-1) as number;
      const finished: FinishedCard[] = (
        await sql.values<[string, string, number, number | null, number]>(
          'select card_id, title, created_at, committed_at, done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ? order by done_at, card_id',
          [boardId, rangeStart, rangeEnd],
        )
      )
        .map(([cardId, title, createdAt, committedAt, doneAt]) => ({ cardId, title, createdAt, committedAt: committedAt ?? null, doneAt }))
        .filter((c) => !matching || matching.has(c.cardId));
      // Children of splits (docs/metrics.md "Batch size"), from their own small index: which finished
      // cards were split from another, and the splits of the range (children are made at the split).
      const children = await sql.values<[string, string, number]>(
        'select card_id, parent_id, created_at from flow_cards where board_id = ? and parent_id is not null',
        [boardId],
      );
      const parentOf = new Map(children.map(([cardId, parentId]) => [cardId, parentId]));
      for (const c of finished) {
        const parentId = parentOf.get(c.cardId);
        if (parentId) c.parentId = parentId;
      }
      const splitsBy = new Map<string, SplitRecord>();
      for (const [, parentId, createdAt] of children) {
        const at = Number(createdAt);
        if (at < rangeStart || at >= rangeEnd || (matching && !matching.has(parentId))) continue;
        const split = splitsBy.get(parentId) ?? { cardId: parentId, at, children: 0 };
        split.children++;
        splitsBy.set(parentId, split);
      }
      const splits = [...splitsBy.values()].toSorted((a, b) => a.at - b.at || (a.cardId < b.cardId ? -1 : 1));
      const open: OpenCard[] = (
        await sql.values<[string, string, string, number, number | null, string]>(
          'select card_id, title, column_id, created_at, committed_at, furthest_id from flow_cards where board_id = ? and deleted_at is null and done_at is null',
          [boardId],
        )
      )
        .map(([cardId, title, columnId, createdAt, committedAt, furthestId]) => {
          const parentId = parentOf.get(cardId);
          return { cardId, title, columnId, createdAt, committedAt, furthestId, ...(parentId ? { parentId } : {}) };
        })
        .filter((c) => !matching || matching.has(c.cardId));
      const defects: DefectReturn[] = (
        await sql.values<[number, string, string, string]>(
          'select at, card_id, detected_at_column_id, returned_to_column_id from backward_moves where board_id = ? and at >= ? and at < ? order by at',
          [boardId, rangeStart, rangeEnd],
        )
      )
        .map(([at, cardId, detectedAtColumnId, returnedToColumnId]) => ({ at, cardId, detectedAtColumnId, returnedToColumnId }))
        .filter((c) => !matching || matching.has(c.cardId));
      // Intervals overlapping the range (an open one runs on), and all of the range's finished cards'.
      const blocks: BlockInterval[] = (
        await sql.values<[string, number, string, string | null, number, number | null]>(
          `select card_id, opened_version, column_id, reason, started_at, ended_at from flow_blocks
            where board_id = ? and started_at < ? and (ended_at is null or ended_at >= ?)
           union
           select b.card_id, b.opened_version, b.column_id, b.reason, b.started_at, b.ended_at from flow_blocks b
             join flow_cards f on f.card_id = b.card_id
            where b.board_id = ? and f.board_id = ? and f.done_at >= ? and f.done_at < ?`,
          [boardId, rangeEnd, rangeStart, boardId, boardId, rangeStart, rangeEnd],
        )
      )
        .map(([cardId, openedVersion, columnId, reason, startedAt, endedAt]) => ({
          cardId,
          openedVersion: Number(openedVersion),
          columnId,
          reason,
          startedAt: Number(startedAt),
          endedAt: endedAt === null ? null : Number(endedAt),
        }))
        .toSorted((a, b) => a.startedAt - b.startedAt || a.cardId.localeCompare(b.cardId) || a.openedVersion - b.openedVersion);
      const echoed: FlowRange = { from: range.from, to: range.to, interval: range.interval, tz: range.tz, ...filter };

      return {
        boardId,
        boardName: board.name,
        version: board.version,
        asOf: now,
        range: echoed,
        boundaries,
        columns,
        commitmentColumnId,
        doneColumnId,
        demandPerWeek: board.demand_per_week,
        ...(board.working_days ? { workingDays: parseWorkingDays(board.working_days) as WorkingDays } : {}),
        start,
        counts,
        finished,
        open,
        defects: mine(defects),
        blocks: mine(blocks),
        splits,
        lanes,
        ...(matching ? { filterCards: [...matching] } : {}),
      };
    });
  }

  return { engine, catchUp, settle, ensureReady, version: boardVersion, read, readSettled };
}

export type FlowAggregates = ReturnType<typeof createFlowAggregates>;
