/**
 * Three app processes on one database and one Redis: what a viewer sees does not depend on which
 * process it is connected to.
 */
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../lib/shared/protocol';
import { expectFailure, expectOk, type TestClient } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';

// The per-token budget is about one test below; the others stay well inside it.
const BURST = 8;
const h = startCluster({ writeRate: { perSecond: 0.01, burst: BURST } });
const [A, B, C] = [0, 1, 2];

const idsOf = (viewers: readonly Viewer[]) => viewers.map((v) => v.id).toSorted();

/** The latest viewer list a client got for a board, once it lists exactly these sockets. */
function listOf(client: TestClient, boardId: string, expected: readonly TestClient[]) {
  const want = JSON.stringify(expected.map((c) => c.socket.id).toSorted());
  return client.viewers.until(`${client.name}: viewers ${expected.map((c) => c.name).join(', ')}`, (items) => {
    const latest = items.filter((p) => p.boardId === boardId).at(-1);
    return latest && JSON.stringify(idsOf(latest.viewers)) === want ? latest.viewers : undefined;
  });
}

describe.runIf(withCluster)('three processes, one board', () => {
  it('a move made on process C reaches viewers on processes A and B', async () => {
    const [ada, bob, cy] = await Promise.all([h.user('Ada'), h.user('Bob'), h.user('Cy')]);
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }], [ada, bob, cy]);
    const [card] = await board.addCards('Develop', 1);
    const onA = await h.connect(A, ada);
    const onB = await h.connect(B, bob);
    const onC = await h.connect(C, cy);
    for (const c of [onA, onB, onC]) await c.join(board.id);

    const ack = expectOk(await onC.request('card:move', { cardId: card!, toColumnId: board.col('Test') }));
    for (const viewer of [onA, onB]) {
      const event = await viewer.events.find('the move', (e) => e.version === ack.version);
      expect(event).toMatchObject({ type: 'card_moved', boardId: board.id, cardId: card, toColumnId: board.col('Test') });
    }
  });

  it('every process shows the same viewer list and everyone sees drags made on other processes, late joiners too', async () => {
    const users = await Promise.all(['Dee', 'Eve', 'Fay', 'Gus'].map((n) => h.user(n)));
    const board = await h.seedBoard([{ name: 'Develop' }], users);
    const [card] = await board.addCards('Develop', 1);
    const [dee, eve, fay] = [await h.connect(A, users[0]!), await h.connect(B, users[1]!), await h.connect(C, users[2]!)];
    for (const c of [dee, eve, fay]) await c.join(board.id);
    const lists = await Promise.all([dee, eve, fay].map((c) => listOf(c, board.id, [dee, eve, fay])));
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);

    dee.socket.emit('presence:drag', { boardId: board.id, cardId: card! });
    for (const other of [eve, fay]) {
      expect(await other.drags.find('the drag from A', (d) => d.cardId === card)).toEqual({ boardId: board.id, viewerId: dee.socket.id, name: 'Dee', cardId: card });
    }
    // Gus comes in on C while Dee (on A) still drags: he is told at once, not at the next drag.
    const gus = await h.connect(C, users[3]!);
    await gus.join(board.id);
    expect(gus.drags.items).toContainEqual({ boardId: board.id, viewerId: dee.socket.id, name: 'Dee', cardId: card });
    expect(idsOf(gus.viewers.items.at(-1)?.viewers ?? [])).toEqual([dee, eve, fay, gus].map((c) => c.socket.id).toSorted());

    // Dee leaves mid-drag: the others drop her from the list and from the card.
    const deeId = dee.socket.id;
    dee.disconnect();
    for (const c of [eve, fay, gus]) {
      await listOf(c, board.id, [eve, fay, gus]);
      await c.drags.find('the drag end', (d) => d.viewerId === deeId && d.cardId === null);
    }
  });

  it('a removed member is evicted on every process: told so, out of the list, and sent nothing more', async () => {
    const [admin, member] = await Promise.all([h.user('Hal'), h.user('Ivy')]);
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }], [admin]);
    await h.grant(member, board.id, 'member');
    const [card] = await board.addCards('Develop', 1);
    const watchers = [await h.connect(A, admin), await h.connect(B, admin), await h.connect(C, admin)];
    const tabs = [await h.connect(A, member), await h.connect(B, member), await h.connect(C, member)];
    for (const c of [...watchers, ...tabs]) await c.join(board.id);
    await listOf(watchers[0]!, board.id, [...watchers, ...tabs]);
    const told = tabs.map(
      (t) => new Promise<void>((resolve) => t.socket.on('board:removed', (p) => p.boardId === board.id && resolve())),
    );

    const removed = await h.api(B, 'DELETE', `/api/boards/${board.id}/members/${member.id}`, { as: admin });
    expect(removed.status).toBe(200);
    await Promise.all(told);
    for (const w of watchers) await listOf(w, board.id, watchers);

    // A move after the removal reaches the admin on every process, and none of the removed tabs.
    const ack = expectOk(await watchers[2]!.request('card:move', { cardId: card!, toColumnId: board.col('Test') }));
    for (const w of watchers) await w.events.find('the move', (e) => e.version === ack.version);
    for (const t of tabs) {
      await t.roundTrip();
      expect(t.events.items.filter((e) => e.boardId === board.id)).toEqual([]);
      expectFailure(await t.request('board:join', { boardId: board.id }), 'NOT_FOUND');
    }
  });

  it("an API token's write budget is one across processes: a burst of N, spread over sockets and REST on three processes, lets exactly N through", async () => {
    const rae = await h.user('Rae');
    const board = await h.seedBoard([{ name: 'Develop' }], [rae]);
    const [card] = await board.addCards('Develop', 1);
    const sockets = [await h.connect(A, rae), await h.connect(B, rae), await h.connect(C, rae)];
    const extra = 7;
    const writes = Array.from({ length: BURST + extra }, (_, i) => {
      const node = i % 3;
      const title = `Title ${i}`;
      // One write in four goes through REST, the others through a socket: one budget for both.
      if (i % 4 === 3) return h.api(node, 'PATCH', `/api/cards/${card!}`, { body: { title }, as: rae }).then((r) => (r.status === 200 ? 'ok' : (r.body as { error: { code: string } }).error.code));
      return sockets[node]!.request('card:update', { cardId: card!, title }).then((a) => (a.ok ? 'ok' : a.code));
    });
    const outcomes = await Promise.all(writes);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(BURST);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array.from({ length: extra }, () => 'RATE_LIMITED'));
  });
});
