/**
 * Every request body the server reads is capped (issue 10, finding 2): over its cap it is refused
 * with 413 TOO_LARGE, at once when Content-Length says so, else as soon as the cap is passed, and
 * the server reads no further. Sent with node:http so that a body can be endless, chunked, or
 * announced bigger than what is sent.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AUTH_BODY_MAX_BYTES, IMPORT_BODY_MAX_BYTES, JSON_BODY_MAX_BYTES } from '../../lib/server/http/bodyLimits';
import { startTestServer, WAIT_MS } from './helpers';

const MB = 1024 * 1024;
/**
 * What the kernel can hold of a body the server no longer reads: both socket buffers on loopback
 * (receive autotuned up to 32 MB here, send up to 4 MB), with room. A server that went on reading
 * (or draining) would take well past it.
 */
const IN_FLIGHT_SLACK = 48 * MB;

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error?: { code: string; message: string } };
  /** Body bytes the client's socket accepted before the server closed the connection or all was sent. */
  sent: number;
}

/**
 * POSTs `total` bytes of `fill` in 64 kB chunks, honouring backpressure, until everything is sent or
 * the server closes the connection; resolves with the answer. `declared` sends a Content-Length
 * (possibly a lie) instead of a chunked body.
 */
function post(url: string, path: string, options: { total: number; declared?: number; headers?: Record<string, string>; fill?: string }): Promise<Sent> {
  const chunk = Buffer.alloc(64 * 1024, options.fill ?? ' ');
  return new Promise<Sent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${WAIT_MS} ms (${sent} bytes sent)`)), WAIT_MS);
    let sent = 0;
    // Set by the socket's events while the writing loop awaits.
    const connection = { closed: false };
    let answer: Omit<Sent, 'sent'> | undefined;
    let writing = true;
    const settle = () => {
      if (!answer || writing) return;
      clearTimeout(timer);
      resolve({ ...answer, sent });
    };
    const headers = { ...options.headers, ...(options.declared === undefined ? {} : { 'content-length': String(options.declared) }) };
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Sent['body']) : {} };
        settle();
      });
    });
    let wake: (() => void) | undefined;
    req.on('drain', () => wake?.());
    const stop = () => {
      connection.closed = true;
      wake?.();
    };
    // The server closing the connection mid-body is the expected end of a refused one.
    req.on('error', stop);
    req.on('close', stop);
    void (async () => {
      while (!connection.closed && sent < options.total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.total - sent));
        const flushed = req.write(piece);
        sent += piece.length;
        if (!flushed) await new Promise<void>((r) => (wake = r));
      }
      if (!connection.closed && options.declared === undefined) req.end();
      writing = false;
      settle();
    })();
  });
}

describe('request body limits', () => {
  const h = startTestServer({ passwords: true });
  const json = { 'content-type': 'application/json' };

  it('a claimed 200 MB body to sign-out without a cookie is refused with 413 before it is read, and the server keeps answering', async () => {
    // Only 64 kB of the announced 200 MB ever come: an answer at all means the server did not wait for the rest.
    const res = await post(h.url, '/api/auth/sign-out', { total: 64 * 1024, declared: 200 * MB, headers: { ...json, origin: h.url } });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'TOO_LARGE', message: `Request body is larger than ${AUTH_BODY_MAX_BYTES / 1024} kB` });
    expect(res.headers.connection).toBe('close');
    expect((await h.api('GET', '/api/health', { as: null })).status).toBe(200);
  });

  it('a chunked sign-in body past 64 kB is refused with 413 and the server stops reading it; one under the cap signs in', async () => {
    const total = AUTH_BODY_MAX_BYTES + 96 * MB;
    const res = await post(h.url, '/api/auth/sign-in/email', { total, headers: { ...json, origin: h.url } });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('TOO_LARGE');
    expect(res.sent).toBeLessThan(AUTH_BODY_MAX_BYTES + IN_FLIGHT_SLACK);

    // The cap reads the body on better-auth's behalf: a chunked one under it reaches sign-in whole.
    const user = await h.user('chunked');
    const body = JSON.stringify({ email: user.email, password: user.password });
    const signedIn = await fetch(`${h.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { ...json, origin: h.url },
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('flowboard.session_token='))).toBe(true);
    expect((await h.api('GET', '/api/health', { as: null })).status).toBe(200);
  });

  it('a REST write over 256 kB is refused with 413 whether announced or chunked, and nothing is created', async () => {
    const board = await h.seedBoard([{ name: 'Ready' }]);
    const path = `/api/boards/${board.id}/cards`;
    const auth = { ...json, authorization: `Bearer ${(await h.user('writer')).token}` };
    const announced = await post(h.url, path, { total: 64 * 1024, declared: 200 * MB, headers: auth });
    expect(announced.status).toBe(413);
    expect(announced.body.error).toEqual({ code: 'TOO_LARGE', message: `Request body is larger than ${JSON_BODY_MAX_BYTES / 1024} kB` });

    const chunked = await post(h.url, path, { total: JSON_BODY_MAX_BYTES + 96 * MB, headers: auth });
    expect(chunked.status).toBe(413);
    expect(chunked.body.error?.code).toBe('TOO_LARGE');
    expect(chunked.sent).toBeLessThan(JSON_BODY_MAX_BYTES + IN_FLIGHT_SLACK);

    expect((await h.app.store.getSnapshot(board.id)).cards).toEqual([]);
    expect((await h.api('POST', path, { body: { title: 'Still writable' } })).status).toBe(201);
  });

  it('the CSV import has its own larger cap: a file over the JSON cap imports, one over 33 MB is refused with 413', async () => {
    const auth = { 'content-type': 'text/csv', authorization: `Bearer ${(await h.user('importer')).token}` };
    const rows = ['ID,Name,Todo,Done'];
    // About 1 MB: four times the JSON cap.
    for (let i = 0; rows.join('\n').length < JSON_BODY_MAX_BYTES * 4; i++) rows.push(`ITEM-${i},${'A long title '.repeat(14)},2025-01-01,2025-01-02`);
    const imported = await h.api<{ items: number }>('POST', '/api/import/csv?tz=UTC', { rawBody: rows.join('\n'), headers: auth });
    expect(imported.status, JSON.stringify(imported.body).slice(0, 300)).toBe(201);
    expect(imported.body.items).toBe(rows.length - 1);

    const boards = (await h.app.store.listBoards()).length;
    const announced = await post(h.url, '/api/import/csv?tz=UTC', { total: 64 * 1024, declared: 200 * MB, headers: auth });
    expect(announced.status).toBe(413);
    expect(announced.body.error).toEqual({ code: 'TOO_LARGE', message: `Request body is larger than ${IMPORT_BODY_MAX_BYTES / MB} MB` });

    const chunked = await post(h.url, '/api/import/csv?tz=UTC', { total: IMPORT_BODY_MAX_BYTES + 96 * MB, headers: auth, fill: 'a' });
    expect(chunked.status).toBe(413);
    expect(chunked.body.error?.code).toBe('TOO_LARGE');
    expect(chunked.sent).toBeLessThan(IMPORT_BODY_MAX_BYTES + IN_FLIGHT_SLACK);
    expect((await h.app.store.listBoards()).length).toBe(boards);
    expect((await h.api('GET', '/api/health', { as: null })).status).toBe(200);
  }, 30_000);
});
