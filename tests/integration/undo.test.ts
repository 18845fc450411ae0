/**
 * Undo of one's own last move through the real server: a compensating card_moved every viewer folds
 * to the server's state, the card back where it stood, an undone defect gone from the card, the
 * work center's badge, the flow page's matrix and rework rate; refusals change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { FlowMetrics } from '../../lib/shared/flow/metrics';
import type { FlowData } from '../../lib/shared/flow/data';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { UNDO_WINDOW_MS } from '../../lib/shared/domain/undo';
import type { BoardEvent, CardHistoryEntry } from '../../lib/shared/domain/types';
import { foldEvent } from '../../lib/shared/flow/live';
import { canonical, dbGet, expectFailure, expectOk, fold, startTestServer } from './helpers';

/** The store's clock runs `skew` ms ahead of the real one: a test moves time instead of waiting. */
let skew = 0;
const h = startTestServer({ clock: () => Date.now() + skew });

const today = () => new Date(Date.now() + skew).toISOString().slice(0, 10);
const range = () => `from=${today()}&to=${today()}&tz=UTC`;

async function seed() {
  skew = 0;
  const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test', wipLimit: 3 }, { name: 'Deploy' }]);
  const [first, card, last] = await board.addCards('Test', 3, 'checkout');
  if (!first || !card || !last) throw new Error('seed failed');
  const [ada, bob] = await h.connectMany(2, 'undoer');
  if (!ada || !bob) throw new Error('connect failed');
  const bobStart = await bob.joinSnapshot(board.id);
  await ada.join(board.id);
  return { board, card, first, ada, bob, bobStart };
}

const log = async (boardId: string) => (await h.app.store.eventsSince(boardId, 0, 10_000)) ?? [];

