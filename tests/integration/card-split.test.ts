import { describe, expect, it } from 'vitest';
import type { BoardEvent, BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import type { FlowData } from '../../lib/shared/flow/data';
import { foldEvent } from '../../lib/shared/flow/live';
import { canonical, expectFailure, expectOk, fold, seedActor, startTestServer } from './helpers';

const h = startTestServer();

const FLOW = [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 3 }, { name: 'Test' }, { name: 'Done' }];

/** Every event of the board from the start, folded from nothing, equals the store's state. */
async function expectFoldEqualsState(boardId: string): Promise<BoardSnapshot> {
  const state = await h.app.store.getSnapshot(boardId);
  const log = (await h.app.store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER)) ?? [];
  const empty: BoardSnapshot = { id: boardId, name: '', version: 0, createdAt: state.createdAt, columns: [], lanes: [], cards: [] };
  expect(canonical(fold(empty, log))).toStrictEqual(state);
  return state;
}

const inColumn = (board: BoardSnapshot, columnId: string) =>
  board.cards
    .filter((c) => c.columnId === columnId)
    .toSorted((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : a.id < b.id ? -1 : 1))
    .map((c) => c.title);

/** A refusal changes nothing: the same state at the same version. */
async function expectUnchanged(boardId: string, before: BoardSnapshot): Promise<void> {
  expect(await h.app.store.getSnapshot(boardId)).toStrictEqual(before);
}

