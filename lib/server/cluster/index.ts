import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from '../logger';
import type { RateLimitOptions, WriteLimiter } from '../rateLimit';
import { RedisWriteLimiter } from './rateLimit';
import { closeClient, connectAll, redisClient } from './redis';

export interface ClusterOptions {
  url: string;
  /** Prefix of the adapter's channels and of the rate-limit keys: processes with the same key form one cluster. */
  key: string;
  logger: Logger;
  writeRate: RateLimitOptions;
}

/** What several app processes share through Redis: Socket.IO's fan-out and the per-token write budget. */
export interface Cluster {
  /** For `new Server(..., { adapter })`: broadcasts, room changes and server-side emits reach every process. */
  adapter: ReturnType<typeof createAdapter>;
  limiter: WriteLimiter;
  close(): Promise<void>;
}

/**
 * A fetchSockets() waits for every process subscribed to the cluster's request channel. One killed
 * with -9 drops out of that count as soon as Redis sees its connection close; this bounds the wait
 * for one that hangs instead, after which the viewer list is left as it was (lib/server/realtime.ts).
 */
const REQUESTS_TIMEOUT_MS = 2_000;

export async function connectCluster(options: ClusterOptions): Promise<Cluster> {
  const { url, key, logger } = options;
  const pub = redisClient(url, 'publish', logger);
  // Subscribing puts a connection in a mode where it can do nothing else: a second one.
  const sub = redisClient(url, 'subscribe', logger);
  // A third, without an offline queue, so a write never waits for a reconnection (./rateLimit.ts).
  const limits = redisClient(url, 'write limits', logger, { disableOfflineQueue: true });
  await connectAll(url, [pub, sub, limits]);
  return {
    adapter: createAdapter(pub, sub, { key, requestsTimeout: REQUESTS_TIMEOUT_MS, publishOnSpecificResponseChannel: true }),
    limiter: new RedisWriteLimiter(options.writeRate, limits, key, logger),
    async close() {
      await Promise.all([pub, sub, limits].map((c) => closeClient(c)));
    },
  };
}
