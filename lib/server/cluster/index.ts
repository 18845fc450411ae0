import { createAdapter } from '@socket.io/redis-adapter';
import type { ConnectionCounter } from '../connections';
import type { Logger } from '../logger';
import type { RateLimitOptions, WriteLimiter } from '../rateLimit';
import { RedisConnectionCounter } from './connections';
import { RedisWriteLimiter } from './rateLimit';
import { closeClient, connectAll, redisClient } from './redis';

export interface ClusterOptions {
  url: string;
  /** Prefix of the adapter's channels and of the rate-limit keys: processes with the same key form one cluster. */
  key: string;
  logger: Logger;
  writeRate: RateLimitOptions;
  joinRate: RateLimitOptions;
  /** Most sockets one account may hold open across every process. */
  socketsPerAccount: number;
}

/** What several app processes share through Redis: Socket.IO's fan-out, the per-account budgets and socket counts. */
export interface Cluster {
  /** For `new Server(..., { adapter })`: broadcasts, room changes and server-side emits reach every process. */
  adapter: ReturnType<typeof createAdapter>;
  limiter: WriteLimiter;
  joinLimiter: WriteLimiter;
  connections: ConnectionCounter;
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
  // A third, without an offline queue, so a write or a connection never waits for a reconnection (./rateLimit.ts, ./connections.ts).
  const limits = redisClient(url, 'write limits', logger, { disableOfflineQueue: true });
  await connectAll(url, [pub, sub, limits]);
  const connections = new RedisConnectionCounter(options.socketsPerAccount, limits, key, logger);
  // Alive before the first socket: the counts this process writes are counted by the others at once.
  await connections.renew();
  return {
    adapter: createAdapter(pub, sub, { key, requestsTimeout: REQUESTS_TIMEOUT_MS, publishOnSpecificResponseChannel: true }),
    limiter: new RedisWriteLimiter(options.writeRate, limits, key, logger),
    joinLimiter: new RedisWriteLimiter(options.joinRate, limits, key, logger),
    connections,
    async close() {
      await connections.close();
      await Promise.all([pub, sub, limits].map((c) => closeClient(c)));
    },
  };
}
