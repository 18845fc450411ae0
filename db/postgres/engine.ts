/**
 * The PostgreSQL engine, for deployments past one process: a connection pool, READ COMMITTED writes
 * that lock the board's row first (so the database serialises a board's writes across every
 * process), REPEATABLE READ snapshots for reads, and migrations applied at start by one process at a
 * time under an advisory lock.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client, Pool, types as pgTypes, type PoolClient, type Pool as PgPool } from 'pg';
import { isConnectionFailure, numberPlaceholders, UnavailableError, type Dialect, type Engine, type Param, type Sql, type WriteTx } from '../engine';
import * as schema from './schema';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any fixed number: the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 7_243_001;
/** A transaction that meets a deadlock or a serialisation failure is run again, this many times. */
const RETRIES = 3;

const dialect: Dialect = {
  edgeCounts: (sums) => `select b.ord - 1 as key, h.column_id, ${sums}
    from jsonb_array_elements(?::jsonb) with ordinality as b(value, ord) join flow_counts_hourly h
      on h.board_id = ? and h.bucket >= (b.value ->> 0)::int and h.bucket < (b.value ->> 1)::int
    group by b.ord, h.column_id`,
  binary: (column) => `${column} collate "C"`,
};

// bigint (times, sequence numbers, counts) and numeric (sums) as JS numbers: every value we keep
// there is far below 2^53.
const NUMBER_TYPES = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    NUMBER_TYPES.has(oid) ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format as 'text')) as typeof pgTypes.getTypeParser,
};

const isRetryable = (error: unknown) => ['40P01', '40001'].includes((error as { code?: string })?.code ?? '');

export interface PostgresOptions {
  /** Told of errors on idle connections (a server restart): the pool replaces them. */
  onError?: (error: Error) => void;
  poolSize?: number;
}

export interface PostgresEngine extends Engine {
  readonly kind: 'postgres';
  readonly pool: PgPool;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresEngine> {
  const created = await migrateDatabase(url);
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 10, types, connectionTimeoutMillis: 5000 });
  // Without a listener, an idle connection dropped by a server restart would end the process.
  pool.on('error', (error) => options.onError?.(error));

  // Named statements: parsed and planned once per connection (the hot paths run a few each).
  const names = new Map<string, { name: string; text: string }>();
  const statement = (text: string) => {
    let s = names.get(text);
    if (!s) names.set(text, (s = { name: `fb${names.size}`, text: numberPlaceholders(text) }));
    return s;
  };
  const on = (client: PoolClient): Sql => ({
    all: async <T>(text: string, params: readonly Param[] = []) => (await client.query({ ...statement(text), values: params as Param[] })).rows as T[],
    get: async <T>(text: string, params: readonly Param[] = []) => (await client.query({ ...statement(text), values: params as Param[] })).rows[0] as T | undefined,
    values: async <T extends unknown[]>(text: string, params: readonly Param[] = []) =>
      (await client.query({ ...statement(text), values: params as Param[], rowMode: 'array' })).rows as T[],
    run: async (text: string, params: readonly Param[] = []) => (await client.query({ ...statement(text), values: params as Param[] })).rowCount ?? 0,
  });

  async function transaction<T>(begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw new UnavailableError(error);
      }
      let broken = false;
      // The pool listens for errors of idle connections only: one that dies while checked out (a
      // database crash mid-transaction) emits 'error' on the client, which would end the process
      // without a listener here. Its query fails too, and is answered below.
      const lost = () => {
        broken = true;
      };
      client.on('error', lost);
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('commit');
        return result;
      } catch (error) {
        broken = isConnectionFailure(error);
        if (!broken) await client.query('rollback').catch(() => (broken = true));
        if (broken) throw new UnavailableError(error);
        if (attempt < RETRIES && isRetryable(error)) continue;
        throw error;
      } finally {
        client.off('error', lost);
        // A connection that failed mid-transaction is closed rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  return {
    kind: 'postgres',
    created,
    dialect,
    pool,
    auth: {
      provider: 'pg',
      db: drizzle(pool, { schema }),
      schema: { user: schema.users, session: schema.sessions, account: schema.accounts, verification: schema.verifications },
    },
    write: (fn) =>
      transaction('begin', (client) => {
        const tx: WriteTx = {
          ...on(client),
          lockBoard: async (boardId) => (await client.query({ ...statement('select version from boards where id = ? for update'), values: [boardId] })).rows[0]?.version,
          lockName: async (name) => void (await client.query({ ...statement('select pg_advisory_xact_lock(hashtext(?))'), values: [name] })),
        };
        return fn(tx);
      }),
    read: (fn) => transaction('begin isolation level repeatable read read only', (client) => fn(on(client))),
    close: () => pool.end(),
  };
}

/** Applies the migrations, one process at a time; true when the database had no tables before. */
async function migrateDatabase(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new UnavailableError(error);
  }
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const existed = (await client.query<{ t: string | null }>("select to_regclass('public.boards')::text as t")).rows[0]?.t !== null;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
    return !existed;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
