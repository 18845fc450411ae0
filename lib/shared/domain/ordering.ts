import { generateKeyBetween } from 'fractional-indexing';

/**
 * Cards are ordered inside a column by a string key that sorts between its neighbours, so a move
 * rewrites one row instead of renumbering the column. The server computes every key inside the
 * write transaction from the neighbours it reads there, so two concurrent inserts at the same place
 * are serialized and get distinct keys. Should two rows ever share a key anyway (an import, a
 * hand-edited database), every client breaks the tie by card id and so agrees on the order.
 */

export interface Positioned {
  id: string;
  position: string;
}

/** Plain code-unit comparison: the same on every JavaScript engine and in SQLite's BINARY collation. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePositioned(a: Positioned, b: Positioned): number {
  return compareStrings(a.position, b.position) || compareStrings(a.id, b.id);
}

export function sortByPosition<T extends Positioned>(items: readonly T[]): T[] {
  return items.toSorted(comparePositioned);
}

export function keyBetween(before: string | null, after: string | null): string {
  // Equal neighbours (a tie) leave no room between them: place after both instead.
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}

/**
 * The key for `movingId` placed in a column right before `beforeId`, or at the end when `beforeId`
 * is null. `column` holds the cards now in the target column (in any order); the moving card is
 * ignored if it is among them. Returns null when `beforeId` is not in the column.
 */
export function positionBefore(
  column: readonly Positioned[],
  beforeId: string | null,
  movingId: string | null,
): string | null {
  const others = sortByPosition(column.filter((c) => c.id !== movingId));
  if (beforeId === null) {
    const last = others[others.length - 1];
    return keyBetween(last ? last.position : null, null);
  }
  const index = others.findIndex((c) => c.id === beforeId);
  if (index < 0) return null;
  const prev = index > 0 ? others[index - 1] : undefined;
  const next = others[index];
  return keyBetween(prev ? prev.position : null, next ? next.position : null);
}
