/**
 * The services some suites need: a PostgreSQL server (one fresh database per suite, dropped at the
 * end) and Redis. In CI (FLOWBOARD_REQUIRE_SERVICES=1, set by .ci/run) a missing service fails the
 * suite; on a newcomer's machine without them those suites are skipped with a message saying how to
 * run them.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { createClient } from 'redis';

export const ADMIN_DATABASE_URL = process.env.FLOWBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.FLOWBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SERVICES_REQUIRED = process.env.FLOWBOARD_REQUIRE_SERVICES === '1';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let postgresUp: Promise<boolean> | undefined;
/** Whether the PostgreSQL suites can run here; throws in CI when they cannot. */
export async function postgresAvailable(): Promise<boolean> {
  postgresUp ??= reachable(ADMIN_DATABASE_URL);
  const up = await postgresUp;
  if (!up && SERVICES_REQUIRED) throw new Error(`PostgreSQL is required (FLOWBOARD_REQUIRE_SERVICES=1) but ${ADMIN_DATABASE_URL} does not answer`);
  if (!up) console.warn(`Skipping the PostgreSQL suites: nothing answers at ${ADMIN_DATABASE_URL} (set FLOWBOARD_TEST_DATABASE_URL, or run .ci/run which starts it)`);
  return up;
}

/** Top-level await in a test file: true when its PostgreSQL tests run. */
export const withPostgres = await postgresAvailable();

async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.quit();
  }
}

/** Whether the suites that need Redis can run here; throws in CI when they cannot. */
export async function redisAvailable(): Promise<boolean> {
  const up = await redisAnswers(REDIS_URL);
  if (!up && SERVICES_REQUIRED) throw new Error(`Redis is required (FLOWBOARD_REQUIRE_SERVICES=1) but ${REDIS_URL} does not answer`);
  if (!up) console.warn(`Skipping the suites that need Redis: nothing answers at ${REDIS_URL} (set FLOWBOARD_TEST_REDIS_URL, or run .ci/run which starts it)`);
  return up;
}

export const withRedis = await redisAvailable();
/** Several app processes: one PostgreSQL database and Redis between them. */
export const withCluster = withPostgres && withRedis;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, for one suite. */
export async function createTestDatabase(label = 'suite'): Promise<TestDatabase> {
  const name = `flowboard_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A port nothing listens on now, for a server that must be told its port (PostgreSQL, server.ts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
