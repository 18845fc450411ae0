/** The fold of an undo and the rules of who may undo what, when (lib/shared/domain/undo.ts). */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { DomainError } from '../../lib/shared/domain/errors';
import { cardMovedEvent } from '../../lib/shared/domain/rules';
import type { BoardEvent, BoardEventBody, BoardSnapshot, ColumnDTO } from '../../lib/shared/domain/types';
import { assertUndoable, placeOf, undoMovedEvent, UNDO_WINDOW_MS } from '../../lib/shared/domain/undo';
import { cardOf } from './client-fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const T2 = '2026-01-02T00:00:05.000Z';

const column = (id: string, name: string): ColumnDTO => ({ id, boardId: 'b', name, wipLimit: null, defectsReturned: 0, split: false });

function board(): BoardSnapshot {
  return {
    id: 'b',
    name: 'Board',
    version: 10,
    createdAt: T0,
    columns: [column('dev', 'Develop'), column('test', 'Test'), column('done', 'Done')],
    lanes: [],
    cards: [cardOf({ id: 'c1', boardId: 'b', columnId: 'test', position: 'a1', title: 'c1', createdAt: T0, updatedAt: T0, enteredColumnAt: T0, defectCount: 2 })],
  };
}

const event = (body: BoardEventBody, version: number, at: string, actorId = 'ada'): BoardEvent => ({ ...body, boardId: 'b', version, actor: 'Ada', actorId, at }) as BoardEvent;
type Moved = Extract<BoardEvent, { type: 'card_moved' }>;

/** A move of c1 from Test, then its undo: the fold of both. */
function moveAndUndo(toColumnId: string, backward: boolean) {
  const start = board();
  const before = start.cards[0];
  if (!before) throw new Error('no card');
  const move = event(cardMovedEvent({ cardId: 'c1', fromColumnId: 'test', toColumnId, position: 'a0', backward, reason: backward ? 'Fails' : null }), 11, T1) as Moved;
  const moved = applyEvent(start, move);
  const undo = event(undoMovedEvent(move, placeOf(before)), 12, T2);
  return { start, move, moved, undo, after: applyEvent(moved, undo) };
}

describe('the fold of an undo', () => {
  it('puts a forward move’s card back in its place and time of entry; the undo is not a backward move', () => {
    const { start, moved, undo, after } = moveAndUndo('done', false);
    expect(moved.cards[0]).toMatchObject({ columnId: 'done', enteredColumnAt: T1 });
    expect(undo).toMatchObject({ fromColumnId: 'done', toColumnId: 'test', position: 'a1', backward: false });
    expect(undo).not.toHaveProperty('reason');
    expect(after.cards).toStrictEqual(start.cards.map((c) => ({ ...c, updatedAt: T2 })));
    expect(after.columns).toStrictEqual(start.columns);
  });

  it('takes an undone backward move’s defect back from the card and from the work center it was returned to', () => {
    const { start, moved, after } = moveAndUndo('dev', true);
    expect(moved.cards[0]?.defectCount).toBe(3);
    expect(moved.columns.find((c) => c.id === 'dev')?.defectsReturned).toBe(1);
    expect(after.cards[0]).toMatchObject({ columnId: 'test', position: 'a1', defectCount: 2, enteredColumnAt: T0 });
    expect(after.columns).toStrictEqual(start.columns);
  });

  it('spreads the whole place, so a field a place gains later comes back with it', () => {
    const { move } = moveAndUndo('done', false);
    const place = { ...placeOf(board().cards[0] ?? cardOf({ id: 'x', columnId: 'test' })), extra: 'kept' };
    const after = applyEvent(board(), event(undoMovedEvent(move, place), 12, T2));
    expect(after.cards[0]).toMatchObject({ extra: 'kept' });
  });
});

/** The code a rule throws, or 'ok'. */
function code(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'ok';
}

describe('who may undo what, and when', () => {
  const { move, undo } = moveAndUndo('done', false);
  const at = Date.parse(T1);
  const ada = { id: 'ada', name: 'Ada' };

  it('allows one’s own last move of the card within the window, up to its last millisecond', () => {
    expect(code(() => assertUndoable(move, 'c1', move, ada, at))).toBe('ok');
    expect(code(() => assertUndoable(move, 'c1', move, ada, at + UNDO_WINDOW_MS))).toBe('ok');
  });
  it('refuses after the window', () => expect(code(() => assertUndoable(move, 'c1', move, ada, at + UNDO_WINDOW_MS + 1))).toBe('UNDO_EXPIRED'));
  it('refuses someone else’s move', () => expect(code(() => assertUndoable(move, 'c1', move, { id: 'bob', name: 'Ada' }, at))).toBe('FORBIDDEN'));
  it('refuses a move that is not the card’s last, an undone one, and an undo', () => {
    const later = event(cardMovedEvent({ cardId: 'c1', fromColumnId: 'done', toColumnId: 'test', position: 'a0', backward: true, reason: 'x' }), 12, T2);
    expect(code(() => assertUndoable(move, 'c1', later, ada, at))).toBe('CONFLICT');
    expect(code(() => assertUndoable(move, 'c1', undo, ada, at))).toBe('CONFLICT');
    expect(code(() => assertUndoable(undo, 'c1', undo, ada, at))).toBe('CONFLICT');
  });
  it('refuses what is not a move of that card', () => {
    expect(code(() => assertUndoable(undefined, 'c1', undefined, ada, at))).toBe('NOT_FOUND');
    expect(code(() => assertUndoable(move, 'c2', move, ada, at))).toBe('NOT_FOUND');
  });
});
