/**
 * Limits that hold per account, whatever number of sockets, sessions and tokens it opens: one write
 * budget, a cap on open sockets, throttled joins and drag announcements (issue #10, finding 7).
 */
import { describe, expect, it } from 'vitest';
import { connectOutcome, signIn, startTestServer, TestClient, WAIT_MS, type FlowSocket, type Harness, type TestUser } from './helpers';

const BURST = 10;
const CAP = 6;
const JOIN_BURST = 4;
const DRAG_BURST = 5;
// Buckets that hardly refill (one every 100 s): what a test counts is the burst, however slow the machine.
const h = startTestServer({
  passwords: true,
  writeRate: { perSecond: 0.01, burst: BURST },
  joinRate: { perSecond: 0.01, burst: JOIN_BURST },
  dragRate: { perSecond: 0.01, burst: DRAG_BURST },
  socketsPerAccount: CAP,
});

/** A connected client authenticated by a session cookie, as a browser tab is. */
async function cookieClient(harness: Harness, user: TestUser, cookie: string): Promise<TestClient> {
  const socket = harness.socket({}, { cookie, origin: harness.url });
  const outcome = await connectOutcome(socket);
  if (outcome !== 'connected') throw new Error(`cookie socket refused: ${outcome}`);
  return new TestClient(user.name, socket as unknown as FlowSocket);
}

/** Resolves once the server no longer holds the socket `id` (its disconnect has been handled). */
async function goneFromServer(harness: Harness, id: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (harness.app.io.of('/').sockets.has(id)) {
    if (Date.now() > deadline) throw new Error(`socket ${id} still open on the server`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one write budget per account', () => {
  it('five sockets of one account (two browser sessions and a token) together get one burst; another account is unaffected', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const ana = await h.user('Ana');
    const [first, second] = [await signIn(h.url, ana), await signIn(h.url, ana)];
    const sockets = [await cookieClient(h, ana, first), await cookieClient(h, ana, first), await cookieClient(h, ana, second), await cookieClient(h, ana, second), await h.connectAs(ana)];
    const acks = await Promise.all(sockets.flatMap((client, i) => Array.from({ length: 6 }, (_, n) => client.request('card:create', { boardId: board.id, title: `socket ${i} card ${n}` }))));
    const accepted = acks.filter((a) => a.ok).length;
    expect(accepted).toBe(BURST);
    for (const refused of acks.filter((a) => !a.ok)) expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect((await h.app.store.getSnapshot(board.id)).cards).toHaveLength(BURST);
    // REST writes of the same account take from the same budget.
    expect((await h.api('POST', `/api/boards/${board.id}/cards`, { body: { title: 'over REST' }, as: ana })).status).toBe(429);

    const ben = await h.connect('Ben');
    expect(await ben.request('card:create', { boardId: board.id, title: 'Ben still writes' })).toMatchObject({ ok: true });
  });
});

describe('sockets per account', () => {
  it('the socket beyond the cap is refused with TOO_MANY_CONNECTIONS; closing one makes room; other accounts connect', async () => {
    const cora = await h.user('Cora');
    const cookie = await signIn(h.url, cora);
    const open: TestClient[] = [];
    for (let i = 0; i < CAP; i++) open.push(i % 2 === 0 ? await h.connectAs(cora) : await cookieClient(h, cora, cookie));
    const extra = h.socket({ token: cora.token });
    expect(await connectOutcome(extra)).toBe('TOO_MANY_CONNECTIONS');
    expect(await connectOutcome(h.socket({}, { cookie, origin: h.url }))).toBe('TOO_MANY_CONNECTIONS');
    // The refusal says what to do, for the browser to show.
    const refusal = await new Promise<Error>((resolve) => {
      const s = h.socket({ token: cora.token });
      s.once('connect_error', resolve);
      s.connect();
    });
    expect(refusal.message).toMatch(new RegExp(`already has ${CAP} connections open`));

    expect(await connectOutcome(h.socket({ token: (await h.user('Dan')).token }))).toBe('connected');

    const closed = open.pop();
    const id = closed?.socket.id ?? '';
    closed?.disconnect();
    await goneFromServer(h, id);
    expect(await connectOutcome(h.socket({ token: cora.token }))).toBe('connected');
  });
});

describe('join throttle', () => {
  it('joins of boards that exist and of boards that do not share one budget per account; past it, RATE_LIMITED', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const eve = await h.user('Eve');
    const [tab, secondTab] = [await h.connectAs(eve), await h.connectAs(eve)];
    const other = await h.connect('Fay');
    const missing = await tab.request('board:join', { boardId: 'no-such-board' });
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await tab.request('board:join', { boardId: board.id })).toMatchObject({ ok: true });
    expect(await secondTab.request('flow:join', { boardId: board.id })).toMatchObject({ ok: true });
    expect(await secondTab.request('board:join', { boardId: 'another-missing-board' })).toMatchObject({ ok: false, code: 'NOT_FOUND', message: (missing as { message: string }).message });
    // The account's budget is spent, on every socket: a real board and a missing one now get the same answer.
    for (const client of [tab, secondTab]) {
      expect(await client.request('board:join', { boardId: board.id })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
      expect(await client.request('board:join', { boardId: 'no-such-board' })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    }
    // Another account's budget is its own.
    expect(await other.request('board:join', { boardId: board.id })).toMatchObject({ ok: true });
  });
});

describe('drag throttle', () => {
  it('drag announcements past the budget do not reach the other viewers; the end of an announced drag always does', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const cards = await board.addCards('Develop', 1);
    const cardId = cards[0]?.id ?? '';
    const [dragger, watcher] = await h.connectMany(2, 'Dragger');
    if (!dragger || !watcher) throw new Error('two clients expected');
    await dragger.join(board.id);
    await watcher.join(board.id);
    const mine = () => watcher.drags.items.filter((d) => d.viewerId === dragger.socket.id);
    for (let i = 0; i < DRAG_BURST + 5; i++) {
      // One at a time, each delivered before the next (volatile messages are dropped on a busy connection).
      dragger.emitRaw('presence:drag', { boardId: board.id, cardId });
      await dragger.roundTrip();
      await watcher.roundTrip();
      dragger.emitRaw('presence:drag', { boardId: board.id, cardId: null });
      await dragger.roundTrip();
      await watcher.roundTrip();
    }
    expect(mine().filter((d) => d.cardId === cardId)).toHaveLength(DRAG_BURST);
    expect(mine().filter((d) => d.cardId === null)).toHaveLength(DRAG_BURST);
  });
});
