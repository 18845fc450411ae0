/**
 * The socket count across processes (lib/server/cluster/connections.ts) against a real Redis: two
 * counters are two processes of one cluster. A count that could not be written while Redis was
 * unreachable is written again once it answers; meanwhile each process holds the cap on its own.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisConnectionCounter } from '../../lib/server/cluster/connections';
import { closeClient, connectAll, redisClient, type RedisClient } from '../../lib/server/cluster/redis';
import { memoryLogger } from '../../lib/server/logger';
import { REDIS_URL, withRedis } from '../services';

const CAP = 3;
const open: Array<{ counter: RedisConnectionCounter; client: RedisClient }> = [];

async function processOf(prefix: string) {
  const logger = memoryLogger();
  const client = redisClient(REDIS_URL, 'test', logger, { disableOfflineQueue: true });
  await connectAll(REDIS_URL, [client]);
  const counter = new RedisConnectionCounter(CAP, client, prefix, logger);
  await counter.renew();
  open.push({ counter, client });
  return { counter, client, logger };
}

afterEach(async () => {
  for (const { counter, client } of open.splice(0)) {
    await counter.close();
    await closeClient(client);
  }
});

describe.runIf(withRedis)('sockets per account across processes', () => {
  it('two processes share one cap per account; a release on one makes room on the other; accounts are apart', async () => {
    const prefix = `flowboard-test-${randomUUID()}`;
    const [a, b] = [await processOf(prefix), await processOf(prefix)];
    expect(await a.counter.admit('ann', 's1')).toBe(true);
    expect(await b.counter.admit('ann', 's2')).toBe(true);
    expect(await a.counter.admit('ann', 's3')).toBe(true);
    expect(await b.counter.admit('ann', 's4')).toBe(false);
    expect(await a.counter.admit('ann', 's5')).toBe(false);
    expect(await b.counter.admit('bo', 's6')).toBe(true);
    a.counter.release('ann', 's1');
    // A second release of the same socket changes nothing.
    a.counter.release('ann', 's1');
    expect(await b.counter.admit('ann', 's7')).toBe(true);
    expect(await b.counter.admit('ann', 's8')).toBe(false);
  });

  it('while Redis cannot answer a process holds the cap alone; its releases meanwhile are written once Redis answers again', async () => {
    const prefix = `flowboard-test-${randomUUID()}`;
    const [a, b] = [await processOf(prefix), await processOf(prefix)];
    expect(await a.counter.admit('cy', 's1')).toBe(true);
    expect(await a.counter.admit('cy', 's2')).toBe(true);
    // Process a loses Redis: its own count decides, up to the cap.
    a.client.destroy();
    expect(await a.counter.admit('cy', 's3')).toBe(true);
    expect(await a.counter.admit('cy', 's4')).toBe(false);
    expect(a.logger.lines.some((l) => l.includes('counted per process until Redis answers'))).toBe(true);
    // Redis still holds a's last written count (2): b sees one place left.
    a.counter.release('cy', 's1');
    a.counter.release('cy', 's2');
    a.counter.release('cy', 's3');
    expect(await b.counter.admit('cy', 's5')).toBe(true);
    expect(await b.counter.admit('cy', 's6')).toBe(false);
    b.counter.release('cy', 's6');
    // Back: a writes its count (0) again, and b has the whole cap but the one it holds.
    const ready = new Promise<void>((resolve) => a.client.once('ready', () => resolve()));
    await a.client.connect();
    await ready;
    // The write was sent on 'ready'; a command after it on the same connection runs after it.
    await a.client.ping();
    expect(await b.counter.admit('cy', 's7')).toBe(true);
    expect(await b.counter.admit('cy', 's8')).toBe(true);
    expect(await b.counter.admit('cy', 's9')).toBe(false);
  });
});
