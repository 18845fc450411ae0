/**
 * The hardened surface: who may open a socket, which cookie writes are accepted (CSRF), API tokens,
 * sessions, write rate limits, and the first account on a new database.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../lib/server/accounts';
import { startApp } from '../../lib/server/app';
import { memoryLogger } from '../../lib/server/logger';
import { connectOutcome, startTestServer, WAIT_MS, type Harness, type TestUser, dbGet, dbAll } from './helpers';

const h = startTestServer({ writeRate: { perSecond: 2, burst: 5 }, passwords: true });

/** Signs in through better-auth's endpoint, as the sign-in page does; returns the Cookie header to send. */
async function signIn(harness: Harness, user: TestUser): Promise<string> {
  const res = await fetch(`${harness.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: harness.url },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  expect(res.status).toBe(200);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('flowboard.session_token='));
  // httpOnly and SameSite=Lax; Secure only over https (this is http).
  expect(session).toMatch(/HttpOnly/i);
  expect(session).toMatch(/SameSite=Lax/i);
  expect(session).not.toMatch(/Secure/i);
  return cookies.join('; ');
}

describe('the socket handshake', () => {
  it('a socket from a foreign Origin is refused, even with valid credentials; the app origin is accepted', async () => {
    const user = await h.user('origin tester');
    const cookie = await signIn(h, user);
    expect(await connectOutcome(h.socket({ token: user.token }, { origin: 'https://evil.example' }))).not.toBe('connected');
    expect(await connectOutcome(h.socket({}, { origin: 'https://evil.example', cookie }))).not.toBe('connected');
    expect(await connectOutcome(h.socket({}, { origin: `http://localhost:${h.app.port}.evil.example`, cookie }))).not.toBe('connected');
    expect(await connectOutcome(h.socket({}, { origin: h.url, cookie }))).toBe('connected');
  });

  it('a socket without credentials, or with a wrong token or cookie, is refused as UNAUTHENTICATED', async () => {
    expect(await connectOutcome(h.socket(undefined))).toBe('UNAUTHENTICATED');
    expect(await connectOutcome(h.socket({ token: 'fbt_forged' }))).toBe('UNAUTHENTICATED');
    expect(await connectOutcome(h.socket({}, { cookie: 'flowboard.session_token=forged.value' }))).toBe('UNAUTHENTICATED');
  });

  it('presence and events carry the account name and id, whatever name a client claims', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }]);
    const [card] = await board.addCards('Develop', 1);
    const user = await h.user('Real Name');
    const s = h.socket({ token: user.token, name: 'Impostor' });
    expect(await connectOutcome(s)).toBe('connected');
    const joined = (await s.timeout(WAIT_MS).emitWithAck('board:join', { boardId: board.id })) as { ok: boolean };
    expect(joined.ok).toBe(true);
    const ack = (await s.timeout(WAIT_MS).emitWithAck('card:move', { cardId: card?.id, toColumnId: board.col('Test') })) as { ok: boolean };
    expect(ack.ok).toBe(true);
    const row = (await dbGet(h.app, "select actor, actor_id as actorId from events where type = 'card_moved' and card_id = ?", [card?.id ?? null]));
    expect(row).toEqual({ actor: 'Real Name', actorId: user.id });
  });
});

