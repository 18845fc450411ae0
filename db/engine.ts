/**
 * The storage contract: what the store, the flow projection and the access rules need of a database,
 * and nothing more. Two engines implement it (db/sqlite, db/postgres); everything above it is written
 * once. SQL is written with `?` placeholders and double-quoted aliases, which both engines read the
 * same way; the few statements that differ live in each engine's `dialect`.
 */
export type Param = string | number | boolean | null;

/** Queries inside one transaction (or one read snapshot). */
export interface Sql {
  /** Rows as objects keyed by column name or alias (quote camelCase aliases: PostgreSQL folds case). */
  all<T>(text: string, params?: readonly Param[]): Promise<T[]>;
  get<T>(text: string, params?: readonly Param[]): Promise<T | undefined>;
  /** Rows as arrays in select order: cheaper for the large reads of the flow page. */
  values<T extends unknown[]>(text: string, params?: readonly Param[]): Promise<T[]>;
  /** A statement without rows; returns how many rows it changed. */
  run(text: string, params?: readonly Param[]): Promise<number>;
}

export interface WriteTx extends Sql {
  /**
   * Serialises the writes of one board across every process: PostgreSQL locks the board's row until
   * the transaction ends; SQLite's IMMEDIATE transaction holds the database's write lock already.
   * Returns the board's version, or undefined when there is no such board.
   */
  lockBoard(boardId: string): Promise<number | undefined>;
  /** Serialises writes that share a name rather than a board (the first admin, a flow catch-up). */
  lockName(name: string): Promise<void>;
}

/** The statements that differ between engines. */
export interface Dialect {
  /**
   * Sums of hourly counters over [first hour, end hour) pairs sent as one JSON array in the first
   * parameter (board id second), grouped by the pair's index ("key") and work center.
   */
  edgeCounts(sumColumns: string): string;
  /**
   * A text column compared and ordered by code unit, as JavaScript compares card positions
   * (lib/shared/domain/ordering.ts): SQLite's default; PostgreSQL's database collation may differ.
   */
  binary(column: string): string;
}

export type EngineKind = 'sqlite' | 'postgres';

export interface Engine {
  readonly kind: EngineKind;
  /** True when the database had no tables before this open: the caller seeds a demo board. */
  readonly created: boolean;
  readonly dialect: Dialect;
  /** One write transaction: committed when `fn` resolves, rolled back when it throws. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** A consistent read: every query in `fn` sees the same committed state. */
  read<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** The drizzle handle and schema better-auth's adapter works on. */
  readonly auth: AuthBinding;
  close(): Promise<void>;
}

export interface AuthBinding {
  provider: 'sqlite' | 'pg';
  db: unknown;
  schema: Record<'user' | 'session' | 'account' | 'verification', unknown>;
}

/** The database is unreachable (a PostgreSQL restart, a network cut): nothing was written. */
export class UnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is unavailable', { cause });
    this.name = 'UnavailableError';
  }
}

/**
 * A failure to reach the database (PostgreSQL restarting, refusing, the network gone), however deeply
 * wrapped: better-auth and drizzle wrap the driver's error in their own (`cause`).
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof UnavailableError) return true;
    const code = typeof e.code === 'string' ? e.code : '';
    // SQLSTATE class 08 (connection exception), 57P01-03 (the server shutting down or starting).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
    if (typeof e.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)) return true;
  }
  return false;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (none of our statements has a `?` in a literal). */
export function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
