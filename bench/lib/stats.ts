/** Order statistics for latency samples and for the per-run figures of a benchmark. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every run's figure, in run order, so the JSON keeps the spread and not only its summary. */
  runs: number[];
}

/** Linear interpolation between closest ranks; `p` in [0, 1]. NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples.toSorted((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo] ?? Number.NaN;
  const high = sorted[hi] ?? low;
  return low + (high - low) * (rank - lo);
}

export function summarize(runs: readonly number[]): Summary {
  const finite = runs.filter((r) => Number.isFinite(r));
  return {
    median: percentile(finite, 0.5),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    runs: [...runs],
  };
}
