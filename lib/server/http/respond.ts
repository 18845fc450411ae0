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

export function sendResult(c: Context, result: Result): Response {
  if (result.contentType === undefined || !(typeof result.body === 'string' || result.body instanceof Uint8Array)) return sendJson(c, result.status, result.body);
  const headers: Record<string, string> = { 'content-type': result.contentType, 'cache-control': 'no-store' };
  if (result.filename) headers['content-disposition'] = `attachment; filename="${result.filename}"`;
  return c.body(result.body as string | Uint8Array<ArrayBuffer>, result.status as ContentfulStatusCode, headers);
}
