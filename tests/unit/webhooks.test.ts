/** Outgoing webhooks' pure rules: the signature, the retry schedule, and which addresses a delivery may reach. */
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FAILURES_TO_DISABLE, FAILING_FOR_MS, nextAttemptAt, retryDelayMs, RETRY_MAX_DELAY_MS, RETRY_WINDOW_MS, shouldDisable } from '../../lib/server/webhooks/backoff';
import { signDelivery, verifyDelivery } from '../../lib/server/webhooks/signature';
import { refusedAddress, vetWebhookUrl } from '../../lib/server/webhooks/ssrf';
import { webhookSchemas } from '../../lib/shared/webhooks';

describe('the delivery signature', () => {
  const body = '{"type":"card_moved","version":7}';
  it('is the HMAC-SHA256 of "<timestamp>.<body>" with the secret, in hex after sha256=', () => {
    const expected = createHmac('sha256', 'a-secret-of-16+chars').update(`1700000000.${body}`).digest('hex');
    expect(signDelivery('a-secret-of-16+chars', 1700000000, body)).toBe(`sha256=${expected}`);
  });
  it('verifies a valid delivery and refuses an invalid, missing or replayed one', () => {
    const secret = 'a-secret-of-16+chars';
    const sig = signDelivery(secret, 1700000000, body);
    expect(verifyDelivery(secret, sig, '1700000000', body, 1700000010)).toBe(true);
    expect(verifyDelivery('another-secret-16chars', sig, '1700000000', body, 1700000010)).toBe(false);
    expect(verifyDelivery(secret, sig, '1700000000', `${body} `, 1700000010)).toBe(false);
    expect(verifyDelivery(secret, sig, '1700000001', body, 1700000010)).toBe(false);
    expect(verifyDelivery(secret, undefined, '1700000000', body, 1700000010)).toBe(false);
    expect(verifyDelivery(secret, sig, undefined, body, 1700000010)).toBe(false);
    // The same delivery an hour later: a replay.
    expect(verifyDelivery(secret, sig, '1700000000', body, 1700003600)).toBe(false);
  });
});

describe('the retry schedule', () => {
  it('doubles from 10 s up to an hour, within ±20 %', () => {
    expect(retryDelayMs(1, 0.5)).toBe(10_000);
    expect(retryDelayMs(2, 0.5)).toBe(20_000);
    expect(retryDelayMs(5, 0.5)).toBe(160_000);
    expect(retryDelayMs(30, 0.5)).toBe(RETRY_MAX_DELAY_MS);
    expect(retryDelayMs(1, 0)).toBe(8_000);
    expect(retryDelayMs(1, 0.999999)).toBe(12_000);
  });
  it('keeps trying for a day from the event, then gives up', () => {
    const from = 1_000_000;
    let now = from;
    let failures = 0;
    for (;;) {
      failures++;
      const next = nextAttemptAt(from, failures, now, 0.5);
      if (next === null) break;
      expect(next).toBeGreaterThan(now);
      now = next;
    }
    expect(now).toBeLessThanOrEqual(from + RETRY_WINDOW_MS);
    expect(now).toBeGreaterThan(from + RETRY_WINDOW_MS - RETRY_MAX_DELAY_MS * 1.2);
    expect(failures).toBeGreaterThan(20);
  });
  it('disables a webhook after enough failures in a row over at least an hour, not before', () => {
    expect(shouldDisable(FAILURES_TO_DISABLE, 0, FAILING_FOR_MS)).toBe(true);
    expect(shouldDisable(FAILURES_TO_DISABLE - 1, 0, FAILING_FOR_MS * 10)).toBe(false);
    expect(shouldDisable(FAILURES_TO_DISABLE * 5, 0, FAILING_FOR_MS - 1)).toBe(false);
    expect(shouldDisable(FAILURES_TO_DISABLE, null, FAILING_FOR_MS)).toBe(false);
  });
});

describe('addresses a delivery may not reach', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
  ])('%s is refused', (address) => {
    expect(refusedAddress(address)).not.toBeNull();
  });
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:4860:4860::8888'])('%s is allowed', (address) => {
    expect(refusedAddress(address)).toBeNull();
  });
  it('is no address at all when it does not parse', () => {
    expect(refusedAddress('1.2.3')).not.toBeNull();
    expect(refusedAddress('1::2::3')).not.toBeNull();
  });
});

const resolvesTo = (address: string, family = 4) => async () => [{ address, family }];
const mixed = async () => [
  { address: '93.184.216.34', family: 4 },
  { address: '127.0.0.1', family: 4 },
];
const nowhere = async () => {
  throw new Error('ENOTFOUND');
};

describe('a webhook URL', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
  ])('%s is refused', async (url) => {
    await expect(vetWebhookUrl(url, { allowPrivate: false })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
  });
  it('is refused when its name resolves to an internal address, and every address is checked', async () => {
    await expect(vetWebhookUrl('https://hooks.example.test/x', { allowPrivate: false, resolve: resolvesTo('10.0.0.5') })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    await expect(vetWebhookUrl('https://hooks.example.test/x', { allowPrivate: false, resolve: mixed })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
  });
  it('is refused when it is not http(s), or its name does not resolve', async () => {
    await expect(vetWebhookUrl('ftp://example.com/', { allowPrivate: true })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    await expect(vetWebhookUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    await expect(vetWebhookUrl('https://nowhere.example.test/', { allowPrivate: false, resolve: nowhere })).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
  });
  it('is accepted on a public address, pinned to the address it resolved to', async () => {
    const vetted = await vetWebhookUrl('https://hooks.example.test/x', { allowPrivate: false, resolve: resolvesTo('93.184.216.34') });
    expect(vetted).toMatchObject({ address: '93.184.216.34', family: 4 });
  });
  it('may reach internal addresses when the operator allows it', async () => {
    await expect(vetWebhookUrl('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

describe('the webhook request schemas', () => {
  it('need an http(s) URL, a secret of 16 characters or none, and known event types', () => {
    expect(webhookSchemas.create.safeParse({ url: 'https://x.test/h', eventTypes: ['card_moved'] }).success).toBe(true);
    expect(webhookSchemas.create.safeParse({ url: 'javascript:alert(1)', eventTypes: ['card_moved'] }).success).toBe(false);
    expect(webhookSchemas.create.safeParse({ url: 'https://x.test/h', secret: 'short', eventTypes: ['card_moved'] }).success).toBe(false);
    expect(webhookSchemas.create.safeParse({ url: 'https://x.test/h', eventTypes: [] }).success).toBe(false);
    expect(webhookSchemas.create.safeParse({ url: 'https://x.test/h', eventTypes: ['card_exploded'] }).success).toBe(false);
    expect(webhookSchemas.update.safeParse({}).success).toBe(false);
  });
});

describe('the worked example of docs/integrations.md', () => {
  it('signs the documented body with the documented secret and timestamp to the documented header', () => {
    // The outgoing webhooks' part of the guide (the inbound hooks' part, before it, has JSON examples of its own).
    const doc = readFileSync(new URL('../../docs/integrations.md', import.meta.url), 'utf8').split('## Outgoing webhooks')[1] ?? '';
    const body = /```json\n(.*)\n```/.exec(doc)?.[1] ?? '';
    const header = /X-Flowboard-Signature: (sha256=[0-9a-f]{64})/.exec(doc)?.[1];
    expect(body.length).toBeGreaterThan(0);
    expect(signDelivery('whsec_3q2-example-secret-do-not-use', 1796549400, body)).toBe(header);
  });
});
