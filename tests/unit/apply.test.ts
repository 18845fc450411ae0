import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { defaultLane } from '../../lib/shared/domain/lanes';
import type { BoardEvent, BoardEventBody, BoardSnapshot, CardDTO, ColumnDTO } from '../../lib/shared/domain/types';
import { cardOf } from './client-fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

const column = (id: string, name: string, wipLimit: number | null = null): ColumnDTO => ({ id, boardId: 'b', name, wipLimit, defectsReturned: 0, split: false });
const card = (id: string, columnId: string, position: string): CardDTO =>
  cardOf({ id, boardId: 'b', columnId, position, title: id, createdAt: T0, updatedAt: T0, enteredColumnAt: T0 });

function board(): BoardSnapshot {
  return {
    id: 'b',
    name: 'Board',
    version: 10,
    createdAt: T0,
    columns: [column('dev', 'Develop', 3), column('test', 'Test', 2), column('done', 'Done')],
    lanes: [defaultLane('b')],
    cards: [card('c1', 'dev', 'a0'), card('c2', 'test', 'a0')],
  };
}

const event = (body: BoardEventBody, version = 11): BoardEvent => ({ ...body, boardId: 'b', version, actor: 'Ada', at: T1 }) as BoardEvent;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Applies to a frozen board, so any mutation of the input throws, and checks the input is unchanged. */
function apply(body: BoardEventBody): BoardSnapshot {
  const before = deepFreeze(board());
  const copy = structuredClone(before);
  const after = applyEvent(before, event(body));
  expect(before).toStrictEqual(copy);
  expect(after.version).toBe(11);
  return after;
}

const move = (over: Partial<Extract<BoardEventBody, { type: 'card_moved' }>>): BoardEventBody => ({
  type: 'card_moved',
  cardId: 'c1',
  fromColumnId: 'dev',
  toColumnId: 'test',
  position: 'a1',
  backward: false,
  reason: null,
  detectedAtColumnId: null,
  returnedToColumnId: null,
  ...over,
});

describe('applyEvent', () => {
  it('takes the version of the event and leaves its input untouched', () => {
    const after = apply({ type: 'board_renamed', name: 'Payments' });
    expect(after.name).toBe('Payments');
    expect(after.columns).toStrictEqual(board().columns);
    expect(after.cards).toStrictEqual(board().cards);
  });

  it('board_created sets the name and the columns', () => {
    const columns = [column('x', 'Only')];
    expect(apply({ type: 'board_created', name: 'New', columns })).toMatchObject({ name: 'New', columns, cards: board().cards });
  });

  it('column_added inserts at its index, and replaces rather than duplicates a column it already has', () => {
    const review = column('review', 'Review', 2);
    expect(apply({ type: 'column_added', column: review, index: 1 }).columns.map((c) => c.id)).toEqual(['dev', 'review', 'test', 'done']);
    expect(apply({ type: 'column_added', column: review, index: 3 }).columns.map((c) => c.id)).toEqual(['dev', 'test', 'done', 'review']);
    const again = applyEvent(applyEvent(board(), event({ type: 'column_added', column: review, index: 0 })), event({ type: 'column_added', column: review, index: 0 }, 12));
    expect(again.columns.map((c) => c.id)).toEqual(['review', 'dev', 'test', 'done']);
  });

  it('column_renamed and wip_limit_set change only that column', () => {
    const renamed = apply({ type: 'column_renamed', columnId: 'test', name: 'QA' });
    expect(renamed.columns.map((c) => c.name)).toEqual(['Develop', 'QA', 'Done']);
    const limited = apply({ type: 'wip_limit_set', columnId: 'done', wipLimit: 7 });
    expect(limited.columns.map((c) => c.wipLimit)).toEqual([3, 2, 7]);
    expect(apply({ type: 'wip_limit_set', columnId: 'dev', wipLimit: null }).columns[0]?.wipLimit).toBeNull();
  });

  it('column_moved puts the column at its new index; an unknown column changes nothing', () => {
    expect(apply({ type: 'column_moved', columnId: 'done', toIndex: 0 }).columns.map((c) => c.id)).toEqual(['done', 'dev', 'test']);
    expect(apply({ type: 'column_moved', columnId: 'dev', toIndex: 2 }).columns.map((c) => c.id)).toEqual(['test', 'done', 'dev']);
    expect(apply({ type: 'column_moved', columnId: 'nowhere', toIndex: 0 }).columns.map((c) => c.id)).toEqual(['dev', 'test', 'done']);
  });

  it('column_removed drops the column', () => {
    expect(apply({ type: 'column_removed', columnId: 'done' }).columns.map((c) => c.id)).toEqual(['dev', 'test']);
  });

  it('card_created adds the card once', () => {
    const created = card('c3', 'dev', 'a1');
    expect(apply({ type: 'card_created', card: created }).cards.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    const twice = applyEvent(applyEvent(board(), event({ type: 'card_created', card: created })), event({ type: 'card_created', card: created }, 12));
    expect(twice.cards.filter((c) => c.id === 'c3')).toHaveLength(1);
  });

  it('card_updated applies the changes and stamps updatedAt with the event time', () => {
    const after = apply({ type: 'card_updated', cardId: 'c1', changes: { title: 'New title', blocked: true, blockedReason: 'Vendor' } });
    expect(after.cards.find((c) => c.id === 'c1')).toMatchObject({ title: 'New title', blocked: true, blockedReason: 'Vendor', updatedAt: T1, createdAt: T0 });
    expect(after.cards.find((c) => c.id === 'c2')).toStrictEqual(board().cards[1]);
  });

  it('card_deleted drops the card', () => {
    expect(apply({ type: 'card_deleted', cardId: 'c1', columnId: 'dev' }).cards.map((c) => c.id)).toEqual(['c2']);
  });

  it('a forward card_moved changes column and position and restarts the time in column', () => {
    const after = apply(move({}));
    expect(after.cards.find((c) => c.id === 'c1')).toMatchObject({ columnId: 'test', position: 'a1', defectCount: 0, updatedAt: T1, enteredColumnAt: T1 });
    expect(after.columns).toStrictEqual(board().columns);
  });

  it('a reorder inside a column keeps the time the card entered it', () => {
    const after = apply(move({ toColumnId: 'dev', position: 'Zz' }));
    expect(after.cards.find((c) => c.id === 'c1')).toMatchObject({ columnId: 'dev', position: 'Zz', enteredColumnAt: T0, updatedAt: T1 });
  });

  it('a backward card_moved counts a defect on the card and on the column it returned to', () => {
    const after = apply(
      move({ cardId: 'c2', fromColumnId: 'test', toColumnId: 'dev', backward: true, reason: 'Flaky', detectedAtColumnId: 'test', returnedToColumnId: 'dev' }),
    );
    expect(after.cards.find((c) => c.id === 'c2')).toMatchObject({ columnId: 'dev', defectCount: 1 });
    expect(after.columns.map((c) => [c.id, c.defectsReturned])).toEqual([
      ['dev', 1],
      ['test', 0],
      ['done', 0],
    ]);
  });
});
