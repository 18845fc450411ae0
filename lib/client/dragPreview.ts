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

/**
 * A reorder inside one column, the way a sortable list reads it: the active card takes the index
 * of the card it is over, shifting the others. Returns the card it then sits before.
 */
export function beforeAfterReorder(ids: readonly string[], activeId: string, overId: string): string | null {
  const from = ids.indexOf(activeId);
  const to = ids.indexOf(overId);
  if (from < 0 || to < 0) return null;
  const reordered = ids.filter((id) => id !== activeId);
  reordered.splice(to, 0, activeId);
  return reordered[to + 1] ?? null;
}

export function samePlacement(a: Placement | null, b: Placement | null): boolean {
  return a !== null && b !== null && a.columnId === b.columnId && a.beforeCardId === b.beforeCardId;
}
