/**
 * The app without Next, for benchmarks run before a production build exists: the same composition
 * root as server.ts (database, store, REST, Socket.IO on one HTTP server), pages left out.
 */
import { startApp } from '../lib/server/app';
import { parseEnv } from '../lib/server/env';
import { consoleLogger } from '../lib/server/logger';

const dbPath = process.env.FLOWBOARD_DB;
if (!dbPath) throw new Error('Set FLOWBOARD_DB to the SQLite file to serve');
const env = parseEnv(process.env);

const app = await startApp({
  dbPath,
  port: 0,
  host: '127.0.0.1',
  logger: consoleLogger,
  seed: false,
  writeRate: { perSecond: env.FLOWBOARD_WRITE_RATE, burst: env.FLOWBOARD_WRITE_BURST },
  socketsPerAccount: env.FLOWBOARD_SOCKETS_PER_ACCOUNT,
});
console.log(`Flowboard (no pages) on ${app.url} with ${dbPath}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
