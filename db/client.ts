import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

/** With the raw handle: the flow aggregates (db/flow.ts) run prepared SQL on it, inside the same transactions. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenedDatabase {
  sqlite: Database.Database;
  db: Db;
  /** True when the file did not exist (or was empty) before this open: the caller seeds a demo board. */
  created: boolean;
}

/** Resolved from this file, not from process.cwd(), so any working directory works. */
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens (creating when missing) and migrates a database. `path` may be ':memory:'. */
export function openDatabase(path: string): OpenedDatabase {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  if (!memory) {
    sqlite.pragma('journal_mode = WAL');
    // Another process (a CLI, a backup) may hold the write lock briefly; wait rather than fail.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  const hadTables = (sqlite.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'boards'").get() as { n: number }).n > 0;
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { sqlite, db, created: !hadTables };
}
