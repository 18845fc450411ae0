/**
 * Batch size (docs/metrics.md "Batch size"): does splitting work into smaller cards make it flow
 * faster? Over a range: how many cards were split, into how many, and the cycle time of the finished
 * children of splits against the finished cards never split. A split parent never finishes (it leaves
 * the board at the split), so every finished card is either a split child or was never split.
 */
import type { FlowData } from './data';
import { percentilesOf } from './metrics';
import { DAY_MS } from './time';

/** Below this many finished cards on either side the comparison says it is not yet evidence. */
export const MIN_BATCH_SAMPLE = 10;

export interface BatchSide {
  /** Finished cards of the range with a cycle time. */
  count: number;
  /** Cycle time percentiles, days (nearest rank); null without cards. */
  p50: number | null;
  p85: number | null;
}

export interface BatchSize {
  /** Cards split within the range, and how many cards they became. */
  splits: number;
  children: number;
  split: BatchSide;
  unsplit: BatchSide;
  /** The comparison in words, for every reader (the panel's headline). */
  sentence: string;
  /** Set when either side has fewer than MIN_BATCH_SAMPLE finished cards. */
  warning: string | null;
}

/** "3.0 days", hours under a day ("2.5 hours"): a same-day slice does not read as "0.0 days". */
function days(d: number): string {
  const hours = d * 24;
  if (hours < 1) return 'less than an hour';
  if (d < 1) return `${hours.toFixed(1)} hour${hours.toFixed(1) === '1.0' ? '' : 's'}`;
  return `${d.toFixed(1)} day${d.toFixed(1) === '1.0' ? '' : 's'}`;
}

const items = (n: number, kind: string) => `${n} ${kind} item${n === 1 ? '' : 's'}`;

const median = (d: number) => `a median of ${days(d)}`;

function side(values: number[]): BatchSide {
  const p = percentilesOf(values);
  return { count: values.length, p50: p.p50, p85: p.p85 };
}

export function batchSize(data: Pick<FlowData, 'finished' | 'splits'>): BatchSize {
  const splits = data.splits ?? [];
  const splitTimes: number[] = [];
  const unsplitTimes: number[] = [];
  for (const c of data.finished) {
    if (c.committedAt === null) continue;
    (c.parentId ? splitTimes : unsplitTimes).push((c.doneAt - c.committedAt) / DAY_MS);
  }
  const split = side(splitTimes);
  const unsplit = side(unsplitTimes);
  let sentence: string;
  if (split.p50 !== null && unsplit.p50 !== null) sentence = `Split items finished in ${median(split.p50)}, unsplit ones in ${days(unsplit.p50)}.`;
  else if (split.p50 !== null) sentence = `Split items finished in ${median(split.p50)}; no unsplit item finished in this range.`;
  else if (unsplit.p50 !== null) sentence = `No split item finished in this range; unsplit ones finished in ${median(unsplit.p50)}.`;
  else sentence = 'No item with a cycle time finished in this range.';
  const few = (n: number) => n < MIN_BATCH_SAMPLE;
  const warning =
    few(split.count) && few(unsplit.count)
      ? `Small samples: ${items(split.count, 'split')} and ${items(unsplit.count, 'unsplit')} finished in this range; with fewer than ${MIN_BATCH_SAMPLE} on a side the difference may be chance.`
      : few(split.count) || few(unsplit.count)
        ? `Small sample: only ${few(split.count) ? items(split.count, 'split') : items(unsplit.count, 'unsplit')} finished in this range; with fewer than ${MIN_BATCH_SAMPLE} the difference may be chance.`
        : null;
  return { splits: splits.length, children: splits.reduce((n, s) => n + s.children, 0), split, unsplit, sentence, warning };
}
