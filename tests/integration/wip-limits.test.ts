import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { cardsInColumnDb, columnOrder, eventVersionsDb, expectFailure, expectOk, fold, range, startTestServer, dbGet } from './helpers';

const h = startTestServer();

const countIn = (board: BoardSnapshot, columnId: string) => board.cards.filter((c) => c.columnId === columnId).length;

describe('WIP limits under concurrency', () => {
  it('50 clients racing for the 2 free slots of a column: exactly 2 pulls win, 48 are refused, the column never exceeds its limit', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Test', wipLimit: 3 }]);
    const test = board.col('Test');
    await board.addCards('Test', 1, 'already in test');
    const backlog = await board.addCards('Backlog', 50);
    const observer = await h.connect('observer');
    const start = await observer.joinSnapshot(board.id);
    const racers = await h.connectMany(50, 'racer');

    const acks = await Promise.all(racers.map((c, i) => c.request('card:move', { cardId: backlog[i]?.id ?? '', toColumnId: test, clientMutationId: `race-${i}` })));

    const won = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok);
    expect(won).toHaveLength(2);
    expect(refused).toHaveLength(48);
    for (const failure of refused) {
      expect(failure).toEqual({ ok: false, code: 'WIP_LIMIT', message: 'Test is at its WIP limit (3 of 3): finish or move a card out first' });
    }
    expect(won.map((a) => a.version).toSorted((a, b) => a - b)).toEqual([start.version + 1, start.version + 2]);

    // The database agrees: 3 cards in the column, and the log holds exactly 2 pulls into it.
    expect(await cardsInColumnDb(h.app, test)).toBe(3);
    const moves = (await dbGet(h.app, "select count(*) as n from events where board_id = ? and type = 'card_moved' and data like ?", [board.id, `%"toColumnId":"${test}"%`])) as { n: number };
    expect(moves.n).toBe(2);
    // Versions in the log are contiguous from 1, with no duplicates.
    expect(await eventVersionsDb(h.app, board.id)).toEqual(range(1, start.version + 2));

    // "Never" more than 3: replay what the observer was sent and count after every event.
    const seen = await observer.eventsThrough(board.id, start.version + 2);
    expect(seen.map((e) => e.version)).toEqual([start.version + 1, start.version + 2]);
    let state = start;
    for (const event of seen) {
      state = fold(state, [event]);
      expect(countIn(state, test)).toBeLessThanOrEqual(3);
    }
    expect(countIn(state, test)).toBe(3);
  });

  it('a card created into a full column is refused', async () => {
    const board = await h.seedBoard([{ name: 'Test', wipLimit: 1 }]);
    await board.addCards('Test', 1);
    const client = await h.connect('creator');
    const before = await h.app.store.getSnapshot(board.id);
    const ack = await client.request('card:create', { boardId: board.id, columnId: board.col('Test'), title: 'one too many' });
    expect(expectFailure(ack, 'WIP_LIMIT').message).toBe('Test is at its WIP limit (1 of 1): finish or move a card out first');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });
});

describe('WIP limits and reordering', () => {
  it('reordering inside a full column is allowed', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Test', wipLimit: 3 }, { name: 'Done' }]);
    const [a, b, c] = await board.addCards('Test', 3);
    if (!a || !b || !c) throw new Error('seed failed');
    const client = await h.connect('reorderer');
    await client.join(board.id);
    const ack = expectOk(await client.request('card:move', { cardId: c.id, toColumnId: board.col('Test'), beforeCardId: a.id }));
    expect(ack.card.columnId).toBe(board.col('Test'));
    expect(columnOrder(await h.app.store.getSnapshot(board.id), board.col('Test'))).toEqual([c.id, a.id, b.id]);
    const event = await client.events.find('card_moved', (e) => e.type === 'card_moved');
    expect(event).toMatchObject({ fromColumnId: board.col('Test'), toColumnId: board.col('Test'), backward: false });
  });

  it('a column whose limit was lowered below its count refuses pulls until it is under the limit', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Test', wipLimit: 5 }, { name: 'Done' }]);
    const test = board.col('Test');
    const inTest = await board.addCards('Test', 4);
    const [waiting] = await board.addCards('Backlog', 1);
    if (!waiting) throw new Error('seed failed');
    const client = await h.connect('lead');

    // Lowering below the current count is allowed.
    expectOk(await client.request('column:update', { columnId: test, wipLimit: 2 }));
    expect((await h.app.store.getSnapshot(board.id)).columns.find((c) => c.id === test)?.wipLimit).toBe(2);

    // Over the limit (4 of 2, then 3 of 2) and at it (2 of 2), every pull is refused.
    for (const leaving of inTest.slice(0, 2)) {
      const count = await cardsInColumnDb(h.app, test);
      const refused = await client.request('card:move', { cardId: waiting.id, toColumnId: test });
      expect(expectFailure(refused, 'WIP_LIMIT').message).toBe(`Test is at its WIP limit (${count} of 2): finish or move a card out first`);
      expect(await cardsInColumnDb(h.app, test)).toBe(count);
      expectOk(await client.request('card:move', { cardId: leaving.id, toColumnId: board.col('Done') }));
    }
    expect(await cardsInColumnDb(h.app, test)).toBe(2);
    expectFailure(await client.request('card:move', { cardId: waiting.id, toColumnId: test }), 'WIP_LIMIT');

    // One more leaves: under the limit, the pull goes through.
    expectOk(await client.request('card:move', { cardId: inTest[2]?.id ?? '', toColumnId: board.col('Done') }));
    expectOk(await client.request('card:move', { cardId: waiting.id, toColumnId: test }));
    expect(await cardsInColumnDb(h.app, test)).toBe(2);
  });

  it('removing the limit (null) lets any number of cards in', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Test', wipLimit: 1 }]);
    const waiting = await board.addCards('Backlog', 3);
    const client = await h.connect('lead');
    expectOk(await client.request('column:update', { columnId: board.col('Test'), wipLimit: null }));
    for (const card of waiting) expectOk(await client.request('card:move', { cardId: card.id, toColumnId: board.col('Test') }));
    expect(await cardsInColumnDb(h.app, board.col('Test'))).toBe(3);
  });
});
