/**
 * Standup mode: the walk of a board from right to left (closest to done first), the people walk,
 * the presenter's shared place and timer, and the payloads of the standup socket events. Pure: the
 * server, the browser and the tests use the same functions.
 */
import { z } from 'zod';
import { blockedTimeOf, DAY_MS, formatBlockedTime } from './domain/blocked';
import { LIMITS } from './domain/limits';
import type { BoardSnapshot, CardDTO, ColumnDTO } from './domain/types';
import { agingLevel, type Percentiles } from './flow/metrics';

// ---------------------------------------------------------------------------------------------
// Payloads

const id = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .refine((s) => !s.includes('\u0000'), 'Text cannot contain the NUL character (U+0000)');

/** Longest standup timebox a presenter may set, and the longest budget per work center, in minutes. */
export const STANDUP_MAX_TIMEBOX_MINUTES = 120;
export const STANDUP_MAX_COLUMN_BUDGET_MINUTES = 60;
export const STANDUP_DEFAULT_TIMEBOX_MINUTES = 15;
export const STANDUP_DEFAULT_COLUMN_BUDGET_MINUTES = 2;

export const standupSchemas = {
  /** Open the standup view of a board: the ack carries the presenter's place and timer. */
  join: z.strictObject({ boardId: id }),
  leave: z.strictObject({ boardId: id }),
  /** Take the lead (from whoever has it). */
  lead: z.strictObject({ boardId: id }),
  /** The presenter hands the lead back: nobody leads. */
  release: z.strictObject({ boardId: id }),
  /** The presenter's place: a work center, and the card highlighted in it (null: none). */
  step: z.strictObject({ boardId: id, columnId: id, cardId: id.nullable() }),
  /** The presenter starts (or restarts) the shared timer, or stops it. */
  timer: z.discriminatedUnion('action', [
    z.strictObject({
      boardId: id,
      action: z.literal('start'),
      timeboxMinutes: z.number().int().min(1).max(STANDUP_MAX_TIMEBOX_MINUTES).optional(),
      columnBudgetMinutes: z.number().int().min(1).max(STANDUP_MAX_COLUMN_BUDGET_MINUTES).optional(),
    }),
    z.strictObject({ boardId: id, action: z.literal('stop') }),
  ]),
} as const;

export type StandupJoinInput = z.infer<typeof standupSchemas.join>;
export type StandupStepInput = z.infer<typeof standupSchemas.step>;
export type StandupTimerInput = z.infer<typeof standupSchemas.timer>;

export interface StandupTimer {
  /** When the presenter started the standup's clock (server ms); null while it is not running. */
  startedAt: number | null;
  timeboxMs: number;
  /** Time each work center may take before its clock turns amber. */
  columnBudgetMs: number;
}

/** A board's standup as every viewer of its standup view sees it. Memory only, never board state. */
export interface StandupState {
  boardId: string;
  /** Who leads: their socket (one tab) and name; null while nobody does. */
  presenter: { id: string; name: string } | null;
  /** The presenter's work center and highlighted card. */
  columnId: string | null;
  cardId: string | null;
  /** When the presenter reached this work center (server ms). */
  columnSince: number | null;
  timer: StandupTimer;
  /** Grows with every change: of two states of a board, the one with the higher seq is newer. */
  seq: number;
  /** When this state was made (server ms); breaks a tie of seq between two processes. */
  at: number;
}

/** The `standup:state` payload: the state, with the server's clock when sent (the browser corrects its own by it). */
export type StandupStateMessage = StandupState & { now: number };

export function emptyStandup(boardId: string, at = 0): StandupState {
  return {
    boardId,
    presenter: null,
    columnId: null,
    cardId: null,
    columnSince: null,
    timer: { startedAt: null, timeboxMs: STANDUP_DEFAULT_TIMEBOX_MINUTES * 60_000, columnBudgetMs: STANDUP_DEFAULT_COLUMN_BUDGET_MINUTES * 60_000 },
    seq: 0,
    at,
  };
}

/** Whether `next` replaces `current` (two processes may both change a board's standup at once). */
export function isNewer(next: StandupState, current: StandupState | undefined): boolean {
  if (!current) return true;
  if (next.seq !== current.seq) return next.seq > current.seq;
  if (next.at !== current.at) return next.at > current.at;
  return (next.presenter?.id ?? '') > (current.presenter?.id ?? '');
}

