/** Split work centers: the rules (lib/shared/domain/split.ts) and how their events fold (apply.ts, undo.ts). */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { DomainError } from '../../lib/shared/domain/errors';
import { cardMovedEvent } from '../../lib/shared/domain/rules';
import { assertDoneHalfEmpty, assertSplitPlaces, assertSplittable, stageAfterMove } from '../../lib/shared/domain/split';
import type { BoardEvent, BoardSnapshot } from '../../lib/shared/domain/types';
import { placeOf, undoMovedEvent } from '../../lib/shared/domain/undo';
import { board, cardIn, cardOf, column, event } from './client-fixtures';
import { cardsByCell, cellKey, cellRefusal, parseCellKey } from '../../lib/client/laneView';
import { remoteChangeMessage } from '../../lib/client/announce';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

const splitBoard = (): BoardSnapshot => applyEvent(board(), event(6, { type: 'column_split_set', columnId: 'develop', split: true }));

describe('the rules of split work centers', () => {
  const develop = { name: 'Develop', split: true };
  const test = { name: 'Test', split: false };

  it('an arrival lands in doing unless dropped on the done half; a reorder naming no half keeps the card’s half', () => {
    expect(stageAfterMove(develop, undefined, false, 'doing')).toBe('doing');
    expect(stageAfterMove(develop, 'done', false, 'doing')).toBe('done');
    expect(stageAfterMove(develop, undefined, true, 'done')).toBe('done');
    expect(stageAfterMove(develop, 'doing', true, 'done')).toBe('doing');
  });

  it('a work center that is not split holds doing cards only: its done half is no place to drop on', () => {
    expect(stageAfterMove(test, undefined, false, 'done')).toBe('doing');
    expect(stageAfterMove(test, 'doing', false, 'done')).toBe('doing');
    expect(codeOf(() => stageAfterMove(test, 'done', false, 'doing'))).toBe('INVALID');
  });

  it('only a work center between the first and the last can be split', () => {
    expect(codeOf(() => assertSplittable({ name: 'Design' }, 0, 4))).toBe('INVALID');
    expect(codeOf(() => assertSplittable({ name: 'Done' }, 3, 4))).toBe('INVALID');
    expect(codeOf(() => assertSplittable({ name: 'Develop' }, 1, 4))).toBeUndefined();
    expect(codeOf(() => assertSplittable({ name: 'Only' }, 0, 1))).toBe('INVALID');
  });

  it('joining the halves waits for an empty done half', () => {
    expect(codeOf(() => assertDoneHalfEmpty({ name: 'Develop' }, 1))).toBe('CONFLICT');
    expect(codeOf(() => assertDoneHalfEmpty({ name: 'Develop' }, 0))).toBeUndefined();
  });

  it('no split work center may end up first or last', () => {
    expect(codeOf(() => assertSplitPlaces([develop, test]))).toBe('CONFLICT');
    expect(codeOf(() => assertSplitPlaces([test, develop]))).toBe('CONFLICT');
    expect(codeOf(() => assertSplitPlaces([test, develop, test]))).toBeUndefined();
    expect(codeOf(() => assertSplitPlaces([]))).toBeUndefined();
  });

  it('a move’s event names the stage only when it changed', () => {
    const base = { cardId: 'c2', fromColumnId: 'develop', toColumnId: 'develop', position: 'a5', backward: false, reason: null };
    expect(cardMovedEvent({ ...base, fromStage: 'doing', toStage: 'done' })).toMatchObject({ fromStage: 'doing', toStage: 'done' });
    expect(cardMovedEvent({ ...base, fromStage: 'done', toStage: 'done' })).not.toHaveProperty('toStage');
    expect(cardMovedEvent(base)).not.toHaveProperty('fromStage');
  });
});

