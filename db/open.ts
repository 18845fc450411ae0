/**
 * Chooses the engine: PostgreSQL when a database URL is given, else the embedded SQLite file. The
 * rest of the app sees only the Engine contract (db/engine.ts).
 */
import type { Engine } from './engine';
import { openPostgres } from './postgres/engine';
import { openSqlite } from './sqlite/engine';

export interface DatabaseChoice {
  /** postgres://… selects PostgreSQL; absent, the SQLite file below. */
  url?: string;
  /** The SQLite file (or ':memory:') used when there is no URL. */
  sqlitePath: string;
  onError?: (error: Error) => void;
}

export async function openEngine(choice: DatabaseChoice): Promise<Engine> {
  if (choice.url) return openPostgres(choice.url, { onError: choice.onError });
  return openSqlite(choice.sqlitePath);
}

/** Where the data lives, for logs: never the password of a URL. */
export function describeDatabase(choice: DatabaseChoice): string {
  if (!choice.url) return choice.sqlitePath;
  const url = new URL(choice.url);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