// ---------------------------------------------------------------------------------------------
// The walk

/** A card's age starts when it crossed the commitment point when known, else when it was created. */
export type AgeStart = (card: CardDTO) => number;
export const createdAtStart: AgeStart = (card) => Date.parse(card.createdAt);

/** Ties broken by id, so every screen shows the same order. */
const byId = (a: CardDTO, b: CardDTO) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The work centers a standup walks, right to left; the last one (Done) is not walked but counted. */
export function walkStops(columns: readonly ColumnDTO[]): ColumnDTO[] {
  return columns.slice(0, -1).toReversed();
}

/** The board's last work center (Done), or null on a board of one work center or none. */
export function doneColumnOf(columns: readonly ColumnDTO[]): ColumnDTO | null {
  return columns.length > 1 ? (columns.at(-1) ?? null) : null;
}

/** One work center's cards in walk order: blocked first, then oldest first. */
export function walkCards(cards: readonly CardDTO[], startOf: AgeStart = createdAtStart): CardDTO[] {
  return cards.toSorted((a, b) => {
    if (a.blocked !== b.blocked) return a.blocked ? -1 : 1;
    return startOf(a) - startOf(b) || byId(a, b);
  });
}

/** The Done work center's cards, newest arrival first. */
export function doneCards(cards: readonly CardDTO[]): CardDTO[] {
  return cards.toSorted((a, b) => Date.parse(b.enteredColumnAt) - Date.parse(a.enteredColumnAt) || byId(a, b));
}

export interface WalkStop {
  column: ColumnDTO;
  cards: CardDTO[];
}

/** The whole walk of a board: every work center but the last, right to left, each with its cards in walk order. */
export function walkOf(board: Pick<BoardSnapshot, 'columns' | 'cards'>, startOf: AgeStart = createdAtStart): WalkStop[] {
  const byColumn = new Map<string, CardDTO[]>();
  for (const card of board.cards) {
    const list = byColumn.get(card.columnId);
    if (list) list.push(card);
    else byColumn.set(card.columnId, [card]);
  }
  return walkStops(board.columns).map((column) => ({ column, cards: walkCards(byColumn.get(column.id) ?? [], startOf) }));
}

/** The stop `delta` places from `stopId` among the walk's stops (clamped to its ends); the first stop when `stopId` is not one. */
export function stepStop(stopIds: readonly string[], stopId: string | null, delta: number): string | null {
  if (stopIds.length === 0) return null;
  const at = stopId === null ? -1 : stopIds.indexOf(stopId);
  if (at < 0) return stopIds[0] ?? null;
  return stopIds[Math.min(stopIds.length - 1, Math.max(0, at + delta))] ?? null;
}

