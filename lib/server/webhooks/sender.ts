/**
 * The delivery worker of one app process: takes due deliveries from the outbox (db/webhooks.ts) under
 * a lease, POSTs them signed, and records each attempt. Every process runs one; on PostgreSQL they
 * share the outbox without taking each other's rows.
 *
 * Nothing here is on a move's path: a write only puts rows in the outbox and wakes this worker after
 * its commit. Requests are plain non-blocking sockets with a deadline, at most CONCURRENCY at once and
 * PER_WEBHOOK per receiver, so a slow receiver holds its own slots and nobody else's.
 */
import { Worker } from 'node:worker_threads';
import type { AttemptResult, ClaimedDelivery, Webhooks } from '../../../db/webhooks';
import { BOOTSTRAP, TSX_API } from '../heavyReads';
import type { Logger } from '../logger';
import { attempt, type AttemptAnswer, type AttemptRequest } from './attempt';

export interface SenderOptions {
  webhooks: Webhooks;
  logger: Logger;
  /** FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: deliveries may go to internal addresses. */
  allowPrivate: boolean;
  /** A receiver has this long to answer; default 10 s. */
  timeoutMs?: number;
  /** Longest sleep between looks at the outbox (retries come due, other processes' leases expire); default 2 s. */
  pollMs?: number;
  clock?: () => number;
  /** Where the HTTP requests run: a worker thread of their own (default), or the app's own loop. */
  thread?: 'worker' | 'inline';
}

