import { describe, expect, it } from 'vitest';
import type { BoardEvent, BoardEventBody, CardDTO } from '../../lib/shared/domain/types';
import { DAY_MS, HOUR_MS } from '../../lib/shared/flow/time';
import { replayValueStream, valueStreamMap, type Stage } from '../../lib/shared/flow/vsm';
import { cardOf } from './client-fixtures';

/**
 * The worked example of docs/metrics.md "Value stream map and flow efficiency", number for number.
 * Develop is split (doing | done): a move between its halves is a card_moved inside Develop with the
 * stage it goes to.
 */
const BOARD = 'b';
const columns = ['backlog', 'develop', 'test', 'done'].map((id) => ({ id, boardId: BOARD, name: id[0]?.toUpperCase() + id.slice(1), wipLimit: null, defectsReturned: 0, split: id === 'develop' }));
/** Monday 2 March 2026 is day 1; `at(3, 9)` is Wednesday 09:00 UTC. */
const at = (day: number, hour = 0, second = 0) => Date.UTC(2026, 2, 1 + day, hour, 0, second);
const iso = (ms: number) => new Date(ms).toISOString();

function log(steps: [number, BoardEventBody][]): BoardEvent[] {
  return steps.map(([when, body], i) => ({ ...body, boardId: BOARD, version: i + 1, actor: 't', at: iso(when) }) as BoardEvent);
}
const card = (id: string, when: number): CardDTO => cardOf({ id, boardId: BOARD, columnId: 'backlog', title: id, createdAt: iso(when), updatedAt: iso(when), enteredColumnAt: iso(when) });
/** A move; `fromStage`/`toStage` as the store writes them: present only when the stage changes. */
const move = (cardId: string, from: string, to: string, extra: { backward?: boolean; toStage?: Stage; fromStage?: Stage } = {}): BoardEventBody =>
  ({ type: 'card_moved', cardId, fromColumnId: from, toColumnId: to, position: 'a0', backward: extra.backward ?? false, ...(extra.backward ? { reason: 'Fails test', detectedAtColumnId: from, returnedToColumnId: to } : {}), ...extra }) as BoardEventBody;

const example = log([
  [at(1), { type: 'board_created', name: 'B', columns }],
  [at(1), { type: 'card_created', card: card('A', at(1)) }],
  [at(1), { type: 'card_created', card: card('B', at(1)) }],
  [at(1), { type: 'card_created', card: card('C', at(1)) }],
  [at(1, 9), move('A', 'backlog', 'develop')],
  [at(1, 12), move('B', 'backlog', 'develop')],
  [at(2, 9), move('A', 'develop', 'develop', { fromStage: 'doing', toStage: 'done' })],
  [at(2, 12), { type: 'card_updated', cardId: 'B', changes: { blocked: true, blockedReason: 'test rig down' } }],
  [at(3), move('C', 'backlog', 'develop')],
  [at(3, 9), move('A', 'develop', 'test', { fromStage: 'done', toStage: 'doing' })],
  [at(3, 12), { type: 'card_updated', cardId: 'B', changes: { blocked: false, blockedReason: null } }],
  [at(4), move('C', 'develop', 'develop', { fromStage: 'doing', toStage: 'done' })],
  [at(4, 9), move('A', 'test', 'done')],
  [at(4, 12), move('B', 'develop', 'test')],
  [at(5), move('C', 'develop', 'test', { fromStage: 'done', toStage: 'doing' })],
  [at(5, 12), move('B', 'test', 'develop', { backward: true })],
  [at(6, 12), move('B', 'develop', 'test')],
  [at(7, 12), move('B', 'test', 'done')],
]);
// C's move to Test was a slip, undone five seconds later: as if neither happened.
const slip = example.findIndex((e) => e.type === 'card_moved' && e.cardId === 'C' && e.toColumnId === 'test');
example.splice(slip + 1, 0, {
  type: 'card_moved',
  cardId: 'C',
  fromColumnId: 'test',
  toColumnId: 'develop',
  fromStage: 'doing',
  toStage: 'done',
  position: 'a0',
  backward: false,
  undoes: { version: (example[slip] as BoardEvent).version, at: (example[slip] as BoardEvent).at, backward: false, returnedToColumnId: null, place: { columnId: 'develop', laneId: 'l', position: 'a0', enteredColumnAt: iso(at(3)), stage: 'done' } },
  boardId: BOARD,
  version: 0,
  actor: 't',
  at: iso(at(5, 0, 5)),
} as BoardEvent);
example.forEach((e, i) => (e.version = i + 1));
// The undo names the version the slip now has.
const undo = example[slip + 1] as Extract<BoardEvent, { type: 'card_moved' }>;
if (undo.undoes) undo.undoes.version = (example[slip] as BoardEvent).version;

const NOW = at(9);
const range = { from: '2026-03-02', to: '2026-03-08', tz: 'UTC' };

