/**
 * Write rate limits: a token bucket per socket connection (in memory: a connection lives on one
 * process) and per API token (in memory for one process; in Redis for several, lib/server/cluster/
 * rateLimit.ts, so a token has one budget wherever its requests land). A bucket holds `burst`
 * writes and refills at `perSecond`; a write that finds it empty is refused with RATE_LIMITED and
 * changes nothing.
 */
export interface RateLimitOptions {
  /** Writes per second; 0 turns the limit off. */
  perSecond: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = options.burst;
    this.last = clock();
  }

  /** Takes one write from the bucket; false when it is empty. */
  take(): boolean {
    if (this.options.perSecond <= 0) return true;
    const now = this.clock();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * What the socket and REST layers need of a limiter: buckets by key, possibly answered by another
 * process (Redis), hence the promise; and a fresh in-memory bucket for one connection.
 */
export interface WriteLimiter {
  readonly options: RateLimitOptions;
  /** Takes one write from the bucket of `key`; false when it is empty. Never rejects. */
  take(key: string): boolean | Promise<boolean>;
  bucket(): TokenBucket;
}

/** Buckets by key (an API token's id, a session's id), dropped once full again so the map stays small. */
export class RateLimiter implements WriteLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; touched: number }>();
  private sweeps = 0;

  constructor(
    readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  bucket(): TokenBucket {
    return new TokenBucket(this.options, this.clock);
  }

  take(key: string): boolean {
    if (this.options.perSecond <= 0) return true;
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: this.bucket(), touched: 0 };
      this.buckets.set(key, entry);
    }
    entry.touched = this.clock();
    if (++this.sweeps % 1000 === 0) this.sweep();
    return entry.bucket.take();
  }

  /** A bucket untouched for longer than it takes to refill is full: forgetting it changes nothing. */
  private sweep(): void {
    const refillMs = (this.options.burst / this.options.perSecond) * 1000;
    const now = this.clock();
    for (const [key, entry] of this.buckets) if (now - entry.touched > refillMs) this.buckets.delete(key);
  }
}
