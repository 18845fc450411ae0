/**
 * The full recomputation of the flow aggregates from the event log, by their definitions. The store
 * keeps the same numbers incrementally (db/flow.ts); the property tests prove the two equal, and the
 * store uses this to rebuild a board whose work centers were reordered or that predates the tables.
 */
import type { BoardEvent } from '../domain/types';
import { blockStep, cardOfEvent, type BlockInterval } from './blockers';
import { furthestEntered, markRemoved, placeInFlowOrder, reachedFromEntries, type OrderEntry } from './order';
import { DAY_MS, HOUR_MS } from './time';

/** Counter kinds, in the order of the numeric arrays that carry them (see db/schema.ts for each). */
export const KINDS = ['reached', 'entered', 'exited', 'deleted', 'abandoned', 'returned'] as const;
export type Kind = (typeof KINDS)[number];
export const K = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<Kind, number>;

export const hourBucket = (ms: number) => Math.floor(ms / HOUR_MS);
export const dayBucket = (ms: number) => Math.floor(ms / DAY_MS);

export const zeroCounters = (): number[] => KINDS.map(() => 0);
export const counterKey = (columnId: string, bucket: number) => `${columnId}|${bucket}`;

export interface ReplayedColumn {
  id: string;
  name: string;
  createdAt: number;
  removedAt: number | null;
}

export interface ReplayedCard {
  id: string;
  title: string;
  createdAt: number;
  columnId: string;
  /** When it left the board unfinished: deleted, or split (then splitAt is the same time). */
  deletedAt: number | null;
  /** The card it was split from (card_split), null for a card made whole. */
  parentId: string | null;
  /** When it was split into smaller cards. */
  splitAt: number | null;
  /** First entry time per work center. */
  entries: Map<string, number>;
  /** Filled at the end: reached time per work center, in the final flow order. */
  reached: Map<string, number>;
}

export interface ReplayedFlow {
  order: OrderEntry[];
  columns: Map<string, ReplayedColumn>;
  cards: Map<string, ReplayedCard>;
  /** counterKey(column, hour bucket) → counters in KINDS order; only non-zero rows. */
  hourly: Map<string, number[]>;
  /** The commitment work center the board's settings name (null: the default). */
  commitmentSetting: string | null;
  /** Every blocked interval, keyed by card and opening version. */
  blocks: Map<string, BlockInterval>;
}

export const blockKey = (cardId: string, openedVersion: number) => `${cardId}|${openedVersion}`;

function bump(map: Map<string, number[]>, columnId: string, at: number, kind: Kind, by = 1): void {
  const key = counterKey(columnId, hourBucket(at));
  const row = map.get(key) ?? zeroCounters();
  row[K[kind]] = (row[K[kind]] ?? 0) + by;
  map.set(key, row);
}

const ms = (iso: string) => Date.parse(iso);

export function replayFlow(events: Iterable<BoardEvent>): ReplayedFlow {
  const replay = createFlowReplay();
  for (const e of events) replay.add(e);
  return replay.finish();
}

