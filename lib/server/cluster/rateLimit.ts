import type { Logger } from '../logger';
import { RateLimiter, type RateLimitOptions, type WriteLimiter } from '../rateLimit';
import type { RedisClient } from './redis';

/**
 * The token bucket of lib/server/rateLimit.ts, kept in a Redis hash and updated by one script, which
 * Redis runs atomically: takes from every process meet in one order, so a key's burst (an account's
 * writes, its joins) is one budget across processes. Redis's own clock (TIME) refills it, so the processes' clocks need not
 * agree. The hash expires once it would be full again: an idle key costs nothing.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return taken
`;

/** A write waits at most this long for Redis's answer before the local bucket decides. */
const ANSWER_TIMEOUT_MS = 500;

/**
 * When Redis cannot answer, a write is judged by this process's own bucket for the key and a warning
 * is logged once per outage. Failing open with a local bound, not refusing: the limit guards against
 * a runaway integration, not against inconsistency (the database keeps every rule), and refusing
 * every write while Redis is down would turn an outage of the fan-out into one of the API.
 * The cost is a budget up to N times larger with N processes, for as long as the outage lasts.
 */
export class RedisWriteLimiter implements WriteLimiter {
  private readonly local: RateLimiter;
  private degraded = false;

  constructor(
    readonly options: RateLimitOptions,
    private readonly client: RedisClient,
    /** Prefix of the buckets' keys: the cluster's adapter key, so parallel test suites never share one. */
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.local = new RateLimiter(options);
  }

  async take(key: string): Promise<boolean> {
    if (this.options.perSecond <= 0) return true;
    // The client refuses commands at once while disconnected (no offline queue): no write waits on a reconnection.
    if (!this.client.isReady) return this.fallback(key, 'disconnected');
    let timer: NodeJS.Timeout | undefined;
    try {
      const taken = await Promise.race([
        this.client.eval(TAKE, { keys: [`${this.prefix}:writes:${key}`], arguments: [String(this.options.perSecond), String(this.options.burst)] }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS))),
      ]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('Rate limits are shared across processes again (Redis answers)');
      }
      return taken === 1;
    } catch (error) {
      return this.fallback(key, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private fallback(key: string, reason: string): boolean {
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn(`Rate limits fall back to this process's own buckets until Redis answers (${reason})`);
    }
    return this.local.take(key);
  }
}
