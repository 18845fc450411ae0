/**
 * Where a dragged card is shown while it moves, as pure list operations over card ids per column.
 * Only the dragged card is relocated, so remote changes to the other cards keep showing mid-drag.
 */

export type ColumnLists = ReadonlyMap<string, readonly string[]>;

export interface Placement {
  columnId: string;
  /** The card it sits right before, or null for the end of the column. */
  beforeCardId: string | null;
}

export function placementOf(lists: ColumnLists, cardId: string): Placement | null {
  for (const [columnId, ids] of lists) {
    const index = ids.indexOf(cardId);
    if (index >= 0) return { columnId, beforeCardId: ids[index + 1] ?? null };
  }
  return null;
}

/** The lists with `cardId` taken out of wherever it is and put at `placement` (at the end if its anchor is gone). */
export function placeCard(lists: ColumnLists, cardId: string, placement: Placement): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const [columnId, ids] of lists) next.set(columnId, ids.filter((id) => id !== cardId));
  const target = next.get(placement.columnId);
  if (!target) return new Map([...lists].map(([k, v]) => [k, [...v]]));
  const index = placement.beforeCardId === null ? -1 : target.indexOf(placement.beforeCardId);
  if (index < 0) target.push(cardId);
  else target.splice(index, 0, cardId);
  return next;
}

/** Where a card sits in a work center, as laid out on screen: its id and the middle of its box. */
export interface CardSlot {
  id: string;
  middle: number;
}

/**
 * The card a dragged card lands before when its middle is at `y`, reading the other cards of the
 * work center top to bottom (the dragged card itself left out): the first one whose middle is
 * below it, or null for the end. A card dragged past another's middle swaps with it, so the preview
 * does not flicker between two places while the pointer stays still.
 */
export function beforeCardAt(slots: readonly CardSlot[], draggedId: string, y: number): string | null {
  for (const slot of slots) {
    if (slot.id !== draggedId && y < slot.middle) return slot.id;
  }
  return null;
}

export function samePlacement(a: Placement | null, b: Placement | null): boolean {
  return a !== null && b !== null && a.columnId === b.columnId && a.beforeCardId === b.beforeCardId;
}
