/**
 * Reads whose cost grows with a board's whole history (flow over two years, the CSV exports, the
 * snapshot of a 50,000-card board) run in a worker thread with its own read connection, so the event
 * loop keeps serving moves, joins and /api/health while they run (bench/reads.ts measures it). On
 * SQLite the worker opens the file read-only (WAL: it sees every commit and blocks no writer); on
 * PostgreSQL it has its own small pool. The worker answers the finished response body as UTF-8
 * bytes, moved (not copied) to the main thread, which hands them to the socket in slices.
 *
 * One worker, one job at a time: heavy reads of every board queue behind each other, which bounds
 * the memory and CPU they can take together. Before a job the app catches the board's flow
 * aggregates up (a write, on the main connection) and checks the request, so refusals carry their
 * codes as everywhere else.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Engine } from '../../db/engine';
import type { Store } from '../../db/store';
import type { BoardSnapshot } from '../shared/domain/types';
import { eventsCsvPages, exportItemsCsv } from '../../db/export';
import { createFlowAggregates } from '../../db/flow';
import { eventJsonsAfter, snapshotOf, windowedSnapshotOf } from '../../db/store/boards';
import { peopleOf } from '../../db/store/people';
import { CARD_WINDOW } from '../shared/domain/cardWindow';
import { DomainError, type ErrorCode } from '../shared/domain/errors';
import type { FlowRange } from '../shared/flow/data';
import { computeMetrics } from '../shared/flow/metrics';
import { batchSize } from '../shared/flow/batch';
import { buildCfd } from '../shared/flow/series';
import { cfdCsv, computeMarks, cycleTimesCsv } from './flow';
import { runForecast, type ForecastJob } from './forecast';
import type { Logger } from './logger';

export type FlowProjection = 'flow' | 'cfd' | 'metrics' | 'marks' | 'cfd.csv' | 'cycle-times.csv' | 'batch';

export type HeavyRead =
  | { kind: FlowProjection; boardId: string; range: FlowRange; now: number }
  | { kind: 'items.csv'; boardId: string; tz: string }
  | { kind: 'events'; boardId: string; since: number }
  /** The whole board, or with `perColumn` its window (lib/shared/domain/cardWindow.ts). */
  | { kind: 'snapshot'; boardId: string; now: number; perColumn?: number }
  /** GET /api/boards/:id's body, `{"board": …}` with the whole board. */
  | { kind: 'board'; boardId: string; now: number }
  /** A Monte Carlo forecast (lib/server/forecast.ts): the history read and the trials run here. */
  | ForecastJob;

/**
 * Reads answered as a stream of pages, each handed over when the reader asks for it: the log as CSV,
 * made a page at a time; or any job's answer, made whole in the worker and handed over in slices,
 * so the main thread never takes in (nor holds) more than a slice of a 20 MB body at once.
 */
export type HeavyStream = { kind: 'events.csv'; boardId: string } | { kind: 'slices'; job: HeavyRead };

/** The slices a job's answer is handed over in. */
const SLICE_BYTES = 1024 * 1024;

/** Events a page of GET /events holds. */
export const EVENTS_PAGE = 1000;

/** A job's answer: the response body as UTF-8 bytes (moved, not copied, out of the worker), and the board's version for a snapshot. */
export interface HeavyAnswer {
  bytes: Uint8Array;
  version?: number;
}

const encoder = new TextEncoder();
const text = (body: string): HeavyAnswer => ({ bytes: encoder.encode(body) });

