/**
 * The flow order and the "reached" rule that the CFD is built on.
 *
 * The flow order lists every work center the board ever had: live ones in board order, a removed one
 * kept where it stood when it was removed, so its history stays readable. The history rules follow:
 * - a renamed work center is the same id, so it keeps its history;
 * - a work center added later has no entries before it existed, so nothing is back-filled: its band
 *   is empty before its creation (its line coincides with the next one's);
 * - a removed work center keeps its place and its counts; the CFD shows it while the range overlaps
 *   its life and folds it into a neighbour's band after that (lib/shared/flow/series.ts);
 * - moving a work center changes the order, so the levels are recomputed for the whole board
 *   (db/flow.ts): history is always read in the current order. Moves are rare; that is the price.
 */

/** A column id with its place; `live` is false once removed. */
export interface OrderEntry {
  id: string;
  live: boolean;
}

/**
 * Where a work center that now stands at `liveIndex` among the live ones goes in the flow order:
 * right before the live work center that follows it, or at the very end when it is last.
 */
export function placeInFlowOrder(order: readonly OrderEntry[], entry: OrderEntry, liveIndex: number): OrderEntry[] {
  const rest = order.filter((e) => e.id !== entry.id);
  let seen = 0;
  let at = rest.length;
  for (let i = 0; i < rest.length; i++) {
    if (!rest[i]?.live) continue;
    if (seen === liveIndex) {
      at = i;
      break;
    }
    seen++;
  }
  return [...rest.slice(0, at), entry, ...rest.slice(at)];
}

export function markRemoved(order: readonly OrderEntry[], columnId: string): OrderEntry[] {
  return order.map((e) => (e.id === columnId ? { ...e, live: false } : e));
}

/**
 * The CFD's "reached" times of one card from its first entries: for the work center at flow position
 * k, the earliest entry into it or any later one. `entries` maps column id → first entry time.
 * Returns a map with only the positions the card has reached.
 */
export function reachedFromEntries(orderIds: readonly string[], entries: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  let best = Infinity;
  for (let k = orderIds.length - 1; k >= 0; k--) {
    const id = orderIds[k] as string;
    const e = entries.get(id);
    if (e !== undefined && e < best) best = e;
    if (best !== Infinity) out.set(id, best);
  }
  return out;
}

/** The furthest work center (in flow order) that a card has entered, or null. */
export function furthestEntered(orderIds: readonly string[], entries: ReadonlyMap<string, number>): string | null {
  for (let k = orderIds.length - 1; k >= 0; k--) {
    const id = orderIds[k] as string;
    if (entries.has(id)) return id;
  }
  return null;
}

/** One change to a reached time: `from` null means newly reached. */
export interface ReachedChange {
  columnId: string;
  from: number | null;
  to: number;
}

/**
 * What one entry into `columnId` at `at` changes in a card's reached times: every position at or
 * before it that was unreached, or reached later than `at` (only if a clock went backwards), now
 * holds `at`. O(work centers), which is what the incremental aggregate pays per move.
 */
export function reachedChangesOnEntry(
  orderIds: readonly string[],
  reached: ReadonlyMap<string, number>,
  columnId: string,
  at: number,
): ReachedChange[] {
  const pos = orderIds.indexOf(columnId);
  const out: ReachedChange[] = [];
  for (let k = 0; k <= pos; k++) {
    const id = orderIds[k] as string;
    const old = reached.get(id);
    if (old === undefined) out.push({ columnId: id, from: null, to: at });
    else if (old > at) out.push({ columnId: id, from: old, to: at });
  }
  return out;
}

/** Where cycle time starts: the board's setting when that work center is live, else the second one. */
export function resolveCommitment(live: readonly { id: string }[], setting: string | null): string {
  if (setting && live.some((c) => c.id === setting)) return setting;
  return (live[1] ?? live[0])?.id ?? '';
}
