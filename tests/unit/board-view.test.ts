import { describe, expect, it } from 'vitest';
import { wipLimitMessage } from '../../lib/shared/domain/rules';
import { arrivalRefusal, cardsByColumn, columnName, formatCount, keepUnchangedLists, pullRefusal, wipState } from '../../lib/client/boardView';
import { board, card } from './client-fixtures';

describe('the board shows what the server would refuse', () => {
  it('a pull into a full work center is refused with the WIP limit message', () => {
    const b = board();
    const develop = b.columns.find((c) => c.id === 'develop')!;
    expect(pullRefusal(b, 'c1', 'develop')).toBe(wipLimitMessage(develop, 2));
  });

  it('reordering inside a full work center is not a pull and is never refused', () => {
    expect(pullRefusal(board(), 'c2', 'develop')).toBeNull();
  });

  it('a pull into a work center with room is allowed', () => {
    expect(pullRefusal(board(), 'c2', 'design')).toBeNull();
  });

  it('a work center without a WIP limit never refuses', () => {
    expect(pullRefusal(board(), 'c1', 'test')).toBeNull();
  });

  it('a work center over its limit (the limit was lowered) refuses every pull', () => {
    const b = board();
    b.cards.push(card('c5', 'design', 'a1'), card('c6', 'design', 'a2'));
    expect(pullRefusal(b, 'c4', 'design')).not.toBeNull();
  });
});

describe('work center headers', () => {
  it('count shows against the WIP limit as "count/limit", or the bare count without one', () => {
    expect(formatCount(3, 3)).toBe('3/3');
    expect(formatCount(2, null)).toBe('2');
  });

  it('a work center at its limit is full and above it is over', () => {
    expect(wipState(2, 3)).toBe('under');
    expect(wipState(3, 3)).toBe('full');
    expect(wipState(4, 3)).toBe('over');
    expect(wipState(9, null)).toBe('unlimited');
  });

  it('cards are listed per work center in position order, ties broken by id', () => {
    const b = board();
    b.cards.push(card('c0', 'develop', 'a0'));
    const lists = cardsByColumn(b);
    expect(lists.get('develop')!.map((c) => c.id)).toEqual(['c0', 'c2', 'c3']);
    expect(lists.get('test')!.map((c) => c.id)).toEqual(['c4']);
  });

  it('a removed work center in history still reads as a place', () => {
    expect(columnName(board().columns, 'gone')).toBe('a removed work center');
    expect(columnName(board().columns, 'develop')).toBe('Develop');
  });
});

describe('new work', () => {
  it('a new card cannot start in a full work center: its arrival is a pull', () => {
    expect(arrivalRefusal(board(), 'develop')).toMatch(/WIP limit/);
    expect(arrivalRefusal(board(), 'design')).toBeNull();
    expect(arrivalRefusal(board(), 'test')).toBeNull();
  });
});

describe('redrawing only what changed', () => {
  it('a list with the same items keeps its previous identity; a changed or new list is the new one', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const previous = new Map([
      ['develop', [a, b]],
      ['test', [b]],
    ]);
    const next = new Map([
      ['develop', [a, b]],
      ['test', [a]],
      ['deploy', []],
    ]);
    const kept = keepUnchangedLists(previous, next);
    expect(kept.get('develop')).toBe(previous.get('develop'));
    expect(kept.get('test')).toBe(next.get('test'));
    expect(kept.get('deploy')).toBe(next.get('deploy'));
    expect([...kept.keys()]).toEqual(['develop', 'test', 'deploy']);
  });

  it('the same items in another order are a change', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const previous = new Map([['develop', [a, b]]]);
    const next = new Map([['develop', [b, a]]]);
    expect(keepUnchangedLists(previous, next).get('develop')).toBe(next.get('develop'));
  });
});
