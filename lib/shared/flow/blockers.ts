/**
 * Blocked time on the flow page. A blocked interval is a stretch of time a card was blocked in one
 * work center for one reason; blockStep says what an event does to a card's intervals, and the same
 * rule drives the full recomputation (replay.ts), the stored projection (db/flow.ts) and the browser's
 * live fold (live.ts). blockerSummary is the panel: blocked time by work center and by reason within
 * a range, and the share of finished cards' cycle time they spent blocked. Definitions: docs/metrics.md.
 */
import type { BoardEvent } from '../domain/types';
import type { FlowData } from './data';

export interface BlockInterval {
  cardId: string;
  /** Version of the event that opened it: with the card, the interval's identity. */
  openedVersion: number;
  columnId: string;
  reason: string | null;
  startedAt: number;
  /** Null while the card is still blocked there. */
  endedAt: number | null;
}

export interface OpenBlock {
  columnId: string;
  reason: string | null;
}

/** Close the card's open interval (at the event's time), then open `open` (from the same instant). */
export interface BlockStep {
  close: boolean;
  open: OpenBlock | null;
}

/**
 * What `event` does to the blocked intervals of the card it names. `current` is the card's open
 * interval, `columnId` the work center the card is in before the event. Null: nothing.
 */
export function blockStep(event: BoardEvent, current: OpenBlock | null, columnId: string | null): BlockStep | null {
  switch (event.type) {
    case 'card_created':
      return event.card.blocked ? { close: false, open: { columnId: event.card.columnId, reason: event.card.blockedReason } } : null;
    case 'card_updated': {
      const { blocked, blockedReason } = event.changes;
      if (blocked === true && !current && columnId !== null) return { close: false, open: { columnId, reason: blockedReason ?? null } };
      if (blocked === false && current) return { close: true, open: null };
      // A new reason while blocked: the time from now on counts for the new one.
      if (blocked === undefined && current && blockedReason !== undefined && blockedReason !== current.reason) {
        return { close: true, open: { columnId: current.columnId, reason: blockedReason } };
      }
      return null;
    }
    case 'card_moved':
      // A blocked card that moves stays blocked; its time from now on counts for its new work center.
      return current && event.fromColumnId !== event.toColumnId ? { close: true, open: { columnId: event.toColumnId, reason: current.reason } } : null;
    case 'card_deleted':
    // A split card leaves the board: its blocked time ends there (its children start unblocked).
    case 'card_split':
      return current ? { close: true, open: null } : null;
    default:
      return null;
  }
}

/** The event's card, when it is a card event. */
export function cardOfEvent(event: BoardEvent): string | null {
  switch (event.type) {
    case 'card_created':
      return event.card.id;
    case 'card_updated':
    case 'card_moved':
    case 'card_deleted':
    case 'card_split':
      return event.cardId;
    default:
      return null;
  }
}

/** Milliseconds of [from, to) covered by an interval (an open one runs until `now`). */
export function overlap(block: Pick<BlockInterval, 'startedAt' | 'endedAt'>, from: number, to: number, now: number): number {
  const end = Math.min(block.endedAt ?? now, to);
  const start = Math.max(block.startedAt, from);
  return Math.max(0, end - start);
}

export interface BlockerSummary {
  /** Blocked time inside the range, ms. */
  totalMs: number;
  /** Per work center with blocked time, in flow order. */
  byColumn: { columnId: string; name: string; ms: number }[];
  /** Per reason (null: none given): how many cards were blocked for it in the range and for how long; most cards first. */
  byReason: { reason: string | null; cards: number; ms: number }[];
  /** Finished cards of the range with a commitment time: their summed cycle time and the part of it spent blocked. */
  finishedCards: number;
  cycleMs: number;
  blockedInCycleMs: number;
  /** blockedInCycleMs / cycleMs; null when no finished card has a cycle time. */
  share: number | null;
}

export function blockerSummary(data: Pick<FlowData, 'boundaries' | 'columns' | 'blocks' | 'finished'>, now: number): BlockerSummary {
  const from = data.boundaries[0] ?? 0;
  const to = Math.min(data.boundaries.at(-1) ?? 0, now);
  const perColumn = new Map<string, number>();
  const perReason = new Map<string | null, { cards: Set<string>; ms: number }>();
  let totalMs = 0;
  for (const b of data.blocks) {
    const ms = overlap(b, from, to, now);
    // An interval counts when it covers part of the range, or starts in it (a block undone at once).
    if (ms === 0 && !(b.startedAt >= from && b.startedAt < to)) continue;
    totalMs += ms;
    perColumn.set(b.columnId, (perColumn.get(b.columnId) ?? 0) + ms);
    const r = perReason.get(b.reason) ?? { cards: new Set<string>(), ms: 0 };
    r.cards.add(b.cardId);
    r.ms += ms;
    perReason.set(b.reason, r);
  }
  const byColumn = data.columns.filter((c) => (perColumn.get(c.id) ?? 0) > 0).map((c) => ({ columnId: c.id, name: c.name, ms: perColumn.get(c.id) ?? 0 }));
  const byReason = [...perReason.entries()]
    .map(([reason, r]) => ({ reason, cards: r.cards.size, ms: r.ms }))
    .toSorted((a, b) => b.cards - a.cards || b.ms - a.ms || (a.reason ?? '').localeCompare(b.reason ?? ''));

  const blocksOf = new Map<string, BlockInterval[]>();
  for (const b of data.blocks) blocksOf.set(b.cardId, [...(blocksOf.get(b.cardId) ?? []), b]);
  let finishedCards = 0;
  let cycleMs = 0;
  let blockedInCycleMs = 0;
  for (const card of data.finished) {
    if (card.committedAt === null) continue;
    finishedCards++;
    cycleMs += card.doneAt - card.committedAt;
    for (const b of blocksOf.get(card.cardId) ?? []) blockedInCycleMs += overlap(b, card.committedAt, card.doneAt, now);
  }
  return { totalMs, byColumn, byReason, finishedCards, cycleMs, blockedInCycleMs, share: cycleMs > 0 ? blockedInCycleMs / cycleMs : null };
}
