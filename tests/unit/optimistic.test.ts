import { describe, expect, it } from 'vitest';
import { sortByPosition } from '../../lib/shared/domain/ordering';
import { addColumnApply, createCardApply, moveCardApply, moveColumnApply, updateColumnApply } from '../../lib/client/optimistic';
import { board, cardIn } from './client-fixtures';

const AT = '2025-01-02T00:00:00.000Z';
const order = (b: ReturnType<typeof board>, columnId: string) => sortByPosition(b.cards.filter((c) => c.columnId === columnId)).map((c) => c.id);

describe('optimistic changes predict the server’s events', () => {
  it('a prediction does not advance the board version, so gap detection still uses the confirmed one', () => {
    const before = board(5);
    expect(moveCardApply('c1', 'test', null, null, AT)(before).version).toBe(5);
  });

  it('a card moved before another lands right before it', () => {
    const after = moveCardApply('c1', 'develop', 'c3', null, AT)(board());
    expect(order(after, 'develop')).toEqual(['c2', 'c1', 'c3']);
    expect(cardIn(after, 'c1')?.enteredColumnAt).toBe(AT);
  });

  it('a card moved with no card to land before goes to the end', () => {
    const after = moveCardApply('c1', 'develop', null, null, AT)(board());
    expect(order(after, 'develop')).toEqual(['c2', 'c3', 'c1']);
  });

  it('an arrival in the last work center goes on top, whatever place was asked for: it lists its cards newest first', () => {
    expect(order(moveCardApply('c1', 'test', null, null, AT)(board()), 'test')).toEqual(['c1', 'c4']);
    expect(order(moveCardApply('c2', 'test', 'c4', null, AT)(board()), 'test')).toEqual(['c2', 'c4']);
    const created = createCardApply({ tempId: 'pending-n', columnId: 'test', title: 'New', type: 'feature', description: '' }, AT)(board());
    expect(order(created, 'test')).toEqual(['pending-n', 'c4']);
  });

  it('a backward move counts a defect on the card and a returned defect on the work center it goes back to', () => {
    const after = moveCardApply('c4', 'design', null, 'Fails the load test', AT)(board());
    expect(cardIn(after, 'c4')?.defectCount).toBe(1);
    expect(after.columns.find((c) => c.id === 'design')?.defectsReturned).toBe(1);
  });

  it('a forward move counts no defect', () => {
    const after = moveCardApply('c1', 'develop', null, null, AT)(board());
    expect(cardIn(after, 'c1')?.defectCount).toBe(0);
    expect(after.columns.every((c) => c.defectsReturned === 0)).toBe(true);
  });

  it('moving a card that is gone throws, so the view skips it', () => {
    expect(() => moveCardApply('nope', 'test', null, null, AT)(board())).toThrow();
  });

  it('a new card goes to the end of its work center', () => {
    const after = createCardApply({ tempId: 'pending-1', columnId: 'develop', title: '  Trimmed  ', type: 'defect', description: '' }, AT)(board());
    expect(order(after, 'develop')).toEqual(['c2', 'c3', 'pending-1']);
    expect(cardIn(after, 'pending-1')?.title).toBe('Trimmed');
  });

  it('work centers are added, moved and limited as the server would', () => {
    let b = addColumnApply('pending-col', 'Review', 3, 1, AT)(board());
    expect(b.columns.map((c) => c.id)).toEqual(['design', 'pending-col', 'develop', 'test']);
    b = moveColumnApply('test', 0, AT)(b);
    expect(b.columns.map((c) => c.id)).toEqual(['test', 'design', 'pending-col', 'develop']);
    b = updateColumnApply('develop', { name: 'Build', wipLimit: null }, AT)(b);
    expect(b.columns.find((c) => c.id === 'develop')).toMatchObject({ name: 'Build', wipLimit: null });
  });
});
