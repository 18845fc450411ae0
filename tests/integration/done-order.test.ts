/**
 * The last work center lists its cards newest first (lib/shared/domain/doneOrder.ts): an arrival,
 * by a move or created there, goes on top whatever place was asked for; a move inside it
 * leaves the card where it is; a big board's first window of it holds its newest cards.
 */
import { describe, expect, it } from 'vitest';
import { CARD_WINDOW } from '../../lib/shared/domain/cardWindow';
import { comparePositioned } from '../../lib/shared/domain/ordering';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { canonical, expectFailure, expectOk, fold, startTestServer } from './helpers';

const h = startTestServer();

const order = (b: BoardSnapshot, columnId: string) => b.cards.filter((c) => c.columnId === columnId).toSorted(comparePositioned).map((c) => c.id);

describe('Done, newest first', () => {
  it('a card moved or created into the last work center goes on top, whatever place was asked; every viewer folds to the same order', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Done' }]);
    const [a, b, c] = await board.addCards('Develop', 3);
    if (!a || !b || !c) throw new Error('seed failed');
    const [ada, bob] = await h.connectMany(2, 'finisher');
    if (!ada || !bob) throw new Error('connect failed');
    const start = await bob.joinSnapshot(board.id);
    const done = board.col('Done');

    expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: done }));
    // Asked to go at the end, or before the oldest: it still goes on top.
    expectOk(await ada.request('card:move', { cardId: b.id, toColumnId: done, beforeCardId: null }));
    expectOk(await ada.request('card:move', { cardId: c.id, toColumnId: done, beforeCardId: a.id }));
    const created = expectOk(await ada.request('card:create', { boardId: board.id, columnId: done, title: 'Hotfix shipped' }));
    const server = await h.app.store.getSnapshot(board.id);
    expect(order(server, done)).toEqual([created.card.id, c.id, b.id, a.id]);
    // Newest first by the time each entered it.
    const entered = order(server, done).map((id) => Date.parse(server.cards.find((x) => x.id === id)?.enteredColumnAt ?? ''));
    expect(entered).toEqual(entered.toSorted((x, y) => y - x));
    expect(canonical(fold(start, await bob.eventsThrough(board.id, server.version)))).toStrictEqual(server);
  });

  it('a move inside the last work center leaves the card where it is; moving out and undoing puts it back in its place', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Done' }]);
    const [a, b] = await board.addCards('Done', 2);
    if (!a || !b) throw new Error('seed failed');
    const ada = await h.connect('finisher 1');
    await ada.join(board.id);
    const before = await h.app.store.getSnapshot(board.id);
    expect(order(before, board.col('Done'))).toEqual([b.id, a.id]);
    const stay = expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Done'), beforeCardId: b.id }));
    expect(stay.card).toMatchObject({ position: before.cards.find((c) => c.id === a.id)?.position, enteredColumnAt: before.cards.find((c) => c.id === a.id)?.enteredColumnAt });
    expect(order(await h.app.store.getSnapshot(board.id), board.col('Done'))).toEqual([b.id, a.id]);
    // A card named to land before must still be in it.
    expectFailure(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Done'), beforeCardId: 'nowhere' }), 'NOT_FOUND');

    const out = expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Develop'), reason: 'Rollback' }));
    expectOk(await ada.request('card:undo-move', { cardId: a.id, version: out.version }));
    expect(order(await h.app.store.getSnapshot(board.id), board.col('Done'))).toEqual([b.id, a.id]);
  });

  it('a big board’s first window of the last work center holds its newest cards, and a new arrival joins it on top', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Done' }], 'Big done');
    const finished = await board.addCards('Done', CARD_WINDOW + 5);
    const [late] = await board.addCards('Develop', 1);
    const client = await h.connect('reader');
    const joined = await client.joinSnapshot(board.id);
    const done = board.col('Done');
    expect(joined.window?.totals[done]).toBe(CARD_WINDOW + 5);
    // The newest first: the last created is the first sent, the 5 oldest are the ones left out.
    expect(order(joined, done)).toEqual(finished.map((c) => c.id).toReversed().slice(0, CARD_WINDOW));

    const mover = await h.connect('mover');
    await mover.join(board.id);
    const moved = expectOk(await mover.request('card:move', { cardId: late?.id ?? '', toColumnId: done }));
    const event = await client.events.find('the arrival', (e) => e.version === moved.version);
    const followed = fold(joined, [event]);
    expect(order(followed, done)[0]).toBe(late?.id);
    expect(followed.window?.totals[done]).toBe(CARD_WINDOW + 6);
    // What the client holds is the start of the server's order.
    const whole = order(await h.app.store.getSnapshot(board.id), done);
    expect(order(followed, done)).toEqual(whole.slice(0, order(followed, done).length));
  });
});
