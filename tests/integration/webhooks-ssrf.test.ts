/**
 * No server-side request forgery through a webhook URL: with the operator's setting off (the
 * default), URLs of loopback, link-local and private addresses are refused when registered, and a
 * webhook that names one anyway (registered while allowed, or DNS changed since) is refused at send.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDTO } from '../../lib/shared/webhooks';
import { startTestServer, WAIT_MS } from './helpers';

const h = startTestServer({ webhooks: { pollMs: 50 } });

let hits = 0;
const receiver = createServer((_req, res) => {
  hits++;
  res.end('ok');
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe('webhook URLs', () => {
  it.each(['http://127.0.0.1:PORT/hook', 'http://[::1]:PORT/', 'http://169.254.169.254/latest/meta-data/', 'http://localhost:PORT/', 'http://10.0.0.1/', 'http://[::ffff:127.0.0.1]:PORT/'])(
    '%s is refused with WEBHOOK_URL_REFUSED and nothing is registered',
    async (template) => {
      const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }]);
      const url = template.replace('PORT', String(port));
      const res = await h.api<{ error: { code: string; message: string } }>('POST', `/api/boards/${board.id}/webhooks`, { body: { url, eventTypes: ['card_created'] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('WEBHOOK_URL_REFUSED');
      expect(res.body.error.message).toMatch(/FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE/);
      expect((await h.api('GET', `/api/boards/${board.id}/webhooks`)).body).toEqual({ webhooks: [] });
    },
  );

  it('cannot be changed to an internal address either', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const { webhook } = await h.app.webhooks.create(board.id, { url: 'https://hooks.example.com/in', eventTypes: ['card_created'] }, null);
    const res = await h.api<{ error: { code: string } }>('PATCH', `/api/boards/${board.id}/webhooks/${webhook.id}`, { body: { url: `http://127.0.0.1:${port}/` } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WEBHOOK_URL_REFUSED');
    expect((await h.app.webhooks.get(board.id, webhook.id)).url).toBe('https://hooks.example.com/in');
  });

  it('that name an internal address are refused at send too, and the receiver hears nothing', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    // Written past the API's check, as a webhook registered while the setting was on would be.
    const { webhook } = await h.app.webhooks.create(board.id, { url: `http://127.0.0.1:${port}/hook`, eventTypes: ['card_created'] }, null);
    await board.addCards('Develop', 1);
    const end = Date.now() + WAIT_MS;
    let deliveries: DeliveryDTO[] = [];
    while (Date.now() < end) {
      deliveries = await h.app.webhooks.deliveries(board.id, webhook.id);
      if (deliveries[0]?.attempts === 1) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(deliveries[0]!.lastError).toMatch(/may not be sent to 127\.0\.0\.1: it is a loopback address/);
    expect(hits).toBe(0);
  });
});
