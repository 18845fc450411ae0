/**
 * A big board's window (lib/shared/domain/cardWindow.ts): a join sends each work center's first
 * CARD_WINDOW cards and its count, "show more" pages through the rest, and the board stays true and
 * live for a client that holds only part of it.
 */
import { describe, expect, it } from 'vitest';
import { BoardSyncClient } from '../../lib/client/sync/BoardSyncClient';
import type { FlowSocket } from '../../lib/client/socket';
import { addCardPage, CARD_WINDOW, cardCount, windowOf } from '../../lib/shared/domain/cardWindow';
import { comparePositioned } from '../../lib/shared/domain/ordering';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { canonical, expectOk, startTestServer } from './helpers';

const h = startTestServer();
const EXTRA = 30;

const inColumn = (b: BoardSnapshot, columnId: string) => b.cards.filter((c) => c.columnId === columnId).toSorted(comparePositioned);

/** Per work center: the cards held are the first of the whole board's, in order, and the count is the true one. */
function expectTrueWindow(held: BoardSnapshot, whole: BoardSnapshot) {
  expect(held.version).toBe(whole.version);
  for (const column of whole.columns) {
    const all = inColumn(whole, column.id);
    const sent = inColumn(held, column.id);
    expect(cardCount(held, column.id)).toBe(all.length);
    expect(sent).toEqual(all.slice(0, sent.length));
  }
}

describe('a big board sent in part', () => {
  it('a join sends each work center’s first cards in board order and its count; board:cards pages add up to the whole board', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }], 'Windowed');
    await board.addCards('Todo', CARD_WINDOW + EXTRA);
    await board.addCards('Doing', 3);
    const whole = await h.app.store.getSnapshot(board.id);
    const client = await h.connect('reader');
    const joined = await client.joinSnapshot(board.id);
    expect(joined.window).toEqual({ totals: { [board.col('Todo')]: CARD_WINDOW + EXTRA } });
    expect(inColumn(joined, board.col('Todo'))).toEqual(inColumn(whole, board.col('Todo')).slice(0, CARD_WINDOW));
    expect(inColumn(joined, board.col('Doing'))).toEqual(inColumn(whole, board.col('Doing')));
    // The board page reads the same window.
    expect(canonical(await h.app.store.windowedSnapshot(board.id, CARD_WINDOW))).toEqual(canonical(joined));

    const last = inColumn(joined, board.col('Todo')).at(-1);
    const page = expectOk(await client.request('board:cards', { boardId: board.id, columnId: board.col('Todo'), after: last ? { position: last.position, id: last.id } : null }));
    expect(page).toMatchObject({ version: whole.version, total: CARD_WINDOW + EXTRA });
    expect(page.cards).toEqual(inColumn(whole, board.col('Todo')).slice(CARD_WINDOW));
    const completed = addCardPage(joined, board.col('Todo'), page.cards, page.total);
    expect(completed.window).toBeUndefined();
    expect(canonical(completed)).toEqual(canonical(whole));
    // Refusals: another board's work center, a stranger.
    const other = await h.seedBoard([{ name: 'Elsewhere' }]);
    expect(await client.request('board:cards', { boardId: board.id, columnId: other.col('Elsewhere') })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const strangerUser = await h.user('stranger');
    const stranger = await h.connectAs(strangerUser);
    await h.app.engine.write((tx) => tx.run('delete from board_members where board_id = ? and user_id = ?', [board.id, strangerUser.id]));
    expect(await stranger.request('board:cards', { boardId: board.id, columnId: board.col('Todo') })).toMatchObject({ ok: false });
  });

  it('a client holding the window follows moves of cards it never received, and shows them once they come into view', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }], 'Live window');
    const todo = await board.addCards('Todo', CARD_WINDOW + EXTRA);
    const initial = windowOf(await h.app.store.getSnapshot(board.id));
    const viewer = await h.user('viewer');
    const socket = h.socket({ token: viewer.token });
    const sync = new BoardSyncClient(socket as unknown as FlowSocket, initial);
    const until = (what: string, test: (b: BoardSnapshot) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const s = sync.getSnapshot();
          if (s.status === 'live' && test(s.view)) {
            unsubscribe();
            resolve();
          }
        };
        const unsubscribe = sync.subscribe(check);
        check();
        setTimeout(() => reject(new Error(`never: ${what}`)), 10_000).unref();
      });
    sync.start({ notify: () => {} });
    await until('live', () => true);

    const mover = await h.connect('mover');
    const hidden = todo.at(-1);
    const shown = todo[0];
    if (!hidden || !shown) throw new Error('no cards');
    // A card the viewer never received moves into a work center it holds whole: it must appear.
    expectOk(await mover.request('card:move', { cardId: hidden.id, toColumnId: board.col('Doing') }));
    // A card it holds moves to the end of its long work center, past what was sent: it leaves the view.
    expectOk(await mover.request('card:move', { cardId: shown.id, toColumnId: board.col('Todo'), beforeCardId: null }));
    // A new card at the end of the long work center is counted, not shown.
    expectOk(await mover.request('card:create', { boardId: board.id, columnId: board.col('Todo'), title: 'Late arrival' }));
    const whole = await h.app.store.getSnapshot(board.id);
    await until('caught up with the moves', (b) => b.version === whole.version && b.cards.some((c) => c.id === hidden.id));
    const held = sync.getState().confirmed;
    expectTrueWindow(held, whole);
    expect(held.cards.find((c) => c.id === hidden.id)?.columnId).toBe(board.col('Doing'));
    expect(held.window?.stale).toBeUndefined();
    // "Show more" then brings the rest of the long work center.
    for (let i = 0; i < 3 && sync.getState().confirmed.window; i++) await sync.loadMore(board.col('Todo'));
    expect(canonical(sync.getState().confirmed)).toEqual(canonical(whole));
    sync.stop();
  });
});
