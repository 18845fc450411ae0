/**
 * The app without Next, for benchmarks run before a production build exists and for the cluster
 * benchmark's processes: the same composition root as server.ts (database, store, REST, Socket.IO on
 * one HTTP server), pages left out. Reads the settings server.ts reads (FLOWBOARD_DB or
 * FLOWBOARD_DATABASE_URL, FLOWBOARD_REDIS_URL, FLOWBOARD_SECRET, the write rate), and two of the
 * benchmark's own: BENCH_REDIS_KEY (the cluster's channel prefix, one per run) and BENCH_ADAPTER
 * (redis, redis-streams or postgres; bench/lib/adapters.ts).
 */
import { startApp } from '../lib/server/app';
import { parseEnv } from '../lib/server/env';
import { consoleLogger } from '../lib/server/logger';
import { benchAdapter, isAdapterName } from './lib/adapters';

const env = parseEnv(process.env);
const databaseUrl = env.FLOWBOARD_DATABASE_URL;
const dbPath = process.env.FLOWBOARD_DB;
if (!dbPath && !databaseUrl) throw new Error('Set FLOWBOARD_DB to the SQLite file to serve, or FLOWBOARD_DATABASE_URL');
const adapterName = process.env.BENCH_ADAPTER ?? 'redis';
if (!isAdapterName(adapterName)) throw new Error(`BENCH_ADAPTER: unknown adapter ${adapterName}`);
const redisKey = process.env.BENCH_REDIS_KEY ?? 'flowboard';
const redisUrl = env.FLOWBOARD_REDIS_URL;
if (adapterName !== 'redis' && (!redisUrl || !databaseUrl)) throw new Error(`BENCH_ADAPTER=${adapterName} needs FLOWBOARD_REDIS_URL and FLOWBOARD_DATABASE_URL`);
const adapter = redisUrl && databaseUrl ? await benchAdapter(adapterName, redisKey, { redis: redisUrl, database: databaseUrl }) : null;

const app = await startApp({
  dbPath: dbPath ?? env.FLOWBOARD_DB,
  databaseUrl,
  redisUrl,
  redisKey,
  ...(adapter ? { adapter: adapter.adapter } : {}),
  secret: env.FLOWBOARD_SECRET,
  port: 0,
  host: '127.0.0.1',
  logger: consoleLogger,
  seed: false,
  writeRate: { perSecond: env.FLOWBOARD_WRITE_RATE, burst: env.FLOWBOARD_WRITE_BURST },
  socketsPerAccount: env.FLOWBOARD_SOCKETS_PER_ACCOUNT,
  webhooks: { allowPrivate: env.FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE },
});
console.log(`Flowboard (no pages) on ${app.url} with ${databaseUrl ? 'PostgreSQL' : dbPath}${redisUrl ? `, adapter ${adapterName}` : ''}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void app
    .close()
    .then(() => adapter?.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
