/**
 * A socket opened with a session cookie lives no longer than its session (issue #10, finding 5): it
 * is told why and closed when the session expires, a write it sends after the expiry changes nothing,
 * and a session that use extended (better-auth's updateAge) keeps its sockets.
 */
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { BoardSyncClient } from '../../lib/client/sync/BoardSyncClient';
import { connectOutcome, signIn, startTestServer, TestClient, WAIT_MS, type FlowSocket, type TestUser } from './helpers';

// Sessions of a few seconds, extended by a request made at least 2 s after the last extension.
const EXPIRES_IN_S = 5;
const UPDATE_AGE_S = 2;
const h = startTestServer({ passwords: true, session: { expiresIn: EXPIRES_IN_S, updateAge: UPDATE_AGE_S } });

/** An event the test waits for, failing with its name when it does not come. */
const event = <T>(socket: Socket, name: string) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${WAIT_MS} ms`)), WAIT_MS);
    socket.once(name, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

async function sessionOf(cookie: string): Promise<{ id: string; expiresAt: number }> {
  const me = await fetch(`${h.url}/api/auth/get-session?disableRefresh=true`, { headers: { cookie } });
  const body = (await me.json()) as { session: { id: string; expiresAt: string } };
  return { id: body.session.id, expiresAt: Date.parse(body.session.expiresAt) };
}

async function cookieClient(user: TestUser, cookie: string): Promise<{ client: TestClient; socket: Socket }> {
  const socket = h.socket({}, { cookie, origin: h.url });
  expect(await connectOutcome(socket)).toBe('connected');
  return { client: new TestClient(user.name, socket as unknown as FlowSocket), socket };
}

describe('session expiry', () => {
  it('a cookie socket writes until its session expires, then is told so and closed; a write after it changes nothing; another account carries on', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const ana = await h.user('Ana');
    const cookie = await signIn(h.url, ana);
    const { expiresAt } = await sessionOf(cookie);
    const { client, socket } = await cookieClient(ana, cookie);
    const other = await h.connect('Ben');
    await other.join(board.id);
    await client.join(board.id);
    expect(await client.request('card:create', { boardId: board.id, title: 'before the expiry' })).toMatchObject({ ok: true });

    const ended = event<{ code: string; message: string }>(socket, 'session:ended');
    const closed = event<string>(socket, 'disconnect');
    // Sent as soon as the session has expired: the server refuses it, or has already closed the socket.
    await sleepUntil(expiresAt + 1);
    const late = client.request('card:create', { boardId: board.id, title: 'after the expiry' }, WAIT_MS).catch(() => 'no answer: closed');
    expect(await ended).toEqual({ code: 'SESSION_EXPIRED', message: 'Your session ended: sign in again' });
    expect(await closed).toBe('io server disconnect');
    const answer = await late;
    if (typeof answer !== 'string') expect(answer).toMatchObject({ ok: false, code: 'SESSION_EXPIRED' });
    expect((await h.app.store.getSnapshot(board.id)).cards.map((c) => c.title)).toEqual(['before the expiry']);

    // The same cookie opens nothing any more.
    expect(await connectOutcome(h.socket({}, { cookie, origin: h.url }))).toBe('UNAUTHENTICATED');
    // Another account's socket is untouched.
    expect(await other.request('card:create', { boardId: board.id, title: 'Ben carries on' })).toMatchObject({ ok: true });
    expect(other.socket.connected).toBe(true);
  });

  it('a session that use extended keeps its socket past the expiry the socket first knew', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const cy = await h.user('Cy');
    const cookie = await signIn(h.url, cy);
    const first = await sessionOf(cookie);
    const { client, socket } = await cookieClient(cy, cookie);
    await client.join(board.id);
    // A page load once the session is old enough to be extended (better-auth's updateAge).
    await sleepUntil(first.expiresAt - (EXPIRES_IN_S - UPDATE_AGE_S) * 1000 + 200);
    expect((await fetch(`${h.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    expect(await h.app.access.sessionExpiresAt(first.id)).toBeGreaterThan(first.expiresAt);

    await sleepUntil(first.expiresAt + 300);
    expect(await client.request('card:create', { boardId: board.id, title: 'still signed in' })).toMatchObject({ ok: true });
    expect(socket.connected).toBe(true);
  });

  it('signing out closes the sockets of that session with the same reason', async () => {
    const dee = await h.user('Dee');
    const cookie = await signIn(h.url, dee);
    const { socket } = await cookieClient(dee, cookie);
    const ended = event<{ code: string; message: string }>(socket, 'session:ended');
    const out = await fetch(`${h.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: h.url, 'content-type': 'application/json' }, body: '{}' });
    expect(out.status).toBe(200);
    expect(await ended).toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it("the board's sync engine shows why, stops, and asks to sign in again instead of reconnecting", async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const eli = await h.user('Eli');
    const cookie = await signIn(h.url, eli);
    const socket = h.socket({}, { cookie, origin: h.url });
    const sync = new BoardSyncClient(socket as unknown as FlowSocket, board.snapshot);
    const notes: string[] = [];
    const signInAsked = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sync engine never asked to sign in again')), EXPIRES_IN_S * 1000 + WAIT_MS);
      sync.start({
        notify: (message) => notes.push(message),
        onSessionEnded: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
    const live = new Promise<void>((resolve) => {
      const unsubscribe = sync.subscribe(() => {
        if (sync.getSnapshot().status !== 'live') return;
        unsubscribe();
        resolve();
      });
    });
    await live;
    expect(await signInAsked).toBe('Your session ended: sign in again');
    expect(notes).toContain('Your session ended: sign in again');
    expect(sync.getSnapshot().status).toBe('offline');
    // No reconnection behind the person's back.
    expect(socket.active).toBe(false);
    sync.stop();
  });
});
