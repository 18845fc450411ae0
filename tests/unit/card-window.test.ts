import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { defaultLane } from '../../lib/shared/domain/lanes';
import { addCardPage, cardCount, cardsNotLoaded, windowOf } from '../../lib/shared/domain/cardWindow';
import { comparePositioned } from '../../lib/shared/domain/ordering';
import type { BoardEvent, BoardEventBody, BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { cardOf } from './client-fixtures';

const COLUMNS = ['todo', 'doing', 'done'];
const card = (id: string, columnId: string, position: string): CardDTO => cardOf({ id, boardId: 'b', columnId, position, title: id });
const board = (cards: CardDTO[]): BoardSnapshot => ({
  id: 'b',
  name: 'B',
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  columns: COLUMNS.map((id) => ({ id, boardId: 'b', name: id, wipLimit: null, defectsReturned: 0, split: false })),
  lanes: [defaultLane('b')],
  cards,
});
const inColumn = (b: BoardSnapshot, columnId: string) => b.cards.filter((c) => c.columnId === columnId).toSorted(comparePositioned);

/** What the window must always be of the whole board: per work center, a prefix of its cards in order and its true count. */
function expectWindowOf(windowed: BoardSnapshot, whole: BoardSnapshot) {
  for (const columnId of COLUMNS) {
    const all = inColumn(whole, columnId);
    const sent = inColumn(windowed, columnId);
    expect(cardCount(windowed, columnId)).toBe(all.length);
    expect(sent).toEqual(all.slice(0, sent.length));
    if (windowed.window?.totals[columnId] === undefined) expect(sent.length).toBe(all.length);
  }
}

const positions = 'abcdefghijklmnop'.split('');
const event = (body: BoardEventBody, version: number): BoardEvent => ({ ...body, boardId: 'b', version, actor: 'x', at: '2025-01-02T00:00:00.000Z' }) as BoardEvent;

describe('a big board sent in part (card window)', () => {
  it('a window holds each work center’s first cards in order and the count of the longer ones; a small board is sent whole', () => {
    const whole = board(Array.from({ length: 7 }, (_, i) => card(`c${i}`, i < 5 ? 'todo' : 'doing', positions[6 - i] ?? 'z')));
    const w = windowOf(whole, 3);
    expect(w.window).toEqual({ totals: { todo: 5 } });
    expect(inColumn(w, 'todo').map((c) => c.id)).toEqual(['c4', 'c3', 'c2']);
    expect(cardsNotLoaded(w, 'todo')).toBe(2);
    expect(windowOf(whole, 5)).toEqual({ ...whole, cards: expect.any(Array) });
    expect(windowOf(whole, 5).window).toBeUndefined();
    // The next page completes it: the board is whole again, with no window left.
    const more = addCardPage(w, 'todo', inColumn(whole, 'todo').slice(3), 5);
    expect(more.window).toBeUndefined();
    expectWindowOf(more, whole);
  });

  it('live events keep the window true to the whole board, or mark it stale when a card never sent comes into view', () => {
    const arbitraryEvent = fc.oneof(
      fc.record({ kind: fc.constant('move' as const), card: fc.nat(19), to: fc.constantFrom(...COLUMNS), position: fc.constantFrom(...positions) }),
      fc.record({ kind: fc.constant('create' as const), to: fc.constantFrom(...COLUMNS), position: fc.constantFrom(...positions) }),
      fc.record({ kind: fc.constant('delete' as const), card: fc.nat(19) }),
      fc.record({ kind: fc.constant('update' as const), card: fc.nat(19) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...COLUMNS), fc.constantFrom(...positions)), { minLength: 0, maxLength: 20 }), fc.array(arbitraryEvent, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), (start, steps, perColumn) => {
        let whole = board(start.map(([columnId, position], i) => card(`c${i}`, columnId, position)));
        let windowed = windowOf(whole, perColumn);
        let created = 0;
        for (const [n, step] of steps.entries()) {
          const live = whole.cards.toSorted((a, b) => a.id.localeCompare(b.id));
          let body: BoardEventBody | null = null;
          if (step.kind === 'create') body = { type: 'card_created', card: card(`n${created++}`, step.to, step.position) };
          else if (live.length > 0) {
            const target = live[('card' in step ? step.card : 0) % live.length] as CardDTO;
            if (step.kind === 'move') body = { type: 'card_moved', cardId: target.id, fromColumnId: target.columnId, toColumnId: step.to, position: step.position, backward: false };
            else if (step.kind === 'delete') body = { type: 'card_deleted', cardId: target.id, columnId: target.columnId };
            else body = { type: 'card_updated', cardId: target.id, changes: { title: `t${n}` } };
          }
          if (!body) continue;
          whole = applyEvent(whole, event(body, n + 2));
          windowed = applyEvent(windowed, event(body, n + 2));
          // Stale: the client joins again and gets a fresh window; nothing more to check of this one.
          if (windowed.window?.stale) return;
          expectWindowOf(windowed, whole);
        }
      }),
      { numRuns: 500 },
    );
  });
});
