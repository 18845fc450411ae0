import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/shared/domain/limits';
import { canonical, expectFailure, expectOk, fold, range, startTestServer, dbAll } from './helpers';

const h = startTestServer();

describe('work centers (columns)', () => {
  it('adding, renaming, limiting, moving and removing columns and renaming the board reach every client and fold to the server state', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test', wipLimit: 3 }, { name: 'Done' }]);
    await board.addCards('Develop', 2);
    const [lead, viewer] = await h.connectMany(2, 'client');
    if (!lead || !viewer) throw new Error('connect failed');
    const start = await viewer.joinSnapshot(board.id);
    await lead.join(board.id);

    const review = expectOk(await lead.request('column:add', { boardId: board.id, name: 'Review', wipLimit: 2, index: 1, clientMutationId: 'col-1' })).column;
    const tail = expectOk(await lead.request('column:add', { boardId: board.id, name: 'Archive', index: 20 })).column;
    // A name and a limit at once commit two events; the ack carries the version of the last.
    const both = expectOk(await lead.request('column:update', { columnId: review.id, name: 'Code review', wipLimit: 4 }));
    expectOk(await lead.request('column:update', { columnId: board.col('Test'), wipLimit: null }));
    expectOk(await lead.request('column:move', { columnId: board.col('Done'), toIndex: 0 }));
    expectOk(await lead.request('column:move', { columnId: review.id, toIndex: 4 }));
    expectOk(await lead.request('column:remove', { columnId: tail.id }));
    const renamed = expectOk(await lead.request('board:rename', { boardId: board.id, name: '  Payments stream  ' }));

    const server = await h.app.store.getSnapshot(board.id);
    expect(renamed.version).toBe(server.version);
    expect(server.name).toBe('Payments stream');
    expect(server.columns.map((c) => [c.name, c.wipLimit])).toEqual([
      ['Done', null],
      ['Develop', null],
      ['Test', null],
      ['Code review', 4],
    ]);
    // The stored order (ord) is dense and matches the snapshot.
    const ords = (await dbAll(h.app, 'select id, ord from columns where board_id = ? and removed_at is null order by ord', [board.id]));
    expect(ords).toEqual(server.columns.map((c, ord) => ({ id: c.id, ord })));

    const seen = await viewer.eventsThrough(board.id, server.version);
    expect(seen.map((e) => e.version)).toEqual(range(start.version + 1, server.version));
    expect(seen.map((e) => e.type)).toEqual([
      'column_added',
      'column_added',
      'column_renamed',
      'wip_limit_set',
      'wip_limit_set',
      'column_moved',
      'column_moved',
      'column_removed',
      'board_renamed',
    ]);
    expect(seen[0]).toMatchObject({ index: 1, clientMutationId: 'col-1', actor: lead.name });
    expect(seen[1]).toMatchObject({ index: 4 });
    expect(both.version).toBe(seen[3]?.version);
    expect(canonical(fold(start, seen))).toStrictEqual(server);
  });

  it('a column holding cards cannot be removed', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }]);
    await board.addCards('Test', 2);
    const client = await h.connect('lead');
    const before = await h.app.store.getSnapshot(board.id);
    const failure = expectFailure(await client.request('column:remove', { columnId: board.col('Test') }), 'CONFLICT');
    expect(failure.message).toBe('Test still holds 2 cards: move them out before removing it');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('a deleted card does not keep its column from being removed', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }]);
    const [card] = await board.addCards('Test', 1);
    const client = await h.connect('lead');
    expectOk(await client.request('card:delete', { cardId: card?.id ?? '' }));
    expectOk(await client.request('column:remove', { columnId: board.col('Test') }));
    expect((await h.app.store.getSnapshot(board.id)).columns.map((c) => c.name)).toEqual(['Develop']);
  });

  it('the last column of a board cannot be removed', async () => {
    const board = await h.seedBoard([{ name: 'Only' }]);
    const client = await h.connect('lead');
    expect(expectFailure(await client.request('column:remove', { columnId: board.col('Only') }), 'CONFLICT').message).toBe('A board keeps at least one work center');
  });

  it(`a board holds at most ${LIMITS.columnsPerBoard} columns`, async () => {
    const board = await h.seedBoard(Array.from({ length: LIMITS.columnsPerBoard }, (_, i) => ({ name: `Stage ${i + 1}` })));
    const client = await h.connect('lead');
    const failure = expectFailure(await client.request('column:add', { boardId: board.id, name: 'One more' }), 'CONFLICT');
    expect(failure.message).toBe(`A board holds at most ${LIMITS.columnsPerBoard} work centers`);
  });

  it('after a column moves, backward is judged by the new order', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }, { name: 'Deploy' }]);
    const [card] = await board.addCards('Test', 1);
    if (!card) throw new Error('seed failed');
    const client = await h.connect('lead');
    // Deploy moves to the front: Test -> Deploy is now a move to the left.
    expectOk(await client.request('column:move', { columnId: board.col('Deploy'), toIndex: 0 }));
    expectFailure(await client.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }), 'REASON_REQUIRED');
    // And Test -> Develop, backward before, is still backward (Develop is left of Test).
    expectFailure(await client.request('card:move', { cardId: card.id, toColumnId: board.col('Develop') }), 'REASON_REQUIRED');
    expectOk(await client.request('column:move', { columnId: board.col('Develop'), toIndex: 2 }));
    const ack = expectOk(await client.request('card:move', { cardId: card.id, toColumnId: board.col('Develop') }));
    expect(ack.card.defectCount).toBe(0);
  });
});
