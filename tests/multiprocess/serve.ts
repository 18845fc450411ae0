/**
 * One app process of a multi-process test (tests/multiprocess/cluster.ts): the real composition root
 * (startApp, no Next pages) on port 0, configured from the environment the test passes, printing its
 * address once it listens. Every process of a test shares the database and the Redis key.
 */
import { startApp } from '../../lib/server/app';
import type { Logger } from '../../lib/server/logger';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
};
// Errors start with "error " so the harness can fail the test that caused one.
const logger: Logger = {
  info: (m) => console.log(m),
  warn: (m, e) => console.warn(`warn ${m}`, e ?? ''),
  error: (m, e) => console.error(`error ${m}`, e ?? ''),
};
const rate = Number(process.env.FLOWBOARD_WRITE_RATE ?? '0');
const burst = Number(process.env.FLOWBOARD_WRITE_BURST ?? '0');

const app = await startApp({
  dbPath: process.env.FLOWBOARD_DB ?? ':memory:',
  databaseUrl: process.env.FLOWBOARD_DATABASE_URL,
  port: 0,
  host: '127.0.0.1',
  logger,
  seed: false,
  secret: need('FLOWBOARD_SECRET'),
  writeRate: { perSecond: rate, burst },
  authRateLimit: false,
  redisUrl: need('FLOWBOARD_REDIS_URL'),
  redisKey: need('FLOWBOARD_REDIS_KEY'),
});
console.log(`listening on ${app.url}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