/** The card `delta` places from `cardId` in a stop's list, clamped; the first card when none is highlighted. */
export function stepCard(cards: readonly CardDTO[], cardId: string | null, delta: number): string | null {
  if (cards.length === 0) return null;
  const at = cards.findIndex((c) => c.id === cardId);
  if (at < 0) return (delta < 0 ? cards.at(-1) : cards[0])?.id ?? null;
  return cards[Math.min(cards.length - 1, Math.max(0, at + delta))]?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// People

/** Someone the people walk names: a board's person (PersonDTO) as far as the walk needs. */
export interface Person {
  id: string;
  name: string;
}

/** A card's assignees (an old snapshot without the field: none). */
export function assigneesOf(card: CardDTO): readonly string[] {
  return card.assigneeIds ?? [];
}

export interface PersonStop {
  /** Null: the cards nobody holds. */
  person: Person | null;
  cards: CardDTO[];
}

/**
 * The people walk: per person, the cards they hold in progress (every work center but Done), oldest
 * first, blocked ones first. People by name; someone assigned but not listed by the board shows under
 * their id; the unassigned cards come last. People who hold nothing are left out.
 */
export function peopleWalk(board: Pick<BoardSnapshot, 'columns' | 'cards'>, people: readonly Person[], startOf: AgeStart = createdAtStart): PersonStop[] {
  const done = doneColumnOf(board.columns)?.id;
  const known = new Map(people.map((p) => [p.id, p]));
  const held = new Map<string, CardDTO[]>();
  const unassigned: CardDTO[] = [];
  for (const card of board.cards) {
    if (card.columnId === done) continue;
    const ids = [...new Set(assigneesOf(card))];
    if (ids.length === 0) unassigned.push(card);
    for (const personId of ids) {
      const list = held.get(personId);
      if (list) list.push(card);
      else held.set(personId, [card]);
    }
  }
  const stops: PersonStop[] = [...held].map(([personId, cards]) => ({
    person: known.get(personId) ?? { id: personId, name: personId },
    cards: walkCards(cards, startOf),
  }));
  stops.sort((a, b) => (a.person?.name ?? '').localeCompare(b.person?.name ?? '') || ((a.person?.id ?? '') < (b.person?.id ?? '') ? -1 : 1));
  if (unassigned.length > 0) stops.push({ person: null, cards: walkCards(unassigned, startOf) });
  return stops;
}

// ---------------------------------------------------------------------------------------------
// What a card says in the walk

const ORDINAL = { p50: '50th', p85: '85th', p95: '95th' } as const;

/** "9d", "5h", "12m": an age or a duration, in its largest whole unit. */
export const formatAge = (ms: number): string => formatBlockedTime(Math.max(0, ms));

/**
 * A card's age against the board's cycle-time percentiles: "9d · past 85th percentile (7d)", or
 * "3d · within 50th percentile (4d)"; the age alone without a big enough sample or when the card has
 * not crossed the commitment point (its age is then since creation, not comparable with cycle times).
 */
export function ageAgainstPercentiles(ageMs: number, committed: boolean, p: Percentiles | null, sampleSize: number): string {
  const age = formatAge(ageMs);
  if (!committed || !p) return age;
  const level = agingLevel(ageMs / DAY_MS, p, sampleSize);
  if (level) return `${age} · past ${ORDINAL[level]} percentile (${formatAge((p[level] ?? 0) * DAY_MS)})`;
  if (p.p50 === null || agingLevel(Number.POSITIVE_INFINITY, p, sampleSize) === null) return age;
  return `${age} · within 50th percentile (${formatAge(p.p50 * DAY_MS)})`;
}

/** "Blocked 2d: waiting on the vendor" (the blocked time counts closed and open intervals). */
export function blockerLine(card: CardDTO, now: number): string | null {
  if (!card.blocked) return null;
  const time = formatAge(blockedTimeOf(card, now));
  return card.blockedReason ? `Blocked ${time}: ${card.blockedReason}` : `Blocked ${time}`;
}

// ---------------------------------------------------------------------------------------------
// Following and the clock

/** A follower's own place in the walk. */
export interface FollowerPlace {
  following: boolean;
  columnId: string | null;
  cardId: string | null;
}

/**
 * Where a standup view goes when a state arrives: with the presenter while following (and someone
 * leads and has a place), else where it was.
 */
export function followState(place: FollowerPlace, state: Pick<StandupState, 'presenter' | 'columnId' | 'cardId'>): FollowerPlace {
  if (!place.following || !state.presenter || state.columnId === null) return place;
  if (place.columnId === state.columnId && place.cardId === state.cardId) return place;
  return { ...place, columnId: state.columnId, cardId: state.cardId };
}

/** "4:07" or "1:02:03": a running clock. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface ClockReading {
  /** Time since the standup's clock started; null while it is not running. */
  totalMs: number | null;
  /** Time at the presenter's work center; null while the clock is not running. */
  columnMs: number | null;
  overTimebox: boolean;
  overBudget: boolean;
}

/** The shared clock at `serverNow` (the browser's clock corrected by the server's). */
export function readClock(state: Pick<StandupState, 'timer' | 'columnSince'>, serverNow: number): ClockReading {
  const { startedAt, timeboxMs, columnBudgetMs } = state.timer;
  if (startedAt === null) return { totalMs: null, columnMs: null, overTimebox: false, overBudget: false };
  const totalMs = Math.max(0, serverNow - startedAt);
  const columnMs = Math.max(0, serverNow - Math.max(startedAt, state.columnSince ?? startedAt));
  return { totalMs, columnMs, overTimebox: totalMs > timeboxMs, overBudget: columnMs > columnBudgetMs };
}
