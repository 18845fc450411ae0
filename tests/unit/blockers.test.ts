import { describe, expect, it } from 'vitest';
import { DAY_MS, blockedDays, blockedTimeAfter, blockedTimeOf, formatBlockedTime } from '../../lib/shared/domain/blocked';
import type { BoardEvent, BoardEventBody, CardDTO } from '../../lib/shared/domain/types';
import { blockerSummary, type BlockInterval } from '../../lib/shared/flow/blockers';
import type { FlowColumn } from '../../lib/shared/flow/data';
import { replayFlow } from '../../lib/shared/flow/replay';
import { cardOf } from './client-fixtures';

const day = (d: number) => Date.UTC(2026, 2, 1) + (d - 1) * DAY_MS; // 1 March 2026 is day 1
const iso = (ms: number) => new Date(ms).toISOString();

describe('blocked time of a card', () => {
  it('is its closed intervals plus the open one up to now', () => {
    const blocked = blockedTimeAfter({ blockedMs: 0, blockedSince: null }, true, iso(day(2)));
    expect(blocked).toEqual({ blockedMs: 0, blockedSince: iso(day(2)) });
    expect(blockedTimeOf(blocked, day(4))).toBe(2 * DAY_MS);
    const unblocked = blockedTimeAfter(blocked, false, iso(day(3)));
    expect(unblocked).toEqual({ blockedMs: DAY_MS, blockedSince: null });
    // Blocked again: the second interval adds to the first.
    const again = blockedTimeAfter(unblocked, true, iso(day(5)));
    expect(blockedTimeOf(again, day(5) + DAY_MS / 2)).toBe(1.5 * DAY_MS);
    // An update that leaves `blocked` alone, or blocks a blocked card, changes nothing.
    expect(blockedTimeAfter(again, undefined, iso(day(6)))).toEqual(again);
    expect(blockedTimeAfter(again, true, iso(day(6)))).toEqual(again);
  });

  it('reads "blocked 2d" on the face and carries two decimals of days in the CSV', () => {
    expect(formatBlockedTime(2 * DAY_MS + 5)).toBe('2d');
    expect(formatBlockedTime(5 * 3_600_000)).toBe('5h');
    expect(formatBlockedTime(12 * 60_000)).toBe('12m');
    expect(formatBlockedTime(10_000)).toBe('<1m');
    expect(blockedDays(1.5 * DAY_MS)).toBe(1.5);
    expect(blockedDays(DAY_MS / 3)).toBe(0.33);
  });
});

const BOARD = 'b';
const columns = ['backlog', 'develop', 'test', 'done'].map((id) => ({ id, boardId: BOARD, name: id[0]?.toUpperCase() + id.slice(1), wipLimit: null, defectsReturned: 0, split: false }));

function log(steps: [number, BoardEventBody][]): BoardEvent[] {
  return steps.map(([at, body], i) => ({ ...body, boardId: BOARD, version: i + 1, actor: 't', at: iso(at) }) as BoardEvent);
}

const card = (id: string, columnId: string, at: number): CardDTO =>
  cardOf({ id, boardId: BOARD, columnId, title: id, createdAt: iso(at), updatedAt: iso(at), enteredColumnAt: iso(at) });

describe('blocked intervals from the log', () => {
  it('a move or a new reason while blocked closes the interval and opens the next; unblocking and deleting close it', () => {
    const events = log([
      [day(1), { type: 'board_created', name: 'B', columns }],
      [day(1), { type: 'card_created', card: card('A', 'develop', day(1)) }],
      [day(2), { type: 'card_updated', cardId: 'A', changes: { blocked: true, blockedReason: 'vendor sandbox' } }],
      [day(3), { type: 'card_moved', cardId: 'A', fromColumnId: 'develop', toColumnId: 'test', position: 'a0', backward: false }],
      [day(3.5), { type: 'card_updated', cardId: 'A', changes: { blockedReason: 'flaky test rig' } }],
      [day(4), { type: 'card_updated', cardId: 'A', changes: { blocked: false, blockedReason: null } }],
      [day(5), { type: 'card_updated', cardId: 'A', changes: { blocked: true } }],
      [day(6), { type: 'card_deleted', cardId: 'A', columnId: 'test' }],
    ]);
    const blocks = [...replayFlow(events).blocks.values()].map((b) => [b.columnId, b.reason, b.startedAt, b.endedAt]);
    expect(blocks).toEqual([
      ['develop', 'vendor sandbox', day(2), day(3)],
      ['test', 'vendor sandbox', day(3), day(3.5)],
      ['test', 'flaky test rig', day(3.5), day(4)],
      ['test', null, day(5), day(6)],
    ]);
  });
});

const b = (cardId: string, columnId: string, reason: string | null, startedAt: number, endedAt: number | null): BlockInterval => ({ cardId, openedVersion: startedAt, columnId, reason, startedAt, endedAt });

describe('the blocker panel (the worked example of docs/metrics.md)', () => {
  const flowColumns: FlowColumn[] = columns.map((c) => ({ id: c.id, name: c.name, live: true, createdAt: day(0), removedAt: null }));
  const data = {
    // The range: 1 March to 7 March inclusive; "now" is 10 March.
    boundaries: [day(1), day(8)],
    columns: flowColumns,
    blocks: [
      b('A', 'develop', 'vendor sandbox', day(2), day(3)),
      b('A', 'test', 'vendor sandbox', day(3), day(4)),
      b('B', 'develop', 'waiting for review', day(6), null),
      b('C', 'test', 'vendor sandbox', day(-1), day(2)),
    ],
    finished: [
      { cardId: 'A', title: 'A', createdAt: day(1), committedAt: day(1), doneAt: day(5) },
      { cardId: 'C', title: 'C', createdAt: day(-3), committedAt: day(-2), doneAt: day(7) },
    ],
  };
  const s = blockerSummary(data, day(10));

  it('sums blocked time inside the range by work center, an open interval running to the range end', () => {
    expect(s.byColumn).toEqual([
      { columnId: 'develop', name: 'Develop', ms: 3 * DAY_MS },
      { columnId: 'test', name: 'Test', ms: 2 * DAY_MS },
    ]);
    expect(s.totalMs).toBe(5 * DAY_MS);
  });

  it('lists reasons by how many cards they blocked, most first', () => {
    expect(s.byReason).toEqual([
      { reason: 'vendor sandbox', cards: 2, ms: 3 * DAY_MS },
      { reason: 'waiting for review', cards: 1, ms: 2 * DAY_MS },
    ]);
  });

  it('gives the share of the finished cards’ cycle time spent blocked, counting blocks before the range', () => {
    expect(s.finishedCards).toBe(2);
    expect(s.cycleMs).toBe(13 * DAY_MS);
    expect(s.blockedInCycleMs).toBe(5 * DAY_MS);
    expect(s.share).toBeCloseTo(5 / 13);
  });

  it('an open block counts up to now when the range reaches past now', () => {
    const open = blockerSummary({ ...data, boundaries: [day(1), day(15)], finished: [] }, day(10));
    expect(open.byColumn.find((c) => c.columnId === 'develop')?.ms).toBe(5 * DAY_MS);
    expect(open.share).toBeNull();
  });
});