describe('cross-site request forgery', () => {
  it('a cookie-authenticated write needs our Origin or the custom header; a bearer token needs neither', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const user = await h.user('csrf tester');
    const cookie = await signIn(h, user);
    const post = (headers: Record<string, string>, as: TestUser | null = null) =>
      h.api<{ error?: { code: string } }>('POST', `/api/boards/${board.id}/cards`, { body: { title: 'x' }, headers, as });
    const versionBefore = (await h.app.store.getSnapshot(board.id)).version;

    const foreign = await post({ cookie, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.code).toBe('FORBIDDEN');
    expect((await post({ cookie })).status).toBe(403);
    expect((await h.app.store.getSnapshot(board.id)).version).toBe(versionBefore);

    expect((await post({ cookie, origin: h.url })).status).toBe(201);
    expect((await post({ cookie, 'x-flowboard-request': '1' })).status).toBe(201);
    // Reads need no proof; a token is never sent by a browser on its own.
    expect((await h.api('GET', `/api/boards/${board.id}`, { headers: { cookie }, as: null })).status).toBe(200);
    expect((await post({ origin: 'https://evil.example' }, user)).status).toBe(201);
  });

  it('a request without credentials is 401 UNAUTHENTICATED; the health check is public', async () => {
    const res = await h.api<{ error: { code: string } }>('GET', '/api/boards', { as: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect((await h.api('GET', '/api/boards', { as: null, headers: { authorization: 'Bearer fbt_forged' } })).status).toBe(401);
    expect((await h.api('GET', '/api/health', { as: null })).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('are created and revoked over REST, stored only as a hash, and a revoked token is refused at once, sockets included', async () => {
    const user = await h.user('token owner');
    const made = await h.api<{ secret: string; token: { id: string; name: string; prefix: string } }>('POST', '/api/tokens', { body: { name: 'Pager' }, as: user });
    expect(made.status).toBe(201);
    const { secret, token } = made.body;
    expect(secret.startsWith(token.prefix)).toBe(true);
    const rows = JSON.stringify((await dbAll(h.app, 'select * from api_tokens', [])));
    expect(rows).not.toContain(secret);

    const asToken = { ...user, token: secret };
    expect((await h.api('GET', '/api/me', { as: asToken })).body).toMatchObject({ user: { id: user.id } });
    const client = await h.connectAs(asToken);
    const closed = new Promise<string>((resolve) => client.socket.once('disconnect', (reason) => resolve(reason)));

    // Only its owner can revoke it.
    const other = await h.user('not the owner');
    expect((await h.api('DELETE', `/api/tokens/${token.id}`, { as: other })).status).toBe(404);
    expect((await h.api('DELETE', `/api/tokens/${token.id}`, { as: user })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await h.api('GET', '/api/me', { as: asToken })).status).toBe(401);
    expect((await h.api<{ tokens: unknown[] }>('GET', '/api/tokens', { as: user })).body.tokens.map((t) => (t as { name: string }).name)).toEqual(['tests']);
  });
});

describe('sessions', () => {
  it('signing out ends the session: its cookie is refused and its sockets are closed', async () => {
    const user = await h.user('signs out');
    const cookie = await signIn(h, user);
    const s = h.socket({}, { cookie });
    expect(await connectOutcome(s)).toBe('connected');
    const closed = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    const out = await fetch(`${h.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: h.url, 'content-type': 'application/json' }, body: '{}' });
    expect(out.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await h.api('GET', '/api/me', { headers: { cookie }, as: null })).status).toBe(401);
    expect(await connectOutcome(h.socket({}, { cookie }))).toBe('UNAUTHENTICATED');
  });

  it('a wrong password is refused and names no account', async () => {
    const user = await h.user('careful');
    const wrong = await fetch(`${h.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.url },
      body: JSON.stringify({ email: user.email, password: 'not the password' }),
    });
    const unknown = await fetch(`${h.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.url },
      body: JSON.stringify({ email: 'nobody@test.flowboard', password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });
});

describe('write rate limit', () => {
  it('a connection that writes faster than its budget gets RATE_LIMITED, and nothing of those writes happens', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const client = await h.connect('hasty');
    const acks = await Promise.all(Array.from({ length: 8 }, (_, i) => client.request('card:create', { boardId: board.id, title: `card ${i}` })));
    const ok = acks.filter((a) => a.ok).length;
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThan(8);
    for (const a of acks.filter((x) => !x.ok)) expect(a).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect((await h.app.store.getSnapshot(board.id)).cards).toHaveLength(ok);
  });

  it('a token has one budget across REST and its sockets: 429 with Retry-After', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const bot = await h.user('bot');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.api('POST', `/api/boards/${board.id}/cards`, { body: { title: `rest ${i}` }, as: bot })).status);
    const client = await h.connectAs(bot);
    const acks = await Promise.all(Array.from({ length: 4 }, (_, i) => client.request('card:create', { boardId: board.id, title: `socket ${i}` })));
    const limited = await h.api('POST', `/api/boards/${board.id}/cards`, { body: { title: 'one more' }, as: bot });
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(acks.some((a) => !a.ok && a.code === 'RATE_LIMITED')).toBe(true);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
  });
});

describe('a new database', () => {
  it('the first account becomes the instance admin and owns the demo board; the next one owns nothing; sessions survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-first-'));
    const options = { dbPath: join(dir, 'fb.db'), port: 0, host: '127.0.0.1', logger: memoryLogger(), seed: true, authRateLimit: false };
    let app = await startApp(options);
    try {
      const [demo] = await app.store.listBoards();
      expect(demo).toBeDefined();
      expect(await app.access.needsFirstAdmin()).toBe(true);
      const first = await createAccount(app.auth, app.access, { email: 'first@test.flowboard', password: 'first password', name: 'First' });
      const second = await createAccount(app.auth, app.access, { email: 'second@test.flowboard', password: 'second password', name: 'Second' });
      expect((await app.access.getUser(first.id))?.isAdmin).toBe(true);
      expect((await app.access.getUser(second.id))?.isAdmin).toBe(false);
      expect(await app.access.needsFirstAdmin()).toBe(false);
      expect(await app.access.roleOf(demo?.id ?? '', first.id)).toBe('admin');
      expect(await app.access.roleOf(demo?.id ?? '', second.id)).toBeNull();

      const signedIn = await fetch(`${app.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url },
        body: JSON.stringify({ email: 'first@test.flowboard', password: 'first password' }),
      });
      const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      // The generated secret is kept next to the database: after a restart the cookie still works.
      expect(existsSync(join(dir, 'auth-secret'))).toBe(true);
      await app.close();
      app = await startApp(options);
      const me = await fetch(`${app.url}/api/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: 'first@test.flowboard', isAdmin: true } });
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
