/**
 * Every response carries the security headers: REST (success, refusals of every kind, CSV exports),
 * better-auth's routes, Socket.IO's HTTP handshake and anything else the server answers. Pages and
 * static assets, served by Next, are checked in the end-to-end tests (tests/e2e/security-headers.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers';

const h = startTestServer({ passwords: true });

function expectSecurityHeaders(headers: Headers, label: string): string {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, label).toMatch(/frame-ancestors 'none'/);
  expect(csp, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+={0,2}' 'strict-dynamic'/);
  expect(csp, label).toMatch(/object-src 'none'/);
  expect(csp, label).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers.get('x-frame-options'), label).toBe('DENY');
  expect(headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(headers.get('referrer-policy'), label).toBe('no-referrer');
  return csp;
}

describe('security headers', () => {
  it('are on every kind of response: REST, refusals, exports, auth, the socket handshake, unknown paths', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Done' }]);
    const api = await h.user('api');
    const bearer = { authorization: `Bearer ${api.token}` };
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { headers });
    const responses: Array<[string, Response]> = [
      ['health', await get('/api/health')],
      ['a board', await get(`/api/boards/${board.id}`, bearer)],
      ['unauthenticated', await get('/api/boards')],
      ['unknown board', await get('/api/boards/nope', bearer)],
      ['unknown API route', await get('/api/nothing-here', bearer)],
      ['wrong method', await fetch(`${h.url}/api/health`, { method: 'POST' })],
      ['invalid body', await fetch(`${h.url}/api/boards`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{' })],
      ['too large', await fetch(`${h.url}/api/boards`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: 'x'.repeat(2_000_000) })],
      ['CSV export', await get(`/api/boards/${board.id}/export/items.csv`, bearer)],
      ['auth session', await get('/api/auth/get-session')],
      ['auth refusal', await fetch(`${h.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: h.url }, body: JSON.stringify({ email: 'nobody@test.flowboard', password: 'wrong password here' }) })],
      ['socket handshake', await get('/socket.io/?EIO=4&transport=polling')],
      ['socket refusal', await get('/socket.io/?EIO=4&transport=nope')],
      ['a page path', await get('/boards/whatever')],
    ];
    const nonces = new Set<string>();
    for (const [label, res] of responses) {
      await res.arrayBuffer();
      const csp = expectSecurityHeaders(res.headers, `${label} (${res.status})`);
      nonces.add(/'nonce-([^']+)'/.exec(csp)?.[1] ?? '');
    }
    // The kinds above answered as they should (so each is the kind it claims to be).
    expect(responses.map(([label, res]) => [label, res.status])).toEqual([
      ['health', 200],
      ['a board', 200],
      ['unauthenticated', 401],
      ['unknown board', 404],
      ['unknown API route', 404],
      ['wrong method', 405],
      ['invalid body', 400],
      ['too large', 413],
      ['CSV export', 200],
      ['auth session', 200],
      ['auth refusal', 401],
      ['socket handshake', 200],
      ['socket refusal', 400],
      ['a page path', 404],
    ]);
    // A fresh nonce for every response.
    expect(nonces.size).toBe(responses.length);
  });

  it('a nonce sent by the client is not the one the page gets', async () => {
    const res = await fetch(`${h.url}/api/health`, { headers: { 'content-security-policy': "script-src 'nonce-chosen'" } });
    expect(res.headers.get('content-security-policy')).not.toMatch(/nonce-chosen/);
  });
});
