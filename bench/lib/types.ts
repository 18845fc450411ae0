import type { ServerChild } from './processes';
import type { Summary } from './stats';

/** A target from the issue: on the ratio app/floor, or on the app's own figure. */
export type Target =
  | { kind: 'ratio-at-most'; value: number }
  | { kind: 'ratio-at-least'; value: number }
  | { kind: 'app-at-most'; value: number };

/** One line of the table: the app's figure next to the floor measured in the same run. */
export interface Row {
  benchmark: string;
  metric: string;
  unit: string;
  app: Summary;
  floor: Summary;
  target?: Target;
}

export interface BenchContext {
  quick: boolean;
  /** A temporary directory of this run for SQLite files; removed at the end. */
  workDir: string;
  log(message: string): void;
  /**
   * Starts the app as a child process on a fresh database file (seed it before). `extra`: more
   * environment and Node flags for this start (a benchmark's own preload, say).
   */
  startApp(dbPath: string, extra?: { env?: Record<string, string>; nodeArgs?: string[] }): Promise<ServerChild>;
  /** Starts a floor program from bench/floors/ as a child process. */
  startFloor(script: string, env?: Record<string, string>): Promise<ServerChild>;
}

export interface BenchResult {
  rows: Row[];
  /** Anything worth keeping in the JSON beyond the rows: per-run samples, sanity checks. */
  details?: Record<string, unknown>;
}

/** A benchmark selectable by name on the command line (`npm run bench -- fanout`). */
export interface BenchModule {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}
