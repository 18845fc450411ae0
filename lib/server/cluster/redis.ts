import { createClient } from 'redis';
import type { Logger } from '../logger';

/** A process that cannot reach Redis at start would serve an island of its own: it refuses to start instead. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Longest pause between reconnection attempts: Redis back within a few seconds means live again within a few. */
const MAX_RECONNECT_DELAY_MS = 2_000;

const create = (url: string, disableOfflineQueue: boolean) =>
  createClient({
    url,
    disableOfflineQueue,
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS) },
  });

export type RedisClient = ReturnType<typeof create>;

/**
 * One connection to Redis whose errors are logged, never thrown: node-redis emits 'error' on every
 * failed reconnection attempt, and an unhandled 'error' event would end the process. The first error
 * of an outage is logged, the rest are not until it is over.
 */
export function redisClient(url: string, role: string, logger: Logger, options: { disableOfflineQueue?: boolean } = {}): RedisClient {
  const client = create(url, options.disableOfflineQueue ?? false);
  let failing = false;
  client.on('error', (error: unknown) => {
    if (failing) return;
    failing = true;
    logger.warn(`Redis (${role}) is unreachable; retrying in the background`, error instanceof Error ? error.message : error);
  });
  client.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.info(`Redis (${role}) is reachable again`);
  });
  return client;
}

/** Connects every client, or gives up on all of them with an error naming the URL's host. */
export async function connectAll(url: string, clients: readonly RedisClient[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${new URL(url).host} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (FLOWBOARD_REDIS_URL)`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => c.connect())), timeout]);
  } catch (error) {
    for (const c of clients) c.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a client, waiting for its pending commands, but not forever when Redis is gone. */
export async function closeClient(client: RedisClient, waitMs = 1_000): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.close().catch(() => client.destroy()), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  if (client.isOpen) client.destroy();
}
