import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the worker copies committed pages from the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 200;
/**
 * SQLite's own checkpoint, run by the committing write itself, stays as a backstop should the worker
 * fall behind or die: at 10,000 pages (about 40 MB of WAL) instead of the default 1,000.
 */
const BACKSTOP_PAGES = 10_000;

/**
 * The worker: its own connection to the same file, running PASSIVE checkpoints (they never block
 * the app's writes, and skip frames a reader still needs). Plain CommonJS, run with `eval`, so it
 * needs no build step under tsx, Vitest or Next.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round catches up */ }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. With SQLite's automatic checkpoint, the commit that
 * crosses 1,000 WAL pages (one move in about 55) copies them into the database file and syncs it,
 * about 4 ms during which no socket is served: that was the fan-out's p99. Commits are as durable as
 * before (each is in the WAL when the move is acknowledged); only where the copying happens changes.
 */
export function startCheckpointer(sqlite: Database.Database, path: string): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // The WAL file keeps its largest size between checkpoints; cap what stays on disk afterwards.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, everyMs: CHECKPOINT_EVERY_MS } });
  // A checkpointer must never keep a stopping process alive.
  worker.unref();
  worker.on('error', () => {
    // The backstop above still bounds the WAL.
  });
  return {
    async stop() {
      // Held until it has stopped: a process with nothing else to do would otherwise exit mid-await.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
      worker.postMessage('stop');
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
      await worker.terminate();
    },
  };
}
