/**
 * The heavy-read worker (lib/server/heavyReads.ts): its own read connection, one job at a time,
 * each answered with the response body or the refusal's code and message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine } from '../../db/engine';
import { openPostgres } from '../../db/postgres/engine';
import { openSqliteReader } from '../../db/sqlite/engine';
import { isDomainError } from '../shared/domain/errors';
import { runHeavyRead, type HeavyRead, type ReaderTarget, type WorkerAnswer } from './heavyReads';

const { target } = workerData as { target: ReaderTarget };
const port = parentPort;
if (!port) throw new Error('heavyReadWorker.ts runs as a worker thread');

// Two connections at most: the worker runs one job at a time.
let engine: Promise<Engine> | null = null;
const open = (): Promise<Engine> => (engine ??= target.url ? openPostgres(target.url, { poolSize: 2, onError: () => {} }) : Promise.resolve(openSqliteReader(target.sqlitePath)));

let queue: Promise<unknown> = Promise.resolve();
port.on('message', ({ id, job }: { id: number; job: HeavyRead }) => {
  queue = queue.then(async () => {
    let answer: WorkerAnswer;
    try {
      answer = { id, ok: true, ...(await runHeavyRead(await open(), job)) };
    } catch (error) {
      // Only a refusal's message travels; anything else is reported by the app as INTERNAL.
      answer = isDomainError(error) ? { id, ok: false, code: error.code, message: error.message } : { id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
    }
    // The body's buffer is moved to the app's thread, not copied (TextEncoder gives each its own).
    port.postMessage(answer, answer.ok ? [answer.bytes.buffer as ArrayBuffer] : []);
  });
});
