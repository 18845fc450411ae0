/**
 * FlowData: everything the flow page needs for one range, as plain numbers. The server reads it from
 * the aggregates in a few indexed queries (db/flow.ts); the CFD and every metric are pure functions
 * of it (series.ts, metrics.ts), run by the API and by the browser alike; live events are folded into
 * it in the browser (live.ts), so an open flow page costs the server nothing per move but the emit.
 */
import type { ClassOfService, WorkingDays } from '../domain/types';
import type { BlockInterval } from './blockers';
import type { Interval } from './time';

export interface FlowColumn {
  id: string;
  name: string;
  /** False once removed; its history stays. */
  live: boolean;
  createdAt: number;
  removedAt: number | null;
}

/** A card that reached the last work center within the range. Times in ms. */
export interface FinishedCard {
  cardId: string;
  title: string;
  createdAt: number;
  /** When it reached the commitment work center (or a later one); null if it skipped past it at creation. */
  committedAt: number | null;
  doneAt: number;
  /** Present for a child of a split (docs/metrics.md "Batch size"): the card it was split from. */
  parentId?: string;
}

/** A live card that has not reached the last work center: the backlog and the work in progress. */
export interface OpenCard {
  cardId: string;
  title: string;
  columnId: string;
  createdAt: number;
  committedAt: number | null;
  /** Furthest work center reached, in flow order. */
  furthestId: string;
  /** Present for a child of a split: the card it was split from. */
  parentId?: string;
}

/** A card split into smaller ones within the range (docs/metrics.md "Batch size"). */
export interface SplitRecord {
  /** The parent: it left the board at the split. */
  cardId: string;
  at: number;
  /** How many cards it was split into. */
  children: number;
}

export interface DefectReturn {
  at: number;
  cardId: string;
  detectedAtColumnId: string;
  returnedToColumnId: string;
}

export interface FlowRange {
  from: string;
  to: string;
  interval: Interval;
  tz: string;
  /** Only the cards now in this lane (laneFilter.ts). */
  lane?: string;
  /** Only the cards now in a lane of this class of service. */
  class?: ClassOfService;
}

/** A lane of the board, for the flow page's filter. */
export interface FlowLane {
  id: string;
  name: string;
  classOfService: ClassOfService;
}

export interface FlowData {
  boardId: string;
  boardName: string;
  /** Board version the data reflects; live events above it are folded in. */
  version: number;
  /** Server time of the read, ms. */
  asOf: number;
  range: FlowRange;
  /** n + 1 instants: the range start and the end of each of its n intervals. */
  boundaries: number[];
  /** Every work center in flow order (removed ones included). */
  columns: FlowColumn[];
  commitmentColumnId: string;
  doneColumnId: string;
  demandPerWeek: number | null;
  /** The board's working days for forecasts; absent: every day (the default). */
  workingDays?: WorkingDays;
  /** Totals before the range start: [column][kind] in KINDS order. */
  start: number[][];
  /** Counts inside each interval: [interval][column][kind]. */
  counts: number[][][];
  finished: FinishedCard[];
  open: OpenCard[];
  defects: DefectReturn[];
  /** Blocked intervals that overlap the range, and every one of the range's finished cards. */
  blocks: BlockInterval[];
  /** Cards split within the range, oldest first (absent from data read before splits existed: none). */
  splits?: SplitRecord[];
  /** The board's live lanes, top to bottom. */
  lanes: FlowLane[];
  /** With a lane or class filter: every card of it (the live page folds only their events). */
  filterCards?: string[];
}

/** Index of the interval holding an instant, or -1 outside the range. Binary search over boundaries. */
export function intervalIndex(boundaries: readonly number[], at: number): number {
  const n = boundaries.length - 1;
  if (n < 1 || at < (boundaries[0] as number) || at >= (boundaries[n] as number)) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((boundaries[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Live work centers in board order (the flow order keeps them in board order). */
export function liveColumns(data: Pick<FlowData, 'columns'>): FlowColumn[] {
  return data.columns.filter((c) => c.live);
}
