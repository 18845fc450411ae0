import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/shared/domain/errors';
import { assertColumnEmpty, assertRoomFor, cardMovedEvent, isBackwardMove, isBackwardStep, requireReason, wipLimitMessage, type RuleColumn } from '../../lib/shared/domain/rules';

const test: RuleColumn = { id: 'test', name: 'Test', wipLimit: 3 };
const unlimited: RuleColumn = { id: 'done', name: 'Done', wipLimit: null };

/** Runs `fn` and returns the DomainError it throws. */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but it was allowed');
}

describe('WIP limits', () => {
  it('a pull into a column under its limit is allowed', () => {
    expect(() => assertRoomFor(test, 0, false)).not.toThrow();
    expect(() => assertRoomFor(test, 2, false)).not.toThrow();
  });

  it('a pull into a full column is refused with WIP_LIMIT, naming the column and its limit', () => {
    const error = refusal(() => assertRoomFor(test, 3, false));
    expect(error.code).toBe('WIP_LIMIT');
    expect(error.message).toBe('Test is at its WIP limit (3 of 3): finish or move a card out first');
  });

  it('a column over its limit (the limit was lowered) refuses pulls too', () => {
    expect(refusal(() => assertRoomFor(test, 5, false)).message).toBe('Test is at its WIP limit (5 of 3): finish or move a card out first');
  });

  it('reordering inside a column is never a pull, even when it is full or over', () => {
    expect(() => assertRoomFor(test, 3, true)).not.toThrow();
    expect(() => assertRoomFor(test, 9, true)).not.toThrow();
  });

  it('a column without a limit takes any number of cards', () => {
    expect(() => assertRoomFor(unlimited, 10_000, false)).not.toThrow();
  });

  it('for every limit and count, a pull is allowed exactly when the count is under the limit', () => {
    fc.assert(
      // Counts are drawn around the limit, where an off-by-one would show.
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: -3, max: 3 }), (limit, offset) => {
        const count = Math.max(0, limit + offset);
        const allowed = (() => {
          try {
            assertRoomFor({ id: 'c', name: 'C', wipLimit: limit }, count, false);
            return true;
          } catch {
            return false;
          }
        })();
        return allowed === count < limit;
      }),
    );
  });

  it('the message is the one the UI and the API show', () => {
    expect(wipLimitMessage({ id: 'd', name: 'Deploy', wipLimit: 2 }, 2)).toBe('Deploy is at its WIP limit (2 of 2): finish or move a card out first');
  });
});

describe('backward moves', () => {
  const order = ['concept', 'develop', 'test', 'done'];

  it('a move to a column on the left is backward; to the right or the same column it is not', () => {
    expect(isBackwardMove(order, 'test', 'develop')).toBe(true);
    expect(isBackwardMove(order, 'done', 'concept')).toBe(true);
    expect(isBackwardStep(3, 2)).toBe(true);
    expect(isBackwardStep(2, 3)).toBe(false);
    expect(isBackwardStep(2, 2)).toBe(false);
    expect(isBackwardMove(order, 'develop', 'test')).toBe(false);
    expect(isBackwardMove(order, 'test', 'test')).toBe(false);
  });

  it('a column that is not on the board is NOT_FOUND', () => {
    expect(refusal(() => isBackwardMove(order, 'nowhere', 'test')).code).toBe('NOT_FOUND');
    expect(refusal(() => isBackwardMove(order, 'test', 'nowhere')).code).toBe('NOT_FOUND');
  });

  it('a backward move without a reason, or with a blank one, is refused with REASON_REQUIRED', () => {
    for (const reason of [undefined, null, '', '   ', '\n\t']) {
      const error = refusal(() => requireReason(true, reason));
      expect(error.code).toBe('REASON_REQUIRED');
      expect(error.message).toBe('Moving a card backward passes a defect downstream: give the reason it is going back');
    }
  });

  it('the reason of a backward move is kept trimmed', () => {
    expect(requireReason(true, '  Fails the load test \n')).toBe('Fails the load test');
  });

  it('a forward move needs no reason; a given one is trimmed, a blank one dropped', () => {
    expect(requireReason(false, undefined)).toBeNull();
    expect(requireReason(false, '   ')).toBeNull();
    expect(requireReason(false, ' note ')).toBe('note');
  });
});

describe('removing a column', () => {
  it('an empty column may be removed', () => {
    expect(() => assertColumnEmpty(test, 0)).not.toThrow();
  });

  it('a column holding cards cannot be removed (CONFLICT, saying how many)', () => {
    const one = refusal(() => assertColumnEmpty(test, 1));
    expect(one.code).toBe('CONFLICT');
    expect(one.message).toBe('Test still holds 1 card: move them out before removing it');
    expect(refusal(() => assertColumnEmpty(test, 4)).message).toBe('Test still holds 4 cards: move them out before removing it');
  });
});

describe('the event a move is recorded as', () => {
  const move = { cardId: 'c1', fromColumnId: 'test', toColumnId: 'develop', position: 'a0', reason: 'Fails the load test' };

  it('a backward move carries its defect: the reason, where it was found and where it went back to', () => {
    expect(cardMovedEvent({ ...move, backward: true })).toEqual({
      type: 'card_moved',
      cardId: 'c1',
      fromColumnId: 'test',
      toColumnId: 'develop',
      position: 'a0',
      backward: true,
      reason: 'Fails the load test',
      detectedAtColumnId: 'test',
      returnedToColumnId: 'develop',
    });
  });

  it('a forward move carries no defect fields at all, whatever reason came with it', () => {
    const event = cardMovedEvent({ ...move, fromColumnId: 'develop', toColumnId: 'test', backward: false });
    expect(event).toEqual({ type: 'card_moved', cardId: 'c1', fromColumnId: 'develop', toColumnId: 'test', position: 'a0', backward: false });
    for (const field of ['reason', 'detectedAtColumnId', 'returnedToColumnId']) expect(Object.hasOwn(event, field), field).toBe(false);
  });
});
