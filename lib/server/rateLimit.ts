/**
 * Rate limits: token buckets by key, in memory for one process and in Redis for several
 * (lib/server/cluster/rateLimit.ts), so a key has one budget wherever its requests land. A bucket
 * holds `burst` requests and refills at `perSecond`; a request that finds it empty is refused with
 * RATE_LIMITED and changes nothing.
 *
 * Writes have ONE budget per account (writeKeyOf): its browser sessions, its API tokens, its sockets
 * and its REST calls on every process all take from it, so opening more sockets or tokens buys no
 * more writes. An integration that needs a budget of its own gets a service account of its own.
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

/** The write budget's key: one per account, whatever credentials or connection the write came through. */
export const writeKeyOf = (userId: string) => `account:${userId}`;
/** The join budget's key (board:join and flow:join), also one per account. */
export const joinKeyOf = (userId: string) => `join:${userId}`;

/**
 * Joins per account: each one reads a board (a snapshot, up to megabytes), so they are limited like
 * writes, across processes. The burst lets every socket of an account at its cap (20 by default)
 * rejoin its board and its flow page at once after a restart; the rate is far above a person's
 * navigation.
 */
export const JOIN_RATE: RateLimitOptions = { perSecond: 5, burst: 40 };
/**
 * Drag announcements per account on one process. A drag sends one when it starts, on each change of
 * card and when it ends (a few a second at most); the limit only stops a client that floods every
 * viewer of a board. Kept in memory: these are volatile and frequent, not worth a Redis call each.
 */
export const DRAG_RATE: RateLimitOptions = { perSecond: 20, burst: 40 };

/** What the socket and REST layers need of a limiter: buckets by key, possibly answered by another process (Redis), hence the promise. */
export interface WriteLimiter {
  readonly options: RateLimitOptions;
  /** Takes one request from the bucket of `key`; false when it is empty. Never rejects. */
  take(key: string): boolean | Promise<boolean>;
}

/** Buckets by key (an account, a join budget), dropped once full again so the map stays small. */
export class RateLimiter implements WriteLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; touched: number }>();
  private sweeps = 0;

  constructor(
    readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    if (this.options.perSecond <= 0) return true;
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.options, this.clock), touched: 0 };
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
