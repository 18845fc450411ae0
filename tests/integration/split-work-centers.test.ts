/**
 * Split work centers through the real server: splitting and joining (admins, refusals), moves
 * between the halves (no pull, no defect, time in the work center kept), hard WIP over both halves,
 * undo of a stage move, two clients folding every stage move to the server's state, and the flow
 * projection still equal to a full recomputation from the log.
 */
import { describe, expect, it } from 'vitest';
import type { BoardEvent, BoardSnapshot, CardHistoryEntry } from '../../lib/shared/domain/types';
import { parseCsv } from '../../lib/shared/flow/csv';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { canonical, dbGet, expectFailure, expectOk, fold, startTestServer } from './helpers';

const h = startTestServer();

async function seed(wipLimit: number | null = 3) {
  const board = await h.seedBoard([{ name: 'Design' }, { name: 'Develop', wipLimit }, { name: 'Test' }, { name: 'Done' }]);
  const design = await board.addCards('Design', 3, 'idea');
  const [ada, bob] = await h.connectMany(2, 'splitter');
  if (!ada || !bob) throw new Error('connect failed');
  const bobStart = await bob.joinSnapshot(board.id);
  await ada.join(board.id);
  return { board, design, ada, bob, bobStart };
}

const log = async (boardId: string) => (await h.app.store.eventsSince(boardId, 0, 10_000)) ?? [];
const cardOf = async (boardId: string, cardId: string) => (await h.app.store.getSnapshot(boardId)).cards.find((c) => c.id === cardId);