/** The same replay fed one event at a time: a long log read in pages is never held whole. */
export function createFlowReplay(): { add(e: BoardEvent): void; finish(): ReplayedFlow } {
  let order: OrderEntry[] = [];
  const columns = new Map<string, ReplayedColumn>();
  const cards = new Map<string, ReplayedCard>();
  const hourly = new Map<string, number[]>();
  let commitmentSetting: string | null = null;
  const blocks = new Map<string, BlockInterval>();
  /** Each blocked card's open interval. */
  const openBlocks = new Map<string, BlockInterval>();

  const followBlocks = (e: BoardEvent, at: number) => {
    const cardId = cardOfEvent(e);
    if (cardId === null) return;
    const current = openBlocks.get(cardId) ?? null;
    const step = blockStep(e, current, cards.get(cardId)?.columnId ?? null);
    if (!step) return;
    if (step.close && current) {
      current.endedAt = at;
      openBlocks.delete(cardId);
    }
    if (step.open) {
      const block: BlockInterval = { cardId, openedVersion: e.version, columnId: step.open.columnId, reason: step.open.reason, startedAt: at, endedAt: null };
      blocks.set(blockKey(cardId, e.version), block);
      openBlocks.set(cardId, block);
    }
  };

  const enter = (card: ReplayedCard, columnId: string, at: number) => {
    const first = card.entries.get(columnId);
    if (first === undefined || at < first) card.entries.set(columnId, at);
    bump(hourly, columnId, at, 'entered');
  };

  const create = (c: { id: string; title: string; columnId: string; parentId?: string | null }, at: number) => {
    const card: ReplayedCard = { id: c.id, title: c.title, createdAt: at, columnId: c.columnId, deletedAt: null, parentId: c.parentId ?? null, splitAt: null, entries: new Map(), reached: new Map() };
    cards.set(card.id, card);
    enter(card, card.columnId, at);
  };

  function add(e: BoardEvent): void {
    const at = ms(e.at);
    // Before the event changes the card: a move's interval closes in the work center it leaves.
    followBlocks(e, at);
    switch (e.type) {
      case 'board_created':
        order = e.columns.map((c) => ({ id: c.id, live: true }));
        for (const c of e.columns) columns.set(c.id, { id: c.id, name: c.name, createdAt: at, removedAt: null });
        break;
      case 'column_added':
        order = placeInFlowOrder(order, { id: e.column.id, live: true }, e.index);
        columns.set(e.column.id, { id: e.column.id, name: e.column.name, createdAt: at, removedAt: null });
        break;
      case 'column_moved':
        order = placeInFlowOrder(order, { id: e.columnId, live: true }, e.toIndex);
        break;
      case 'column_removed': {
        order = markRemoved(order, e.columnId);
        const c = columns.get(e.columnId);
        if (c) c.removedAt = at;
        break;
      }
      case 'column_renamed': {
        const c = columns.get(e.columnId);
        if (c) c.name = e.name;
        break;
      }
      case 'card_created':
        create(e.card, at);
        break;
      case 'card_split': {
        // The parent leaves as a deleted card does (its WIP and CFD counts end: docs/metrics.md
        // "Batch size"), but is no finished item; its children arrive as new cards in its place.
        const parent = cards.get(e.cardId);
        if (parent) {
          parent.deletedAt = at;
          parent.splitAt = at;
          bump(hourly, e.columnId, at, 'deleted');
        }
        for (const child of e.children) create(child, at);
        break;
      }
      case 'card_updated': {
        const card = cards.get(e.cardId);
        if (card && e.changes.title !== undefined) card.title = e.changes.title;
        break;
      }
      case 'card_moved': {
        const card = cards.get(e.cardId);
        if (!card || e.fromColumnId === e.toColumnId) break;
        if (e.undoes) {
          // The undone move and its undo count as if neither happened: the undone one's counts are
          // taken back at its own time, and its entry, if it was the card's first into that work center.
          const undoneAt = ms(e.undoes.at);
          bump(hourly, e.toColumnId, undoneAt, 'exited', -1);
          bump(hourly, e.fromColumnId, undoneAt, 'entered', -1);
          if (e.undoes.backward) bump(hourly, e.fromColumnId, undoneAt, 'returned', -1);
          if (card.entries.get(e.fromColumnId) === undoneAt) card.entries.delete(e.fromColumnId);
          card.columnId = e.toColumnId;
          break;
        }
        bump(hourly, e.fromColumnId, at, 'exited');
        enter(card, e.toColumnId, at);
        card.columnId = e.toColumnId;
        if (e.backward) bump(hourly, e.toColumnId, at, 'returned');
        break;
      }
      case 'card_deleted': {
        const card = cards.get(e.cardId);
        if (!card) break;
        card.deletedAt = at;
        bump(hourly, e.columnId, at, 'deleted');
        break;
      }
      case 'board_settings_changed':
        commitmentSetting = e.commitmentColumnId;
        break;
      case 'board_renamed':
      case 'key_prefix_set':
      case 'card_automation_refused':
      case 'wip_limit_set':
      case 'person_wip_limit_set':
      // A split work center's halves are one work center here: a stage change is no arrival.
      case 'column_split_set':
      case 'lane_added':
      case 'lane_renamed':
      case 'lane_moved':
      case 'lane_removed':
      case 'lane_configured':
      case 'working_days_set':
        break;
      default: {
        const unreachable: never = e;
        throw new Error(`Unknown event ${(unreachable as { type: string }).type}`);
      }
    }
  }

  function finish(): ReplayedFlow {
    // Reached times and abandonment depend on the final order only, so they are computed last.
    const ids = order.map((o) => o.id);
    for (const card of cards.values()) {
      card.reached = reachedFromEntries(ids, card.entries);
      for (const [columnId, at] of card.reached) bump(hourly, columnId, at, 'reached');
      if (card.deletedAt !== null) {
        const furthest = furthestEntered(ids, card.entries);
        if (furthest) bump(hourly, furthest, card.deletedAt, 'abandoned');
      }
    }
    // An undone move's counts cancel to zero: only non-zero rows are kept.
    for (const [key, row] of hourly) if (row.every((v) => v === 0)) hourly.delete(key);
    return { order, columns, cards, hourly, commitmentSetting, blocks };
  }
  return { add, finish };
}

/** The daily sums of hourly counters (UTC days), as the store keeps them for range starts. */
export function dailyFromHourly(hourly: ReadonlyMap<string, number[]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [key, row] of hourly) {
    const bar = key.lastIndexOf('|');
    const columnId = key.slice(0, bar);
    const day = Math.floor(Number(key.slice(bar + 1)) / 24);
    const k = counterKey(columnId, day);
    const acc = out.get(k) ?? zeroCounters();
    row.forEach((v, i) => (acc[i] = (acc[i] ?? 0) + v));
    out.set(k, acc);
  }
  return out;
}
