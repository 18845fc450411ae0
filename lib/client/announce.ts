/**
 * What a screen reader hears about the board changing under it: other people's changes, one short
 * sentence each ("Ada moved Checkout flow to Operate"), never one's own, and at most one message per
 * `REMOTE_ANNOUNCE_MS` so a busy standup does not talk over itself (the ones that pile up in between
 * are said together).
 */
import type { BoardEvent, BoardSnapshot } from '../shared/domain/types';
import { columnName } from './boardView';

/** The least time between two remote-change announcements. */
export const REMOTE_ANNOUNCE_MS = 2_000;
/** A burst longer than this is summed up instead of read out whole. */
const MAX_LISTED = 3;

const titleOf = (board: BoardSnapshot, cardId: string) => board.cards.find((c) => c.id === cardId)?.title ?? 'a card';

/**
 * The sentence for one change made by someone else, or null when it is one's own (`selfId`), made by
 * the app itself, or nothing a person at the board needs to hear. `board` is the board the event was
 * applied to, or the one before it: either names the card and the work centers.
 */
export function remoteChangeMessage(event: BoardEvent, board: BoardSnapshot, selfId: string): string | null {
  if (event.actorId === selfId) return null;
  const who = event.actor || 'Someone';
  switch (event.type) {
    case 'card_moved': {
      const title = titleOf(board, event.cardId);
      // A split work center's half is named when the move changed it: into a done half ("Develop, done"), or between the halves.
      const between = event.toStage !== undefined && event.fromColumnId === event.toColumnId;
      const to = `${columnName(board.columns, event.toColumnId)}${event.toStage === 'done' || between ? `, ${event.toStage}` : ''}`;
      if (event.undoes) return `${who} undid a move: ${title} is back in ${to}`;
      if (between) return `${who} moved ${title} to ${to}`;
      if (event.fromColumnId === event.toColumnId) return `${who} reordered ${title} in ${to}`;
      if (event.backward) return `${who} sent ${title} back to ${to}${event.reason ? `: ${event.reason}` : ''}`;
      return `${who} moved ${title} to ${to}`;
    }
    case 'card_created':
      return `${who} added ${event.card.title} to ${columnName(board.columns, event.card.columnId)}`;
    case 'card_deleted':
      return `${who} deleted ${titleOf(board, event.cardId)}`;
    case 'card_split':
      return `${who} split ${titleOf(board, event.cardId)} into ${event.children.length} cards`;
    case 'card_updated': {
      const { changes } = event;
      const title = changes.title ?? titleOf(board, event.cardId);
      if (changes.blocked === true) return `${who} marked ${title} blocked${changes.blockedReason ? `: ${changes.blockedReason}` : ''}`;
      if (changes.blocked === false) return `${who} unblocked ${title}`;
      return `${who} edited ${title}`;
    }
    case 'column_added':
      return `${who} added the work center ${event.column.name}`;
    case 'column_removed':
      return `${who} removed the work center ${columnName(board.columns, event.columnId)}`;
    case 'column_renamed':
      return `${who} renamed a work center to ${event.name}`;
    case 'wip_limit_set':
      return `${who} set the WIP limit of ${columnName(board.columns, event.columnId)} to ${event.wipLimit ?? 'none'}`;
    case 'column_split_set':
      return `${who} ${event.split ? 'split' : 'joined the halves of'} ${columnName(board.columns, event.columnId)}${event.split ? ' into doing and done' : ''}`;
    case 'board_renamed':
      return `${who} renamed the board to ${event.name}`;
    case 'card_automation_refused':
      return `${who} could not move ${titleOf(board, event.cardId)} to ${columnName(board.columns, event.toColumnId)}: ${event.message}`;
    default:
      return null;
  }
}

/** One announcement made of the messages waiting: each of a few, or how many and by whom. */
export function combineMessages(messages: readonly string[], actors: readonly string[]): string {
  if (messages.length <= MAX_LISTED) return messages.map((m) => (m.endsWith('.') ? m : `${m}.`)).join(' ');
  const people = [...new Set(actors)];
  const by = people.length <= 2 ? people.join(' and ') : `${people.slice(0, 2).join(', ')} and ${people.length - 2} more`;
  return `${messages.length} changes by ${by}. Latest: ${messages.at(-1)}.`;
}

/**
 * The throttle, apart from any timer so it can be tested with plain numbers: `add` a message at
 * `now`; it says when the next announcement is due, and `take` hands the combined message over.
 */
export class AnnounceQueue {
  private waiting: { message: string; actor: string }[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs = REMOTE_ANNOUNCE_MS) {}

  /** Queues a message; returns when it may be said (now or later). */
  add(message: string, actor: string, now: number): number {
    this.waiting.push({ message, actor });
    return this.dueAt(now);
  }

  dueAt(now: number): number {
    return Math.max(now, this.lastAt + this.intervalMs);
  }

  /** The announcement due at `now`, or null when none is waiting or it is too soon. */
  take(now: number): string | null {
    if (this.waiting.length === 0 || now < this.lastAt + this.intervalMs) return null;
    const taken = this.waiting;
    this.waiting = [];
    this.lastAt = now;
    return combineMessages(
      taken.map((t) => t.message),
      taken.map((t) => t.actor),
    );
  }
}
