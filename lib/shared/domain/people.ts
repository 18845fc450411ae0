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
