import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_CSV_BYTES } from '../../shared/flow/csv';

/** A card with a full description is about 20 kB. */
export const JSON_BODY_MAX_BYTES = 256 * 1024;
/** A CSV file at its own limit, with room for a form's boundaries and fields around it. */
export const IMPORT_BODY_MAX_BYTES = MAX_CSV_BYTES + 1024 * 1024;
/** A pipeline's delivery: GitHub caps its payloads at 25 MB, but those we read (a push of 100 commits, a group of alerts) are far smaller. */
export const HOOK_BODY_MAX_BYTES = 1024 * 1024;
/** Sign-up, sign-in, a name change: a few hundred bytes; room to spare, none for a flood before sign-in. */
export const AUTH_BODY_MAX_BYTES = 64 * 1024;

const describeBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} kB`);

export function tooLargeBody(maxBytes: number) {
  return { error: { code: 'TOO_LARGE', message: `Request body is larger than ${describeBytes(maxBytes)}` } } as const;
}

/**
 * `connection: close` is what stops the reading: Node closes the connection once the answer is
 * sent, so the rest of the body is never read (keeping it open would mean reading it all to find
 * where the next request starts).
 */
const TOO_LARGE_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' };

/** Hono's body limit with our error: refused on Content-Length before reading, else once the cap is passed. */
export const limitBody = (maxBytes: number): MiddlewareHandler =>
  bodyLimit({ maxSize: maxBytes, onError: (c) => c.body(JSON.stringify(tooLargeBody(maxBytes)), 413, TOO_LARGE_HEADERS) });

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

function refuse(res: ServerResponse, maxBytes: number): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(413, TOO_LARGE_HEADERS).end(JSON.stringify(tooLargeBody(maxBytes)));
}

/** The whole body, or what stopped it; past the cap the stream is paused, never read on. */
function readUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: Buffer | 'too large' | 'gone') => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.pause();
      settle('too large');
    };
    const onEnd = () => settle(Buffer.concat(chunks));
    const onGone = () => settle('gone');
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/**
 * Caps the body of a Node handler that reads bodies on its own (better-auth's, under /api/auth).
 * A Content-Length over the cap is refused before anything is read; a body without one is read up
 * to the cap and no further. What was read is handed on as `req.body`, the text a body parser in
 * front would leave, which better-auth's Node adapter reads in place of the consumed stream.
 */
export function capNodeBody(handler: NodeHandler, maxBytes: number): NodeHandler {
  return async (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') return handler(req, res);
    const declared = Number(req.headers['content-length']);
    if (req.headers['transfer-encoding'] === undefined && declared > maxBytes) return refuse(res, maxBytes);
    const body = await readUpTo(req, maxBytes);
    if (body === 'too large') return refuse(res, maxBytes);
    // The client went away mid-body: nobody is left to answer.
    if (body === 'gone') return void res.destroy();
    if (body.length > 0) (req as IncomingMessage & { body?: string }).body = body.toString('utf8');
    return handler(req, res);
  };
}
