import { describe, expect, it } from 'vitest';
import type { BoardEvent } from '../../lib/shared/domain/types';
import { MAX_CATCH_UP_EVENTS } from '../../lib/shared/protocol';
import { canonical, expectFailure, expectOk, fold, range, seedActor, startTestServer } from './helpers';

const h = startTestServer();

describe('catching up after a disconnect', () => {
  it('a client that missed 20 events catches up to exactly the server state by folding the replayed events', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop', wipLimit: 4 }, { name: 'Test', wipLimit: 3 }, { name: 'Done' }]);
    const [c1, c2, c3] = await board.addCards('Backlog', 3);
    if (!c1 || !c2 || !c3) throw new Error('seed failed');
    const [away, other] = await h.connectMany(2, 'client');
    if (!away || !other) throw new Error('connect failed');
    const old = await away.joinSnapshot(board.id);
    away.disconnect();

    // 20 changes of every kind, from another socket and from REST, each committing one event.
    const r = async (method: string, path: string, body?: unknown) => {
      const res = await h.api(method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    };
    const created = expectOk(await other.request('card:create', { boardId: board.id, title: 'new work', type: 'incident', beforeCardId: c2.id })).card; // 1
    expectOk(await other.request('card:move', { cardId: c1.id, toColumnId: board.col('Develop') })); // 2
    expectOk(await other.request('card:move', { cardId: c2.id, toColumnId: board.col('Develop'), beforeCardId: c1.id })); // 3
    expectOk(await other.request('card:move', { cardId: c1.id, toColumnId: board.col('Test') })); // 4
    expectOk(await other.request('card:move', { cardId: c1.id, toColumnId: board.col('Develop'), reason: 'Flaky login' })); // 5, backward
    expectOk(await other.request('card:update', { cardId: c2.id, blocked: true, blockedReason: 'Waiting for the vendor' })); // 6
    expectOk(await other.request('card:update', { cardId: c2.id, title: 'Renamed', description: 'More detail' })); // 7
    expectOk(await other.request('card:update', { cardId: c2.id, blocked: false })); // 8, clears the reason too
    await r('PATCH', `/api/cards/${c3.id}`, { type: 'defect' }); // 9
    await r('DELETE', `/api/cards/${created.id}`); // 10
    const added = expectOk(await other.request('column:add', { boardId: board.id, name: 'Review', wipLimit: 2, index: 2 })).column; // 11
    expectOk(await other.request('column:update', { columnId: added.id, name: 'Code review' })); // 12
    expectOk(await other.request('column:update', { columnId: board.col('Test'), wipLimit: null })); // 13
    expectOk(await other.request('column:move', { columnId: board.col('Done'), toIndex: 0 })); // 14
    expectOk(await other.request('column:move', { columnId: board.col('Done'), toIndex: 20 })); // 15, clamped to the end
    await r('POST', `/api/boards/${board.id}/columns`, { name: 'Spare' }); // 16
    const spare = (await h.app.store.getSnapshot(board.id)).columns.find((c) => c.name === 'Spare');
    await r('DELETE', `/api/columns/${spare?.id}`); // 17
    await r('PATCH', `/api/boards/${board.id}`, { name: 'Renamed board' }); // 18
    await r('POST', `/api/cards/${c3.id}/move`, { toColumnId: added.id }); // 19
    expectOk(await other.request('card:move', { cardId: c3.id, toColumnId: added.id, beforeCardId: null })); // 20, a reorder in place

    const server = await h.app.store.getSnapshot(board.id);
    expect(server.version).toBe(old.version + 20);

    await away.reconnect();
    const ack = await away.join(board.id, old.version);
    if (!('events' in ack)) throw new Error('expected events, got a snapshot');
    expect(ack.version).toBe(server.version);
    expect(ack.events.map((e) => e.version)).toEqual(range(old.version + 1, server.version));
    expect(canonical(fold(old, ack.events))).toStrictEqual(server);

    // Back in the room: the next change arrives live, right after the replayed ones.
    expectOk(await other.request('board:rename', { boardId: board.id, name: 'Live again' }));
    const next = await away.events.find('the first live event after catching up', (e: BoardEvent) => e.boardId === board.id);
    expect(next.version).toBe(server.version + 1);
  });

  it('a client already at the latest version gets no events', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }]);
    const client = await h.connect('current');
    const ack = await client.join(board.id, board.snapshot.version);
    expect(ack).toMatchObject({ ok: true, version: board.snapshot.version, events: [] });
  });

  it(`a client more than ${MAX_CATCH_UP_EVENTS} events behind gets a fresh snapshot instead of events`, async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }]);
    const base = board.snapshot.version;
    for (let i = 0; i < MAX_CATCH_UP_EVENTS + 1; i++) await h.app.store.renameBoard({ boardId: board.id, name: `name ${i}` }, seedActor);
    const client = await h.connect('far behind');

    const atLimit = await client.join(board.id, base + 1);
    if (!('events' in atLimit)) throw new Error(`exactly ${MAX_CATCH_UP_EVENTS} behind should still replay events`);
    expect(atLimit.events).toHaveLength(MAX_CATCH_UP_EVENTS);

    const beyond = await client.join(board.id, base);
    if (!('snapshot' in beyond)) throw new Error('expected a snapshot');
    expect(beyond.version).toBe(base + MAX_CATCH_UP_EVENTS + 1);
    expect(beyond.snapshot).toStrictEqual(await h.app.store.getSnapshot(board.id));
  });

  it('a sinceVersion ahead of the board is a CONFLICT and does not join the room', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }]);
    const [ahead, writer] = await h.connectMany(2, 'client');
    if (!ahead || !writer) throw new Error('connect failed');
    const ack = await ahead.request('board:join', { boardId: board.id, sinceVersion: board.snapshot.version + 1 });
    expect(expectFailure(ack, 'CONFLICT').message).toBe(`Version ${board.snapshot.version + 1} is ahead of the board (${board.snapshot.version})`);

    expectOk(await writer.request('board:rename', { boardId: board.id, name: 'Changed' }));
    await ahead.roundTrip();
    expect(ahead.events.items).toEqual([]);
    expect(ahead.viewers.items).toEqual([]);
  });

  it('joining an unknown board is NOT_FOUND', async () => {
    const client = await h.connect('lost');
    expectFailure(await client.request('board:join', { boardId: 'no-such-board' }), 'NOT_FOUND');
    expectFailure(await client.request('board:join', { boardId: 'no-such-board', sinceVersion: 0 }), 'NOT_FOUND');
  });
});