/** A job's answer over a read-only engine: the response body, JSON or CSV. Runs in the worker. */
export async function runHeavyRead(engine: Engine, job: HeavyRead): Promise<HeavyAnswer> {
  switch (job.kind) {
    case 'flow':
    case 'cfd':
    case 'metrics':
    case 'marks':
    case 'batch':
    case 'cfd.csv':
    case 'cycle-times.csv': {
      const data = await createFlowAggregates(engine).readSettled(job.boardId, job.range, job.now);
      if (job.kind === 'flow') return text(JSON.stringify(data));
      if (job.kind === 'cfd') return text(JSON.stringify(buildCfd(data)));
      if (job.kind === 'metrics') return text(JSON.stringify(computeMetrics(data)));
      if (job.kind === 'marks') return text(JSON.stringify(computeMarks(data)));
      if (job.kind === 'batch') return text(JSON.stringify({ range: data.range, splitItems: data.splits ?? [], ...batchSize(data) }));
      return text(job.kind === 'cfd.csv' ? cfdCsv(data) : cycleTimesCsv(data));
    }
    case 'items.csv':
      return text(await exportItemsCsv(engine, job.boardId, job.tz));
    case 'events': {
      // One more than a page, read with a LIMIT: whether there is more, without reading the rest of
      // the log. Each event is spliced from its stored JSON (rows.ts eventJsonFromRow).
      const { boardId, since } = job;
      const { version, events } = await engine.read(async (sql) => {
        const board = await sql.get<{ version: number }>('select version from boards where id = ?', [boardId]);
        if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
        return { version: Number(board.version), events: await eventJsonsAfter(sql, boardId, since, EVENTS_PAGE + 1) };
      });
      return text(`{"version":${version},"events":[${events.slice(0, EVENTS_PAGE).join(',')}],"hasMore":${events.length > EVENTS_PAGE}}`);
    }
    case 'snapshot': {
      const { boardId, now, perColumn } = job;
      const snapshot = await engine.read((sql) => (perColumn ? windowedSnapshotOf(sql, engine.dialect.binary, boardId, now, perColumn) : snapshotOf(sql, boardId, now)));
      return { ...text(JSON.stringify(snapshot)), version: snapshot.version };
    }
    case 'forecast.when':
    case 'forecast.how-many':
    case 'forecast.card':
      return text(await runForecast(engine, job));
    case 'board':
      return text(JSON.stringify({ board: await engine.read(async (sql) => ({ ...(await snapshotOf(sql, job.boardId, job.now)), people: await peopleOf(sql, job.boardId) })) }));
    default: {
      const unreachable: never = job;
      throw new Error(`Unknown heavy read ${(unreachable as { kind: string }).kind}`);
    }
  }
}

/** A streamed read's pages as UTF-8 bytes. Runs in the worker. */
export async function* streamHeavyRead(engine: Engine, job: HeavyStream): AsyncGenerator<Uint8Array> {
  switch (job.kind) {
    case 'events.csv':
      for await (const page of eventsCsvPages(engine, job.boardId)) yield encoder.encode(page);
      return;
    case 'slices': {
      const { bytes } = await runHeavyRead(engine, job.job);
      // Copies: a view would move the whole buffer with its first slice.
      for (let at = 0; at < bytes.byteLength; at += SLICE_BYTES) yield bytes.slice(at, at + SLICE_BYTES);
      return;
    }
    default: {
      const unreachable: never = job;
      throw new Error(`Unknown heavy stream ${(unreachable as { kind: string }).kind}`);
    }
  }
}

/**
 * A stream of pages as a ReadableStream: the first page is made before it resolves (so a refusal
 * such as NOT_FOUND comes before any byte of the answer), each next one only when the response has
 * taken the previous one (backpressure through the socket: a slow reader holds one page, not the file).
 */
async function readableOf(next: () => Promise<{ bytes: Uint8Array; done: boolean }>, cancel: () => void): Promise<ReadableStream<Uint8Array>> {
  let first: { bytes: Uint8Array; done: boolean } | null = await next();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const page = first ?? (await next());
        first = null;
        if (page.bytes.byteLength > 0) controller.enqueue(page.bytes);
        if (page.done) controller.close();
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
}

/** Where the worker's own connection goes: the app's SQLite file, or its PostgreSQL URL. */
export interface ReaderTarget {
  sqlitePath: string;
  url?: string;
}

/** What the app asks the worker: a job, or a streamed read's start, next page or end. */
export type WorkerAsk = { job: HeavyRead } | { open: HeavyStream; stream: number } | { pull: number } | { close: number };
export type WorkerRequest = WorkerAsk & { id: number };
type WorkerDone = WorkerAnswer & { ok: true };

export type WorkerAnswer = ({ id: number; ok: true; done?: boolean } & HeavyAnswer) | { id: number; ok: false; code: ErrorCode | null; message: string };

export interface HeavyReader {
  run(job: HeavyRead): Promise<HeavyAnswer>;
  /** A streamed read: resolves with its body once the first page is made. */
  stream(job: HeavyStream): Promise<ReadableStream<Uint8Array>>;
  close(): Promise<void>;
}

/** Runs jobs on the app's own engine: for ':memory:' databases, which no second connection can see. */
export function inlineReader(engine: Engine): HeavyReader {
  return {
    run: (job) => runHeavyRead(engine, job),
    stream(job) {
      const pages = streamHeavyRead(engine, job);
      return readableOf(
        async () => {
          const page = await pages.next();
          return page.done ? { bytes: new Uint8Array(0), done: true } : { bytes: page.value, done: false };
        },
        () => void pages.return(undefined),
      );
    },
    close: async () => {},
  };
}

/**
 * The worker is TypeScript: a few lines of plain JavaScript register tsx (a runtime dependency, as
 * for the server itself) in the thread, then load it. Alike under tsx, Vitest and Next's server.
 */
