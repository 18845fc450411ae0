import { describe, expect, it } from 'vitest';
import { beforeCardAt, placeCard, placementOf, samePlacement } from '../../lib/client/dragPreview';

const lists = () =>
  new Map([
    ['design', ['a', 'b']],
    ['develop', ['c', 'd', 'e']],
    ['test', []],
  ]);

describe('a dragged card is previewed where it would land', () => {
  it('only the dragged card moves; every other card keeps its place', () => {
    const next = placeCard(lists(), 'a', { columnId: 'develop', beforeCardId: 'd' });
    expect(next.get('design')).toEqual(['b']);
    expect(next.get('develop')).toEqual(['c', 'a', 'd', 'e']);
  });

  it('a card placed before nothing goes to the end, also in an empty work center', () => {
    expect(placeCard(lists(), 'a', { columnId: 'test', beforeCardId: null }).get('test')).toEqual(['a']);
  });

  it('a card whose anchor vanished mid-drag goes to the end rather than disappearing', () => {
    expect(placeCard(lists(), 'a', { columnId: 'develop', beforeCardId: 'zz' }).get('develop')).toEqual(['c', 'd', 'e', 'a']);
  });

  it('the placement of a card names the card after it', () => {
    expect(placementOf(lists(), 'd')).toEqual({ columnId: 'develop', beforeCardId: 'e' });
    expect(placementOf(lists(), 'e')).toEqual({ columnId: 'develop', beforeCardId: null });
    expect(placementOf(lists(), 'nope')).toBeNull();
  });

  const slots = [
    { id: 'c', middle: 20 },
    { id: 'd', middle: 60 },
    { id: 'e', middle: 100 },
  ];

  it('a card whose middle is above the middle of another lands before it', () => {
    expect(beforeCardAt(slots, 'a', 10)).toBe('c');
    expect(beforeCardAt(slots, 'a', 59)).toBe('d');
  });

  it('a card below every other card lands at the end, also in an empty work center', () => {
    expect(beforeCardAt(slots, 'a', 101)).toBeNull();
    expect(beforeCardAt([], 'a', 0)).toBeNull();
  });

  it('the dragged card is not its own anchor: dragged down past the next card, it lands after it', () => {
    expect(beforeCardAt(slots, 'c', 15)).toBe('d');
    expect(beforeCardAt(slots, 'c', 61)).toBe('e');
    expect(beforeCardAt(slots, 'e', 99)).toBeNull();
  });

  it('dropping where it started is no move', () => {
    const origin = placementOf(lists(), 'c');
    expect(samePlacement(origin, { columnId: 'develop', beforeCardId: beforeCardAt(slots, 'c', 20) })).toBe(true);
  });
});
