/**
 * One app process of a multi-process test: the composition root of server.ts without Next pages,
 * configured from the environment the way an operator configures a process (lib/server/env.ts), on
 * port 0 unless PORT says otherwise. Prints its address once listening; errors start with "error "
 * so the harness can fail the test that caused one. FLOWBOARD_REDIS_KEY keeps parallel suites apart.
 */
import { startApp } from '../../lib/server/app';
import { parseEnv } from '../../lib/server/env';
import type { Logger } from '../../lib/server/logger';

// The write rate is read as a plain number: a test may want a bucket that hardly refills (0.01/s),
// which the operator's setting (whole writes per second) does not offer.
const { FLOWBOARD_WRITE_RATE: rate = '0', FLOWBOARD_WRITE_BURST: burst = '0', ...settings } = process.env;
const env = parseEnv({ PORT: '0', FLOWBOARD_DB: ':memory:', ...settings });
const logger: Logger = {
  info: (m) => console.log(m),
  warn: (m, e) => console.warn(`warn ${m}`, e ?? ''),
  error: (m, e) => console.error(`error ${m}`, e ?? ''),
};

const app = await startApp({
  dbPath: env.FLOWBOARD_DB,
  databaseUrl: env.FLOWBOARD_DATABASE_URL,
  redisUrl: env.FLOWBOARD_REDIS_URL,
  redisKey: process.env.FLOWBOARD_REDIS_KEY,
  port: env.PORT,
  host: '127.0.0.1',
  logger,
  seed: false,
  secret: env.FLOWBOARD_SECRET,
  origins: env.FLOWBOARD_ORIGIN,
  trustedProxies: env.FLOWBOARD_TRUSTED_PROXIES,
  writeRate: { perSecond: Number(rate), burst: Number(burst) },
  socketsPerAccount: env.FLOWBOARD_SOCKETS_PER_ACCOUNT,
  authRateLimit: false,
  webhooks: { allowPrivate: env.FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE },
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
