/**
 * The Socket.IO adapters the cluster benchmark compares (issue 9: "measure and choose"). The app
 * itself uses the Redis pub/sub adapter (lib/server/cluster); the other two are devDependencies
 * that only the benchmark's app processes load, through startApp's `adapter` option.
 */
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Pool } from 'pg';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';

export const ADAPTERS = ['redis', 'redis-streams', 'postgres'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export const isAdapterName = (name: string): name is AdapterName => (ADAPTERS as readonly string[]).includes(name);

/** What each adapter carries a broadcast through, for the report. */
export const ADAPTER_LABELS: Record<AdapterName, string> = {
  redis: '@socket.io/redis-adapter (Redis pub/sub)',
  'redis-streams': '@socket.io/redis-streams-adapter (a Redis stream)',
  postgres: '@socket.io/postgres-adapter (PostgreSQL NOTIFY)',
};

export interface BenchAdapter {
  adapter: ServerOptions['adapter'];
  close(): Promise<void>;
}

/**
 * Builds the adapter named, on the run's Redis or on the app's own PostgreSQL database; `key`
 * separates one cluster's channels and streams from any other's. 'redis' returns null: the app
 * builds its own from FLOWBOARD_REDIS_URL.
 */
export async function benchAdapter(name: AdapterName, key: string, urls: { redis: string; database: string }): Promise<BenchAdapter | null> {
  switch (name) {
    case 'redis':
      return null;
    case 'redis-streams': {
      const client = createClient({ url: urls.redis });
      client.on('error', (error: unknown) => console.error('bench adapter: Redis error', error));
      await client.connect();
      return { adapter: createStreamsAdapter(client, { streamName: `${key}:stream`, channelPrefix: key }), close: async () => void (await client.close()) };
    }
    case 'postgres': {
      const pool = new Pool({ connectionString: urls.database, max: 4 });
      pool.on('error', (error) => console.error('bench adapter: PostgreSQL error', error));
      // Where the adapter puts payloads over NOTIFY's 8,000-byte limit: the adapter's documented table.
      await pool.query('create table if not exists socket_io_attachments (id bigserial unique, created_at timestamptz default now(), payload bytea)');
      return { adapter: createPostgresAdapter(pool, { channelPrefix: key }), close: () => pool.end() };
    }
    default: {
      const unreachable: never = name;
      throw new Error(`Unknown adapter ${String(unreachable)}`);
    }
  }
}
