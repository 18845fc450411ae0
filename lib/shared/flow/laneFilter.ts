/**
 * The flow of one lane, or of one class of service (`?lane=` / `?class=`). The rule: a card belongs
 * to the lane it is in now (its current lane, and that lane's current class), for its whole history,
 * so expedite work does not hide in the standard work's percentiles. A card moved to another lane
 * leaves one lane's flow and joins the other's, history and all.
 *
 * The aggregates are kept per work center for the whole board (db/flow.ts); a filtered read replays
 * the board's log for the matching cards (lib/shared/flow/replay.ts) and sums its hours the way the
 * aggregates' read does. Its cost grows with the board's log: it runs in the heavy-read worker.
 */
import type { BoardEvent, ClassOfService } from '../domain/types';
import { defaultLaneId } from '../domain/lanes';
import type { FlowData, FlowRange } from './data';
import { zeroCounters } from './replay';
import { HOUR_MS } from './time';

export interface LaneFilter {
  lane?: string;
  class?: ClassOfService;
}

/** The filter of a range, or null when the range covers the whole board. */
export function filterOf(range: Pick<FlowRange, 'lane' | 'class'>): LaneFilter | null {
  if (range.lane) return { lane: range.lane };
  if (range.class) return { class: range.class };
  return null;
}

/**
 * Totals before the range and counts per interval from counters per (work center, hour), by the
 * aggregates' rule (db/flow.ts readCounts): an hour belongs to the interval its start falls in.
 */
export function countsFromHourly(hourly: ReadonlyMap<string, number[]>, boundaries: readonly number[], index: ReadonlyMap<string, number>, width: number): { start: number[][]; counts: number[][][] } {
  const hours = boundaries.map((b) => Math.ceil(b / HOUR_MS));
  const grid = () => Array.from({ length: width }, () => zeroCounters());
  const start = grid();
  const counts = Array.from({ length: Math.max(0, boundaries.length - 1) }, grid);
  for (const [key, row] of hourly) {
    const bar = key.lastIndexOf('|');
    const c = index.get(key.slice(0, bar));
    const bucket = Number(key.slice(bar + 1));
    if (c === undefined) continue;
    let target: number[] | undefined;
    if (bucket < (hours[0] as number)) target = start[c];
    else {
      // The interval whose hours hold the bucket: the last boundary at or before it (binary search).
      let lo = 0;
      let hi = hours.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((hours[mid] as number) <= bucket) lo = mid;
        else hi = mid - 1;
      }
      target = lo < hours.length - 1 ? counts[lo]?.[c] : undefined;
    }
    if (target) row.forEach((v, k) => (target[k] = (target[k] ?? 0) + v));
  }
  return { start, counts };
}

/** Whether a lane is in the filter. */
export function laneMatches(data: Pick<FlowData, 'lanes' | 'range'>, laneId: string): boolean {
  const filter = filterOf(data.range);
  if (!filter) return true;
  if (filter.lane) return laneId === filter.lane;
  return data.lanes.find((l) => l.id === laneId)?.classOfService === filter.class;
}

/**
 * How a filtered flow page takes a live event: fold it (a card of the filter, or the board's
 * structure), skip it (another lane's card: only the version moves on), or reload (a card changed
 * lanes into or out of the filter).
 */
export function filterStep(data: FlowData, event: BoardEvent): 'fold' | 'skip' | 'reload' {
  const cards = data.filterCards;
  if (!filterOf(data.range) || !cards) return 'fold';
  switch (event.type) {
    case 'card_created':
      return laneMatches(data, event.card.laneId ?? defaultLaneId(event.boardId)) ? 'fold' : 'skip';
    case 'card_moved': {
      const inside = cards.includes(event.cardId);
      if (event.toLaneId && laneMatches(data, event.toLaneId) !== inside) return 'reload';
      return inside ? 'fold' : 'skip';
    }
    case 'card_updated':
    case 'card_deleted':
    // A split's children are in their parent's lane: in the filter when it was.
    case 'card_split':
      return cards.includes(event.cardId) ? 'fold' : 'skip';
    default:
      return 'fold';
  }
}