describe('split work centers', () => {
  it('an admin splits a work center in progress; every viewer sees it; the first and the last cannot be split (INVALID) and nothing changes', async () => {
    const { board, ada, bob, bobStart } = await seed();
    const split = expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true, clientMutationId: 'split-1' }));
    const seen = await bob.eventsThrough(board.id, split.version);
    expect(seen.at(-1)).toMatchObject({ type: 'column_split_set', columnId: board.col('Develop'), split: true, clientMutationId: 'split-1' });
    const server = await h.app.store.getSnapshot(board.id);
    expect(server.columns.map((c) => [c.name, c.split])).toEqual([
      ['Design', false],
      ['Develop', true],
      ['Test', false],
      ['Done', false],
    ]);
    expect(canonical(fold(bobStart, seen))).toStrictEqual(server);
    // Splitting what is split already changes nothing: no event.
    expect(expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true })).version).toBe(server.version);

    for (const [name, edge] of [
      ['Design', 'first'],
      ['Done', 'last'],
    ] as const) {
      const failure = expectFailure(await ada.request('column:update', { columnId: board.col(name), split: true }), 'INVALID');
      expect(failure.message).toBe(`${name} is the ${edge} work center: only the work centers between the first and the last can be split into doing and done`);
    }
    // Over REST too, through the same command.
    const rest = await h.api<{ error: { code: string; message: string } }>('PATCH', `/api/columns/${board.col('Done')}`, { body: { split: true } });
    expect(rest.status).toBe(400);
    expect(rest.body.error.code).toBe('INVALID');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(server);
  });

  it('a member may not split a work center (FORBIDDEN); a malformed split is INVALID', async () => {
    const { board } = await seed();
    const member = await h.user('split member');
    await h.grant(member, board.id, 'member');
    const client = await h.connectAs(member);
    expectFailure(await client.request('column:update', { columnId: board.col('Develop'), split: true }), 'FORBIDDEN');
    const ada = await h.connect('splitter 1');
    expectFailure(await ada.requestRaw('column:update', { columnId: board.col('Develop'), split: 'yes' }), 'INVALID');
    expect((await h.app.store.getSnapshot(board.id)).columns.every((c) => !c.split)).toBe(true);
  });

  it('a card moves between the halves without a pull: at the WIP limit, not backward, no defect, its time in the work center kept; history says "done"', async () => {
    const { board, design, ada, bob, bobStart } = await seed(2);
    expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true }));
    const [a, b, c] = design;
    if (!a || !b || !c) throw new Error('seed failed');
    const pulled = expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Develop') }));
    expect(pulled.card.stage).toBe('doing');
    // Dropped straight on the done half of another work center: it arrives there.
    const straight = expectOk(await ada.request('card:move', { cardId: b.id, toColumnId: board.col('Develop'), stage: 'done' }));
    expect(straight.card.stage).toBe('done');
    // Develop is full (2 of 2, both halves counted): a pull into either half is refused.
    for (const stage of ['doing', 'done'] as const) {
      const refused = expectFailure(await ada.request('card:move', { cardId: c.id, toColumnId: board.col('Develop'), stage }), 'WIP_LIMIT');
      expect(refused.message).toContain('Develop is at its WIP limit (2 of 2)');
    }
    // ...but the halves are one work center: a move between them is no pull.
    const done = expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Develop'), stage: 'done', clientMutationId: 'to-done' }));
    expect(done.card).toMatchObject({ stage: 'done', defectCount: 0, enteredColumnAt: pulled.card.enteredColumnAt });
    const back = expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Develop'), stage: 'doing' }));
    expect(back.card).toMatchObject({ stage: 'doing', defectCount: 0, enteredColumnAt: pulled.card.enteredColumnAt });
    // A reorder that names no half keeps the card's half.
    const reorder = expectOk(await ada.request('card:move', { cardId: b.id, toColumnId: board.col('Develop'), beforeCardId: a.id }));
    expect(reorder.card.stage).toBe('done');
    // Onward to Test (not split): doing again.
    const onward = expectOk(await ada.request('card:move', { cardId: b.id, toColumnId: board.col('Test') }));
    expect(onward.card.stage).toBe('doing');
    // The done half of a work center that is not split does not exist.
    const nowhere = expectFailure(await ada.request('card:move', { cardId: c.id, toColumnId: board.col('Test'), stage: 'done' }), 'INVALID');
    expect(nowhere.message).toBe('Test is not split into doing and done: a card there is doing');

    const events = await bob.eventsThrough(board.id, onward.version);
    const moves = events.filter((e): e is Extract<BoardEvent, { type: 'card_moved' }> => e.type === 'card_moved');
    expect(moves.map((m) => [m.fromStage, m.toStage, m.backward])).toEqual([
      [undefined, undefined, false],
      ['doing', 'done', false],
      ['doing', 'done', false],
      ['done', 'doing', false],
      [undefined, undefined, false],
      ['done', 'doing', false],
    ]);
    expect(moves[2]).toMatchObject({ clientMutationId: 'to-done', fromColumnId: board.col('Develop'), toColumnId: board.col('Develop') });
    expect(moves[2]).not.toHaveProperty('reason');
    const server = await h.app.store.getSnapshot(board.id);
    expect(canonical(fold(bobStart, events))).toStrictEqual(server);
    expect(await dbGet(h.app, 'select stage from cards where id = ?', [a.id])).toEqual({ stage: 'doing' });
    expect(server.columns.find((k) => k.name === 'Develop')?.defectsReturned).toBe(0);

    const history = await h.api<{ history: CardHistoryEntry[] }>('GET', `/api/cards/${a.id}/history`);
    expect(history.body.history.filter((e) => e.type === 'card_moved').map((e) => [e.toColumnId, e.toStage])).toEqual([
      [board.col('Develop'), undefined],
      [board.col('Develop'), 'done'],
      [board.col('Develop'), 'doing'],
    ]);
    // The flow counters: a stage move is no arrival nor departure, exactly as the log's recomputation says.
    await expectAggregatesOfLog(h.app.store, board.id, await log(board.id));
    const arrivals = await dbGet<{ n: number }>(h.app, 'select sum(entered) as n from flow_counts_hourly where board_id = ? and column_id = ?', [board.id, board.col('Develop')]);
    expect(Number(arrivals?.n)).toBe(2);
  });

  it('joining the halves is refused while the done half holds cards (CONFLICT, naming the count), then allowed once it is empty', async () => {
    const { board, design, ada } = await seed();
    expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true }));
    for (const card of design.slice(0, 2)) expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), stage: 'done' }));
    const before = await h.app.store.getSnapshot(board.id);
    const refused = expectFailure(await ada.request('column:update', { columnId: board.col('Develop'), split: false }), 'CONFLICT');
    expect(refused.message).toBe('Develop still holds 2 cards in its done half: move them on or back to doing before joining the halves');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
    // A rename and a join in one request: nothing of it commits.
    expectFailure(await ada.request('column:update', { columnId: board.col('Develop'), name: 'Build', split: false }), 'CONFLICT');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
    for (const card of design.slice(0, 2)) expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), stage: 'doing' }));
    expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: false }));
    expect((await h.app.store.getSnapshot(board.id)).columns.find((c) => c.name === 'Develop')?.split).toBe(false);
  });

  it('a split work center cannot become the first or the last: moving or removing its neighbours that way is refused', async () => {
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const ada = await h.connect('splitter 1');
    expectOk(await ada.request('column:update', { columnId: board.col('Test'), split: true }));
    const before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await ada.request('column:move', { columnId: board.col('Test'), toIndex: 2 }), 'CONFLICT').message).toBe(
      'Test is split into doing and done and would become the last work center: join its halves first',
    );
    expectFailure(await ada.request('column:remove', { columnId: board.col('Develop') }), 'CONFLICT');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('undo of a move into the done half puts the card back in doing; undo of a pull out of the done half puts it back in done', async () => {
    const { board, design, ada, bob, bobStart } = await seed();
    expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true }));
    const card = design[0];
    if (!card) throw new Error('seed failed');
    expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop') }));
    const toDone = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), stage: 'done' }));
    const undone = expectOk(await ada.request('card:undo-move', { cardId: card.id, version: toDone.version }));
    expect(undone.card.stage).toBe('doing');
    expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), stage: 'done' }));
    const pulled = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Test') }));
    expect(pulled.card.stage).toBe('doing');
    const back = expectOk(await ada.request('card:undo-move', { cardId: card.id, version: pulled.version }));
    expect(back.card).toMatchObject({ columnId: board.col('Develop'), stage: 'done' });
    const events = await bob.eventsThrough(board.id, back.version);
    expect(events.at(-1)).toMatchObject({ fromStage: 'doing', toStage: 'done', undoes: { place: { stage: 'done' } } });
    const server = await h.app.store.getSnapshot(board.id);
    expect(canonical(fold(bobStart, events))).toStrictEqual(server);
    expect(await cardOf(board.id, card.id)).toMatchObject({ stage: 'done' });
    await expectAggregatesOfLog(h.app.store, board.id, await log(board.id));
  });

  it('the REST move takes a stage, and the board read names the split and every card’s stage', async () => {
    const { board, design } = await seed();
    const split = await h.api('PATCH', `/api/columns/${board.col('Develop')}`, { body: { split: true } });
    expect(split.status).toBe(200);
    const card = design[0];
    if (!card) throw new Error('seed failed');
    const moved = await h.api<{ card: { stage: string } }>('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Develop'), stage: 'done' } });
    expect(moved.status).toBe(200);
    expect(moved.body.card.stage).toBe('done');
    const bad = await h.api<{ error: { code: string } }>('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Develop'), stage: 'waiting' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID');
    const read = await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${board.id}`);
    expect(read.body.board.columns.find((c) => c.name === 'Develop')?.split).toBe(true);
    expect(read.body.board.cards.find((c) => c.id === card.id)?.stage).toBe('done');
  });

  it('the items CSV carries each card’s stage: exported, imported as a new board with the work center split, exported again the same', async () => {
    const { board, design, ada } = await seed();
    expectOk(await ada.request('column:update', { columnId: board.col('Develop'), split: true }));
    const [a, b] = design;
    if (!a || !b) throw new Error('seed failed');
    expectOk(await ada.request('card:move', { cardId: a.id, toColumnId: board.col('Develop'), stage: 'done' }));
    expectOk(await ada.request('card:move', { cardId: b.id, toColumnId: board.col('Develop') }));
    const token = (await h.user('api')).token;
    const exportOf = async (boardId: string) => (await fetch(`${h.url}/api/boards/${boardId}/export/items.csv?tz=UTC`, { headers: { authorization: `Bearer ${token}` } })).text();
    const exported = await exportOf(board.id);
    const rows = parseCsv(exported).records.map((r) => r.cells);
    expect(rows[0]?.at(-1)).toBe('Stage');
    expect(rows.slice(1).map((r) => [r[1], r.at(-1)]).toSorted()).toEqual([
      ['idea 1', 'done'],
      ['idea 2', 'doing'],
      ['idea 3', 'doing'],
    ]);
    const imported = await h.api<{ boardId: string }>('POST', '/api/import/csv?name=Again&tz=UTC', { rawBody: exported, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(201);
    const again = await h.app.store.getSnapshot(imported.body.boardId);
    expect(again.columns.map((c) => [c.name, c.split])).toEqual([
      ['Design', false],
      ['Develop', true],
      ['Test', false],
      ['Done', false],
    ]);
    expect(again.cards.map((c) => [c.title, c.stage]).toSorted()).toEqual([
      ['idea 1', 'done'],
      ['idea 2', 'doing'],
      ['idea 3', 'doing'],
    ]);
    // The imported log folds to the same board, and the export of the import is the same file.
    const importedLog = await log(imported.body.boardId);
    const empty: BoardSnapshot = { id: again.id, name: '', version: 0, createdAt: again.createdAt, columns: [], lanes: [], cards: [] };
    expect(canonical(fold(empty, importedLog)).cards).toStrictEqual(again.cards);
    // A card made on the board goes out under its own id, which the import keeps as the item's ID.
    const second = parseCsv(await exportOf(imported.body.boardId)).records.map((r) => r.cells);
    expect(second).toEqual(rows);
    // An unknown stage is a clear row error, and nothing is imported.
    const bad = await h.api<{ error: { code: string; message: string } }>('POST', '/api/import/csv?name=Bad&tz=UTC', {
      rawBody: 'ID,Todo,Doing,Done,Stage\nA,2025-01-01,2025-01-02,,waiting\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('\\"waiting\\" under \\"Stage\\" is not a stage: write doing or done, or leave it empty');
  });
});
