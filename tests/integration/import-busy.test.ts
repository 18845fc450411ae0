/**
 * One CSV import at a time per account (issue 10, finding 8): while one runs, the same account's next
 * is refused with 429 IMPORT_BUSY before its body is read; other accounts import meanwhile; the lease
 * is given back when an import finishes or fails, and one left behind expires.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dbGet, dbRun, startTestServer, WAIT_MS, type TestUser } from './helpers';

const h = startTestServer({ shareBoards: false });

const CSV = 'ID,Name,Todo,Done\nA,First,2025-01-01,2025-01-03\nB,Second,2025-01-02,\n';
const importAs = (as: TestUser, csv = CSV, headers: Record<string, string> = {}) =>
  h.api<{ boardId?: string; error?: { code: string; message: string } }>('POST', '/api/import/csv?tz=UTC', { rawBody: csv, headers: { 'content-type': 'text/csv', ...headers }, as });

/** An import whose body is still being sent: the server holds its lease until `finish`. */
function slowImport(as: TestUser): { finish(): Promise<{ status: number; body: string }>; request: ClientRequest } {
  const url = new URL('/api/import/csv?tz=UTC', h.url);
  let answer: Promise<{ status: number; body: string }> | undefined;
  const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${as.token}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } });
  answer = new Promise((resolve, reject) => {
    request.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
  request.write('ID,Name,Todo,Done\n');
  return {
    request,
    finish: () => {
      request.end('A,First,2025-01-01,2025-01-03\n');
      return answer;
    },
  };
}

/** Until the server has taken `userId`'s lease (the slow import has reached the handler). */
async function leaseTaken(userId: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await dbGet(h.app, 'select user_id from import_leases where user_id = ?', [userId]))) {
    if (Date.now() > deadline) throw new Error('the first import never took its lease');
    await sleep(10);
  }
}

describe('concurrent CSV imports', () => {
  it('an account’s second import is refused while its first runs, and accepted once it is done', async () => {
    const ada = await h.user('importer ada');
    const bo = await h.user('importer bo');
    const first = slowImport(ada);
    await leaseTaken(ada.id);

    const busy = await importAs(ada);
    expect(busy.status).toBe(429);
    expect(busy.body.error?.code).toBe('IMPORT_BUSY');
    expect(busy.body.error?.message).toContain('one import at a time per account');
    expect(busy.headers.get('retry-after')).toBe('5');
    // Another account is not held up.
    expect((await importAs(bo)).status).toBe(201);

    const done = await first.finish();
    expect(done.status).toBe(201);
    expect((await importAs(ada)).status).toBe(201);
    expect(await dbGet(h.app, 'select user_id from import_leases where user_id = ?', [ada.id])).toBeUndefined();
  });

  it('a refused file and a streamed import give the lease back', async () => {
    const cy = await h.user('importer cy');
    const bad = await importAs(cy, 'ID,Name,Todo\nA,,not a date\n');
    expect(bad.status).toBe(400);
    expect((await importAs(cy)).status).toBe(201);

    const streamed = await fetch(`${h.url}/api/import/csv?tz=UTC`, {
      method: 'POST',
      body: CSV,
      headers: { authorization: `Bearer ${cy.token}`, 'content-type': 'text/csv', accept: 'application/x-ndjson' },
    });
    expect(streamed.status).toBe(201);
    expect((await streamed.text()).trim().split('\n').at(-1)).toContain('"done"');
    // The last line says done; by then the next import may start.
    expect((await importAs(cy)).status).toBe(201);
  });

  it('a lease left by a process that died frees itself when it expires', async () => {
    const di = await h.user('importer di');
    await dbRun(h.app, 'insert into import_leases (user_id, lease_id, expires_at) values (?, ?, ?)', [di.id, 'left behind', Date.now() + 60_000]);
    expect((await importAs(di)).body.error?.code).toBe('IMPORT_BUSY');
    await dbRun(h.app, 'update import_leases set expires_at = ? where user_id = ?', [Date.now() - 1, di.id]);
    expect((await importAs(di)).status).toBe(201);
  });
});
