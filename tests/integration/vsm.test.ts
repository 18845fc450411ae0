/**
 * GET /api/boards/:boardId/flow/vsm through the real server, on the worked example of docs/metrics.md
 * ("Value stream map and flow efficiency") written through the store with its clock moved: the same
 * cards, moves, block and undone slip. The refusals, the lane filter and the answer following a move.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValueStreamMap } from '../../lib/shared/flow/vsm';
import { startTestServer, type SeededBoard } from './helpers';

/** Monday 2 March 2026 is day 1. */
const at = (day: number, hour = 0, second = 0) => Date.UTC(2026, 2, 1 + day, hour, 0, second);
let now = at(1);
const h = startTestServer({ clock: () => now });
const actor = { name: 'history' };
let board: SeededBoard;
let expedite = '';
const Q = 'from=2026-03-02&to=2026-03-08&tz=UTC';

beforeAll(async () => {
  board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }], 'Value stream');
  const { store } = h.app;
  await store.updateColumn({ columnId: board.col('Develop'), split: true }, actor);
  expedite = (await store.addLane({ boardId: board.id, name: 'Expedite', classOfService: 'expedite' }, actor)).lane.id;
  const [a, b, c] = await board.addCards('Backlog', 3, 'Item');
  const id = (card: typeof a) => card?.id ?? '';
  const step = async (when: number, write: () => Promise<unknown>) => {
    now = when;
    return write();
  };
  const move = (card: typeof a, column: string, reason?: string) => store.moveCard({ cardId: id(card), toColumnId: board.col(column), ...(reason ? { reason } : {}) }, actor);
  // To Develop's done half: finished there, waiting for Test to pull it.
  const finishIn = (card: typeof a) => store.moveCard({ cardId: id(card), toColumnId: board.col('Develop'), stage: 'done' }, actor);
  await step(at(1, 9), () => move(a, 'Develop'));
  await step(at(1, 12), () => move(b, 'Develop'));
  await step(at(2, 9), () => finishIn(a));
  await step(at(2, 12), () => store.updateCard({ cardId: id(b), blocked: true, blockedReason: 'test rig down' }, actor));
  await step(at(3), () => move(c, 'Develop'));
  await step(at(3, 9), () => move(a, 'Test'));
  await step(at(3, 12), () => store.updateCard({ cardId: id(b), blocked: false }, actor));
  await step(at(4), () => finishIn(c));
  await step(at(4, 9), () => move(a, 'Done'));
  await step(at(4, 12), () => move(b, 'Test'));
  // C's move to Test is a slip, undone five seconds later.
  const slip = (await step(at(5), () => move(c, 'Test'))) as { events: { version: number }[] };
  await step(at(5, 0, 5), () => store.undoMove({ cardId: id(c), version: slip.events[0]?.version ?? 0 }, actor));
  await step(at(5, 12), () => move(b, 'Develop', 'Fails test'));
  await step(at(6, 12), () => move(b, 'Test'));
  await step(at(7, 12), () => move(b, 'Done'));
  // An expedite card that went straight through Develop in half a day.
  const [x] = await (async () => {
    now = at(6);
    return [(await store.createCard({ boardId: board.id, columnId: board.col('Backlog'), laneId: expedite, title: 'Hotfix' }, actor)).card];
  })();
  await step(at(6, 1), () => store.moveCard({ cardId: x.id, toColumnId: board.col('Develop') }, actor));
  await step(at(6, 13), () => store.moveCard({ cardId: x.id, toColumnId: board.col('Test') }, actor));
  now = at(9);
}, 60_000);

const vsm = (query: string) => h.api<ValueStreamMap>('GET', `/api/boards/${board.id}/flow/vsm?${query}`);

