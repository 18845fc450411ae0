/**
 * Outgoing webhooks end to end: the real server (internal receivers allowed, as an operator would for
 * a receiver on their own network) delivers to a real HTTP receiver on this machine. The store's clock
 * is moved forward to bring retries due instead of waiting for them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../lib/server/webhooks/signature';
import { FAILURES_TO_DISABLE } from '../../lib/server/webhooks/backoff';
import type { DeliveryDTO, WebhookDTO } from '../../lib/shared/webhooks';
import { startTestServer, WAIT_MS, type TestUser } from './helpers';

/** Moved forward by tests that need a retry to come due, or an hour of failures to pass. */
let offset = 0;
const h = startTestServer({ shareBoards: false, clock: () => Date.now() + offset, webhooks: { allowPrivate: true, pollMs: 50, timeoutMs: 2_000 } });

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request; `answer` decides the status per path and count. */
class Receiver {
  readonly requests: Received[] = [];
  answer: (path: string, nth: number) => number = () => 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const nth = this.requests.filter((r) => r.path === path).length;
        const status = this.answer(path, nth);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'receiver says no' : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  async until(label: string, check: () => boolean): Promise<void> {
    const end = Date.now() + WAIT_MS;
    while (!check()) {
      if (Date.now() > end) throw new Error(`Timed out waiting for ${label} (received ${this.requests.length})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.close());

async function boardWithAdmin(admin: TestUser) {
  const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }, { name: 'Deploy' }]);
  await h.grant(admin, board.id, 'admin');
  return board;
}

async function register(admin: TestUser, boardId: string, path: string, eventTypes: string[], secret?: string) {
  const res = await h.api<{ webhook: WebhookDTO; secret: string }>('POST', `/api/boards/${boardId}/webhooks`, { as: admin, body: { url: `${receiver.url}${path}`, eventTypes, ...(secret ? { secret } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const move = async (admin: TestUser, cardId: string, toColumnId: string, reason?: string) => {
  const res = await h.api<{ version: number }>('POST', `/api/cards/${cardId}/move`, { as: admin, body: { toColumnId, ...(reason ? { reason } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.version;
};

const log = async (admin: TestUser, boardId: string, webhookId: string) =>
  (await h.api<{ deliveries: DeliveryDTO[] }>('GET', `/api/boards/${boardId}/webhooks/${webhookId}/deliveries`, { as: admin })).body.deliveries;

async function logUntil(admin: TestUser, boardId: string, webhookId: string, label: string, check: (d: DeliveryDTO[]) => boolean): Promise<DeliveryDTO[]> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const deliveries = await log(admin, boardId, webhookId);
    if (check(deliveries)) return deliveries;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${label}: ${JSON.stringify(deliveries)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('outgoing webhooks', () => {
  it('deliver each committed event of a subscribed type, signed, with its delivery id, and nothing of other types', async () => {
    const ada = await h.user('Ada');
    const board = await boardWithAdmin(ada);
    const { webhook, secret } = await register(ada, board.id, '/moves', ['card_moved']);
    expect(secret).toMatch(/^whsec_/);
    const [card] = await board.addCards('Develop', 1);
    const version = await move(ada, card!.id, board.col('Test'));
    await receiver.until('the move delivered', () => receiver.on('/moves').length >= 1);

    const [got] = receiver.on('/moves');
    const headers = got!.headers;
    expect(headers['x-flowboard-event']).toBe('card_moved');
    expect(headers['x-flowboard-delivery']).toBe(`${webhook.id}.${version}`);
    expect(headers['content-type']).toBe('application/json');
    const now = Math.floor(Date.now() / 1000);
    expect(verifyDelivery(secret, headers['x-flowboard-signature'] as string, headers['x-flowboard-timestamp'] as string, got!.body, now)).toBe(true);
    expect(verifyDelivery('not-the-secret-at-all', headers['x-flowboard-signature'] as string, headers['x-flowboard-timestamp'] as string, got!.body, now)).toBe(false);
    const body = JSON.parse(got!.body) as { type: string; boardId: string; version: number; event: { cardId: string; toColumnId: string; clientMutationId?: string } };
    expect(body).toMatchObject({ type: 'card_moved', boardId: board.id, version, event: { cardId: card!.id, toColumnId: board.col('Test') } });

    // The card's creation (an event of another type) never entered this webhook's outbox.
    const deliveries = await logUntil(ada, board.id, webhook.id, 'the delivery recorded', (d) => d.every((x) => x.status === 'delivered'));
    expect(deliveries.map((d) => d.eventType)).toEqual(['card_moved']);
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(deliveries[0]!.lastDurationMs).toBeGreaterThanOrEqual(0);
  });

  it('retry a delivery the receiver refused, with the same delivery id, until it is taken', async () => {
    const ada = await h.user('Ada');
    const board = await boardWithAdmin(ada);
    receiver.answer = (path, nth) => (path === '/flaky' && nth <= 2 ? 500 : 200);
    const { webhook } = await register(ada, board.id, '/flaky', ['card_moved', 'card_created']);
    await board.addCards('Develop', 1);
    await receiver.until('the first attempt', () => receiver.on('/flaky').length >= 1);
    const failed = await logUntil(ada, board.id, webhook.id, 'the failure recorded', (d) => d[0]?.attempts === 1);
    expect(failed[0]).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'HTTP 500: receiver says no' });
    // Its retry comes due 8 to 12 s later; so does the next one, 16 to 24 s after that.
    offset += 13_000;
    await receiver.until('the second attempt', () => receiver.on('/flaky').length >= 2);
    // Recorded before the clock moves again (a lease would look expired past it).
    await logUntil(ada, board.id, webhook.id, 'the second failure recorded', (d) => d[0]?.attempts === 2);
    offset += 25_000;
    await receiver.until('the third attempt', () => receiver.on('/flaky').length >= 3);
    const done = await logUntil(ada, board.id, webhook.id, 'the delivery recorded', (d) => d[0]?.status === 'delivered');
    expect(done[0]).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    const ids = new Set(receiver.on('/flaky').map((r) => r.headers['x-flowboard-delivery']));
    expect([...ids]).toEqual([done[0]!.id]);
    receiver.answer = () => 200;
  });

  it('redeliver a delivery with the same delivery id', async () => {
    const ada = await h.user('Ada');
    const board = await boardWithAdmin(ada);
    const { webhook } = await register(ada, board.id, '/again', ['card_created']);
    await board.addCards('Develop', 1);
    const [delivered] = await logUntil(ada, board.id, webhook.id, 'the delivery', (d) => d[0]?.status === 'delivered');
    const res = await h.api<{ delivery: DeliveryDTO }>('POST', `/api/boards/${board.id}/webhooks/${webhook.id}/deliveries/${delivered!.id}/redeliver`, { as: ada });
    expect(res.status).toBe(202);
    await receiver.until('the redelivery', () => receiver.on('/again').length >= 2);
    expect(receiver.on('/again').map((r) => r.headers['x-flowboard-delivery'])).toEqual([delivered!.id, delivered!.id]);
    const missing = await h.api<{ error: { code: string } }>('POST', `/api/boards/${board.id}/webhooks/${webhook.id}/deliveries/nope/redeliver`, { as: ada });
    expect(missing.status).toBe(404);
  });

  it('disable a webhook that keeps failing, tell its admins, and stop filling its outbox', async () => {
    const ada = await h.user('Ada');
    const board = await boardWithAdmin(ada);
    receiver.answer = (path) => (path === '/down' ? 503 : 200);
    const { webhook } = await register(ada, board.id, '/down', ['card_created']);
    await board.addCards('Develop', FAILURES_TO_DISABLE);
    await receiver.until('every first attempt', () => receiver.on('/down').length >= FAILURES_TO_DISABLE);
    const list = async () => (await h.api<{ webhooks: WebhookDTO[] }>('GET', `/api/boards/${board.id}/webhooks`, { as: ada })).body.webhooks[0]!;
    await logUntil(ada, board.id, webhook.id, 'every failure recorded', (d) => d.length === FAILURES_TO_DISABLE && d.every((x) => x.attempts >= 1));
    // Twenty failures within a minute are a bad minute, not a dead receiver.
    expect(await list()).toMatchObject({ enabled: true });
    offset += 2 * 60 * 60_000;
    await receiver.until('a retry after the hour', () => receiver.on('/down').length > FAILURES_TO_DISABLE);
    const end = Date.now() + WAIT_MS;
    while ((await list()).enabled && Date.now() < end) await new Promise((r) => setTimeout(r, 30));
    const disabled = await list();
    expect(disabled).toMatchObject({ enabled: false });
    expect(disabled.disabledReason).toMatch(/failed attempts in a row/);
    expect(await h.app.webhooks.disabledNotices(board.id)).toEqual([expect.objectContaining({ id: webhook.id })]);
    const before = (await log(ada, board.id, webhook.id)).length;
    await board.addCards('Develop', 1);
    expect((await log(ada, board.id, webhook.id)).length).toBe(before);

    // Enabled again by an admin: the notice goes, the waiting deliveries are sent.
    receiver.answer = () => 200;
    const on = await h.api<{ webhook: WebhookDTO }>('PATCH', `/api/boards/${board.id}/webhooks/${webhook.id}`, { as: ada, body: { enabled: true } });
    expect(on.body.webhook).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    expect(await h.app.webhooks.disabledNotices(board.id)).toEqual([]);
    // An attempt already on its way when the webhook was turned back on comes back with a 503 and its
    // own backoff (10 to 20 s): the clock moves on while waiting, so those retries fall due too.
    await logUntil(ada, board.id, webhook.id, 'the waiting deliveries sent', (d) => {
      const sent = d.every((x) => x.status === 'delivered');
      if (!sent) offset += 60_000;
      return sent;
    });
  });

  it('are for board admins only, and never show the secret after it was created', async () => {
    const [ada, max, vic, eve] = await Promise.all(['Ada', 'Max', 'Vic', 'Eve'].map((n) => h.user(n)));
    const board = await boardWithAdmin(ada!);
    await h.grant(max!, board.id, 'member');
    await h.grant(vic!, board.id, 'viewer');
    const { webhook, secret } = await register(ada!, board.id, '/private', ['card_moved'], 'a-secret-chosen-by-the-admin');
    expect(secret).toBe('a-secret-chosen-by-the-admin');
    const path = `/api/boards/${board.id}/webhooks`;
    for (const who of [max!, vic!]) {
      for (const [method, p, body] of [
        ['GET', path, undefined],
        ['POST', path, { url: `${receiver.url}/x`, eventTypes: ['card_moved'] }],
        ['PATCH', `${path}/${webhook.id}`, { enabled: false }],
        ['DELETE', `${path}/${webhook.id}`, undefined],
        ['GET', `${path}/${webhook.id}/deliveries`, undefined],
      ] as const) {
        const res = await h.api<{ error: { code: string; message: string } }>(method, p, { as: who, body });
        expect(res.status, `${who.name} ${method} ${p}`).toBe(403);
        expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: 'Only a board admin may do this' });
      }
    }
    expect((await h.api('GET', path, { as: eve! })).status).toBe(404);
    const listed = await h.api('GET', path, { as: ada! });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body).toMatchObject({ webhooks: [{ id: webhook.id, secretHint: '…dmin' }] });
    // Nor is it in the board's log.
    const events = await h.api('GET', `/api/boards/${board.id}/events`, { as: ada! });
    expect(JSON.stringify(events.body)).not.toContain(secret);
    const gone = await h.api('DELETE', `${path}/${webhook.id}`, { as: ada! });
    expect(gone).toMatchObject({ status: 200, body: { webhooks: [] } });
  });

  it('refuse bad input with a clear error and change nothing', async () => {
    const ada = await h.user('Ada');
    const board = await boardWithAdmin(ada);
    const path = `/api/boards/${board.id}/webhooks`;
    for (const body of [
      { url: 'not a url', eventTypes: ['card_moved'] },
      { url: 'ftp://example.com/', eventTypes: ['card_moved'] },
      { url: `${receiver.url}/x`, eventTypes: [] },
      { url: `${receiver.url}/x`, eventTypes: ['card_exploded'] },
      { url: `${receiver.url}/x`, eventTypes: ['card_moved'], secret: 'short' },
      { url: `${receiver.url}/x`, eventTypes: ['card_moved'], extra: 1 },
    ]) {
      const res = await h.api<{ error: { code: string; message: string } }>('POST', path, { as: ada, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    expect((await h.api('GET', path, { as: ada })).body).toEqual({ webhooks: [] });
    expect((await h.api('PATCH', `${path}/wh_nope`, { as: ada, body: { enabled: false } })).status).toBe(404);
    expect((await h.api('GET', `${path}/wh_nope/deliveries?status=pending`, { as: ada })).status).toBe(404);
  });
});
