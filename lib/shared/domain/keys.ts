/**
 * Card keys: `PAY-42`, a board's key prefix and the card's number on the board. The number is given
 * once, in the card's create transaction (max + 1 under the board's lock, deleted cards keep theirs),
 * so a key names one card for good; the prefix is a board setting, so a key reads PAY-42 or, after the
 * prefix changes, PAYM-42: the number is what stays.
 */
import type { BoardSnapshot, CardDTO } from './types';

/** 2 to 10 capitals or digits, starting with a letter: short enough to type in a commit message. */
export const KEY_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
export const KEY_PREFIX_RULE = 'A key prefix is 2 to 10 capital letters or digits, starting with a letter';

/** A whole key as a person or a tool writes it; any case, the number without leading zeros. */
const KEY_PATTERN = /^([A-Za-z][A-Za-z0-9]{1,9})-([1-9][0-9]{0,8})$/;

/**
 * True for a key (`PAY-42`), false for anything else. Card ids are UUIDs (five groups of hex joined
 * by four dashes), which this never matches, so a field that takes a card id can take a key too.
 */
export const isCardKey = (ref: string): boolean => KEY_PATTERN.test(ref);

/** A key's parts (prefix in capitals), or null when `ref` is no key. */
export function parseCardKey(ref: string): { prefix: string; number: number } | null {
  const m = KEY_PATTERN.exec(ref);
  if (!m) return null;
  return { prefix: (m[1] as string).toUpperCase(), number: Number(m[2]) };
}

/**
 * The prefix a board gets from its name: the first letters of its first three words ("Mobile Payments
 * Team" → MPT), or the first three letters of a one-word name ("Payments" → PAY); BOARD when the name
 * has fewer than two letters or digits to take from.
 */
export function defaultKeyPrefix(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9\s]/g, '')
    .toUpperCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const firstLetter = words.findIndex((w) => /^[A-Z]/.test(w));
  if (firstLetter === -1) return 'BOARD';
  const from = words.slice(firstLetter);
  const prefix = from.length >= 2 ? from.slice(0, 3).map((w) => w[0]).join('') : (from[0] as string).slice(0, 3);
  return KEY_PREFIX_PATTERN.test(prefix) ? prefix : (from.join('').slice(0, 3).padEnd(2, 'X') as string);
}

/** The board's prefix: its setting, or the one its name gives. */
export const keyPrefixOf = (board: Pick<BoardSnapshot, 'name' | 'keyPrefix'>): string => board.keyPrefix ?? defaultKeyPrefix(board.name);

/** A card's key on its board; '' for a card not yet numbered (an optimistic one before the server's answer). */
export const cardKeyOf = (board: Pick<BoardSnapshot, 'name' | 'keyPrefix'>, card: Pick<CardDTO, 'number'>): string =>
  card.number > 0 ? `${keyPrefixOf(board)}-${card.number}` : '';

/**
 * The card numbers a text names with this board's prefix (a pull request's title or branch, a commit
 * message): `PAY-42`, `pay-42`, `feature/PAY-42-checkout`. A key glued to other letters or digits
 * (`XPAY-42`, `PAY-421` for 42) is not read as one.
 */
export function keysIn(text: string, prefix: string): number[] {
  const found = new Set<number>();
  const pattern = new RegExp(`(?<![A-Za-z0-9])${prefix}-([1-9][0-9]{0,8})(?![A-Za-z0-9])`, 'gi');
  for (const m of text.matchAll(pattern)) found.add(Number(m[1]));
  return [...found];
}

/**
 * The keys a file's Key column gives its items (an export of another board, read back): kept when
 * every item has one, all with one prefix and no number twice; otherwise null and the new board
 * numbers its cards in the file's order under the prefix of its own name.
 */
export function keysOfFile(cells: readonly (string | undefined)[]): { prefix: string; numbers: number[] } | null {
  if (cells.length === 0) return null;
  const parsed = cells.map((c) => (c === undefined ? null : parseCardKey(c.trim())));
  const first = parsed[0];
  if (!first || !KEY_PREFIX_PATTERN.test(first.prefix)) return null;
  const numbers = new Set<number>();
  for (const key of parsed) {
    if (!key || key.prefix !== first.prefix || numbers.has(key.number)) return null;
    numbers.add(key.number);
  }
  return { prefix: first.prefix, numbers: [...numbers] };
}
