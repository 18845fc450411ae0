import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../lib/shared/protocol';
import { eventVersionsDb, expectOk, startTestServer, type TestClient } from './helpers';

const h = startTestServer();

const names = (viewers: readonly Viewer[]) => viewers.map((v) => v.name).toSorted();

/** The latest viewer list `client` received for `boardId`, once it has exactly `expected` names. */
function viewersOf(client: TestClient, boardId: string, expected: string[]) {
  const want = expected.toSorted();
  return client.viewers.until(`${client.name}: viewers ${want.join(', ')}`, (items) => {
    const latest = items.filter((p) => p.boardId === boardId).at(-1);
    return latest && JSON.stringify(names(latest.viewers)) === JSON.stringify(want) ? latest : undefined;
  });
}

describe('presence', () => {
  it('two clients joining a board each receive a viewer list with both names', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [ada, bob] = await h.connectMany(2, 'viewer');
    if (!ada || !bob) throw new Error('connect failed');
    await ada.join(board.id);
    await viewersOf(ada, board.id, [ada.name]);
    await bob.join(board.id);

    for (const client of [ada, bob]) {
      const latest = await viewersOf(client, board.id, [ada.name, bob.name]);
      expect(latest.viewers).toEqual(expect.arrayContaining([{ id: ada.socket.id, name: ada.name }, { id: bob.socket.id, name: bob.name }]));
    }
  });

  it('a burst of joins reaches the viewers already there as fewer lists than joins, the last one complete', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [ada, ...others] = await h.connectMany(6, 'burst');
    if (!ada || others.length !== 5) throw new Error('connect failed');
    await ada.join(board.id);
    await viewersOf(ada, board.id, [ada.name]);
    const before = ada.viewers.items.length;

    await Promise.all(others.map((c) => c.join(board.id)));
    // Each joiner is told who is there with its join, without waiting for the room-wide list.
    for (const c of others) expect(c.viewers.items.some((p) => p.boardId === board.id && p.viewers.some((v) => v.id === c.socket.id))).toBe(true);
    await viewersOf(ada, board.id, [ada, ...others].map((c) => c.name));
    // One list per join would be 5: the room-wide list is coalesced, not sent once per join.
    expect(ada.viewers.items.length - before).toBeLessThan(others.length);
  });

  it('when a viewer disconnects the others get a list without it', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [ada, bob, cy] = await h.connectMany(3, 'viewer');
    if (!ada || !bob || !cy) throw new Error('connect failed');
    for (const c of [ada, bob, cy]) await c.join(board.id);
    await viewersOf(ada, board.id, [ada.name, bob.name, cy.name]);

    const bobId = bob.socket.id;
    bob.disconnect();
    for (const client of [ada, cy]) {
      const latest = await viewersOf(client, board.id, [ada.name, cy.name]);
      expect(latest.viewers.map((v) => v.id).toSorted()).toEqual([ada.socket.id, cy.socket.id].toSorted());
      expect(latest.viewers.map((v) => v.id)).not.toContain(bobId);
    }
  });

  it('board:leave takes a viewer out of the list and out of the room', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [ada, bob] = await h.connectMany(2, 'viewer');
    if (!ada || !bob) throw new Error('connect failed');
    await ada.join(board.id);
    await bob.join(board.id);
    await viewersOf(ada, board.id, [ada.name, bob.name]);

    bob.emitRaw('board:leave', { boardId: board.id });
    await viewersOf(ada, board.id, [ada.name]);
    expectOk(await ada.request('board:rename', { boardId: board.id, name: 'Renamed' }));
    await bob.roundTrip();
    expect(bob.events.items).toEqual([]);
  });

  it('two tabs with the same name are two viewers', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const tab1 = await h.connect('Ada');
    const tab2 = await h.connect('Ada');
    await tab1.join(board.id);
    await tab2.join(board.id);
    const latest = await viewersOf(tab1, board.id, ['Ada', 'Ada']);
    expect(new Set(latest.viewers.map((v) => v.id))).toEqual(new Set([tab1.socket.id, tab2.socket.id]));
  });

  it('viewers of another board are not listed', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const other = await h.seedBoard([{ name: 'Develop' }], 'Other');
    const [ada, bob] = await h.connectMany(2, 'viewer');
    if (!ada || !bob) throw new Error('connect failed');
    await bob.join(other.id);
    await ada.join(board.id);
    const latest = await viewersOf(ada, board.id, [ada.name]);
    expect(latest.viewers).toEqual([{ id: ada.socket.id, name: ada.name }]);
    await bob.roundTrip();
    expect(bob.viewers.items.every((p) => p.boardId === other.id)).toBe(true);
  });

  it('presence:drag from one client reaches the others with its name and card, not the sender, and stores nothing', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }]);
    const [card] = await board.addCards('Develop', 1);
    if (!card) throw new Error('seed failed');
    const [ada, bob] = await h.connectMany(2, 'dragger');
    if (!ada || !bob) throw new Error('connect failed');
    await ada.join(board.id);
    await bob.join(board.id);
    const versions = await eventVersionsDb(h.app, board.id);

    ada.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    const started = await bob.drags.find('drag start', (d) => d.cardId === card.id);
    expect(started).toEqual({ boardId: board.id, viewerId: ada.socket.id, name: ada.name, cardId: card.id });

    ada.socket.emit('presence:drag', { boardId: board.id, cardId: null });
    const ended = await bob.drags.find('drag end', (d) => d.cardId === null);
    expect(ended).toEqual({ boardId: board.id, viewerId: ada.socket.id, name: ada.name, cardId: null });

    await ada.roundTrip();
    expect(ada.drags.items).toEqual([]);
    // Presence is not state: no event, no version.
    expect(await eventVersionsDb(h.app, board.id)).toEqual(versions);
    expect((await h.app.store.getSnapshot(board.id)).version).toBe(board.snapshot.version + 1);
  });

  it('a viewer who disconnects mid-drag releases the card for the others', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [card] = await board.addCards('Develop', 1);
    const [ada, bob] = await h.connectMany(2, 'dragger');
    if (!ada || !bob || !card) throw new Error('seed failed');
    await ada.join(board.id);
    await bob.join(board.id);
    ada.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    await bob.drags.find('drag start', (d) => d.cardId === card.id);
    const adaId = ada.socket.id;

    ada.disconnect();
    const released = await bob.drags.find('drag released', (d) => d.cardId === null);
    expect(released).toEqual({ boardId: board.id, viewerId: adaId, name: ada.name, cardId: null });
    await viewersOf(bob, board.id, [bob.name]);
  });

  it('a viewer who joins while another drags a card is told about that drag on joining', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [card] = await board.addCards('Develop', 1);
    const [ada, bob] = await h.connectMany(2, 'late');
    if (!ada || !bob || !card) throw new Error('seed failed');
    await ada.join(board.id);
    ada.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    await ada.roundTrip();

    await bob.join(board.id);
    const drag = await bob.drags.find('drag in progress', (d) => d.cardId === card.id);
    expect(drag).toEqual({ boardId: board.id, viewerId: ada.socket.id, name: ada.name, cardId: card.id });
  });

  it('a drag that ended before a viewer joins is not sent to it', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [card] = await board.addCards('Develop', 1);
    const [ada, bob] = await h.connectMany(2, 'late');
    if (!ada || !bob || !card) throw new Error('seed failed');
    await ada.join(board.id);
    ada.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    ada.socket.emit('presence:drag', { boardId: board.id, cardId: null });
    await ada.roundTrip();

    await bob.join(board.id);
    await bob.roundTrip();
    expect(bob.drags.items).toEqual([]);
  });

  it('a rejoin mid-drag keeps the drag for later joiners and does not echo it to the dragger', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [card] = await board.addCards('Develop', 1);
    const [ada, bob] = await h.connectMany(2, 'late');
    if (!ada || !bob || !card) throw new Error('seed failed');
    await ada.join(board.id);
    ada.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    // Catching up after a gap joins again while the card is still held.
    await ada.join(board.id, board.snapshot.version);

    await bob.join(board.id);
    await bob.drags.find('drag in progress', (d) => d.cardId === card.id && d.viewerId === ada.socket.id);
    await ada.roundTrip();
    expect(ada.drags.items).toEqual([]);
  });

  it('presence:drag for a board the sender has not joined is ignored', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }]);
    const [card] = await board.addCards('Develop', 1);
    const [outsider, bob] = await h.connectMany(2, 'client');
    if (!outsider || !bob || !card) throw new Error('seed failed');
    await bob.join(board.id);
    outsider.socket.emit('presence:drag', { boardId: board.id, cardId: card.id });
    await outsider.roundTrip();
    await bob.roundTrip();
    expect(bob.drags.items).toEqual([]);
  });
});
