/**
 * The delivery worker of one app process: takes due deliveries from the outbox (db/webhooks.ts) under
 * a lease, POSTs them signed, and records each attempt. Every process runs one; on PostgreSQL they
 * share the outbox without taking each other's rows.
 *
 * Nothing here is on a move's path: a write only puts rows in the outbox and wakes this worker after
 * its commit. Requests are plain non-blocking sockets with a deadline, at most CONCURRENCY at once and
 * PER_WEBHOOK per receiver, so a slow receiver holds its own slots and nobody else's.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AttemptResult, ClaimedDelivery, Webhooks } from '../../../db/webhooks';
import { WEBHOOK_HEADERS } from '../../shared/webhooks';
import type { Logger } from '../logger';
import { signDelivery } from './signature';
import { pinnedLookup, vetWebhookUrl } from './ssrf';

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
/** Enough of a refusal's body to explain it in the log. */
const BODY_KEPT = 300;
const PRUNE_EVERY_MS = 60 * 60_000;
/**
 * A burst of moves is taken from the outbox in one claim, and the attempts that end in the same
 * moment are recorded in one transaction: without this, each move cost the process a claim and a
 * write per webhook on the same connection the moves use (fan-out 1.8x the figure without webhooks).
 */
const BATCH_MS = 25;

/**
 * Connections to receivers are kept open between deliveries (a TLS handshake per delivery would cost
 * more than the delivery). A kept connection was made to an address vetted when it was opened; a new
 * one is vetted again (pinnedLookup).
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: PER_WEBHOOK * 4, maxFreeSockets: 64, timeout: 60_000 };
const agents = { http: new HttpAgent(AGENT_OPTIONS), https: new HttpsAgent(AGENT_OPTIONS) };

/** One POST of a delivery; resolves with what came of it, never rejects. */
export async function attempt(delivery: ClaimedDelivery, options: { allowPrivate: boolean; timeoutMs: number; signal: AbortSignal; now: () => number }): Promise<AttemptResult> {
  const started = performance.now();
  const took = () => performance.now() - started;
  let vetted;
  try {
    // Checked at every send, not only at registration: DNS may point elsewhere by now.
    vetted = await vetWebhookUrl(delivery.url, { allowPrivate: options.allowPrivate });
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message, durationMs: took() };
  }
  const timestamp = Math.floor(options.now() / 1000);
  const body = Buffer.from(delivery.payload, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.byteLength),
    'user-agent': 'Flowboard-Webhooks/1',
    [WEBHOOK_HEADERS.delivery]: delivery.id,
    [WEBHOOK_HEADERS.event]: delivery.eventType,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signDelivery(delivery.secret, timestamp, delivery.payload),
  };
  const secure = vetted.url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const done = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal.removeEventListener('abort', onAbort);
      resolve({ ...result, durationMs: took() });
    };
    const req = send(vetted.url, { method: 'POST', headers, lookup: pinnedLookup(vetted), agent: secure ? agents.https : agents.http }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < BODY_KEPT) chunks.push(chunk);
        kept += chunk.byteLength;
      });
      res.on('error', () => undefined);
      res.on('end', () => {
        if (status >= 200 && status < 300) return done({ ok: true, statusCode: status, error: null });
        const text = Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEPT).replace(/\s+/g, ' ').trim();
        const why = status >= 300 && status < 400 ? 'redirects are not followed' : text;
        done({ ok: false, statusCode: status, error: `HTTP ${status}${why ? `: ${why}` : ''}` });
      });
    });
    const deadline = setTimeout(() => {
      done({ ok: false, statusCode: null, error: `No answer within ${Math.round(options.timeoutMs / 1000)} s` });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      done({ ok: false, statusCode: null, error: 'The server stopped during the attempt' });
      req.destroy();
    };
    options.signal.addEventListener('abort', onAbort);
    req.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, statusCode: null, error: error.code ? `${error.code}: ${error.message}` : error.message }));
    req.end(body);
  });
}

export function startWebhookSender(options: SenderOptions): WebhookSender {
  const { webhooks, logger } = options;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 2_000;
  const leaseMs = timeoutMs + LEASE_MARGIN_MS;
  const abort = new AbortController();
  const inFlight = new Map<string, ClaimedDelivery>();
  const perWebhook = new Map<string, number>();
  let stopped = false;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  // A function, so the loop below reads the flag stop() sets while it awaits.
  const isStopped = () => stopped;
  const busyWebhooks = () => [...perWebhook].filter(([, n]) => n >= PER_WEBHOOK).map(([id]) => id);

  const sleepUntilNext = async () => {
    if (stopped) return;
    let wait = pollMs;
    try {
      const due = await webhooks.nextDue();
      if (due !== null) wait = Math.min(pollMs, Math.max(0, due - clock()));
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
    const result = await attempt(delivery, { allowPrivate: options.allowPrivate, timeoutMs, signal: abort.signal, now: clock });
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
      abort.abort();
      try {
        await webhooks.release(held);
      } catch {
        // Their leases run out instead.
      }
    },
  };
}
