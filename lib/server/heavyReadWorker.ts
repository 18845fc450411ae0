/**
 * The heavy-read worker (lib/server/heavyReads.ts): its own read connection; jobs one at a time,
 * each answered with the response body or the refusal's code and message. A page of the log and the
 * pages of a streamed read do not wait behind the jobs: each is a few milliseconds of work, and a
 * reader paging through the log should not wait for someone's two-year metrics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine } from '../../db/engine';
import { openPostgres } from '../../db/postgres/engine';
import { openSqliteReader } from '../../db/sqlite/engine';
import { isDomainError } from '../shared/domain/errors';
import { runHeavyRead, streamHeavyRead, type HeavyAnswer, type ReaderTarget, type WorkerAnswer, type WorkerRequest } from './heavyReads';

const { target } = workerData as { target: ReaderTarget };
const port = parentPort;
if (!port) throw new Error('heavyReadWorker.ts runs as a worker thread');

// Two connections at most: one job and one page at a time.
let engine: Promise<Engine> | null = null;
const open = (): Promise<Engine> => (engine ??= target.url ? openPostgres(target.url, { poolSize: 2, onError: () => {} }) : Promise.resolve(openSqliteReader(target.sqlitePath)));

/** Streamed reads in progress, by the app's stream number. */
const streams = new Map<number, AsyncGenerator<Uint8Array>>();

async function answer(request: WorkerRequest): Promise<HeavyAnswer & { done?: boolean }> {
  if ('job' in request) return runHeavyRead(await open(), request.job);
  if ('close' in request) {
    const pages = streams.get(request.close);
    streams.delete(request.close);
    await pages?.return(undefined);
    return { bytes: new Uint8Array(0), done: true };
  }
  let pages: AsyncGenerator<Uint8Array> | undefined;
  let key: number;
  if ('open' in request) {
    key = request.stream;
    pages = streamHeavyRead(await open(), request.open);
    streams.set(key, pages);
  } else {
    key = request.pull;
    pages = streams.get(key);
    if (!pages) throw new Error('That stream has ended');
  }
  try {
    const page = await pages.next();
    if (page.done) streams.delete(key);
    return page.done ? { bytes: new Uint8Array(0), done: true } : { bytes: page.value, done: false };
  } catch (error) {
    streams.delete(key);
    throw error;
  }
}

const reply = (id: number, work: () => Promise<HeavyAnswer & { done?: boolean }>) =>
  work().then(
    (body): WorkerAnswer => ({ id, ok: true, ...body }),
    // Only a refusal's message travels; anything else is reported by the app as INTERNAL.
    (error: unknown): WorkerAnswer =>
      isDomainError(error) ? { id, ok: false, code: error.code, message: error.message } : { id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) },
  );

const send = (message: WorkerAnswer) => {
  // The body's buffer is moved to the app's thread, not copied (TextEncoder gives each its own).
  port.postMessage(message, message.ok && message.bytes.byteLength > 0 ? [message.bytes.buffer as ArrayBuffer] : []);
};

let queue: Promise<unknown> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  // A job, or the start of a job handed over in slices, waits its turn; pages and the rest do not.
  const light = 'job' in request ? request.job.kind === 'events' : !('open' in request && request.open.kind === 'slices');
  if (light) {
    void reply(request.id, () => answer(request)).then(send);
    return;
  }
  queue = queue.then(() => reply(request.id, () => answer(request)).then(send));
});
