/**
 * One app process of the nginx test (tests/multiprocess/nginx.test.ts): the composition root of
 * server.ts without Next, configured from the environment the way an operator configures a process.
 * Prints its address once listening; closes on SIGTERM.
 */
import { startApp, type AppOptions } from '../../lib/server/app';
import { parseEnv } from '../../lib/server/env';
import { consoleLogger } from '../../lib/server/logger';

const env = parseEnv(process.env);
const redisUrl = process.env.FLOWBOARD_REDIS_URL;
const redisKey = process.env.FLOWBOARD_TEST_REDIS_KEY;
// Typed wider than AppOptions so this file compiles before and after the Redis adapter's options land.
const options: AppOptions & { redisUrl?: string; redisKey?: string } = {
  dbPath: env.FLOWBOARD_DB,
  port: env.PORT,
  host: '127.0.0.1',
  logger: consoleLogger,
  seed: false,
  secret: env.FLOWBOARD_SECRET,
  origins: env.FLOWBOARD_ORIGIN,
  trustedProxies: env.FLOWBOARD_TRUSTED_PROXIES,
  writeRate: { perSecond: env.FLOWBOARD_WRITE_RATE, burst: env.FLOWBOARD_WRITE_BURST },
  authRateLimit: env.FLOWBOARD_AUTH_RATE_LIMIT,
  ...(redisUrl ? { redisUrl } : {}),
  ...(redisKey ? { redisKey } : {}),
};
const app = await startApp(options);
console.log(`listening on ${app.url}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
