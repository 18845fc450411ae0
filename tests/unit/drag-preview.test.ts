import { describe, expect, it } from 'vitest';
import { beforeAfterReorder, placeCard, placementOf, samePlacement } from '../../lib/client/dragPreview';

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

  it('reordering down a column lands after the card it is over', () => {
    expect(beforeAfterReorder(['c', 'd', 'e'], 'c', 'd')).toBe('e');
    expect(beforeAfterReorder(['c', 'd', 'e'], 'c', 'e')).toBeNull();
  });

  it('reordering up a column lands before the card it is over', () => {
    expect(beforeAfterReorder(['c', 'd', 'e'], 'e', 'c')).toBe('c');
  });

  it('dropping where it started is no move', () => {
    const origin = placementOf(lists(), 'c');
    expect(samePlacement(origin, { columnId: 'develop', beforeCardId: beforeAfterReorder(['c', 'd', 'e'], 'c', 'c') })).toBe(true);
  });
});
