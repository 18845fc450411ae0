import { describe, expect, it } from 'vitest';
import { cardKeyOf, defaultKeyPrefix, isCardKey, KEY_PREFIX_PATTERN, keyPrefixOf, keysIn, parseCardKey } from '../../lib/shared/domain/keys';
import { applyEvent } from '../../lib/shared/domain/apply';
import { schemas } from '../../lib/shared/protocol';
import { board, cardOf, event } from './client-fixtures';

describe('card keys', () => {
  it('a key is a prefix and a number, in any case; a card id (a UUID) is never read as one', () => {
    expect(parseCardKey('PAY-42')).toEqual({ prefix: 'PAY', number: 42 });
    expect(parseCardKey('pay-7')).toEqual({ prefix: 'PAY', number: 7 });
    for (const notKey of ['PAY-0', 'PAY-042', 'P-1', '1PAY-1', 'PAY42', 'PAY-', 'ABCDEFGHIJK-1', 'PAY-1 ', '0b1c2d3e-89ab-4cde-8f01-23456789abcd', 'a1b2c3d4-0000-4000-8000-000000000001']) {
      expect(isCardKey(notKey), notKey).toBe(false);
    }
  });

  it('the default prefix comes from the name: three letters of one word, initials of several', () => {
    expect(defaultKeyPrefix('Payments')).toBe('PAY');
    expect(defaultKeyPrefix('Mobile Payments Team')).toBe('MPT');
    expect(defaultKeyPrefix('Ödeme')).toBe('ODE');
    expect(defaultKeyPrefix('2026 roadmap')).toBe('ROA');
    expect(defaultKeyPrefix('!!!')).toBe('BOARD');
    for (const name of ['A', 'x y', 'Q', '42', 'Ünïcödé board', 'a-b-c']) expect(defaultKeyPrefix(name), name).toMatch(KEY_PREFIX_PATTERN);
  });

  it('keys in a text: the board\'s prefix only, in any case, not glued to other letters or digits', () => {
    expect(keysIn('PAY-42: checkout retries', 'PAY')).toEqual([42]);
    expect(keysIn('feature/pay-7-receipts', 'PAY')).toEqual([7]);
    expect(keysIn('Fixes PAY-1 and PAY-2, also PAY-1 again', 'PAY')).toEqual([1, 2]);
    expect(keysIn('XPAY-3 PAY-421x OPS-5 PAY-0', 'PAY')).toEqual([]);
  });

  it('a card shows its key once numbered; the prefix setting wins over the name', () => {
    expect(cardKeyOf({ name: 'Payments' }, { number: 42 })).toBe('PAY-42');
    expect(cardKeyOf({ name: 'Payments', keyPrefix: 'BILL' }, { number: 42 })).toBe('BILL-42');
    expect(cardKeyOf({ name: 'Payments' }, { number: 0 })).toBe('');
    expect(keyPrefixOf({ name: 'Payments', keyPrefix: 'PAYM' })).toBe('PAYM');
  });

  it('the prefix setting is written in capitals and refused when it breaks the rule', () => {
    expect(schemas.boardConfigure.parse({ boardId: 'b', keyPrefix: ' paym ' }).keyPrefix).toBe('PAYM');
    for (const bad of ['P', '1AB', 'PAY-', 'ABCDEFGHIJK', 'PÄY']) expect(schemas.boardConfigure.safeParse({ boardId: 'b', keyPrefix: bad }).success, bad).toBe(false);
  });

  it('the fold: a rename keeps the prefix the old name gave, key_prefix_set sets it, a refusal shows on the card until its next move', () => {
    const start = { ...board(1), name: 'Payments' };
    const renamed = applyEvent(start, event(2, { type: 'board_renamed', name: 'Billing' }));
    expect(keyPrefixOf(renamed)).toBe('PAY');
    expect(applyEvent(renamed, event(3, { type: 'key_prefix_set', keyPrefix: 'BIL' })).keyPrefix).toBe('BIL');
    const withCard = { ...start, cards: [cardOf({ id: 'c1', columnId: 'design', number: 7 })] };
    const refused = applyEvent(withCard, event(2, { type: 'card_automation_refused', cardId: 'c1', hookName: 'CI', toColumnId: 'develop', code: 'WIP_LIMIT', message: 'full' }));
    expect(refused.cards[0]?.automationRefusal).toEqual({ hookName: 'CI', toColumnId: 'develop', code: 'WIP_LIMIT', message: 'full', at: expect.any(String) });
    const moved = applyEvent(refused, event(3, { type: 'card_moved', cardId: 'c1', fromColumnId: 'design', toColumnId: 'test', position: 'a1', backward: false }));
    expect(moved.cards[0]).not.toHaveProperty('automationRefusal');
    // An old log's card_created without a number folds to 0 (no key shown), not undefined.
    const { number: _n, ...old } = cardOf({ id: 'c2', columnId: 'design' });
    expect(applyEvent(start, event(2, { type: 'card_created', card: old as never })).cards.at(-1)?.number).toBe(0);
  });
});

describe('keys read back from a file', () => {
  it('an export\'s Key column is kept when every item has one key of one prefix, each number once', async () => {
    const { keysOfFile } = await import('../../lib/shared/domain/keys');
    expect(keysOfFile(['PAY-3', 'pay-1', 'PAY-7'])).toEqual({ prefix: 'PAY', numbers: [3, 1, 7] });
    expect(keysOfFile(['PAY-3', undefined])).toBeNull();
    expect(keysOfFile(['PAY-3', 'OPS-4'])).toBeNull();
    expect(keysOfFile(['PAY-3', 'PAY-3'])).toBeNull();
    expect(keysOfFile(['not a key'])).toBeNull();
    expect(keysOfFile([])).toBeNull();
  });
});

describe('the board search finds a card by its key', () => {
  it('"PAY-42", "pay-42", "42" and "#42" find PAY-42; "4" and "PAY-4" do not; titles still match', async () => {
    const { cardMatcher, NO_FILTER } = await import('../../lib/client/boardFilter');
    const card = cardOf({ id: 'c42', columnId: 'develop', number: 42, title: 'Checkout retries' });
    const finds = (q: string) => cardMatcher({ ...NO_FILTER, q }, () => false, 'PAY')?.(card);
    for (const q of ['PAY-42', 'pay-42', '42', '#42', 'checkout', 'PAY-42 retries']) expect(finds(q), q).toBe(true);
    for (const q of ['4', 'PAY-4', 'PAY-420', 'OPS-42', 'PAY-42 missing']) expect(finds(q), q).toBe(false);
  });
});

describe('announcing a refused automated move', () => {
  it('a screen reader hears that the hook could not move the card, and why', async () => {
    const { remoteChangeMessage } = await import('../../lib/client/announce');
    const b = { ...board(1), cards: [cardOf({ id: 'c1', columnId: 'design', title: 'Retries' })] };
    const e = { ...event(2, { type: 'card_automation_refused', cardId: 'c1', hookName: 'GitHub CI', toColumnId: 'develop', code: 'WIP_LIMIT', message: 'Develop is at its WIP limit (2 of 2)' }), actor: 'GitHub CI', actorId: null };
    expect(remoteChangeMessage(e, b, 'someone')).toBe('GitHub CI could not move Retries to Develop: Develop is at its WIP limit (2 of 2)');
  });
});
