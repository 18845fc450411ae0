import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { windowOf } from '../../lib/shared/domain/cardWindow';
import { assertRoomInLane, clampLaneIndex, defaultLaneId, inProgress, laneCounts, type LanePull } from '../../lib/shared/domain/lanes';
import type { BoardEvent, BoardSnapshot, LaneDTO } from '../../lib/shared/domain/types';
import { cardOf, column } from './client-fixtures';

const lane = (fields: Partial<LaneDTO> = {}): LaneDTO => ({ id: 'l', boardId: 'b1', name: 'Expedite', classOfService: 'expedite', wipLimit: 1, cellLimits: {}, ...fields });
const pull = (fields: Partial<LanePull>): LanePull => ({
  column: column('develop', 2),
  columnCount: 0,
  sameColumn: false,
  lane: lane(),
  laneInProgress: 0,
  entersLaneProgress: true,
  cellCount: 0,
  sameCell: false,
  ...fields,
});
const refusal = (p: LanePull): string | null => {
  try {
    assertRoomInLane(p);
    return null;
  } catch (e) {
    return (e as Error & { code: string }).code + ': ' + (e as Error).message;
  }
};

describe('lane rules', () => {
  it('an expedite card passes a work center at its limit; a standard card does not', () => {
    expect(refusal(pull({ columnCount: 2 }))).toBeNull();
    expect(refusal(pull({ columnCount: 5 }))).toBeNull();
    expect(refusal(pull({ columnCount: 2, lane: lane({ classOfService: 'standard', wipLimit: null, name: 'Standard' }) }))).toBe(
      'WIP_LIMIT: Develop is at its WIP limit (2 of 2): finish or move a card out first',
    );
    expect(refusal(pull({ columnCount: 2, sameColumn: true, lane: lane({ classOfService: 'fixed_date', wipLimit: null }) }))).toBeNull();
  });

  it('the lane’s own limit is hard, counted only for a card entering progress', () => {
    expect(refusal(pull({ laneInProgress: 1 }))).toBe('WIP_LIMIT: The Expedite lane is at its WIP limit (1 of 1 in progress): finish or move one of its cards out first');
    expect(refusal(pull({ laneInProgress: 1, entersLaneProgress: false }))).toBeNull();
    expect(refusal(pull({ laneInProgress: 0 }))).toBeNull();
    expect(refusal(pull({ laneInProgress: 5, lane: lane({ wipLimit: null }) }))).toBeNull();
  });

  it('a cell limit refuses a card from another cell, not a reorder inside it', () => {
    const limited = lane({ classOfService: 'standard', wipLimit: null, name: 'Standard', cellLimits: { develop: 1 } });
    expect(refusal(pull({ lane: limited, cellCount: 1 }))).toBe('WIP_LIMIT: Develop in the Standard lane is at its WIP limit (1 of 1): finish or move a card out first');
    expect(refusal(pull({ lane: limited, cellCount: 1, sameCell: true, sameColumn: true }))).toBeNull();
    // An expedite cell limit holds even though the column's does not.
    expect(refusal(pull({ lane: lane({ cellLimits: { develop: 1 } }), cellCount: 1, columnCount: 9 }))).toContain('Develop in the Expedite lane');
  });

  it('progress is every work center but the first and the last', () => {
    expect([0, 1, 2, 3, 4].map((i) => inProgress(i, 5))).toEqual([false, true, true, true, false]);
    expect(inProgress(0, 1)).toBe(false);
    const cards = [cardOf({ id: 'a', columnId: 'design', laneId: 'x' }), cardOf({ id: 'b', columnId: 'develop', laneId: 'x' }), cardOf({ id: 'c', columnId: 'test', laneId: 'x' })];
    expect(laneCounts(cards, ['design', 'develop', 'test'], 'x', 'develop', 'none')).toEqual({ laneInProgress: 1, cellCount: 1 });
    expect(laneCounts(cards, ['design', 'develop', 'test'], 'x', 'develop', 'b')).toEqual({ laneInProgress: 0, cellCount: 0 });
  });

  it('an expedite lane goes first; other lanes stay below it', () => {
    const lanes = [lane({ id: 'e' }), lane({ id: 's', classOfService: 'standard' }), lane({ id: 't', classOfService: 'standard' })];
    expect(clampLaneIndex(lanes, 't', 'standard', 0)).toBe(1);
    expect(clampLaneIndex(lanes, 's', 'expedite', 2)).toBe(0);
    expect(clampLaneIndex(lanes, null, 'standard', 99)).toBe(3);
  });
});

describe('a log written before lanes', () => {
  it('folds to one default lane holding every card; a move between lanes changes the card’s lane', () => {
    const base = { boardId: 'b1', actor: 'x', at: '2025-01-01T00:00:00.000Z' };
    const { laneId: _omitted, ...oldCard } = cardOf({ id: 'c', columnId: 'design' });
    const log = [
      { ...base, version: 1, type: 'board_created', name: 'Old', columns: [column('design'), column('develop')] },
      { ...base, version: 2, type: 'card_created', card: oldCard },
    ] as BoardEvent[];
    const empty: BoardSnapshot = { id: 'b1', name: '', version: 0, createdAt: base.at, columns: [], lanes: [], cards: [] };
    const old = log.reduce(applyEvent, empty);
    expect(old.lanes.map((l) => l.id)).toEqual([defaultLaneId('b1')]);
    expect(old.cards[0]?.laneId).toBe(defaultLaneId('b1'));
    const later = [
      { ...base, version: 3, type: 'lane_added', lane: lane({ id: 'e' }), index: 0 },
      { ...base, version: 4, type: 'card_moved', cardId: 'c', fromColumnId: 'design', toColumnId: 'design', fromLaneId: defaultLaneId('b1'), toLaneId: 'e', position: 'a0', backward: false },
    ] as BoardEvent[];
    const now = later.reduce(applyEvent, old);
    expect(now.lanes.map((l) => l.id)).toEqual(['e', defaultLaneId('b1')]);
    expect(now.cards[0]).toMatchObject({ laneId: 'e', defectCount: 0, enteredColumnAt: base.at });
  });
});

describe('a big board’s window with lanes', () => {
  it('keeps each work center’s count across lanes, and a card moved to another lane in the sent part changes lane only', () => {
    const cards = Array.from({ length: 6 }, (_, i) => cardOf({ id: `c${i}`, columnId: 'design', position: `a${i}`, laneId: i % 2 ? 'e' : defaultLaneId('b1') }));
    const board: BoardSnapshot = { id: 'b1', name: 'B', version: 1, createdAt: '2025-01-01T00:00:00.000Z', columns: [column('design'), column('develop')], lanes: [lane({ id: 'e' }), lane({ id: defaultLaneId('b1'), classOfService: 'standard' })], cards };
    const windowed = windowOf(board, 4);
    expect(windowed.window?.totals).toEqual({ design: 6 });
    const moved = applyEvent(windowed, {
      boardId: 'b1',
      version: 2,
      actor: 'x',
      at: '2025-01-02T00:00:00.000Z',
      type: 'card_moved',
      cardId: 'c0',
      fromColumnId: 'design',
      toColumnId: 'design',
      fromLaneId: defaultLaneId('b1'),
      toLaneId: 'e',
      position: 'a0',
      backward: false,
    });
    expect(moved.window?.totals).toEqual({ design: 6 });
    expect(moved.cards.find((c) => c.id === 'c0')?.laneId).toBe('e');
    expect(moved.cards).toHaveLength(4);
  });
});
