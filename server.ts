/**
 * One app process: Next pages, the REST API and Socket.IO on one port, over the embedded SQLite
 * database or, with FLOWBOARD_DATABASE_URL, PostgreSQL shared with other processes. `npm start` runs it in production (building first when there is no build),
 * `npm run dev` in watch mode.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDatabase } from './db/open';
import { startApp } from './lib/server/app';
import { EnvError, parseEnv } from './lib/server/env';
import { consoleLogger } from './lib/server/logger';

const root = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const dev = env.NODE_ENV !== 'production';
  if (!dev && !existsSync(join(root, '.next', 'BUILD_ID'))) {
    consoleLogger.info('No production build yet: building (about a minute)…');
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('next build failed; see the output above');
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const app = await startApp({
    dbPath: resolve(root, env.FLOWBOARD_DB),
    databaseUrl: env.FLOWBOARD_DATABASE_URL,
    redisUrl: env.FLOWBOARD_REDIS_URL,
    port: env.PORT,
    host: env.HOST,
    logger: consoleLogger,
    seed: env.FLOWBOARD_SEED,
    next: { dev, dir: root },
    version,
    secret: env.BETTER_AUTH_SECRET ?? env.FLOWBOARD_SECRET,
    origins: env.FLOWBOARD_ORIGIN,
    writeRate: { perSecond: env.FLOWBOARD_WRITE_RATE, burst: env.FLOWBOARD_WRITE_BURST },
    socketsPerAccount: env.FLOWBOARD_SOCKETS_PER_ACCOUNT,
    authRateLimit: env.FLOWBOARD_AUTH_RATE_LIMIT,
    signup: env.FLOWBOARD_SIGNUP,
    trustedProxies: env.FLOWBOARD_TRUSTED_PROXIES,
    webhooks: { allowPrivate: env.FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE },
  });
  const shown = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  consoleLogger.info(`Flowboard ${version} (${dev ? 'development' : 'production'}) on http://${shown}:${app.port} with ${describeDatabase({ url: env.FLOWBOARD_DATABASE_URL, sqlitePath: env.FLOWBOARD_DB })}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    consoleLogger.info(`${signal}: closing`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
