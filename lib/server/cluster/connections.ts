import { randomUUID } from 'node:crypto';
import { LocalConnections, type ConnectionCounter } from '../connections';
import type { Logger } from '../logger';
import type { RedisClient } from './redis';

/**
 * The socket cap across processes. Each process keeps the truth about its own sockets in memory and
 * writes, per account, how many it holds into one Redis hash (field: the process's id). A process is
 * alive while its lease in a sorted set is current: it renews it every few seconds, so the sockets of
 * a process that died stop counting within LEASE_MS, and its fields are deleted by the next admission
 * of that account. Counts are written whole (never incremented), in the order they change, over one
 * connection: a lost write is repaired by the next one, and all of them after Redis comes back.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mine, count, cap = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local others = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local pid = fields[i]
  if pid ~= mine then
    local lease = redis.call('ZSCORE', KEYS[2], pid)
    if lease and tonumber(lease) > now then
      others = others + tonumber(fields[i + 1])
    else
      redis.call('HDEL', KEYS[1], pid)
    end
  end
end
if others + count > cap then return 0 end
redis.call('HSET', KEYS[1], mine, count)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

const PUBLISH = `
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
`;

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
`;

/** A process's sockets count for this long after its last renewal: a dead process's sockets are forgotten within it. */
const LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
/** An account's hash outlives its last change by a day; a socket open longer than that without any other connection of its account is no longer counted (the cap only gets looser). */
const ACCOUNT_TTL_MS = 24 * 60 * 60 * 1000;
/** An admission waits at most this long for Redis before this process's own count decides. */
const ANSWER_TIMEOUT_MS = 500;

export class RedisConnectionCounter implements ConnectionCounter {
  private readonly id = randomUUID();
  private readonly local = new LocalConnections();
  private readonly timer: NodeJS.Timeout;
  private degraded = false;
  /** Accounts whose count could not be written (Redis unreachable): written again once it answers. */
  private readonly unwritten = new Set<string>();

  constructor(
    readonly cap: number,
    private readonly client: RedisClient,
    /** The cluster's key: parallel clusters (test suites) never count each other's sockets. */
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
    // Back after an outage (releases were not written meanwhile), or a Redis that restarted empty:
    // the lease, then every count again.
    client.on('ready', () => {
      void this.renew();
      this.publishAll();
    });
  }

  private get processes() {
    return `${this.prefix}:processes`;
  }

  private accountKey(userId: string) {
    return `${this.prefix}:sockets:${userId}`;
  }

  /**
   * Renews this process's lease; called once before the first admission (connectCluster). A lease
   * that had lapsed (a process paused for longer than LEASE_MS, a Redis that lost its data) may have
   * had its counts deleted by another process's admission: they are all written again.
   */
  renew(): Promise<void> {
    if (!this.client.isReady) return Promise.resolve();
    return this.client.eval(RENEW, { keys: [this.processes], arguments: [this.id, String(LEASE_MS)] }).then(
      (added) => {
        if (added === 1) this.publishAll();
      },
      (error: unknown) => this.warn(error),
    );
  }

  async admit(userId: string, socketId: string): Promise<boolean> {
    // Counted here first, then sent with no await in between: the counts reach Redis in the order they were made.
    const count = this.local.add(userId, socketId);
    if (!this.client.isReady) return this.fallback(userId, socketId, count, 'disconnected');
    let timer: NodeJS.Timeout | undefined;
    try {
      const admitted = await Promise.race([
        this.client.eval(ADMIT, {
          keys: [this.accountKey(userId), this.processes],
          arguments: [this.id, String(count), String(this.cap), String(ACCOUNT_TTL_MS)],
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS))),
      ]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('Sockets per account are counted across processes again (Redis answers)');
      }
      if (admitted === 1) return true;
      this.release(userId, socketId);
      return false;
    } catch (error) {
      return this.fallback(userId, socketId, count, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  release(userId: string, socketId: string): void {
    if (this.local.remove(userId, socketId)) this.publish(userId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.client.isReady) await this.client.zRem(this.processes, this.id).catch(() => undefined);
  }

  /** Writes this process's count of an account's sockets; one that fails is written again once Redis answers. */
  private publish(userId: string): void {
    if (!this.client.isReady) {
      this.unwritten.add(userId);
      return;
    }
    this.client
      .eval(PUBLISH, { keys: [this.accountKey(userId)], arguments: [this.id, String(this.local.count(userId)), String(ACCOUNT_TTL_MS)] })
      .catch((error: unknown) => {
        this.unwritten.add(userId);
        this.warn(error);
      });
  }

  /** Every count this process holds, and those it failed to write (an account whose last socket here closed meanwhile: 0). */
  private publishAll(): void {
    const accounts = new Set([...this.local.accounts(), ...this.unwritten]);
    this.unwritten.clear();
    for (const userId of accounts) this.publish(userId);
  }

  /** Redis cannot answer: this process's own count decides, so the cap holds per process meanwhile. */
  private fallback(userId: string, socketId: string, count: number, reason: string): boolean {
    this.warn(reason);
    if (count <= this.cap) return true;
    this.release(userId, socketId);
    return false;
  }

  private warn(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(`Sockets per account are counted per process until Redis answers (${error instanceof Error ? error.message : String(error)})`);
  }
}
