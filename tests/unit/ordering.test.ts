import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePositioned, keyBetween, positionBefore, sortByPosition, type Positioned } from '../../lib/shared/domain/ordering';

const ids = (items: readonly Positioned[]) => items.map((i) => i.id);

describe('order keys', () => {
  it('cards sort by position, ties broken by id', () => {
    const cards = [
      { id: 'b', position: 'a1' },
      { id: 'c', position: 'a0' },
      { id: 'a', position: 'a1' },
    ];
    expect(ids(sortByPosition(cards))).toEqual(['c', 'a', 'b']);
    expect(comparePositioned({ id: 'x', position: 'a0' }, { id: 'x', position: 'a0' })).toBe(0);
  });

  it('keys compare by code unit, not by locale (uppercase digits sort before lowercase ones)', () => {
    // fractional-indexing's digits are 0-9A-Za-z in that order; localeCompare would put 'a' before 'B'.
    expect(ids(sortByPosition([{ id: '1', position: 'a0a' }, { id: '2', position: 'a0B' }]))).toEqual(['2', '1']);
  });

  it('sorting leaves its input untouched', () => {
    const cards = [
      { id: 'b', position: 'a1' },
      { id: 'a', position: 'a0' },
    ];
    const copy = structuredClone(cards);
    sortByPosition(cards);
    expect(cards).toEqual(copy);
  });

  it('a key between two neighbours sorts strictly between them', () => {
    const first = keyBetween(null, null);
    const last = keyBetween(first, null);
    const middle = keyBetween(first, last);
    expect(first < middle && middle < last).toBe(true);
    expect(keyBetween(null, first) < first).toBe(true);
  });

  it('equal or inverted neighbours (a tie) give a key after both instead of throwing', () => {
    expect(keyBetween('a1', 'a1') > 'a1').toBe(true);
    expect(keyBetween('a2', 'a1') > 'a2').toBe(true);
  });
});

describe('positionBefore', () => {
  const column = [
    { id: 'c2', position: 'a1' },
    { id: 'c1', position: 'a0' },
    { id: 'c3', position: 'a2' },
  ];
  const placed = (key: string | null, movingId = 'new') => {
    if (key === null) throw new Error('expected a key');
    return ids(sortByPosition([...column.filter((c) => c.id !== movingId), { id: movingId, position: key }]));
  };

  it('places a card at the end when there is no card to go before', () => {
    expect(placed(positionBefore(column, null, null))).toEqual(['c1', 'c2', 'c3', 'new']);
    expect(positionBefore([], null, null)).toEqual(expect.any(String));
  });

  it('places a card right before the given card, whatever the order of the input', () => {
    expect(placed(positionBefore(column, 'c1', null))).toEqual(['new', 'c1', 'c2', 'c3']);
    expect(placed(positionBefore(column, 'c2', null))).toEqual(['c1', 'new', 'c2', 'c3']);
    expect(placed(positionBefore(column, 'c3', null))).toEqual(['c1', 'c2', 'new', 'c3']);
  });

  it('ignores the moving card itself when it is already in the column (a reorder)', () => {
    expect(placed(positionBefore(column, 'c1', 'c3'), 'c3')).toEqual(['c3', 'c1', 'c2']);
    expect(placed(positionBefore(column, null, 'c1'), 'c1')).toEqual(['c2', 'c3', 'c1']);
  });

  it('returns null when the card to go before is not in the column (or is the moving card)', () => {
    expect(positionBefore(column, 'elsewhere', null)).toBeNull();
    expect(positionBefore(column, 'c2', 'c2')).toBeNull();
  });
});

type Op = { kind: 'insert'; at: number } | { kind: 'move'; from: number; to: number };

describe('ordering properties', () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }) },
  );

  it('any sequence of inserts and moves at random places yields distinct keys, strictly increasing in the intended order', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => {
        // The intended order (the model) and the stored rows, kept in insertion order, not sorted.
        let intended: string[] = [];
        const rows = new Map<string, string>();
        let next = 0;
        for (const o of ops) {
          const column = [...rows].map(([id, position]) => ({ id, position }));
          if (o.kind === 'insert' || intended.length === 0) {
            const at = (o.kind === 'insert' ? o.at : 0) % (intended.length + 1);
            const id = `card-${next++}`;
            const key = positionBefore(column, intended[at] ?? null, null);
            if (key === null) return false;
            rows.set(id, key);
            intended.splice(at, 0, id);
          } else {
            const moving = intended[o.from % intended.length] ?? '';
            const rest = intended.filter((id) => id !== moving);
            const at = o.to % (rest.length + 1);
            const key = positionBefore(column, rest[at] ?? null, moving);
            if (key === null) return false;
            rows.set(moving, key);
            rest.splice(at, 0, moving);
            intended = rest;
          }
          const keys = intended.map((id) => rows.get(id) ?? '');
          for (let i = 1; i < keys.length; i++) expect((keys[i - 1] ?? '') < (keys[i] ?? '')).toBe(true);
          expect(ids(sortByPosition([...rows].map(([id, position]) => ({ id, position }))))).toEqual(intended);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('any two keys have a key strictly between them', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { minLength: 2, maxLength: 30 }), (steps) => {
        // Build real keys by appending, then pick two of them.
        const keys: string[] = [];
        for (let i = 0; i < steps.length; i++) keys.push(keyBetween(keys.at(-1) ?? null, null));
        const a = (steps[0] ?? 0) % (keys.length - 1);
        const b = a + 1 + ((steps[1] ?? 0) % (keys.length - a - 1));
        const lo = keys[a] ?? '';
        const hi = keys[b] ?? '';
        const k = keyBetween(lo, hi);
        return lo < k && k < hi;
      }),
    );
  });

  it('cards sharing a key sort the same way whatever order they arrive in', () => {
    const cards = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), position: fc.constantFrom('a0', 'a1', 'a2') }), {
      selector: (c) => c.id,
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(
        cards.chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }))),
        ([original, shuffled]) => {
          expect(ids(sortByPosition(shuffled))).toEqual(ids(sortByPosition(original)));
        },
      ),
    );
  });
});
