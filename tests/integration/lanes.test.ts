import { describe, expect, it } from 'vitest';
import { defaultLaneId } from '../../lib/shared/domain/lanes';
import type { BoardEvent, BoardSnapshot, LaneDTO } from '../../lib/shared/domain/types';
import { canonical, expectFailure, expectOk, fold, startTestServer, dbGet } from './helpers';

const h = startTestServer();

const FIVE = [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 2 }, { name: 'Deploy' }, { name: 'Done' }];
const laneNamed = (board: BoardSnapshot, name: string): LaneDTO => {
  const lane = board.lanes.find((l) => l.name === name);
  if (!lane) throw new Error(`no lane ${name}`);
  return lane;
};

describe('lanes', () => {
  it('a new board has one standard lane, named in its board_created event; its cards are in it', async () => {
    const board = await h.seedBoard(FIVE);
    expect(board.snapshot.lanes).toEqual([{ id: defaultLaneId(board.id), boardId: board.id, name: 'Standard', classOfService: 'standard', wipLimit: null, cellLimits: {} }]);
    const [card] = await board.addCards('Backlog', 1);
    expect(card?.laneId).toBe(defaultLaneId(board.id));
  });

  it('add, rename, configure, reorder and remove are events; the fold of the log equals the state', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('lane admin');
    const start = await admin.joinSnapshot(board.id);
    const fixed = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Fixed date', classOfService: 'fixed_date' })).lane;
    // An expedite lane goes first whatever index is asked, with a limit of 1 unless told.
    const expedite = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite', index: 2 })).lane;
    expect(expedite.wipLimit).toBe(1);
    expectFailure(await admin.request('lane:add', { boardId: board.id, name: 'Second expedite', classOfService: 'expedite' }), 'CONFLICT');
    expectOk(await admin.request('lane:update', { laneId: fixed.id, name: 'Deadlines', cellLimits: { [board.col('Develop')]: 1 } }));
    // Nothing may go above the expedite lane.
    expectOk(await admin.request('lane:move', { laneId: fixed.id, toIndex: 0 }));
    let now = await h.app.store.getSnapshot(board.id);
    expect(now.lanes.map((l) => l.name)).toEqual(['Expedite', 'Deadlines', 'Standard']);
    expect(laneNamed(now, 'Deadlines').cellLimits).toEqual({ [board.col('Develop')]: 1 });
    // A cell limit on a work center of another board is refused.
    expectFailure(await admin.request('lane:update', { laneId: fixed.id, cellLimits: { 'not-a-column': 1 } }), 'NOT_FOUND');
    expectFailure(await admin.request('lane:update', { laneId: fixed.id, classOfService: 'expedite' }), 'CONFLICT');
    // Bad input changes nothing.
    expectFailure(await admin.request('lane:add', { boardId: board.id, name: '   ' }), 'INVALID');
    expectFailure(await admin.request('lane:update', { laneId: fixed.id, wipLimit: 0 }), 'INVALID');
    expectFailure(await admin.request('lane:remove', { laneId: 'nope' }), 'NOT_FOUND');

    expectOk(await admin.request('lane:remove', { laneId: fixed.id }));
    now = await h.app.store.getSnapshot(board.id);
    expect(now.lanes.map((l) => l.name)).toEqual(['Expedite', 'Standard']);
    const events = await admin.eventsThrough(board.id, now.version);
    expect(events.map((e) => e.type)).toEqual(['lane_added', 'lane_added', 'lane_renamed', 'lane_configured', 'lane_moved', 'lane_removed']);
    expect(canonical(fold(start, events))).toStrictEqual(canonical(now));
    // The whole log folds from nothing to the same state.
    const all = await h.api<{ events: BoardEvent[] }>('GET', `/api/boards/${board.id}/events?since=0`);
    expect(all.status).toBe(200);
    const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: now.createdAt, columns: [], lanes: [], cards: [] };
    expect(canonical(fold(empty, all.body.events))).toStrictEqual(canonical({ ...now, columns: now.columns }));
  });

  it('a lane that still holds cards is not removed (CONFLICT naming the count); the last lane never is', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('remover');
    await admin.join(board.id);
    const other = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Intangible', classOfService: 'intangible' })).lane;
    const [card] = await board.addCards('Backlog', 1);
    expectOk(await admin.request('card:move', { cardId: card?.id ?? '', toColumnId: board.col('Backlog'), toLaneId: other.id }));
    const before = await h.app.store.getSnapshot(board.id);
    const refused = expectFailure(await admin.request('lane:remove', { laneId: other.id }), 'CONFLICT');
    expect(refused.message).toBe('The Intangible lane still holds 1 card: move them to another lane before removing it');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
    expectOk(await admin.request('card:move', { cardId: card?.id ?? '', toColumnId: board.col('Backlog'), toLaneId: defaultLaneId(board.id) }));
    expectOk(await admin.request('lane:remove', { laneId: other.id }));
    const last = expectFailure(await admin.request('lane:remove', { laneId: defaultLaneId(board.id) }), 'CONFLICT');
    expect(last.message).toContain('still holds');
    // An empty last lane is still the last one.
    await h.app.store.deleteCard({ cardId: card?.id ?? '' }, { name: 'seed' });
    expect(expectFailure(await admin.request('lane:remove', { laneId: defaultLaneId(board.id) }), 'CONFLICT').message).toBe('A board keeps at least one lane');
  });

  it('a move to another lane in the same work center is an event with the lanes, not backward, not a defect', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('mover');
    await admin.join(board.id);
    const expedite = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite' })).lane;
    const [card] = await board.addCards('Test', 1);
    const ack = expectOk(await admin.request('card:move', { cardId: card?.id ?? '', toColumnId: board.col('Test'), toLaneId: expedite.id }));
    expect(ack.card).toMatchObject({ laneId: expedite.id, columnId: board.col('Test'), defectCount: 0 });
    const event = await admin.events.find('card_moved', (e) => e.type === 'card_moved');
    expect(event).toMatchObject({ fromLaneId: defaultLaneId(board.id), toLaneId: expedite.id, fromColumnId: board.col('Test'), toColumnId: board.col('Test'), backward: false });
    expect(event).not.toHaveProperty('reason');
    const row = await dbGet<{ lane_id: string }>(h.app, 'select lane_id from cards where id = ?', [card?.id ?? '']);
    expect(row?.lane_id).toBe(expedite.id);
    expectFailure(await admin.request('card:move', { cardId: card?.id ?? '', toColumnId: board.col('Test'), toLaneId: 'lane-of-nowhere' }), 'NOT_FOUND');
  });

  it('an expedite card enters a work center at its limit; the expedite lane’s own limit is hard', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('expediter');
    await admin.join(board.id);
    const expedite = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite' })).lane;
    await board.addCards('Develop', 2);
    const [urgent, second] = await board.addCards('Backlog', 2);
    // Standard work is refused by the full work center.
    expect(expectFailure(await admin.request('card:move', { cardId: second?.id ?? '', toColumnId: board.col('Develop') }), 'WIP_LIMIT').message).toBe(
      'Develop is at its WIP limit (2 of 2): finish or move a card out first',
    );
    // Expedite passes it (and counts towards it: 3 in Develop now).
    expectOk(await admin.request('card:move', { cardId: urgent?.id ?? '', toColumnId: board.col('Develop'), toLaneId: expedite.id }));
    expect((await h.app.store.getSnapshot(board.id)).cards.filter((c) => c.columnId === board.col('Develop'))).toHaveLength(3);
    // In the backlog the lane limit does not count: a second expedite card may wait there.
    expectOk(await admin.request('card:move', { cardId: second?.id ?? '', toColumnId: board.col('Backlog'), toLaneId: expedite.id }));
    // Into progress it is refused by the lane's own limit, naming the lane.
    expect(expectFailure(await admin.request('card:move', { cardId: second?.id ?? '', toColumnId: board.col('Test') }), 'WIP_LIMIT').message).toBe(
      'The Expedite lane is at its WIP limit (1 of 1 in progress): finish or move one of its cards out first',
    );
    // The one in progress moves along its lane freely; when it is done, the next may start.
    expectOk(await admin.request('card:move', { cardId: urgent?.id ?? '', toColumnId: board.col('Test') }));
    expectOk(await admin.request('card:move', { cardId: urgent?.id ?? '', toColumnId: board.col('Done') }));
    expectOk(await admin.request('card:move', { cardId: second?.id ?? '', toColumnId: board.col('Test') }));
    // A card created straight into progress in the lane is held to its limit too.
    expectFailure(await admin.request('card:create', { boardId: board.id, columnId: board.col('Deploy'), laneId: expedite.id, title: 'one more' }), 'WIP_LIMIT');
  });

  it('ten clients race one expedite slot: exactly the lane limit wins', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('race admin');
    const expedite = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite', wipLimit: 2 })).lane;
    await board.addCards('Develop', 2);
    const waiting = await board.addCards('Backlog', 10);
    const racers = await h.connectMany(10, 'expedite racer');
    const acks = await Promise.all(racers.map((c, i) => c.request('card:move', { cardId: waiting[i]?.id ?? '', toColumnId: board.col('Develop'), toLaneId: expedite.id })));
    expect(acks.filter((a) => a.ok)).toHaveLength(2);
    const refused = acks.filter((a) => !a.ok);
    expect(refused).toHaveLength(8);
    for (const r of refused) expect(r).toMatchObject({ code: 'WIP_LIMIT', message: expect.stringContaining('Expedite lane') });
    const n = await dbGet<{ n: number }>(h.app, 'select count(*) as n from cards where lane_id = ? and deleted_at is null', [expedite.id]);
    expect(Number(n?.n)).toBe(2);
  });

  it('a cell limit (lane × work center) is enforced for moves and creates, and under a race', async () => {
    const board = await h.seedBoard(FIVE);
    const admin = await h.connect('cell admin');
    const fixed = expectOk(await admin.request('lane:add', { boardId: board.id, name: 'Fixed', classOfService: 'fixed_date' })).lane;
    expectOk(await admin.request('lane:update', { laneId: fixed.id, cellLimits: { [board.col('Deploy')]: 1 } }));
    const waiting = await board.addCards('Backlog', 6);
    const racers = await h.connectMany(6, 'cell racer');
    const acks = await Promise.all(racers.map((c, i) => c.request('card:move', { cardId: waiting[i]?.id ?? '', toColumnId: board.col('Deploy'), toLaneId: fixed.id })));
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.find((a) => !a.ok)).toMatchObject({ code: 'WIP_LIMIT', message: 'Deploy in the Fixed lane is at its WIP limit (1 of 1): finish or move a card out first' });
    expectFailure(await admin.request('card:create', { boardId: board.id, columnId: board.col('Deploy'), laneId: fixed.id, title: 'x' }), 'WIP_LIMIT');
    // The standard lane's cell in Deploy has no limit of its own.
    expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Deploy'), title: 'standard' }));
    // Removing the cell's limit (null) lets cards in again.
    expectOk(await admin.request('lane:update', { laneId: fixed.id, cellLimits: { [board.col('Deploy')]: null } }));
    expectOk(await admin.request('card:create', { boardId: board.id, columnId: board.col('Deploy'), laneId: fixed.id, title: 'y' }));
  });

  it('lanes over REST share the commands, and a viewer may not change them', async () => {
    const board = await h.seedBoard(FIVE);
    const api = await h.user('api');
    await h.grant(api, board.id, 'admin');
    const made = await h.api<{ ok: true; lane: LaneDTO }>('POST', `/api/boards/${board.id}/lanes`, { body: { name: 'Expedite', classOfService: 'expedite' } });
    expect(made.status).toBe(201);
    expect((await h.api('PATCH', `/api/lanes/${made.body.lane.id}`, { body: { wipLimit: 3 } })).status).toBe(200);
    expect((await h.api('POST', `/api/lanes/${made.body.lane.id}/move`, { body: { toIndex: 1 } })).status).toBe(200);
    expect((await h.app.store.getSnapshot(board.id)).lanes[0]).toMatchObject({ name: 'Expedite', wipLimit: 3 });
    const viewer = await h.user('lane viewer');
    await h.grant(viewer, board.id, 'viewer');
    expect((await h.api('DELETE', `/api/lanes/${made.body.lane.id}`, { as: viewer })).status).toBe(403);
    expect((await h.api('DELETE', `/api/lanes/${made.body.lane.id}`)).status).toBe(200);
  });
});