describe('splitting a card', () => {
  it('replaces the card by its children right where it was, and a second viewer sees it live; the fold, the history and REST agree', async () => {
    const board = await h.seedBoard(FLOW);
    const ana = await h.user('Ana Lima');
    const [first, parent, last] = await board.addCards('Backlog', 3);
    if (!first || !parent || !last) throw new Error('seed failed');
    await h.app.store.updateCard({ cardId: parent.id, type: 'defect', assigneeIds: [ana.id], description: 'The whole thing' }, seedActor);
    const splitter = await h.connect('Splitter');
    const watcher = await h.connect('Watcher');
    await splitter.join(board.id);
    await watcher.join(board.id);

    const ack = expectOk(await splitter.request('card:split', { cardId: parent.id, titles: ['  Part one ', 'Part two', 'Part three'], clientMutationId: 'split-1' }));
    expect(ack.cards.map((c) => c.title)).toEqual(['Part one', 'Part two', 'Part three']);
    const event = await watcher.events.find('the split', (e) => e.type === 'card_split');
    expect(event).toMatchObject({ type: 'card_split', cardId: parent.id, columnId: board.col('Backlog'), version: ack.version, clientMutationId: 'split-1' });
    const children = (event as Extract<BoardEvent, { type: 'card_split' }>).children;
    for (const child of children) {
      expect(child).toMatchObject<Partial<CardDTO>>({ parentId: parent.id, columnId: board.col('Backlog'), laneId: parent.laneId, type: 'defect', assigneeIds: [ana.id], blocked: false, defectCount: 0 });
    }

    const state = await expectFoldEqualsState(board.id);
    expect(state.cards.some((c) => c.id === parent.id)).toBe(false);
    expect(inColumn(state, board.col('Backlog'))).toEqual([first.title, 'Part one', 'Part two', 'Part three', last.title]);
    // The watcher's board, folded from what it received, is the server's.
    const watched = await watcher.join(board.id);
    expect(watched.version).toBe(state.version);

    const parentHistory = expectOk(await watcher.request('card:history', { cardId: parent.id }));
    expect(parentHistory.history.at(-1)).toMatchObject({ type: 'card_split', childIds: children.map((c) => c.id), toColumnId: board.col('Backlog') });
    const childHistory = expectOk(await watcher.request('card:history', { cardId: children[0]?.id ?? '' }));
    expect(childHistory.history[0]).toMatchObject({ type: 'card_split', parentId: parent.id, parentTitle: parent.title, actor: 'Splitter' });

    const rest = await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${board.id}`);
    expect(rest.body.board.cards.filter((c) => c.parentId === parent.id)).toHaveLength(3);
  });

  it('works over REST: POST /api/cards/:cardId/split answers 201 with the new cards', async () => {
    const board = await h.seedBoard(FLOW);
    const [card] = await board.addCards('Develop', 1);
    const res = await h.api<{ version: number; cards: CardDTO[] }>('POST', `/api/cards/${card?.id}/split`, { body: { titles: ['Left half', 'Right half'] } });
    expect(res.status).toBe(201);
    expect(res.body.cards.map((c) => [c.title, c.parentId])).toEqual([
      ['Left half', card?.id],
      ['Right half', card?.id],
    ]);
    await expectFoldEqualsState(board.id);
  });

  it('is refused over a work center’s limit, counting the children: n cards add n − 1', async () => {
    const board = await h.seedBoard(FLOW);
    const [card] = await board.addCards('Develop', 2);
    const client = await h.connect('Ana');
    const before = await h.app.store.getSnapshot(board.id);
    const refused = expectFailure(await client.request('card:split', { cardId: card?.id ?? '', titles: ['a', 'b', 'c'] }), 'WIP_LIMIT');
    expect(refused.message).toBe(`Splitting "${card?.title}" into 3 cards adds 2 to Develop, which would then hold 4 (WIP limit 3): split into fewer cards, or finish work first`);
    await expectUnchanged(board.id, before);
    const rest = await h.api<{ error: { code: string; message: string } }>('POST', `/api/cards/${card?.id}/split`, { body: { titles: ['a', 'b', 'c'] } });
    expect(rest.status).toBe(409);
    expect(rest.body.error.code).toBe('WIP_LIMIT');
    await expectUnchanged(board.id, before);
    // Two cards fill the limit exactly: allowed.
    expectOk(await client.request('card:split', { cardId: card?.id ?? '', titles: ['a', 'b'] }));
  });

  it('is refused over a lane’s own limit and over a cell’s limit, and changes nothing', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const admin = await h.connect('Admin');
    const lane = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Urgent', classOfService: 'expedite', wipLimit: 2 })).lane;
    const card = expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Develop'), laneId: lane.id, title: 'Hotfix' })).card;
    let before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await admin.request('card:split', { cardId: card.id, titles: ['a', 'b', 'c'] }), 'WIP_LIMIT').message).toMatch(/adds 2 to the Urgent lane, which would then hold 3 \(WIP limit 2\)/);
    await expectUnchanged(board.id, before);

    const fixed = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Dated', classOfService: 'fixed_date' })).lane;
    expectOk(await admin.request('lane:update', { laneId: fixed.id, cellLimits: { [board.col('Backlog')]: 2 } }));
    const dated = expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Backlog'), laneId: fixed.id, title: 'Launch' })).card;
    before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await admin.request('card:split', { cardId: dated.id, titles: ['a', 'b', 'c'] }), 'WIP_LIMIT').message).toMatch(/adds 2 to Backlog in the Dated lane, which would then hold 3 \(WIP limit 2\)/);
    await expectUnchanged(board.id, before);
  });

  it('is refused when a person on the card would pass the per-person limit in progress; the backlog counts for nobody', async () => {
    const board = await h.seedBoard(FLOW);
    const ana = await h.user('Ana Lima');
    const admin = await h.connect('Admin');
    expectOk(await admin.request('board:configure', { boardId: board.id, personWipLimit: 2 }));
    const inProgress = expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Test'), title: 'Review', assigneeIds: [ana.id] })).card;
    const before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await admin.request('card:split', { cardId: inProgress.id, titles: ['a', 'b', 'c'] }), 'WIP_LIMIT').message).toMatch(
      /Ana Lima already holds 1 card in progress \(limit 2\), and would then hold 3/,
    );
    await expectUnchanged(board.id, before);
    const backlog = expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Backlog'), title: 'Epic', assigneeIds: [ana.id] })).card;
    const split = expectOk(await admin.request('card:split', { cardId: backlog.id, titles: ['a', 'b', 'c', 'd', 'e'] }));
    expect(split.cards.every((c) => c.assigneeIds.includes(ana.id))).toBe(true);
  });

  it('refuses a viewer, an outsider, bad titles, an unknown card and a finished card, each with a clear error and nothing changed', async () => {
    const board = await h.seedBoard(FLOW, 'Guarded');
    const [card] = await board.addCards('Backlog', 1);
    const [done] = await board.addCards('Done', 1);
    const cardId = card?.id ?? '';
    const vera = await h.user('Vera Viewer');
    await h.grant(vera, board.id, 'viewer');
    const viewer = await h.connectAs(vera);
    const before = await h.app.store.getSnapshot(board.id);

    expect(expectFailure(await viewer.request('card:split', { cardId, titles: ['a', 'b'] }), 'FORBIDDEN').message).toBe('A viewer cannot change the board');
    expect((await h.api('POST', `/api/cards/${cardId}/split`, { body: { titles: ['a', 'b'] }, as: vera })).status).toBe(403);
    const olga = await h.user('Olga Outsider');
    await h.app.access.removeMember(board.id, olga.id);
    expect((await h.api('POST', `/api/cards/${cardId}/split`, { body: { titles: ['a', 'b'] }, as: olga })).status).toBe(404);

    const client = await h.connect('Member');
    expect(expectFailure(await client.request('card:split', { cardId, titles: ['only one'] }), 'INVALID').message).toBe('titles: A card splits into 2 to 20 cards: give at least 2 titles');
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(expectFailure(await client.request('card:split', { cardId, titles: many }), 'INVALID').message).toBe('titles: A card splits into 2 to 20 cards: give at most 20 titles');
    expect(expectFailure(await client.request('card:split', { cardId, titles: ['fine', '   '] }), 'INVALID').message).toBe('titles.1: A card needs a title');
    expectFailure(await client.request('card:split', { cardId, titles: ['fine', 'x'.repeat(201)] }), 'INVALID');
    expectFailure(await client.request('card:split', { cardId, titles: 'a,b' } as never), 'INVALID');
    expect(expectFailure(await client.request('card:split', { cardId: 'no-such-card', titles: ['a', 'b'] }), 'NOT_FOUND').message).toBe('Card not found');
    expect(expectFailure(await client.request('card:split', { cardId: done?.id ?? '', titles: ['a', 'b'] }), 'CONFLICT').message).toBe('Done is the last work center: a finished card cannot be split');
    const unknownRest = await h.api<{ error: { code: string } }>('POST', '/api/cards/no-such-card/split', { body: { titles: ['a', 'b'] } });
    expect(unknownRest.status).toBe(404);
    const badRest = await h.api<{ error: { code: string; message: string } }>('POST', `/api/cards/${cardId}/split`, { body: { titles: [] } });
    expect(badRest.status).toBe(400);
    expect(badRest.body.error.message).toMatch(/give at least 2 titles/);
    await expectUnchanged(board.id, before);
    // A split card is gone: splitting it again finds nothing.
    expectOk(await client.request('card:split', { cardId, titles: ['a', 'b'] }));
    expectFailure(await client.request('card:split', { cardId, titles: ['a', 'b'] }), 'NOT_FOUND');
  });
});

describe('the items CSV of a board with split cards', () => {
  it('has a Parent column naming each child’s parent by its ID in the layout, which an import keeps and the next export gives back', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const [whole, parent] = await board.addCards('Todo', 2);
    const reader = await h.user('csv');
    const csvText = async (path: string) => {
      const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${reader.token}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    expect((await csvText(`/api/boards/${board.id}/export/items.csv?tz=UTC`)).split('\r\n')[0]).toBe('ID,Name,Todo,Doing,Done,Type,Assignees,Key,Blocked Days,Stage');
    const { cards } = await h.app.store.splitCard({ cardId: parent?.id ?? '', titles: ['Slice 1', 'Slice 2'] }, seedActor);
    const exported = await csvText(`/api/boards/${board.id}/export/items.csv?tz=UTC`);
    const rows = exported.trim().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['ID', 'Name', 'Todo', 'Doing', 'Done', 'Type', 'Parent', 'Assignees', 'Key', 'Blocked Days', 'Stage']);
    const parentOf = new Map(rows.slice(1).map((r) => [r[1], r[6]]));
    expect(parentOf.get(whole?.title)).toBe('');
    expect(parentOf.get('Slice 1')).toBe(parent?.id);
    expect(parentOf.get('Slice 2')).toBe(parent?.id);
    expect(rows.slice(1).map((r) => r[0]).toSorted()).toEqual([whole?.id, ...cards.map((c) => c.id)].toSorted());

    const imported = await h.api<{ boardId: string }>('POST', '/api/import/csv?name=Again&tz=UTC', { rawBody: exported, headers: { 'content-type': 'text/csv' }, as: reader });
    expect(imported.status).toBe(201);
    expect(await csvText(`/api/boards/${imported.body.boardId}/export/items.csv?tz=UTC`)).toBe(exported);
  });
});

describe('the flow of split cards', () => {
  it('a live flow page folds a split to what a fresh read says', async () => {
    const board = await h.seedBoard(FLOW);
    const [card] = await board.addCards('Develop', 1);
    const today = new Date().toISOString().slice(0, 10);
    const range = `from=${today}&to=${today}&tz=UTC`;
    const page = await h.connect('flow page');
    expectOk(await page.request('flow:join', { boardId: board.id }));
    const loaded = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range}`);
    const splitter = await h.connect('splitter');
    expectOk(await splitter.request('card:split', { cardId: card?.id ?? '', titles: ['a', 'b'] }));
    const event = await page.events.find('the split', (e) => e.type === 'card_split');
    const folded = foldEvent(loaded.body, event);
    if (folded.kind !== 'applied') throw new Error(`not applied: ${folded.kind}`);
    const fresh = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range}`);
    expect(folded.data.counts).toEqual(fresh.body.counts);
    expect(folded.data.splits).toEqual(fresh.body.splits);
    expect(folded.data.open.toSorted((a, b) => (a.cardId < b.cardId ? -1 : 1))).toEqual(fresh.body.open.toSorted((a, b) => (a.cardId < b.cardId ? -1 : 1)));
  });
});

describe('GET /api/boards/:boardId/flow/batch', () => {
  it('refuses a bad range or filter with INVALID, an unknown board with NOT_FOUND', async () => {
    const board = await h.seedBoard(FLOW);
    expect((await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/flow/batch?from=2025-13-01`)).body.error.code).toBe('INVALID');
    expect((await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/flow/batch?tz=Mars/Olympus`)).body.error.code).toBe('INVALID');
    expect((await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/flow/batch?class=urgent`)).body.error.code).toBe('INVALID');
    expect((await h.api('GET', '/api/boards/no-such-board/flow/batch')).status).toBe(404);
  });
});

describe('keys of split cards', () => {
  it('each child is a new card with the board\'s next numbers; the parent\'s number is never given again', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Done' }]);
    const [, parent] = await board.addCards('Todo', 2);
    const { cards } = await h.app.store.splitCard({ cardId: parent?.id ?? '', titles: ['Slice 1', 'Slice 2'] }, seedActor);
    expect(cards.map((c) => c.number)).toEqual([3, 4]);
    const [next] = await board.addCards('Todo', 1, 'after the split');
    expect(next?.number).toBe(5);
  });
});
