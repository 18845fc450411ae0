import { describe, expect, it } from 'vitest';
import type { BoardEvent, BoardSnapshot } from '../../lib/shared/domain/types';
import { canonical, dbGet, expectFailure, expectOk, fold, startTestServer } from './helpers';

const h = startTestServer();

const FLOW = [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }];

/** Every event of the board from the start, folded from nothing, equals the store's state. */
async function expectFoldEqualsState(boardId: string): Promise<BoardSnapshot> {
  const state = await h.app.store.getSnapshot(boardId);
  const log = (await h.app.store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER)) ?? [];
  const empty: BoardSnapshot = { id: boardId, name: '', version: 0, createdAt: state.createdAt, columns: [], lanes: [], cards: [] };
  expect(canonical(fold(empty, log))).toStrictEqual(state);
  return state;
}

const assigned = (board: BoardSnapshot, cardId: string) => board.cards.find((c) => c.id === cardId)?.assigneeIds;

describe('assignees on cards', () => {
  it('are set over the socket, reach every viewer as card_updated with changes.assigneeIds, fold to the state and read in the card history; a join names them', async () => {
    const board = await h.seedBoard(FLOW);
    const ana = await h.user('Ana Lima');
    const ben = await h.user('Ben Okafor');
    const [card] = await board.addCards('Develop', 1);
    if (!card) throw new Error('seed failed');
    const lead = await h.connectAs(ana);
    const viewer = await h.connectAs(ben);
    const joined = await viewer.join(board.id);
    expect(joined.people).toEqual(expect.arrayContaining([{ id: ana.id, name: 'Ana Lima', member: true }, { id: ben.id, name: 'Ben Okafor', member: true }]));

    expectOk(await lead.request('card:update', { cardId: card.id, assigneeIds: [ana.id, ben.id] }));
    const event = await viewer.events.find('assignment', (e) => e.type === 'card_updated');
    expect(event).toMatchObject({ type: 'card_updated', cardId: card.id, changes: { assigneeIds: [ana.id, ben.id] } });

    // The same list again changes nothing and logs nothing.
    const before = await h.app.store.getSnapshot(board.id);
    const same = expectOk(await lead.request('card:update', { cardId: card.id, assigneeIds: [ana.id, ben.id] }));
    expect(same.version).toBe(before.version);

    expectOk(await lead.request('card:update', { cardId: card.id, assigneeIds: [ben.id] }));
    const state = await expectFoldEqualsState(board.id);
    expect(assigned(state, card.id)).toEqual([ben.id]);
    const history = expectOk(await viewer.request('card:history', { cardId: card.id }));
    expect(history.history.filter((e) => e.type === 'card_updated').map((e) => e.changes)).toEqual([{ assigneeIds: [ana.id, ben.id] }, { assigneeIds: [ben.id] }]);
  });

  it('are set over REST (create and update) and read back with the board and its people', async () => {
    const board = await h.seedBoard(FLOW);
    const ana = await h.user('Ana Lima');
    const created = await h.api<{ ok: true; card: { id: string; assigneeIds: string[] } }>('POST', `/api/boards/${board.id}/cards`, {
      body: { title: 'Pair on the release', columnId: board.col('Develop'), assigneeIds: [ana.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body.card.assigneeIds).toEqual([ana.id]);
    const cleared = await h.api('PATCH', `/api/cards/${created.body.card.id}`, { body: { assigneeIds: [] } });
    expect(cleared.status).toBe(200);
    const read = await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${board.id}`);
    expect(assigned(read.body.board, created.body.card.id)).toEqual([]);
    expect(read.body.board.people).toContainEqual({ id: ana.id, name: 'Ana Lima', member: true });
    await expectFoldEqualsState(board.id);
  });

  it('only board members: anyone else is refused with a message naming them, and nothing changes', async () => {
    const board = await h.seedBoard(FLOW);
    const outsider = await h.user('Olga Outsider');
    await h.app.access.removeMember(board.id, outsider.id);
    const [card] = await board.addCards('Backlog', 1);
    if (!card) throw new Error('seed failed');
    const client = await h.connect('Ana Lima');
    const before = await h.app.store.getSnapshot(board.id);

    const refused = await client.request('card:update', { cardId: card.id, assigneeIds: [outsider.id] });
    expect(expectFailure(refused, 'INVALID').message).toBe('Only board members can be assigned: Olga Outsider is not a member of this board');
    const unknown = await client.request('card:update', { cardId: card.id, assigneeIds: ['no-such-account'] });
    expect(expectFailure(unknown, 'INVALID').message).toBe('Only board members can be assigned: no member of this board has the id no-such-account');
    const onCreate = await client.request('card:create', { boardId: board.id, title: 'x', assigneeIds: [outsider.id] });
    expectFailure(onCreate, 'INVALID');
    const twice = await client.request('card:update', { cardId: card.id, assigneeIds: [outsider.id, outsider.id] });
    expect(expectFailure(twice, 'INVALID').message).toBe('assigneeIds: Each person can be assigned once');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('someone removed from the board stays assigned (named as a former member, told live) and cannot be assigned again', async () => {
    const board = await h.seedBoard(FLOW);
    const ana = await h.user('Ana Lima');
    const carl = await h.user('Carl Departed');
    const [card, other] = await board.addCards('Develop', 2);
    if (!card || !other) throw new Error('seed failed');
    const client = await h.connectAs(ana);
    await client.join(board.id);
    const people = new Promise<unknown>((resolve) => client.socket.on('board:people', resolve));
    expectOk(await client.request('card:update', { cardId: card.id, assigneeIds: [carl.id] }));

    const removed = await h.api('DELETE', `/api/boards/${board.id}/members/${carl.id}`);
    expect(removed.status).toBe(200);
    expect(await people).toEqual({ boardId: board.id, people: expect.arrayContaining([{ id: carl.id, name: 'Carl Departed', member: false }]) as unknown });
    expect((await client.join(board.id)).people).toContainEqual({ id: carl.id, name: 'Carl Departed', member: false });
    expect(assigned(await h.app.store.getSnapshot(board.id), card.id)).toEqual([carl.id]);
    // Kept where they were; adding someone else beside them is fine; naming them anew is not.
    expectOk(await client.request('card:update', { cardId: card.id, assigneeIds: [carl.id, ana.id] }));
    expectFailure(await client.request('card:update', { cardId: other.id, assigneeIds: [carl.id] }), 'INVALID');
    await expectFoldEqualsState(board.id);
  });
});

async function teamBoard(limit: number | null, columns: ReadonlyArray<{ name: string; wipLimit?: number | null }> = FLOW) {
  const board = await h.seedBoard(columns);
  const ana = await h.user('Ana Lima');
  const client = await h.connectAs(ana);
  await client.join(board.id);
  if (limit !== null) expectOk(await client.request('board:configure', { boardId: board.id, personWipLimit: limit }));
  return { board, ana, client };
}

describe('the per-person WIP limit', () => {
  it('is a board setting in the log: person_wip_limit_set, folded into the snapshot; admins only', async () => {
    const { board, client } = await teamBoard(2);
    const event = await client.events.find('limit event', (e) => e.type === 'person_wip_limit_set');
    expect(event).toMatchObject({ type: 'person_wip_limit_set', personWipLimit: 2 });
    expect((await expectFoldEqualsState(board.id)).personWipLimit).toBe(2);
    expectOk(await client.request('board:configure', { boardId: board.id, personWipLimit: null }));
    expect((await expectFoldEqualsState(board.id)).personWipLimit).toBeUndefined();
    const viewer = await h.user('Vera Viewer');
    await h.grant(viewer, board.id, 'viewer');
    const refused = await (await h.connectAs(viewer)).request('board:configure', { boardId: board.id, personWipLimit: 1 });
    expectFailure(refused, 'FORBIDDEN');
    expectFailure(await client.request('board:configure', { boardId: board.id, personWipLimit: 0 }), 'INVALID');
  });

  it('refuses a third card in progress for one person, counting neither the first nor the last work center', async () => {
    const { board, ana, client } = await teamBoard(2);
    const [waiting, waiting2] = await board.addCards('Backlog', 2);
    const [done] = await board.addCards('Done', 1);
    const [dev1, dev2, dev3] = await board.addCards('Develop', 3);
    const [test1] = await board.addCards('Test', 1);
    if (!waiting || !waiting2 || !done || !dev1 || !dev2 || !dev3 || !test1) throw new Error('seed failed');

    // Backlog and Done do not count: any number of them.
    for (const card of [waiting, waiting2, done]) expectOk(await client.request('card:update', { cardId: card.id, assigneeIds: [ana.id] }));
    expectOk(await client.request('card:update', { cardId: dev1.id, assigneeIds: [ana.id] }));
    expectOk(await client.request('card:update', { cardId: test1.id, assigneeIds: [ana.id] }));
    const before = await h.app.store.getSnapshot(board.id);

    const message = 'Ana Lima already holds 2 cards in progress (limit 2)';
    // Assigning a third in progress,
    expect(expectFailure(await client.request('card:update', { cardId: dev2.id, assigneeIds: [ana.id] }), 'WIP_LIMIT').message).toBe(message);
    // pulling one of hers from the first work center into the middle,
    expect(expectFailure(await client.request('card:move', { cardId: waiting.id, toColumnId: board.col('Develop') }), 'WIP_LIMIT').message).toBe(message);
    // or creating one for her in the middle: all refused, and nothing changed.
    expect(expectFailure(await client.request('card:create', { boardId: board.id, columnId: board.col('Test'), title: 'x', assigneeIds: [ana.id] }), 'WIP_LIMIT').message).toBe(message);
    // Through REST the same.
    const rest = await h.api<{ error: { code: string; message: string } }>('PATCH', `/api/cards/${dev3.id}`, { body: { assigneeIds: [ana.id] } });
    expect(rest.status).toBe(409);
    expect(rest.body.error).toEqual({ code: 'WIP_LIMIT', message });
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);

    // Moving within the middle keeps her count: allowed. So is taking another person along, or editing the title.
    expectOk(await client.request('card:move', { cardId: dev1.id, toColumnId: board.col('Test') }));
    expectOk(await client.request('card:update', { cardId: dev1.id, title: 'renamed' }));
    // One of hers finishes: there is room again.
    expectOk(await client.request('card:move', { cardId: test1.id, toColumnId: board.col('Done') }));
    expectOk(await client.request('card:move', { cardId: waiting.id, toColumnId: board.col('Develop') }));
    expect(expectFailure(await client.request('card:move', { cardId: waiting2.id, toColumnId: board.col('Develop') }), 'WIP_LIMIT').message).toBe(message);
    await expectFoldEqualsState(board.id);
  });

  it('applies beside a work center limit: a full work center refuses, and a person at their limit refuses, whichever holds', async () => {
    const { board, ana, client } = await teamBoard(1, [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 1 }, { name: 'Test' }, { name: 'Done' }]);
    const ben = await h.user('Ben Okafor');
    const [a, b] = await board.addCards('Backlog', 2);
    const [t] = await board.addCards('Test', 1);
    if (!a || !b || !t) throw new Error('seed failed');
    expectOk(await client.request('card:update', { cardId: t.id, assigneeIds: [ana.id] }));
    expectOk(await client.request('card:update', { cardId: a.id, assigneeIds: [ana.id] }));
    expectOk(await client.request('card:update', { cardId: b.id, assigneeIds: [ben.id] }));
    // Develop has room, Ana has none.
    expect(expectFailure(await client.request('card:move', { cardId: a.id, toColumnId: board.col('Develop') }), 'WIP_LIMIT').message).toBe('Ana Lima already holds 1 card in progress (limit 1)');
    expectOk(await client.request('card:move', { cardId: b.id, toColumnId: board.col('Develop') }));
    // Develop is full now, Ana finished hers: the work center refuses.
    expectOk(await client.request('card:move', { cardId: t.id, toColumnId: board.col('Done') }));
    expect(expectFailure(await client.request('card:move', { cardId: a.id, toColumnId: board.col('Develop') }), 'WIP_LIMIT').message).toBe(
      'Develop is at its WIP limit (1 of 1): finish or move a card out first',
    );
    expectOk(await client.request('card:move', { cardId: a.id, toColumnId: board.col('Test') }));
    await expectFoldEqualsState(board.id);
  });

  it('20 clients assigning 20 cards in progress to one person at once: exactly 2 win, 18 are refused, state = fold of the log', async () => {
    const { board, ana } = await teamBoard(2);
    const cards = [...(await board.addCards('Develop', 10)), ...(await board.addCards('Test', 10))];
    const observer = await h.connect('observer');
    const start = await observer.joinSnapshot(board.id);
    const racers = await h.connectMany(20, 'assigner');

    const acks = await Promise.all(racers.map((c, i) => c.request('card:update', { cardId: cards[i]?.id ?? '', assigneeIds: [ana.id], clientMutationId: `assign-${i}` })));
    const won = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok);
    expect(won).toHaveLength(2);
    expect(refused).toHaveLength(18);
    for (const failure of refused) expect(failure).toEqual({ ok: false, code: 'WIP_LIMIT', message: 'Ana Lima already holds 2 cards in progress (limit 2)' });

    const seen: BoardEvent[] = await observer.eventsThrough(board.id, start.version + 2);
    const state = await expectFoldEqualsState(board.id);
    expect(canonical(fold(start, seen))).toStrictEqual(state);
    expect(state.cards.filter((c) => c.assigneeIds.includes(ana.id))).toHaveLength(2);
    const logged = await dbGet<{ n: number }>(h.app, "select count(*) as n from events where board_id = ? and type = 'card_updated'", [board.id]);
    expect(Number(logged?.n)).toBe(2);
  });
});
