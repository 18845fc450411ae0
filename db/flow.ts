/**
 * The flow aggregates: kept up to date in the same transaction as each event (applyEvent, called by
 * the store's write()), rebuilt from the log when the order of work centers changes, and read for a
 * range in a handful of indexed queries (read).
 *
 * Why these tables (db/schema.ts): a 90-day daily CFD on a board with a million events must be a
 * small read. Counters per work center per hour make the range itself ~2,000 rows per work center at
 * most; their daily sums make the totals before the range ~700 rows for two years; card_flow gives
 * flow_cards gives each finished card's times from one covering index range. Hours rather than days
 * because a day starts at a different UTC hour in each viewer's time zone.
 */
import type Database from 'better-sqlite3';
import { DomainError } from '../lib/domain/errors';
import type { BoardEvent } from '../lib/domain/types';
import type { FlowData, FlowColumn, FinishedCard, OpenCard, DefectReturn, FlowRange } from '../lib/flow/data';
import { furthestEntered, placeInFlowOrder, reachedChangesOnEntry, type OrderEntry } from '../lib/flow/order';
import { KINDS, K, counterKey, dailyFromHourly, dayBucket, hourBucket, replayFlow, zeroCounters, type Kind, type ReplayedFlow } from '../lib/flow/replay';
import { HOUR_MS, assertTimeZone, intervalBoundaries, parseDate, type Interval } from '../lib/flow/time';

const SUM_COLUMNS = KINDS.map((k) => `sum(${k})`).join(', ');
const KIND_COLUMNS = KINDS.join(', ');

/** Longest range one read may cover: a year of days, or a month of hours (keeps a response small). */
export const MAX_RANGE_DAYS = { day: 731, hour: 62 } as const;

interface ColumnRow {
  id: string;
  name: string;
  created_at: number;
  removed_at: number | null;
  flow_ord: number;
}

/** Where cycle time starts: the board's setting when that work center is live, else the second one. */
export function resolveCommitment(live: readonly { id: string }[], setting: string | null): string {
  if (setting && live.some((c) => c.id === setting)) return setting;
  return (live[1] ?? live[0])?.id ?? '';
}

/** Deletes every row of a board, in foreign-key order: undoes a failed or abandoned import. */
export function discardBoard(sqlite: Database.Database, boardId: string): void {
  sqlite.transaction(() => {
    for (const table of ['board_members', 'backward_moves', 'events', 'card_flow', 'flow_cards', 'flow_counts_hourly', 'flow_counts_daily', 'imported_items', 'cards', 'columns']) {
      sqlite.prepare(`delete from ${table} where board_id = ?`).run(boardId);
    }
    sqlite.prepare('delete from boards where id = ?').run(boardId);
  })();
}

/** One card's card_flow rows: when it first reached each work center, and first entered it. */
interface CardFlow {
  reached: Map<string, number>;
  entries: Map<string, number>;
}