describe('the value stream map endpoint', () => {
  it('answers the worked example: times, shares, %C/A, arrivals and departures per work center, and the summary line', async () => {
    const res = await vsm(`${Q}&class=standard`);
    expect(res.status).toBe(200);
    const [develop, test] = res.body.workCenters;
    expect(res.body.workCenters.map((w) => w.name)).toEqual(['Develop', 'Test']);
    expect(develop).toMatchObject({ departed: 3, medianDays: 2, p85Days: 3, medianActiveDays: 1, arrivals: 4, departures: 3, forwardDepartures: 3, sentBack: 1 });
    expect(develop?.activeShare).toBeCloseTo(4 / 6);
    expect(develop?.waitingShare).toBeCloseTo(1 / 6);
    expect(develop?.blockedShare).toBeCloseTo(1 / 6);
    expect(develop?.completeAccurate).toBeCloseTo(2 / 3);
    expect(develop?.worst.map((w) => [w.title, w.days, w.activeDays, w.waitingDays, w.blockedDays, w.sentBack])).toEqual([
      ['Item 2', 3, 2, 0, 1, true],
      ['Item 1', 2, 1, 1, 0, false],
      ['Item 2', 1, 1, 0, 0, false],
    ]);
    expect(test).toMatchObject({ departed: 3, medianDays: 1, arrivals: 3, departures: 3, completeAccurate: 1 });
    expect(res.body.summary).toMatchObject({ leadTimeDays: 3, activeDays: 2 });
    expect(res.body.summary.activityRatio).toBeCloseTo(2 / 3);
    expect(res.body.summary.rolledCompleteAccurate).toBeCloseTo(2 / 3);
    expect(res.body.efficiency.cards.map((c) => [c.title, c.cycleTimeDays, c.activeDays])).toEqual([
      ['Item 1', 3, 2],
      ['Item 2', 6, 5],
    ]);
    expect(res.body.efficiency.median).toBeCloseTo(2 / 3);
    expect(res.body.efficiency.board).toBeCloseTo(7 / 9);
    expect(res.body.range).toEqual({ from: '2026-03-02', to: '2026-03-08', tz: 'UTC', class: 'standard' });
  });

  it('reads one lane: the expedite card alone', async () => {
    const res = await vsm(`${Q}&lane=${expedite}`);
    expect(res.status).toBe(200);
    expect(res.body.workCenters.map((w) => [w.name, w.departed, w.medianDays, w.arrivals])).toEqual([
      ['Develop', 1, 0.5, 1],
      ['Test', 0, null, 1],
    ]);
    expect(res.body.efficiency.cards).toEqual([]);
    // The whole board counts both lanes.
    expect((await vsm(Q)).body.workCenters[0]?.arrivals).toBe(5);
  });

  it('follows the log: a move after an answer is in the next one', async () => {
    const before = await vsm(Q);
    expect(before.body.workCenters[1]?.departed).toBe(3);
    const open = (await h.app.store.getSnapshot(board.id)).cards.find((c) => c.title === 'Hotfix');
    now = at(7, 18);
    await h.app.store.moveCard({ cardId: open?.id ?? '', toColumnId: board.col('Done') }, actor);
    now = at(9);
    const after = await vsm(Q);
    expect(after.body.workCenters[1]?.departed).toBe(4);
  });

  it('refuses bad input with a code and a clear message, and changes nothing', async () => {
    const version = (await h.app.store.getSnapshot(board.id)).version;
    const cases: [string, string, RegExp][] = [
      ['from=2026-13-01', 'INVALID', /from must be a date/],
      ['to=yesterday', 'INVALID', /to must be a date/],
      ['from=2026-03-10&to=2026-03-01', 'INVALID', /to must not be before from/],
      ['tz=Mars/Olympus', 'INVALID', /time zone/],
      ['lane=no-such-lane', 'INVALID', /Unknown lane no-such-lane/],
      ['class=urgent', 'INVALID', /class must be one of/],
      [`lane=${expedite}&class=expedite`, 'INVALID', /lane or by class, not both/],
      ['interval=hour', 'INVALID', /Unknown parameter interval/],
      ['from=2020-01-01&to=2026-03-08', 'RANGE_TOO_LARGE', /at most 731 days/],
    ];
    for (const [query, code, message] of cases) {
      const res = await h.api<{ error: { code: string; message: string } }>('GET', `/api/boards/${board.id}/flow/vsm?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe(code);
      expect(res.body.error.message, query).toMatch(message);
    }
    expect((await h.api<{ error: { code: string } }>('GET', '/api/boards/nope/flow/vsm')).status).toBe(404);
    expect((await h.app.store.getSnapshot(board.id)).version).toBe(version);
  });

});
