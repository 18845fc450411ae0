import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTP_STATUS, type ErrorCode } from '../../shared/domain/errors';
import type { Result } from './routes';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function sendJson(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, { ...JSON_HEADERS, ...headers });
}

/** Every REST refusal: `{ error: { code, message } }` with the code's HTTP status. */
export function sendError(c: Context, failure: { code: ErrorCode; message: string }, headers: Record<string, string> = {}): Response {
  return sendJson(c, HTTP_STATUS[failure.code], { error: { code: failure.code, message: failure.message } }, headers);
}

/** Slices of a byte body handed to the socket one at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes made elsewhere (the heavy-read worker) go out as a stream of views into them, a slice per
 * pull: a Response built on the bytes themselves would copy all of them at once (200 ms for 60 MB,
 * with the event loop held).
 */
export function byteStream(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let part = 0;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const bytes = parts[part];
      if (!bytes) return controller.close();
      const end = Math.min(offset + CHUNK_BYTES, bytes.byteLength);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      if (offset >= bytes.byteLength) {
        part++;
        offset = 0;
      }
    },
  });
}

const isBytes = (body: unknown): body is Uint8Array | Uint8Array[] => body instanceof Uint8Array || (Array.isArray(body) && body.every((b) => b instanceof Uint8Array));

export function sendResult(c: Context, result: Result): Response {
  const { body } = result;
  const streamed = body instanceof ReadableStream;
  if (result.contentType === undefined || !(typeof body === 'string' || streamed || isBytes(body))) return sendJson(c, result.status, body);
  const headers: Record<string, string> = { 'content-type': result.contentType, 'cache-control': 'no-store' };
  if (result.filename) headers['content-disposition'] = `attachment; filename="${result.filename}"`;
  // Made page by page as the socket takes them (lib/server/heavyReads.ts): no length known up front.
  if (streamed) return c.body(body, result.status as ContentfulStatusCode, headers);
  if (typeof body === 'string') return c.body(body, result.status as ContentfulStatusCode, headers);
  const parts = Array.isArray(body) ? body : [body];
  headers['content-length'] = String(parts.reduce((n, b) => n + b.byteLength, 0));
  return c.body(byteStream(parts), result.status as ContentfulStatusCode, headers);
}
