import type { AdapterName } from './adapters';
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

/** Where an app process keeps its data: a SQLite file, or a PostgreSQL database (`{ url }`). */
export type AppDatabase = string | { url: string };

export interface AppStart {
  /** One cluster of processes: live events and write budgets through Redis (FLOWBOARD_REDIS_URL). */
  cluster?: { redisUrl: string; key: string; adapter?: AdapterName };
  /**
   * bench/serve-app.ts whatever the run's entry: the same composition root without Next, for the
   * benchmarks that start several app processes (Next serves no socket traffic; three copies of it
   * would only take memory) and for the adapter switch, which only serve-app.ts reads.
   */
  withoutPages?: boolean;
  /** For logs and failures: "app 2 of 3". */
  label?: string;
  /** More environment and Node flags for this start (a benchmark's own preload, say). */
  env?: Record<string, string>;
  nodeArgs?: string[];
}

export interface BenchContext {
  quick: boolean;
  /** The adapters the cluster benchmark compares (`--adapter`); all of them by default. */
  adapters: readonly AdapterName[];
  /** A temporary directory of this run for SQLite files; removed at the end. */
  workDir: string;
  log(message: string): void;
  /** Starts the app as a child process on a fresh database (seed it before). */
  startApp(db: AppDatabase, options?: AppStart): Promise<ServerChild>;
  /** A new, empty PostgreSQL database (its URL), dropped at the end of the run. */
  createDatabase(label: string): Promise<string>;
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