export interface WebhookSender {
  /** Something was put in the outbox: look now. */
  wake(): void;
  /** Stops taking deliveries, aborts those under way and gives their leases back. */
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Requests under way at once in one process. */
const CONCURRENCY = 32;
/** Requests under way at once to one webhook: a receiver that is slow fills its own slots only. */
const PER_WEBHOOK = 8;
/** Longer than the deadline of a request, so a live sender never loses its lease mid-attempt. */
const LEASE_MARGIN_MS = 5_000;
const PRUNE_EVERY_MS = 60 * 60_000;
/**
 * A burst of moves is taken from the outbox in one claim, and the attempts that end in the same
 * moment are recorded in one transaction: without this, each move cost the process a claim and a
 * write per webhook on the same connection the moves use (fan-out 1.8x the figure without webhooks).
 */
const BATCH_MS = 25;
/** Outbox rows turned into deliveries per transaction. */
const OUTBOX_BATCH = 500;

type Attempter = { send(delivery: ClaimedDelivery, now: number): Promise<AttemptResult>; stop(): Promise<void> };

function inlineAttempter(allowPrivate: boolean, timeoutMs: number): Attempter {
  const abort = new AbortController();
  return {
    send: (delivery, now) => attempt(delivery, { allowPrivate, timeoutMs, signal: abort.signal, now: () => now }),
    stop: async () => abort.abort(),
  };
}

const WORKER_ENTRY = new URL('./attemptWorker.ts', import.meta.url).href;

/**
 * The attempts in a worker thread (attemptWorker.ts): a burst of deliveries (four fast receivers and a
 * slow one, five requests per move) then costs the app's loop a message each way per delivery instead
 * of the requests themselves. A worker that dies fails its attempts (retried later) and is restarted.
 */
function workerAttempter(allowPrivate: boolean, timeoutMs: number, logger: Logger): Attempter {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, (result: AttemptResult) => void>();
  const start = (): Worker => {
    const w = new Worker(BOOTSTRAP, { eval: true, workerData: { tsx: TSX_API, entry: WORKER_ENTRY } });
    w.unref();
    w.on('message', (answer: AttemptAnswer) => {
      waiting.get(answer.id)?.(answer.result);
      waiting.delete(answer.id);
    });
    const fail = (why: string) => {
      if (worker === w) worker = null;
      for (const done of waiting.values()) done({ ok: false, statusCode: null, error: why, durationMs: 0 });
      waiting.clear();
    };
    w.on('error', (error) => {
      logger.warn(`webhook attempts' worker failed (${error.message}); restarting it`);
      fail(`The sender's worker failed: ${error.message}`);
    });
    w.on('exit', () => fail('The sender stopped during the attempt'));
    return w;
  };
  return {
    send(delivery, now) {
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<AttemptResult>((resolve) => {
        waiting.set(id, resolve);
        const request: AttemptRequest = { id, delivery, allowPrivate, timeoutMs, now };
        // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
        w.postMessage(request);
      });
    },
    async stop() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}

export function startWebhookSender(options: SenderOptions): WebhookSender {
  const { webhooks, logger } = options;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 2_000;
  const leaseMs = timeoutMs + LEASE_MARGIN_MS;
  const attempter = options.thread === 'inline' ? inlineAttempter(options.allowPrivate, timeoutMs) : workerAttempter(options.allowPrivate, timeoutMs, logger);
  const inFlight = new Map<string, ClaimedDelivery>();
  const perWebhook = new Map<string, number>();
  let stopped = false;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;
  /** The last turn took nothing from the outbox. */
  let idle = false;

  // A function, so the loop below reads the flag stop() sets while it awaits.
  const isStopped = () => stopped;
  const busyWebhooks = () => [...perWebhook].filter(([, n]) => n >= PER_WEBHOOK).map(([id]) => id);

  const sleepUntilNext = async () => {
    if (stopped) return;
    let wait = pollMs;
    try {
      const due = await webhooks.nextDue();
      // Due already but nothing could be taken (its webhook's slots are full, another process holds
      // it): the next look is when a slot frees (wake) or after the poll interval, not at once.
      if (due !== null && !(due <= clock() && idle)) wait = Math.min(pollMs, Math.max(0, due - clock()));
    } catch {
      // The database is away: look again after the poll interval.
    }
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(wake, wait);
    timer.unref();
  };

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        if (stopped) return;
        if (clock() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = clock();
          await webhooks.prune();
        }
        // Events committed since the last turn become deliveries first (db/webhooks.ts expandOutbox).
        while ((await webhooks.expandOutbox(OUTBOX_BATCH)) === OUTBOX_BATCH && !isStopped());
        const claimed = await webhooks.claim(CONCURRENCY - inFlight.size, leaseMs, busyWebhooks());
        // The claim takes at most `limit` rows over all webhooks; those of a webhook past its share wait
        // (lease given back) so that one receiver's backlog never takes every slot.
        const taken: ClaimedDelivery[] = [];
        const giveBack: ClaimedDelivery[] = [];
        for (const d of claimed) {
          const n = perWebhook.get(d.webhookId) ?? 0;
          if (n >= PER_WEBHOOK) giveBack.push(d);
          else {
            perWebhook.set(d.webhookId, n + 1);
            taken.push(d);
          }
        }
        await webhooks.release(giveBack);
        for (const d of taken) void run(d);
        idle = taken.length === 0;
        if (taken.length > 0 && inFlight.size < CONCURRENCY) again = true;
      } while (again && !isStopped());
    } catch (error) {
      if (!stopped) logger.warn(`webhook deliveries could not be taken from the outbox (${(error as Error).message}); trying again shortly`);
    } finally {
      pumping = false;
    }
    await sleepUntilNext();
  }

  /** Finished attempts waiting to be recorded together. */
  let finished: Array<{ delivery: ClaimedDelivery; result: AttemptResult }> = [];
  let recording: typeof finished = [];
  let flushTimer: NodeJS.Timeout | undefined;

  /** Frees the delivery's slot at once: its lease keeps it from being taken again until it is recorded. */
  function release(delivery: ClaimedDelivery): void {
    inFlight.delete(delivery.id);
    const n = (perWebhook.get(delivery.webhookId) ?? 1) - 1;
    if (n <= 0) perWebhook.delete(delivery.webhookId);
    else perWebhook.set(delivery.webhookId, n);
  }

  async function run(delivery: ClaimedDelivery): Promise<void> {
    inFlight.set(delivery.id, delivery);
    const result = await attempter.send(delivery, clock());
    if (stopped) return;
    release(delivery);
    finished.push({ delivery, result });
    flushTimer ??= setTimeout(() => void flush(), BATCH_MS);
    wake();
  }

  async function flush(): Promise<void> {
    flushTimer = undefined;
    const batch = finished;
    if (batch.length === 0 || stopped) return;
    finished = [];
    recording = batch;
    try {
      const outcomes = await webhooks.recordAll(batch);
      for (const [i, { disabled }] of outcomes.entries()) {
        const { delivery, result } = batch[i] as (typeof batch)[number];
        if (disabled) logger.warn(`webhook ${delivery.webhookId} (${delivery.url}) was disabled: it kept failing (${result.error ?? ''})`);
      }
    } catch (error) {
      // Their leases run out and they are tried again: at least once, never lost.
      if (!stopped) logger.warn(`webhook attempts could not be recorded (${(error as Error).message}); they will be sent again`);
    } finally {
      recording = [];
      // Attempts that ended while this batch was written wait for the next one.
      if (finished.length > 0) flushTimer ??= setTimeout(() => void flush(), BATCH_MS);
    }
  }

  let scheduled = false;
  function wake(): void {
    if (stopped || scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      void pump();
    }, BATCH_MS);
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(flushTimer);
      // Attempts that ended but are not recorded yet are given back too: sent again, at least once.
      const held = [...inFlight.values(), ...finished.map((f) => f.delivery), ...recording.map((f) => f.delivery)];
      await attempter.stop();
      try {
        await webhooks.release(held);
      } catch {
        // Their leases run out instead.
      }
    },
  };
}