describe('the value stream map of the worked example', () => {
  const map = valueStreamMap(replayValueStream(example, NOW), range);
  const [develop, test] = map.workCenters;

  it('maps the in-progress work centers only: the commitment point up to the last one', () => {
    expect(map.workCenters.map((w) => w.columnId)).toEqual(['develop', 'test']);
  });

  it('Develop: median 2 d, 85th percentile 3 d, active 4 of 6 days, %C/A 2 of 3', () => {
    expect(develop).toMatchObject({ departed: 3, medianDays: 2, p85Days: 3, medianActiveDays: 1, arrivals: 4, departures: 3, arrivalsPerWeek: 4, departuresPerWeek: 3 });
    expect(develop?.activeShare).toBeCloseTo(4 / 6);
    expect(develop?.waitingShare).toBeCloseTo(1 / 6);
    expect(develop?.blockedShare).toBeCloseTo(1 / 6);
    expect(develop).toMatchObject({ forwardDepartures: 3, sentBack: 1 });
    expect(develop?.completeAccurate).toBeCloseTo(2 / 3);
    expect(develop?.worst.map((w) => [w.cardId, w.days, w.activeDays, w.waitingDays, w.blockedDays, w.sentBack])).toEqual([
      ['B', 3, 2, 0, 1, true],
      ['A', 2, 1, 1, 0, false],
      ['B', 1, 1, 0, 0, false],
    ]);
  });

  it('Test: 1 d each time, all active, %C/A 100% (the backward move left it, it did not return to it)', () => {
    expect(test).toMatchObject({ departed: 3, medianDays: 1, p85Days: 1, medianActiveDays: 1, activeShare: 1, arrivals: 3, departures: 3, forwardDepartures: 2, sentBack: 0, completeAccurate: 1 });
  });

  it('the undone slip counts as if neither move happened', () => {
    // C's slip would have been an arrival in Test and a departure from Develop.
    expect(test?.arrivals).toBe(3);
    expect(develop?.departures).toBe(3);
  });

  it('rolls up to lead time 3 d, active 2 d, activity ratio 67%, rolled %C/A 67%', () => {
    expect(map.summary.leadTimeDays).toBe(3);
    expect(map.summary.activeDays).toBe(2);
    expect(map.summary.activityRatio).toBeCloseTo(2 / 3);
    expect(map.summary.rolledCompleteAccurate).toBeCloseTo(2 / 3);
  });

  it('flow efficiency: A 2 of 3 days, B 5 of 6; median 67%, board 78%', () => {
    const e = map.efficiency;
    expect(e.cards.map((c) => [c.cardId, c.cycleTimeDays, c.activeDays, c.waitingDays, c.blockedDays])).toEqual([
      ['A', 3, 2, 1, 0],
      ['B', 6, 5, 0, 1],
    ]);
    expect(e.median).toBeCloseTo(2 / 3);
    expect(e.board).toBeCloseTo(7 / 9);
    expect(e.histogram.filter((b) => b.count > 0).map((b) => [b.from, b.count])).toEqual([
      [0.6, 1],
      [0.8, 1],
    ]);
    expect(e.weekly).toEqual([{ week: '2026-03-02', days: 7, cards: 2, median: e.median, board: e.board }]);
  });

  it('a range that ends before anything left a work center has no times and no finished cards', () => {
    const empty = valueStreamMap(replayValueStream(example, NOW), { from: '2026-02-23', to: '2026-03-01', tz: 'UTC' });
    expect(empty.workCenters.map((w) => [w.departed, w.medianDays, w.completeAccurate])).toEqual([
      [0, null, null],
      [0, null, null],
    ]);
    expect(empty.summary).toEqual({ leadTimeDays: 0, activeDays: 0, activityRatio: null, rolledCompleteAccurate: null });
    expect(empty.efficiency.cards).toEqual([]);
  });

  it('time in the done half of a split work center is waiting; blocked time is blocked in either half', () => {
    const events = log([
      [at(1), { type: 'board_created', name: 'B', columns }],
      [at(1), { type: 'card_created', card: card('D', at(1)) }],
      [at(1), move('D', 'backlog', 'develop')],
      [at(1, 6), move('D', 'develop', 'develop', { toStage: 'done' })],
      [at(1, 12), { type: 'card_updated', cardId: 'D', changes: { blocked: true } }],
      [at(1, 18), { type: 'card_updated', cardId: 'D', changes: { blocked: false } }],
      [at(2), move('D', 'develop', 'test', { fromStage: 'done', toStage: 'doing' })],
    ]);
    const [d] = valueStreamMap(replayValueStream(events, NOW), range).workCenters[0]?.worst ?? [];
    expect([d?.activeDays, d?.waitingDays, d?.blockedDays].map((v) => (v ?? 0) * (DAY_MS / HOUR_MS))).toEqual([6, 12, 6]);
  });
});
