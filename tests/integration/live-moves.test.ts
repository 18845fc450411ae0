import { describe, expect, it } from 'vitest';
import { sortByPosition } from '../../lib/shared/domain/ordering';
import type { BoardEvent } from '../../lib/shared/domain/types';
import { canonical, columnOrder, expectOk, fold, range, startTestServer } from './helpers';

const h = startTestServer();

describe('live moves', () => {
  it('two clients on one board both see a move, the sender included, with its version and clientMutationId', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test', wipLimit: 3 }]);
    const [card] = await board.addCards('Develop', 1);
    const [ada, bob] = await h.connectMany(2, 'viewer');
    if (!ada || !bob || !card) throw new Error('seed failed');
    const start = await ada.joinSnapshot(board.id);
    await bob.join(board.id);

    const ack = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Test'), clientMutationId: 'ada-1' }));
    expect(ack.version).toBe(start.version + 1);
    expect(ack.card.columnId).toBe(board.col('Test'));

    for (const client of [ada, bob]) {
      const event = await client.events.find(`${client.name}: card_moved`, (e) => e.type === 'card_moved');
      expect(event).toMatchObject({
        type: 'card_moved',
        boardId: board.id,
        version: ack.version,
        cardId: card.id,
        fromColumnId: board.col('Develop'),
        toColumnId: board.col('Test'),
        backward: false,
        actor: ada.name,
        clientMutationId: 'ada-1',
      });
    }
    // The sender's event was emitted before its ack (same connection, in order): it is there already.
    expect(ada.events.items.map((e) => e.version)).toEqual([ack.version]);
  });

  it('a move by one client brings every other client to the server state', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const cards = await board.addCards('Develop', 4);
    const [ada, bob] = await h.connectMany(2, 'mover');
    if (!ada || !bob) throw new Error('connect failed');
    const bobStart = await bob.joinSnapshot(board.id);
    await ada.join(board.id);

    let last = bobStart.version;
    for (const [i, card] of cards.entries()) {
      const to = i % 2 === 0 ? board.col('Test') : board.col('Done');
      last = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: to })).version;
    }
    const seen = await bob.eventsThrough(board.id, last);
    expect(seen.map((e) => e.version)).toEqual(range(bobStart.version + 1, last));
    expect(canonical(fold(bobStart, seen))).toStrictEqual(await h.app.store.getSnapshot(board.id));
  });
});

describe('concurrent inserts at the same place', () => {
  it('many clients creating cards before the same card at once get distinct positions and one order everywhere', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }]);
    const [first, anchor] = await board.addCards('Backlog', 2);
    if (!first || !anchor) throw new Error('seed failed');
    const clients = await h.connectMany(12, 'creator');
    const starts = await Promise.all(clients.map((c) => c.joinSnapshot(board.id)));

    const acks = await Promise.all(
      clients.map((c, i) =>
        c.request('card:create', { boardId: board.id, columnId: board.col('Backlog'), title: `concurrent ${i}`, beforeCardId: anchor.id }),
      ),
    );
    const created = acks.map((a) => expectOk(a).card);
    const server = await h.app.store.getSnapshot(board.id);
    const backlog = server.cards.filter((c) => c.columnId === board.col('Backlog'));
    expect(new Set(backlog.map((c) => c.position)).size).toBe(backlog.length);

    // Every new card landed between the card before the anchor and the anchor itself.
    const order = columnOrder(server, board.col('Backlog'));
    expect(order[0]).toBe(first.id);
    expect(order.at(-1)).toBe(anchor.id);
    expect(new Set(order.slice(1, -1))).toEqual(new Set(created.map((c) => c.id)));

    // Every client, folding what it was sent, shows the same order as the server.
    for (const [i, client] of clients.entries()) {
      const start = starts[i];
      if (!start) throw new Error('missing snapshot');
      const seen = await client.eventsThrough(board.id, server.version);
      expect(columnOrder(fold(start, seen), board.col('Backlog'))).toEqual(order);
    }
  });

  it('many clients moving cards before the same card at once get distinct positions and one order everywhere', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const [head, anchor] = await board.addCards('Test', 2, 'already in test');
    const movers = await board.addCards('Develop', 12, 'mover');
    if (!head || !anchor) throw new Error('seed failed');
    const clients = await h.connectMany(movers.length, 'puller');
    const starts = await Promise.all(clients.map((c) => c.joinSnapshot(board.id)));

    const acks = await Promise.all(
      clients.map((c, i) => c.request('card:move', { cardId: movers[i]?.id ?? '', toColumnId: board.col('Test'), beforeCardId: anchor.id })),
    );
    acks.forEach((a) => expectOk(a));
    const server = await h.app.store.getSnapshot(board.id);
    const test = server.cards.filter((c) => c.columnId === board.col('Test'));
    expect(test).toHaveLength(movers.length + 2);
    expect(new Set(test.map((c) => c.position)).size).toBe(test.length);
    // Sorting by position alone already gives the order: no tie needs the id to break it.
    expect(sortByPosition(test).map((c) => c.id)).toEqual(columnOrder(server, board.col('Test')));

    const order = columnOrder(server, board.col('Test'));
    expect(order[0]).toBe(head.id);
    expect(order.at(-1)).toBe(anchor.id);
    for (const [i, client] of clients.entries()) {
      const start = starts[i];
      if (!start) throw new Error('missing snapshot');
      const seen: BoardEvent[] = await client.eventsThrough(board.id, server.version);
      expect(columnOrder(fold(start, seen), board.col('Test'))).toEqual(order);
    }
  });
});
