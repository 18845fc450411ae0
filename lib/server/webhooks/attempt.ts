/**
 * One attempt of a delivery: the signed POST, with a deadline, to the address its URL was vetted to
 * (lib/server/webhooks/ssrf.ts). Runs in the attempts' worker thread (attemptWorker.ts), or inline.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AttemptResult, ClaimedDelivery } from '../../../db/webhooks';
import { WEBHOOK_HEADERS } from '../../shared/webhooks';
import { signDelivery } from './signature';
import { pinnedLookup, vetWebhookUrl } from './ssrf';

/** What the sender asks of the worker, and what it answers. */
export interface AttemptRequest {
  id: number;
  delivery: ClaimedDelivery;
  allowPrivate: boolean;
  timeoutMs: number;
  /** The app's clock at the attempt (milliseconds): the signed timestamp. */
  now: number;
}
export interface AttemptAnswer {
  id: number;
  result: AttemptResult;
}

/** Enough of a refusal's body to explain it in the log. */
const BODY_KEPT = 300;
/**
 * Connections to receivers are kept open between deliveries (a TLS handshake per delivery would cost
 * more than the delivery). A kept connection was made to an address vetted when it was opened; a new
 * one is vetted again (pinnedLookup).
 */
// More sockets per host than the sender ever has requests under way: a slow webhook on the same host
// as another never makes the other wait for a socket.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: 60_000 };
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

