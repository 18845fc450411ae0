import { describe, expect, it } from 'vitest';
import { startTestServer, type Harness } from './helpers';

/**
 * better-auth throttles sign-in attempts per client address (3 per 10 s). Behind a reverse proxy
 * every request comes from the proxy: with FLOWBOARD_TRUSTED_PROXIES the address is read from
 * X-Forwarded-For, so one client's attempts do not lock everyone else out.
 */
const attempt = (h: Harness, forwardedFor: string) =>
  fetch(`${h.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.url, 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email: 'nobody@example.test', password: 'not the password at all' }),
  }).then((res) => res.status);

async function exhaust(h: Harness, forwardedFor: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push(await attempt(h, forwardedFor));
  return statuses;
}

describe('behind one trusted proxy', () => {
  const h = startTestServer({ authRateLimit: true, trustedProxies: 1 });

  it('throttles each forwarded client on its own', async () => {
    const first = await exhaust(h, '203.0.113.7');
    expect(first.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(first[3]).toBe(429);
    // Another client behind the same proxy is not locked out by the first one's attempts.
    expect(await attempt(h, '198.51.100.23')).toBe(401);
    // A client cannot escape its bucket by writing its own X-Forwarded-For before the proxy's entry.
    expect(await attempt(h, '192.0.2.1, 203.0.113.7')).toBe(429);
  });
});

describe('with no trusted proxy', () => {
  const h = startTestServer({ authRateLimit: true });

  it('ignores X-Forwarded-For: the connection is the client', async () => {
    const statuses = await exhaust(h, '203.0.113.7');
    expect(statuses[3]).toBe(429);
    expect(await attempt(h, '198.51.100.23')).toBe(429);
  });
});