describe('undo of one’s own last move', () => {
  it('a forward move undone: one compensating card_moved, the card back in its place, both in the log and the history, every viewer folds to the server', async () => {
    const { board, card, ada, bob, bobStart } = await seed();
    const before = (await h.app.store.getSnapshot(board.id)).cards.find((c) => c.id === card.id);
    const moved = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }));
    const loaded = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    expect(loaded.body.version).toBe(moved.version);
    const undo = expectOk(await ada.request('card:undo-move', { cardId: card.id, version: moved.version, clientMutationId: 'undo-1' }));
    expect(undo.card).toStrictEqual({ ...before, updatedAt: undo.card.updatedAt });

    const events = await bob.eventsThrough(board.id, undo.version);
    expect(events.at(-1)).toMatchObject({
      type: 'card_moved',
      cardId: card.id,
      fromColumnId: board.col('Deploy'),
      toColumnId: board.col('Test'),
      position: before?.position,
      backward: false,
      clientMutationId: 'undo-1',
      undoes: { version: moved.version, backward: false, returnedToColumnId: null, place: { columnId: board.col('Test'), position: before?.position, enteredColumnAt: before?.enteredColumnAt } },
    });
    expect(events.at(-1)).not.toHaveProperty('reason');
    // An open flow page reloads on an undo: it rewrites the counts of the move it takes back.
    expect(foldEvent(loaded.body, events.at(-1) as BoardEvent)).toEqual({ kind: 'reload' });
    const server = await h.app.store.getSnapshot(board.id);
    expect(canonical(fold(bobStart, events))).toStrictEqual(server);
    expect(server.cards.find((c) => c.id === card.id)).toMatchObject({ columnId: board.col('Test'), position: before?.position, enteredColumnAt: before?.enteredColumnAt, defectCount: 0 });

    const history = await h.api<{ history: CardHistoryEntry[] }>('GET', `/api/cards/${card.id}/history`);
    expect(history.body.history.slice(-2).map((e) => [e.type, e.toColumnId, e.undoes])).toEqual([
      ['card_moved', board.col('Deploy'), undefined],
      ['card_moved', board.col('Test'), moved.version],
    ]);
    // Deploy is the last work center: the undone arrival finished nothing, and the card is open again.
    const metrics = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${range()}`);
    expect(metrics.body.finished).toEqual([]);
    expect(metrics.body.throughputPerDay.map((d) => d.count)).toEqual([0]);
    const flow = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    expect(flow.body.open.find((c) => c.cardId === card.id)).toMatchObject({ columnId: board.col('Test'), furthestId: board.col('Test') });
    await expectAggregatesOfLog(h.app.store, board.id, await log(board.id));
  });

  it('a backward move undone over REST: the card’s defect count, the work center’s defects returned, the flow matrix and rework rate all go back', async () => {
    const { board, card, bob, bobStart } = await seed();
    const mover = await h.user('undoer 1');
    const moved = await h.api<{ version: number }>('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Develop'), reason: 'Fails the load test' }, as: mover });
    expect(moved.status).toBe(200);
    const during = await h.app.store.getSnapshot(board.id);
    expect(during.cards.find((c) => c.id === card.id)?.defectCount).toBe(1);
    expect(during.columns.find((c) => c.name === 'Develop')?.defectsReturned).toBe(1);
    const metricsDuring = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${range()}`);
    expect(metricsDuring.body.defects.matrix).toEqual([{ detectedAtColumnId: board.col('Test'), returnedToColumnId: board.col('Develop'), count: 1 }]);

    const undo = await h.api<{ version: number }>('POST', `/api/cards/${card.id}/undo-move`, { body: { version: moved.body.version }, as: mover });
    expect(undo.status).toBe(200);
    const events = await bob.eventsThrough(board.id, undo.body.version);
    expect(events.at(-1)).toMatchObject({ backward: false, undoes: { version: moved.body.version, backward: true, returnedToColumnId: board.col('Develop') } });
    const server = await h.app.store.getSnapshot(board.id);
    expect(canonical(fold(bobStart, events))).toStrictEqual(server);
    expect(server.cards.find((c) => c.id === card.id)).toMatchObject({ columnId: board.col('Test'), defectCount: 0 });
    expect(server.columns.map((c) => c.defectsReturned)).toEqual([0, 0, 0]);
    expect(await dbGet(h.app, 'select count(*) as n from backward_moves where board_id = ?', [board.id])).toEqual({ n: 0 });

    const metrics = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${range()}`);
    expect(metrics.body.defects.matrix).toEqual([]);
    expect(metrics.body.defects.reworkRates.map((r) => [r.returns, r.departures])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const flow = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    expect(flow.body.defects).toEqual([]);
    await expectAggregatesOfLog(h.app.store, board.id, await log(board.id));
  });

  it('is refused once the window has passed (UNDO_EXPIRED), and changes nothing', async () => {
    const { board, card, ada } = await seed();
    const moved = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }));
    skew += UNDO_WINDOW_MS + 1;
    const before = await h.app.store.getSnapshot(board.id);
    const failure = expectFailure(await ada.request('card:undo-move', { cardId: card.id, version: moved.version }), 'UNDO_EXPIRED');
    expect(failure.message).toMatch(/10 seconds/);
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('is refused for someone else’s move (FORBIDDEN), after the card moved again or was undone already (CONFLICT), and for an unknown version (NOT_FOUND)', async () => {
    const { board, card, first, ada, bob } = await seed();
    const moved = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }));
    const before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await bob.request('card:undo-move', { cardId: card.id, version: moved.version }), 'FORBIDDEN').message).toMatch(/Only the person who moved/);
    expectFailure(await ada.request('card:undo-move', { cardId: first.id, version: moved.version }), 'NOT_FOUND');
    expectFailure(await ada.request('card:undo-move', { cardId: card.id, version: moved.version + 100 }), 'NOT_FOUND');
    expectFailure(await ada.requestRaw('card:undo-move', { cardId: card.id }), 'INVALID');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);

    // Bob moves it on: Ada's move is no longer its last.
    const again = expectOk(await bob.request('card:move', { cardId: card.id, toColumnId: board.col('Test'), reason: 'Not deployable' }));
    expect(expectFailure(await ada.request('card:undo-move', { cardId: card.id, version: moved.version }), 'CONFLICT').message).toMatch(/moved since/);
    // Bob undoes his own; a second undo, or an undo of the undo, is refused.
    const undo = expectOk(await bob.request('card:undo-move', { cardId: card.id, version: again.version }));
    expect(expectFailure(await bob.request('card:undo-move', { cardId: card.id, version: again.version }), 'CONFLICT').message).toMatch(/already been undone/);
    expectFailure(await bob.request('card:undo-move', { cardId: card.id, version: undo.version }), 'CONFLICT');
    expect((await h.app.store.getSnapshot(board.id)).cards.find((c) => c.id === card.id)?.columnId).toBe(board.col('Deploy'));
  });

  it('keeps hard WIP: an undo into a work center that is now at its limit is refused with WIP_LIMIT', async () => {
    const { board, card, ada } = await seed();
    const moved = expectOk(await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }));
    const [filler] = await board.addCards('Develop', 1);
    expectOk(await ada.request('card:move', { cardId: filler?.id ?? '', toColumnId: board.col('Test') }));
    const before = await h.app.store.getSnapshot(board.id);
    expect(expectFailure(await ada.request('card:undo-move', { cardId: card.id, version: moved.version }), 'WIP_LIMIT').message).toMatch(/Test is at its WIP limit/);
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('keeps the per-person limit too: an undo that would take a person past their cards in progress is refused with WIP_LIMIT, naming them', async () => {
    skew = 0;
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const [waiting] = await board.addCards('Backlog', 1, 'waiting');
    const [started] = await board.addCards('Develop', 1, 'started');
    if (!waiting || !started) throw new Error('seed failed');
    const lea = await h.user('Lea Undo');
    const client = await h.connectAs(lea);
    await client.join(board.id);
    expectOk(await client.request('board:configure', { boardId: board.id, personWipLimit: 1 }));
    for (const card of [waiting, started]) expectOk(await client.request('card:update', { cardId: card.id, assigneeIds: [lea.id] }));
    // Lea sends hers back, then pulls the other one in: undoing the first would give her two.
    const back = expectOk(await client.request('card:move', { cardId: started.id, toColumnId: board.col('Backlog'), reason: 'Not ready' }));
    expectOk(await client.request('card:move', { cardId: waiting.id, toColumnId: board.col('Develop') }));
    const before = await h.app.store.getSnapshot(board.id);
    const refused = expectFailure(await client.request('card:undo-move', { cardId: started.id, version: back.version }), 'WIP_LIMIT');
    expect(refused.message).toBe('Lea Undo already holds 1 card in progress (limit 1)');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });
});