export function createFlowAggregates(sqlite: Database.Database) {
  const q = {
    // In flow order (see orderOf): read along columns_board_idx and sorted in JS, which costs less
    // than SQLite's sorter on every move.
    order: sqlite.prepare('select id, removed_at, flow_ord, ord from columns where board_id = ?'),
    columns: sqlite.prepare('select id, name, created_at, removed_at, flow_ord from columns where board_id = ? order by flow_ord, ord'),
    setFlowOrd: sqlite.prepare('update columns set flow_ord = ? where id = ?'),
    ready: sqlite.prepare('update boards set flow_ready = 1 where id = ?'),
    cardRows: sqlite.prepare('select column_id, entered_at, reached_at from card_flow where card_id = ?'),
    setReached: sqlite.prepare(
      `insert into card_flow (card_id, column_id, board_id, entered_at, reached_at) values (?, ?, ?, null, ?)
       on conflict (card_id, column_id) do update set reached_at = excluded.reached_at`,
    ),
    setEntered: sqlite.prepare(
      `update card_flow set entered_at = ? where card_id = ? and column_id = ? and (entered_at is null or entered_at > ?)`,
    ),
    bumpHourly: sqlite.prepare(
      `insert into flow_counts_hourly (board_id, column_id, bucket, ${KIND_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (board_id, bucket, column_id) do update set ${KINDS.map((k) => `${k} = ${k} + excluded.${k}`).join(', ')}`,
    ),
    bumpDaily: sqlite.prepare(
      `insert into flow_counts_daily (board_id, column_id, bucket, ${KIND_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (board_id, bucket, column_id) do update set ${KINDS.map((k) => `${k} = ${k} + excluded.${k}`).join(', ')}`,
    ),
    copyReachedRows: sqlite.prepare(
      `insert into card_flow (card_id, column_id, board_id, entered_at, reached_at)
       select card_id, ?, board_id, null, reached_at from card_flow where board_id = ? and column_id = ?`,
    ),
    copyReachedHourly: sqlite.prepare(
      `insert into flow_counts_hourly (board_id, column_id, bucket, reached)
       select board_id, ?, bucket, reached from flow_counts_hourly where board_id = ? and column_id = ? and reached <> 0`,
    ),
    copyReachedDaily: sqlite.prepare(
      `insert into flow_counts_daily (board_id, column_id, bucket, reached)
       select board_id, ?, bucket, reached from flow_counts_daily where board_id = ? and column_id = ? and reached <> 0`,
    ),
    board: sqlite.prepare('select id, name, version, demand_per_week, commitment_column_id from boards where id = ?'),
    insertCard: sqlite.prepare(
      `insert into flow_cards (card_id, board_id, title, created_at, committed_at, done_at, furthest_id, column_id, deleted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    cardTimes: sqlite.prepare('update flow_cards set committed_at = ?, done_at = ?, furthest_id = ?, column_id = ? where card_id = ?'),
    cardTitle: sqlite.prepare('update flow_cards set title = ? where card_id = ?'),
    cardDeleted: sqlite.prepare('update flow_cards set deleted_at = ? where card_id = ?'),
    refreshCards: sqlite.prepare(
      `update flow_cards set
         committed_at = (select reached_at from card_flow f where f.card_id = flow_cards.card_id and f.column_id = ?),
         done_at = (select reached_at from card_flow f where f.card_id = flow_cards.card_id and f.column_id = ?)
       where board_id = ?`,
    ),
    openCards: sqlite.prepare(
      'select card_id, title, column_id, created_at, committed_at, furthest_id from flow_cards where board_id = ? and deleted_at is null and done_at is null',
    ),
    unready: sqlite.prepare('select id from boards where flow_ready = 0'),
    startDaily: sqlite.prepare(`select column_id, ${SUM_COLUMNS} from flow_counts_daily where board_id = ? and bucket < ? group by column_id`),
    dailyRange: sqlite.prepare(`select bucket, column_id, ${KIND_COLUMNS} from flow_counts_daily where board_id = ? and bucket >= ? and bucket < ?`),
    // The hours between each boundary and its nearest UTC midnight travel as one JSON array of
    // [first hour, end hour) pairs and are summed in SQLite (see readCounts).
    edgeCounts: sqlite.prepare(
      `select b.key, h.column_id, ${KINDS.map((k) => `sum(h.${k})`).join(', ')}
       from json_each(?) b join flow_counts_hourly h
         on h.board_id = ? and h.bucket >= b.value ->> 0 and h.bucket < b.value ->> 1
       group by b.key, h.column_id`,
    ),
    finished: sqlite.prepare(
      'select card_id, title, created_at, committed_at, done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ? order by done_at, card_id',
    ),
    defects: sqlite.prepare(
      `select at, card_id, detected_at_column_id, returned_to_column_id from backward_moves
       where board_id = ? and at >= ? and at < ? order by at`,
    ),
    events: sqlite.prepare('select type, board_id, version, actor, at, card_id, data from events where board_id = ? order by version'),
  };

  /** Counter changes of one event, flushed to both tables at the end. */
  class Deltas {
    private readonly rows = new Map<string, { columnId: string; at: number; values: number[] }>();
    add(columnId: string, at: number, kind: Kind, by: number) {
      const key = counterKey(columnId, hourBucket(at));
      const row = this.rows.get(key) ?? { columnId, at, values: zeroCounters() };
      row.values[K[kind]] = (row.values[K[kind]] ?? 0) + by;
      this.rows.set(key, row);
    }
    flush(boardId: string) {
      for (const { columnId, at, values } of this.rows.values()) {
        q.bumpHourly.run(boardId, columnId, hourBucket(at), ...values);
        q.bumpDaily.run(boardId, columnId, dayBucket(at), ...values);
      }
    }
  }

  const orderOf = (boardId: string): OrderEntry[] =>
    (q.order.all(boardId) as { id: string; removed_at: number | null; flow_ord: number; ord: number }[])
      .toSorted((a, b) => a.flow_ord - b.flow_ord || a.ord - b.ord)
      .map((r) => ({ id: r.id, live: r.removed_at === null }));

  function writeOrder(order: readonly OrderEntry[]) {
    order.forEach((e, i) => q.setFlowOrd.run(i, e.id));
  }

  /** The flow order with the board's commitment and last work centers. */
  function shape(boardId: string) {
    const order = orderOf(boardId);
    const live = order.filter((e) => e.live);
    const setting = (q.board.get(boardId) as { commitment_column_id: string | null } | undefined)?.commitment_column_id ?? null;
    return { ids: order.map((e) => e.id), commit: resolveCommitment(live, setting), done: live.at(-1)?.id ?? '' };
  }

  /** flow_cards follows the card's reached and entry times after an entry (as `enter` left them). */
  function updateCardTimes(cardId: string, columnId: string, s: ReturnType<typeof shape>, card: CardFlow) {
    const { reached, entries } = card;
    q.cardTimes.run(reached.get(s.commit) ?? null, reached.get(s.done) ?? null, furthestEntered(s.ids, entries) ?? columnId, columnId, cardId);
  }

  /** After a settings or work-center change: every card's commitment and done times, in SQL. */
  function refreshBoardCards(boardId: string) {
    const s = shape(boardId);
    q.refreshCards.run(s.commit, s.done, boardId);
  }

  /**
   * A card enters a work center: first-entry time, reached times (O(work centers)), counters. Returns
   * the card's card_flow rows as they now are, so that updateCardTimes need not read them again.
   */
  function enter(boardId: string, orderIds: readonly string[], cardId: string, columnId: string, at: number, d: Deltas): CardFlow {
    const rows = q.cardRows.all(cardId) as { column_id: string; entered_at: number | null; reached_at: number }[];
    const reached = new Map(rows.map((r) => [r.column_id, r.reached_at]));
    const entries = new Map<string, number>();
    for (const r of rows) if (r.entered_at !== null) entries.set(r.column_id, r.entered_at);
    for (const change of reachedChangesOnEntry(orderIds, reached, columnId, at)) {
      q.setReached.run(cardId, change.columnId, boardId, change.to);
      reached.set(change.columnId, change.to);
      if (change.from !== null) d.add(change.columnId, change.from, 'reached', -1);
      d.add(change.columnId, change.to, 'reached', 1);
    }
    // The same condition as setEntered's: the first entry, or an earlier one.
    q.setEntered.run(at, cardId, columnId, at);
    const entered = entries.get(columnId);
    if (entered === undefined || entered > at) entries.set(columnId, at);
    d.add(columnId, at, 'entered', 1);
    return { reached, entries };
  }

  function applyEvent(event: BoardEvent): void {
    const at = Date.parse(event.at);
    const boardId = event.boardId;
    const d = new Deltas();
    switch (event.type) {
      case 'board_created':
        writeOrder(event.columns.map((c) => ({ id: c.id, live: true })));
        q.ready.run(boardId);
        break;
      case 'board_settings_changed':
      case 'column_removed':
        // The commitment or the last work center may have changed.
        refreshBoardCards(boardId);
        break;
      case 'column_added': {
        const rest = orderOf(boardId).filter((e) => e.id !== event.column.id);
        const order = placeInFlowOrder(rest, { id: event.column.id, live: true }, event.index);
        writeOrder(order);
        // Nobody has entered the new work center, so "reached it or later" equals the next one's.
        const next = order[order.findIndex((e) => e.id === event.column.id) + 1];
        if (next) {
          q.copyReachedRows.run(event.column.id, boardId, next.id);
          q.copyReachedHourly.run(event.column.id, boardId, next.id);
          q.copyReachedDaily.run(event.column.id, boardId, next.id);
        }
        refreshBoardCards(boardId);
        break;
      }
      case 'column_moved': {
        writeOrder(placeInFlowOrder(orderOf(boardId), { id: event.columnId, live: true }, event.toIndex));
        rebuildBoard(boardId);
        break;
      }
      case 'card_created': {
        const s = shape(boardId);
        const { id, title, columnId } = event.card;
        q.insertCard.run(id, boardId, title, at, null, null, columnId, columnId, null);
        updateCardTimes(id, columnId, s, enter(boardId, s.ids, id, columnId, at, d));
        break;
      }
      case 'card_moved': {
        if (event.fromColumnId === event.toColumnId) break;
        const s = shape(boardId);
        d.add(event.fromColumnId, at, 'exited', 1);
        if (event.backward) d.add(event.toColumnId, at, 'returned', 1);
        updateCardTimes(event.cardId, event.toColumnId, s, enter(boardId, s.ids, event.cardId, event.toColumnId, at, d));
        break;
      }
      case 'card_updated':
        if (event.changes.title !== undefined) q.cardTitle.run(event.changes.title, event.cardId);
        break;
      case 'card_deleted': {
        q.cardDeleted.run(at, event.cardId);
        d.add(event.columnId, at, 'deleted', 1);
        const rows = q.cardRows.all(event.cardId) as { column_id: string; entered_at: number | null }[];
        const entries = new Map(rows.filter((r) => r.entered_at !== null).map((r) => [r.column_id, r.entered_at as number]));
        const furthest = furthestEntered(orderOf(boardId).map((e) => e.id), entries);
        if (furthest) d.add(furthest, at, 'abandoned', 1);
        break;
      }
      case 'column_renamed':
      case 'wip_limit_set':
      case 'board_renamed':
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`Unknown event ${(unreachable as { type: string }).type}`);
      }
    }
    d.flush(boardId);
  }

  /**
   * Recomputes a board's aggregates from its event log (the same code the tests compare against).
   * Runs inside the caller's transaction. Cost grows with the log: ~seconds for a million events.
   */
  function rebuildBoard(boardId: string): void {
    // Streamed: a long log is never held in memory whole (a million events are a gigabyte of objects).
    function* events(): Generator<BoardEvent> {
      for (const r of q.events.iterate(boardId) as Iterable<{ type: string; board_id: string; version: number; actor: string; at: number; data: string }>) {
        const event = JSON.parse(r.data) as Record<string, unknown>;
        event.type = r.type;
        event.boardId = r.board_id;
        event.version = r.version;
        event.actor = r.actor;
        event.at = new Date(r.at).toISOString();
        yield event as unknown as BoardEvent;
      }
    }
    writeAggregates(boardId, replayFlow(events()));
  }

  /** Replaces a board's aggregates with a full recomputation (inside the caller's transaction). */
  function writeAggregates(boardId: string, flow: ReplayedFlow): void {
    sqlite.prepare('delete from card_flow where board_id = ?').run(boardId);
    sqlite.prepare('delete from flow_counts_hourly where board_id = ?').run(boardId);
    sqlite.prepare('delete from flow_counts_daily where board_id = ?').run(boardId);
    sqlite.prepare('delete from flow_cards where board_id = ?').run(boardId);
    writeOrder(flow.order);
    const live = flow.order.filter((e) => e.live);
    const commit = resolveCommitment(live, flow.commitmentSetting);
    const done = live.at(-1)?.id ?? '';
    const ids = flow.order.map((e) => e.id);
    for (const card of flow.cards.values()) {
      q.insertCard.run(
        card.id,
        boardId,
        card.title,
        card.createdAt,
        card.reached.get(commit) ?? null,
        card.reached.get(done) ?? null,
        furthestEntered(ids, card.entries) ?? card.columnId,
        card.columnId,
        card.deletedAt,
      );
    }
    const insert = sqlite.prepare('insert into card_flow (card_id, column_id, board_id, entered_at, reached_at) values (?, ?, ?, ?, ?)');
    for (const card of flow.cards.values()) {
      for (const [columnId, reachedAt] of card.reached) insert.run(card.id, columnId, boardId, card.entries.get(columnId) ?? null, reachedAt);
    }
    // The days are summed here first: one write per day and work center instead of one per hour.
    const write = (counters: ReadonlyMap<string, number[]>, statement: Database.Statement) => {
      for (const [key, values] of counters) {
        const bar = key.lastIndexOf('|');
        statement.run(boardId, key.slice(0, bar), Number(key.slice(bar + 1)), ...values);
      }
    };
    write(flow.hourly, q.bumpHourly);
    write(dailyFromHourly(flow.hourly), q.bumpDaily);
    q.ready.run(boardId);
  }

  /**
   * The counts of each interval and the totals before the range. With F(b) = everything counted
   * before instant b, an interval's counts are F(end) − F(start). F(b) is read as the daily sums up to
   * the UTC midnight nearest to b, plus or minus the hours between that midnight and b: at most 12
   * hourly rows per boundary instead of every hour of the range. For a 90-day daily range that is
   * about 1,500 rows per read rather than 17,000 (bench/flow.ts). An hour bucket belongs to the
   * interval its start falls in, which is exact for every zone whose offset is a whole number of hours.
   */
  function readCounts(boardId: string, boundaries: readonly number[], index: ReadonlyMap<string, number>, width: number) {
    const hours = boundaries.map((b) => Math.ceil(b / HOUR_MS));
    const days = hours.map((h) => Math.round(h / 24));
    const firstDay = Math.min(...days);
    const lastDay = Math.max(...days);
    const grid = () => Array.from({ length: width }, () => zeroCounters());
    const add = (target: number[][] | undefined, r: unknown[], from: number, sign = 1) => {
      const row = target?.[index.get(r[from] as string) ?? -1];
      if (row) KINDS.forEach((_, k) => (row[k] = (row[k] ?? 0) + sign * ((r[from + 1 + k] as number) ?? 0)));
    };
    // cumulative[d − firstDay] = the daily sums of every UTC day before day d.
    const cumulative: number[][][] = [grid()];
    for (const r of q.startDaily.raw().all(boardId, firstDay) as unknown[][]) add(cumulative[0], r, 0);
    const perDay = Array.from({ length: lastDay - firstDay }, grid);
    for (const r of q.dailyRange.raw().all(boardId, firstDay, lastDay) as unknown[][]) add(perDay[(r[0] as number) - firstDay], r, 1);
    perDay.forEach((day, d) => {
      const before = cumulative[d] as number[][];
      cumulative.push(day.map((row, c) => row.map((v, k) => v + (before[c]?.[k] ?? 0))));
    });
    const totals = days.map((d) => (cumulative[d - firstDay] as number[][]).map((row) => [...row]));
    const edges = hours.map((h, j) => {
      const midnight = (days[j] as number) * 24;
      return h >= midnight ? [midnight, h] : [h, midnight];
    });
    for (const r of q.edgeCounts.raw().all(JSON.stringify(edges), boardId) as unknown[][]) {
      const j = r[0] as number;
      add(totals[j], r, 1, (hours[j] as number) >= (days[j] as number) * 24 ? 1 : -1);
    }
    const start = totals[0] as number[][];
    const counts = totals.slice(1).map((after, i) => {
      const before = totals[i] as number[][];
      return after.map((row, c) => row.map((v, k) => v - (before[c]?.[k] ?? 0)));
    });
    return { start, counts };
  }

  /** A board's current version; NOT_FOUND when there is no such board. */
  function version(boardId: string): number {
    const row = q.board.get(boardId) as { version: number } | undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'Board not found');
    return row.version;
  }

  /**
   * At start: a board a crash left half-imported is deleted, and boards from before the aggregates
   * existed are rebuilt once. Returns how many were rebuilt.
   */
  function ensureReady(): number {
    for (const { id } of sqlite.prepare('select id from boards where importing = 1').all() as { id: string }[]) discardBoard(sqlite, id);
    const ids = (q.unready.all() as { id: string }[]).map((r) => r.id);
    for (const id of ids) sqlite.transaction(() => rebuildBoard(id)).immediate();
    return ids.length;
  }

  function read(boardId: string, range: FlowRange, now = Date.now()): FlowData {
    const from = parseDate(range.from);
    const to = parseDate(range.to);
    if (!from || !to) throw new DomainError('INVALID', 'from and to must be dates as YYYY-MM-DD');
    if (range.interval !== 'day' && range.interval !== 'hour') throw new DomainError('INVALID', 'interval must be day or hour');
    assertTimeZone(range.tz);
    const spanDays = (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000 + 1;
    if (spanDays < 1) throw new DomainError('INVALID', 'to must not be before from');
    const max = MAX_RANGE_DAYS[range.interval as Interval];
    if (spanDays > max) throw new DomainError('INVALID', `A range at ${range.interval} resolution covers at most ${max} days`);

    // One read transaction: the version matches the rows.
    return sqlite.transaction(() => {
      const board = q.board.get(boardId) as
        | { id: string; name: string; version: number; demand_per_week: number | null; commitment_column_id: string | null }
        | undefined;
      if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
      const rows = q.columns.all(boardId) as ColumnRow[];
      const columns: FlowColumn[] = rows.map((r) => ({ id: r.id, name: r.name, live: r.removed_at === null, createdAt: r.created_at, removedAt: r.removed_at }));
      const index = new Map(columns.map((c, i) => [c.id, i]));
      const live = columns.filter((c) => c.live);
      const commitmentColumnId = resolveCommitment(live, board.commitment_column_id);
      const doneColumnId = live.at(-1)?.id ?? '';

      const boundaries = intervalBoundaries(from, to, range.interval, range.tz);
      const { start, counts } = readCounts(boardId, boundaries, index, columns.length);

      const rangeStart = boundaries[0] as number;
      const rangeEnd = boundaries.at(-1) as number;
      const finished: FinishedCard[] = (q.finished.raw().all(boardId, rangeStart, rangeEnd) as unknown[][]).map(
        (r) => ({ cardId: r[0] as string, title: r[1] as string, createdAt: r[2] as number, committedAt: (r[3] as number | null) ?? null, doneAt: r[4] as number }),
      );

      const open: OpenCard[] = (q.openCards.raw().all(boardId) as [string, string, string, number, number | null, string][]).map(
        ([cardId, title, columnId, createdAt, committedAt, furthestId]) => ({ cardId, title, columnId, createdAt, committedAt, furthestId }),
      );
      const defects: DefectReturn[] = (q.defects.raw().all(boardId, rangeStart, rangeEnd) as unknown[][]).map((r) => ({
        at: r[0] as number,
        cardId: r[1] as string,
        detectedAtColumnId: r[2] as string,
        returnedToColumnId: r[3] as string,
      }));

      return {
        boardId,
        boardName: board.name,
        version: board.version,
        asOf: now,
        range: { from: range.from, to: range.to, interval: range.interval, tz: range.tz },
        boundaries,
        columns,
        commitmentColumnId,
        doneColumnId,
        demandPerWeek: board.demand_per_week,
        start,
        counts,
        finished,
        open,
        defects,
      };
    })();
  }


  /** The raw handle, for the import and export modules that work beside the aggregates. */
  /** The board's aggregates are caught up with its log (see the flow backlog in db/store.ts). */
  function markReady(boardId: string): void {
    q.ready.run(boardId);
  }

  return { sqlite, applyEvent, rebuildBoard, writeAggregates, ensureReady, read, version, markReady };
}

export type FlowAggregates = ReturnType<typeof createFlowAggregates>;
