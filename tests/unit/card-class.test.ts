import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardClass } from '../../components/board/CardFace';
import { CARD_TYPES, type CardDTO } from '../../lib/shared/domain/types';
import { card } from './client-fixtures';

const classesOf = (name: string) => name.split(' ').filter(Boolean);

/** The stylesheet the classes are drawn from (see "Cards" in app/globals.css). */
const css = readFileSync(new URL('../../app/globals.css', import.meta.url), 'utf8');
const hasRule = (selector: string) => new RegExp(`${selector.replaceAll('.', '\\.')}\\s*\\{`).test(css);

describe('a card box names its type and its state, and nothing else', () => {
  const plain: CardDTO = card('c1', 'develop', 'a0');

  it('a plain card is a card of its type', () => {
    expect(classesOf(cardClass(plain, undefined))).toEqual(['card', 'type-feature']);
    for (const type of CARD_TYPES) expect(classesOf(cardClass({ ...plain, type }, undefined))).toEqual(['card', `type-${type}`]);
  });

  it('blocked, being moved by someone else and lifted each add their own class, in any combination', () => {
    for (const blocked of [false, true])
      for (const movingBy of [undefined, 'Bob'])
        for (const lifted of [false, true]) {
          const classes = classesOf(cardClass({ ...plain, type: 'defect', blocked }, movingBy, lifted));
          expect(classes.slice(0, 2)).toEqual(['card', 'type-defect']);
          expect(classes.includes('is-blocked')).toBe(blocked);
          expect(classes.includes('is-moving')).toBe(movingBy !== undefined);
          expect(classes.includes('is-lifted')).toBe(lifted);
          expect(new Set(classes).size).toBe(classes.length);
          expect(classes).toHaveLength(2 + Number(blocked) + Number(movingBy !== undefined) + Number(lifted));
        }
  });

  it('nobody moving it (an empty name included) and not lifted is the default', () => {
    expect(cardClass(plain, undefined)).toBe(cardClass(plain, undefined, false));
    expect(classesOf(cardClass(plain, ''))).not.toContain('is-moving');
  });

  it('every class a card can get has a rule in the stylesheet: a new card type cannot go uncoloured', () => {
    for (const type of CARD_TYPES) expect(hasRule(`.type-${type}`), `.type-${type}`).toBe(true);
    for (const state of ['is-blocked', 'is-moving', 'is-lifted']) expect(hasRule(`.card.${state}`), `.card.${state}`).toBe(true);
    expect(hasRule('.card')).toBe(true);
    // The card dialog colours its chosen type with `type-<type> type-chip`.
    expect(hasRule('.type-chip')).toBe(true);
  });
});