export const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });
`;
/** tsx's ES-module API, found through its package's exports map (its CommonJS twin cannot register in a worker). */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
export const TSX_API = tsxApi();
const WORKER_ENTRY = new URL('./heavyReadWorker.ts', import.meta.url).href;

/** The worker, started on the first job and restarted after it dies. */
export function workerReader(target: ReaderTarget, logger: Logger): HeavyReader {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (answer: WorkerDone) => void; reject: (error: Error) => void }>();

  const start = (): Worker => {
    const w = new Worker(BOOTSTRAP, { eval: true, workerData: { target, tsx: TSX_API, entry: WORKER_ENTRY } });
    // A reader must never keep a stopping process alive; it is held only while jobs wait.
    w.unref();
    w.on('message', (answer: WorkerAnswer) => {
      const pending = waiting.get(answer.id);
      if (!pending) return;
      waiting.delete(answer.id);
      if (waiting.size === 0) w.unref();
      if (answer.ok) pending.resolve(answer);
      else pending.reject(answer.code ? new DomainError(answer.code, answer.message) : new Error(answer.message));
    });
    const fail = (error: Error) => {
      if (worker === w) worker = null;
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    };
    w.on('error', (error) => {
      logger.error('heavy-read worker failed', { error: error.message });
      fail(error);
    });
    w.on('exit', (code) => fail(new Error(`The heavy-read worker stopped (exit code ${code})`)));
    return w;
  };

  const ask = (request: WorkerAsk): Promise<WorkerDone> => {
    worker ??= start();
    const w = worker;
    const id = nextId++;
    return new Promise<WorkerDone>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.ref();
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
      w.postMessage({ ...request, id });
    });
  };

  return {
    async run(job) {
      const { bytes, version } = await ask({ job });
      return { bytes, version };
    },
    stream(job) {
      const stream = nextId++;
      let opened = false;
      return readableOf(
        async () => {
          const answer = await ask(opened ? { pull: stream } : { open: job, stream });
          opened = true;
          return { bytes: answer.bytes, done: answer.done === true };
        },
        () => {
          // A reader that went away: the worker drops the stream's pages (the worker may have died).
          if (worker) void ask({ close: stream }).catch(() => {});
        },
      );
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** Boards with more cards than this read their snapshot in the worker; a small one is quicker here. */
export const WORKER_SNAPSHOT_CARDS = 2000;

/** A snapshot read for a join: the object for a small board, its JSON's bytes for a big one. */
export type JoinSnapshot = { version: number; snapshot: BoardSnapshot } | { version: number; packedSnapshot: Uint8Array };

/**
 * A board's snapshot, for a socket's join and for GET /api/boards/:id. A join gets the board's
 * window (each work center's first CARD_WINDOW cards and the counts: lib/shared/domain/cardWindow.ts),
 * GET /api/boards/:id the whole board. A big board's is read and serialised in the worker and handed
 * on as bytes: the event loop neither builds nor encodes its cards, and reads of one board at the
 * same time share one.
 */
export function snapshotReader(store: Store, heavy: HeavyReader) {
  const inFlight = new Map<string, Promise<HeavyAnswer>>();
  // Counts no further than the threshold: counting all 50,000 cards held the event loop 100 ms.
  const big = async (boardId: string) =>
    Number(
      (
        await store.engine.read((sql) =>
          sql.get<{ n: number }>('select count(*) as n from (select 1 from cards where board_id = ? and deleted_at is null limit ?) c', [boardId, WORKER_SNAPSHOT_CARDS + 1]),
        )
      )?.n ?? 0,
    ) > WORKER_SNAPSHOT_CARDS;
  const packed = (boardId: string, perColumn?: number): Promise<HeavyAnswer> => {
    const key = `${boardId}:${perColumn ?? 'all'}`;
    let answer = inFlight.get(key);
    if (!answer) {
      answer = heavy.run({ kind: 'snapshot', boardId, now: store.clock(), perColumn }).finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    return answer;
  };
  return {
    async forJoin(boardId: string): Promise<JoinSnapshot> {
      if (!(await big(boardId))) {
        const snapshot = await store.windowedSnapshot(boardId, CARD_WINDOW);
        return { version: snapshot.version, snapshot };
      }
      const { bytes, version } = await packed(boardId, CARD_WINDOW);
      return { version: version ?? 0, packedSnapshot: bytes };
    },
    /** `{"board": …}` with the whole board: a big one's made in the worker and handed over in slices as the socket takes them. */
    async forRest(boardId: string): Promise<Uint8Array | ReadableStream<Uint8Array>> {
      if (!(await big(boardId))) return encoder.encode(JSON.stringify({ board: { ...(await store.getSnapshot(boardId)), people: await store.people(boardId) } }));
      return heavy.stream({ kind: 'slices', job: { kind: 'board', boardId, now: store.clock() } });
    },
  };
}
