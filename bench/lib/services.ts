/**
 * The services of the PostgreSQL and cluster benchmarks: a PostgreSQL server on which each run
 * creates its own databases (dropped at the end of the run) and Redis. The same variables as the
 * test suites, so one setting serves both.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_DATABASE_URL = process.env.FLOWBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.FLOWBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${ADMIN_DATABASE_URL} does not answer (set FLOWBOARD_TEST_DATABASE_URL): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database for one server of one run. */
export async function createDatabase(label: string): Promise<BenchDatabase> {
  const name = `flowboard_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (client) => void (await client.query(`drop database if exists ${name} with (force)`))),
  };
}
