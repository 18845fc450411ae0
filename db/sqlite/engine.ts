/**
 * The embedded engine: one better-sqlite3 connection to a file under data/ (or ':memory:').
 *
 * better-sqlite3 is synchronous and its one connection is shared, so transactions take turns through
 * an in-process queue: while one write's `fn` awaits, nobody else's statement runs inside its open
 * transaction. Across processes (a CLI next to the app, several processes on one file) SQLite's own
 * lock serialises them: writes are IMMEDIATE transactions and wait up to the busy timeout.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect, Engine, Param, Sql, WriteTx } from '../engine';
import { startCheckpointer, type Checkpointer } from './checkpoint';
import * as schema from './schema';

/** Resolved from this file, not from process.cwd(), so any working directory works. */
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const dialect: Dialect = {
  // The hours between each boundary and its nearest UTC midnight travel as one JSON array.
  // CROSS JOIN keeps the boundaries as the outer loop: each is then a short range of the covering
  // index. With a plain join the planner scanned the board's every hourly row once per boundary
  // (40 s for two years of a 50,000-item board).
  edgeCounts: (sums) => `select b.key as key, h.column_id, ${sums}
    from json_each(?) b cross join flow_counts_hourly h
      on h.board_id = ? and h.bucket >= b.value ->> 0 and h.bucket < b.value ->> 1
    group by b.key, h.column_id`,
  binary: (column) => column,
};

/** better-sqlite3 binds no booleans: SQLite keeps them as 0 and 1. */
const bindable = (params: readonly Param[]) => (params.some((p) => typeof p === 'boolean') ? params.map((p) => (typeof p === 'boolean' ? Number(p) : p)) : params);

/** Runs functions one after another, each when the previous one's promise has settled. */
class Turns {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export interface SqliteEngine extends Engine {
  readonly kind: 'sqlite';
  /** The raw connection, for the few tests that inspect the file itself. */
  readonly sqlite: Database.Database;
}

/** Opens (creating when missing) and migrates a database file. `path` may be ':memory:'. */
export function openSqlite(path: string): SqliteEngine {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  if (!memory) {
    sqlite.pragma('journal_mode = WAL');
    // Another process (a CLI, a backup, another app process) may hold the write lock briefly.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
  }
  const created = (sqlite.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'boards'").get() as { n: number }).n === 0;
  const db = drizzle(sqlite, { schema });
  // Migrations that rebuild a table (SQLite's way to change a foreign key) drop the old one: with
  // foreign keys on, that would delete through its references. Off while migrating, checked after.
  sqlite.pragma('foreign_keys = OFF');
  migrate(db, { migrationsFolder: MIGRATIONS });
  const broken = sqlite.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) throw new Error(`The migrated database has ${broken.length} rows whose references are missing (PRAGMA foreign_key_check)`);
  sqlite.pragma('foreign_keys = ON');
  // WAL checkpoints in a worker thread, not inside a move's commit (./checkpoint.ts).
  const checkpointer: Checkpointer | null = memory ? null : startCheckpointer(sqlite, path);

  const { sql, prepare, transaction, drain } = connectionOf(sqlite);
  const tx: WriteTx = {
    ...sql,
    lockBoard: async (boardId) => (prepare('select version from boards where id = ?').get(boardId) as { version: number } | undefined)?.version,
    // The IMMEDIATE transaction already excludes every other writer.
    lockName: async () => {},
  };

  return {
    kind: 'sqlite',
    created,
    dialect,
    sqlite,
    auth: { provider: 'sqlite', db, schema: { user: schema.users, session: schema.sessions, account: schema.accounts, verification: schema.verifications } },
    write: (fn) => transaction('immediate', () => fn(tx)),
    read: (fn) => transaction('deferred', () => fn(sql)),
    async close() {
      await drain();
      await checkpointer?.stop();
      sqlite.close();
    },
  };
}

/** Statements prepared once per text, and transactions that take turns on the one connection. */
function connectionOf(sqlite: Database.Database) {
  // Prepared once per text: compiling SQL on every call cost more than running it (bench/).
  const statements = new Map<string, Database.Statement>();
  const rawStatements = new Map<string, Database.Statement>();
  const prepare = (text: string, raw = false) => {
    const cache = raw ? rawStatements : statements;
    let statement = cache.get(text);
    if (!statement) {
      statement = sqlite.prepare(text);
      if (raw) statement.raw(true);
      cache.set(text, statement);
    }
    return statement;
  };
  const begin = { immediate: sqlite.prepare('begin immediate'), deferred: sqlite.prepare('begin'), commit: sqlite.prepare('commit'), rollback: sqlite.prepare('rollback') };

  const sql: Sql = {
    all: async <T>(text: string, params: readonly Param[] = []) => prepare(text).all(...bindable(params)) as T[],
    get: async <T>(text: string, params: readonly Param[] = []) => prepare(text).get(...bindable(params)) as T | undefined,
    values: async <T extends unknown[]>(text: string, params: readonly Param[] = []) => prepare(text, true).all(...bindable(params)) as T[],
    run: async (text: string, params: readonly Param[] = []) => prepare(text).run(...bindable(params)).changes,
  };

  const turns = new Turns();
  function transaction<T>(mode: 'immediate' | 'deferred', fn: () => Promise<T>): Promise<T> {
    return turns.run(async () => {
      begin[mode].run();
      try {
        const result = await fn();
        begin.commit.run();
        return result;
      } catch (error) {
        if (sqlite.inTransaction) begin.rollback.run();
        throw error;
      }
    });
  }
  /** Resolves once every transaction queued so far has ended. */
  const drain = () => turns.run(async () => undefined);
  return { sql, prepare, transaction, drain };
}

/**
 * A second, read-only connection to an app's database file, for the heavy-read worker
 * (lib/server/heavyReads.ts): in WAL mode its reads see every committed write and block neither the
 * app's connection nor its event loop. It never migrates; the app's own connection did.
 */
export function openSqliteReader(path: string): Engine {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  const { sql, transaction, drain } = connectionOf(sqlite);
  return {
    kind: 'sqlite',
    created: false,
    dialect,
    auth: { provider: 'sqlite', db: null, schema: { user: schema.users, session: schema.sessions, account: schema.accounts, verification: schema.verifications } },
    write: () => Promise.reject(new Error('A reader connection does not write')),
    read: (fn) => transaction('deferred', () => fn(sql)),
    async close() {
      await drain();
      sqlite.close();
    },
  };
}
