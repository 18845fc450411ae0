import type { BoardSnapshot, CardDTO } from './types';

/**
 * People on cards, the parts both sides need: the per-person WIP refusal's wording, and a person's
 * avatar (initials and a colour that stays the same for the same account everywhere).
 */

export function personWipLimitMessage(name: string, held: number, limit: number): string {
  return `${name} already holds ${held} card${held === 1 ? '' : 's'} in progress (limit ${limit})`;
}

/** Up to two letters: the first of the first and of the last word ("Ana Lima" → "AL"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/[\s._@-]+/u).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...(words[0] as string)][0] ?? '?';
  const last = words.length > 1 ? ([...(words.at(-1) as string)][0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}

/**
 * Avatar backgrounds, each dark enough for white text at WCAG AA (4.5:1 or better; checked in
 * tests/unit/people.test.ts) and far enough apart in hue to tell neighbours apart.
 */
export const AVATAR_COLOURS = ['#1d4ed8', '#047857', '#b91c1c', '#7e22ce', '#a16207', '#0e7490', '#be185d', '#4338ca', '#15803d', '#c2410c', '#475569', '#6d28d9'] as const;

/** A stable colour for an account id (FNV-1a of its UTF-16 units). */
export function avatarColourOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length] as string;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminanceOf(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** Contrast ratio of white text on a #rrggbb background. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminanceOf(hex) + 0.05);
}

/**
 * The per-person rule as a browser can foresee it for a move (db/store/people.ts is the authority):
 * a card entering progress (from the first or last work center into another) needs room for each of
 * its people. Counts what the snapshot holds; a big board's window may hold fewer, and then the
 * server's refusal is the word.
 */
export function personRefusal(board: BoardSnapshot, card: Pick<CardDTO, 'id' | 'columnId' | 'assigneeIds'>, toColumnId: string): string | null {
  const limit = board.personWipLimit;
  if (limit === undefined || card.assigneeIds.length === 0) return null;
  const order = board.columns.map((c) => c.id);
  const inProgress = (columnId: string) => {
    const at = order.indexOf(columnId);
    return at > 0 && at < order.length - 1;
  };
  if (!inProgress(toColumnId) || inProgress(card.columnId)) return null;
  for (const person of card.assigneeIds) {
    const held = board.cards.filter((c) => c.id !== card.id && inProgress(c.columnId) && c.assigneeIds.includes(person)).length;
    if (held >= limit) return personWipLimitMessage(board.people?.find((p) => p.id === person)?.name ?? 'Someone', held, limit);
  }
  return null;
}
