/**
 * Blocked time: a card's closed blocked intervals (blockedMs) plus its open one up to now. Blocking
 * opens an interval at the event's time, unblocking closes it; the store and the fold of the log
 * (apply.ts) both take the event's time, so a client's card equals the server's to the millisecond.
 */
import type { CardDTO } from './types';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A card's blocked time at `now` (ms since the epoch). */
export function blockedTimeOf(card: Pick<CardDTO, 'blockedMs' | 'blockedSince'>, now: number): number {
  const open = card.blockedSince === null ? 0 : Math.max(0, now - Date.parse(card.blockedSince));
  return card.blockedMs + open;
}

/** The card's blocked-time fields after an update that sets `blocked` (undefined: unchanged) at `at`. */
export function blockedTimeAfter(card: Pick<CardDTO, 'blockedMs' | 'blockedSince'>, blocked: boolean | undefined, at: string): Pick<CardDTO, 'blockedMs' | 'blockedSince'> {
  if (blocked === true && card.blockedSince === null) return { blockedMs: card.blockedMs, blockedSince: at };
  if (blocked === false && card.blockedSince !== null) return { blockedMs: blockedTimeOf(card, Date.parse(at)), blockedSince: null };
  return { blockedMs: card.blockedMs, blockedSince: card.blockedSince };
}

/** A duration in the largest whole unit that fits: "2d", "5h", "12m", "<1m". */
export function formatBlockedTime(ms: number): string {
  if (ms >= DAY_MS) return `${Math.floor(ms / DAY_MS)}d`;
  if (ms >= HOUR_MS) return `${Math.floor(ms / HOUR_MS)}h`;
  if (ms >= MINUTE_MS) return `${Math.floor(ms / MINUTE_MS)}m`;
  return '<1m';
}

/** Blocked days as the items CSV carries them: two decimals, so an export read back keeps its value. */
export const blockedDays = (ms: number): number => Math.round((ms / DAY_MS) * 100) / 100;