describe('the fold of split work centers', () => {
  it('column_split_set splits and joins a work center', () => {
    const split = splitBoard();
    expect(split.columns.map((c) => c.split)).toEqual([false, true, false]);
    expect(applyEvent(split, event(7, { type: 'column_split_set', columnId: 'develop', split: false })).columns.every((c) => !c.split)).toBe(true);
  });

  it('a stage move changes the stage only: its time in the work center, its defects and the limit badge stay', () => {
    const start = splitBoard();
    const before = cardIn(start, 'c2');
    const moved = applyEvent(start, event(7, cardMovedEvent({ cardId: 'c2', fromColumnId: 'develop', toColumnId: 'develop', position: 'a2', backward: false, reason: null, fromStage: 'doing', toStage: 'done' })));
    expect(cardIn(moved, 'c2')).toStrictEqual({ ...before, stage: 'done', position: 'a2', updatedAt: moved.cards[1]?.updatedAt });
    // On to Test: the event names the change back to doing, and a move naming none keeps the stage.
    const onward = applyEvent(moved, event(8, cardMovedEvent({ cardId: 'c2', fromColumnId: 'develop', toColumnId: 'test', position: 'a1', backward: false, reason: null, fromStage: 'done', toStage: 'doing' })));
    expect(cardIn(onward, 'c2')?.stage).toBe('doing');
    const reorder = applyEvent(moved, event(8, cardMovedEvent({ cardId: 'c2', fromColumnId: 'develop', toColumnId: 'develop', position: 'a3', backward: false, reason: null })));
    expect(cardIn(reorder, 'c2')?.stage).toBe('done');
  });

  it('an undo restores the stage from its place; an undo recorded before split work centers restores doing', () => {
    const start = splitBoard();
    const before = cardIn(start, 'c2');
    if (!before) throw new Error('no card');
    const move = event(7, cardMovedEvent({ cardId: 'c2', fromColumnId: 'develop', toColumnId: 'develop', position: 'a2', backward: false, reason: null, fromStage: 'doing', toStage: 'done' })) as Extract<BoardEvent, { type: 'card_moved' }>;
    const moved = applyEvent(start, move);
    const undo = undoMovedEvent(move, placeOf(before));
    expect(undo).toMatchObject({ fromStage: 'done', toStage: 'doing', undoes: { place: { stage: 'doing' } } });
    expect(cardIn(applyEvent(moved, event(8, undo)), 'c2')?.stage).toBe('doing');
    // From the done half to Test, undone: back to done.
    const inDone = { ...start, cards: start.cards.map((c) => (c.id === 'c2' ? { ...c, stage: 'done' as const } : c)) };
    const pull = event(7, cardMovedEvent({ cardId: 'c2', fromColumnId: 'develop', toColumnId: 'test', position: 'a1', backward: false, reason: null, fromStage: 'done', toStage: 'doing' })) as Extract<BoardEvent, { type: 'card_moved' }>;
    const pullUndo = undoMovedEvent(pull, placeOf(cardIn(inDone, 'c2') ?? before));
    expect(pullUndo).toMatchObject({ fromStage: 'doing', toStage: 'done' });
    expect(cardIn(applyEvent(applyEvent(inDone, pull), event(8, pullUndo)), 'c2')?.stage).toBe('done');
    // An old undo's place has no stage: doing.
    const { stage: _none, ...oldPlace } = placeOf(before);
    const old = undoMovedEvent({ ...pull, toStage: undefined }, oldPlace);
    expect(old).not.toHaveProperty('toStage');
    expect(cardIn(applyEvent(applyEvent(inDone, pull), event(8, old)), 'c2')?.stage).toBe('doing');
  });

  it('a log written before split work centers folds to work centers that are not split and cards that are doing', () => {
    const { split: _s, ...oldColumn } = column('develop');
    const { stage: _t, ...oldCard } = cardOf({ id: 'old', columnId: 'develop' });
    const empty: BoardSnapshot = { id: 'b1', name: '', version: 0, createdAt: '', columns: [], lanes: [], cards: [] };
    const created = applyEvent(empty, { ...event(1, { type: 'board_created', name: 'Old', columns: [oldColumn as never] }) });
    const added = applyEvent(created, event(2, { type: 'column_added', column: { ...(oldColumn as never as object), id: 'test', name: 'Test' } as never, index: 1 }));
    const withCard = applyEvent(added, event(3, { type: 'card_created', card: oldCard as never }));
    expect(withCard.columns.map((c) => c.split)).toEqual([false, false]);
    expect(withCard.cards[0]?.stage).toBe('doing');
  });
});

describe('the board view of a split work center (lib/client/laneView.ts)', () => {
  it('gives its done half a key of its own, in a one-lane board and in every lane, and reads it back', () => {
    expect(parseCellKey(cellKey('develop', null, 'done'))).toEqual({ columnId: 'develop', laneId: null, stage: 'done' });
    expect(parseCellKey(cellKey('develop', 'lane-2', 'done'))).toEqual({ columnId: 'develop', laneId: 'lane-2', stage: 'done' });
    expect(parseCellKey(cellKey('develop', 'lane-2'))).toEqual({ columnId: 'develop', laneId: 'lane-2', stage: 'doing' });
    expect(cellKey('develop', null, 'done')).not.toBe(cellKey('develop', null));
  });

  it('lists each half’s cards apart; a done card of a work center no longer split shows in doing', () => {
    const start = splitBoard();
    const withDone = { ...start, cards: start.cards.map((c) => (c.id === 'c3' ? { ...c, stage: 'done' as const } : c)) };
    const lists = cardsByCell(withDone);
    expect([...lists.keys()]).toEqual(['design', 'develop', cellKey('develop', null, 'done'), 'test']);
    expect(lists.get('develop')?.map((c) => c.id)).toEqual(['c2']);
    expect(lists.get(cellKey('develop', null, 'done'))?.map((c) => c.id)).toEqual(['c3']);
    const joined = cardsByCell({ ...withDone, columns: withDone.columns.map((c) => ({ ...c, split: false })) });
    expect(joined.get('develop')?.map((c) => c.id)).toEqual(['c2', 'c3']);
  });

  it('a move between the halves is never refused by the WIP limit, a pull into either half of a full one is', () => {
    const full = splitBoard();
    // Develop holds 2 of 2.
    expect(cellRefusal(full, 'c2', cellKey('develop', null, 'done'))).toBeNull();
    expect(cellRefusal(full, 'c1', cellKey('develop', null, 'done'))).toContain('Develop is at its WIP limit');
    expect(cellRefusal(full, 'c1', 'develop')).toContain('Develop is at its WIP limit');
  });
});

const moved = (body: Parameters<typeof cardMovedEvent>[0]) => ({ ...event(7, cardMovedEvent(body)), actor: 'Ada', actorId: 'ada' });

describe('what a screen reader hears of someone else’s stage move (lib/client/announce.ts)', () => {
  it('names the done half, and both halves of a move between them; a work center that is not split goes without', () => {
    const at = splitBoard();
    const base = { cardId: 'c2', fromColumnId: 'develop', position: 'a9', backward: false, reason: null };
    expect(remoteChangeMessage(moved({ ...base, toColumnId: 'develop', fromStage: 'doing', toStage: 'done' }), at, 'me')).toBe('Ada moved Card c2 to Develop, done');
    expect(remoteChangeMessage(moved({ ...base, toColumnId: 'develop', fromStage: 'done', toStage: 'doing' }), at, 'me')).toBe('Ada moved Card c2 to Develop, doing');
    expect(remoteChangeMessage(moved({ ...base, toColumnId: 'test', fromStage: 'done', toStage: 'doing' }), at, 'me')).toBe('Ada moved Card c2 to Test');
  });
});
