import { describe, expect, it } from 'vitest';
import { cardMatcher, filterParams, isFiltering, NO_FILTER, parseFilter, UNASSIGNED, urlWithFilter, type BoardFilter } from '../../lib/client/boardFilter';
import { applyEvent } from '../../lib/shared/domain/apply';
import { AVATAR_COLOURS, avatarColourOf, contrastWithWhite, initialsOf, personWipLimitMessage } from '../../lib/shared/domain/people';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { cardOf } from './client-fixtures';
import { pullRefusal } from '../../lib/client/boardView';

const cards: CardDTO[] = [
  cardOf({ id: 'a', columnId: 'dev', title: 'Café menu redesign', assigneeIds: ['ana'], type: 'feature' }),
  cardOf({ id: 'b', columnId: 'dev', title: 'Login outage', assigneeIds: ['ana', 'ben'], type: 'incident', blocked: true, blockedReason: 'vendor' }),
  cardOf({ id: 'c', columnId: 'test', title: 'Fix the menu crash', assigneeIds: [], type: 'defect', defectCount: 2 }),
  cardOf({ id: 'd', columnId: 'test', title: 'Upgrade Node', assigneeIds: ['ben'], type: 'chore' }),
];

const shown = (filter: Partial<BoardFilter>, aging: readonly string[] = []) => {
  const match = cardMatcher({ ...NO_FILTER, ...filter }, (c) => aging.includes(c.id));
  return match === null ? null : cards.filter(match).map((c) => c.id);
};

describe('board filters', () => {
  it('no filter set: no test at all (every card shows)', () => {
    expect(shown({})).toBeNull();
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(shown({ q: '   ' })).toBeNull();
  });

  it('by person, and "unassigned" for cards with nobody on them', () => {
    expect(shown({ person: 'ana' })).toEqual(['a', 'b']);
    expect(shown({ person: 'ben' })).toEqual(['b', 'd']);
    expect(shown({ person: UNASSIGNED })).toEqual(['c']);
    expect(shown({ person: 'nobody-here' })).toEqual([]);
  });

  it('by type, blocked, aging and defects, all of them together when several are set', () => {
    expect(shown({ type: 'incident' })).toEqual(['b']);
    expect(shown({ blocked: true })).toEqual(['b']);
    expect(shown({ defects: true })).toEqual(['c']);
    expect(shown({ aging: true }, ['a', 'd'])).toEqual(['a', 'd']);
    expect(shown({ aging: true, person: 'ben' }, ['a', 'd'])).toEqual(['d']);
    expect(shown({ person: 'ana', blocked: true })).toEqual(['b']);
  });

  it('free text over titles: every word, any case, accents ignored', () => {
    expect(shown({ q: 'menu' })).toEqual(['a', 'c']);
    expect(shown({ q: 'CAFE' })).toEqual(['a']);
    expect(shown({ q: 'menu crash' })).toEqual(['c']);
    expect(shown({ q: 'crash menu' })).toEqual(['c']);
    expect(shown({ q: 'vendor' })).toEqual([]);
  });

  it('round-trips through search params, ignoring what it does not know', () => {
    const filter: BoardFilter = { q: 'menu crash', person: UNASSIGNED, type: 'defect', blocked: true, aging: true, defects: true };
    expect(parseFilter(filterParams(filter))).toEqual(filter);
    expect(filterParams(filter).toString()).toBe('q=menu+crash&person=none&type=defect&blocked=1&aging=1&defects=1');
    expect(parseFilter(new URLSearchParams('type=bogus&blocked=yes&person=' + 'x'.repeat(65)))).toEqual(NO_FILTER);
    expect(parseFilter({ person: ['ana', 'ben'], aging: 'true' })).toEqual({ ...NO_FILTER, person: 'ana', aging: true });
    expect(urlWithFilter('http://h/boards/b?person=x&keep=1#top', { ...NO_FILTER, q: 'a' })).toBe('/boards/b?keep=1&q=a#top');
    expect(urlWithFilter('http://h/boards/b?person=x', NO_FILTER)).toBe('/boards/b');
  });
});

describe('avatars', () => {
  it('initials: first letters of the first and last words', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('ana maria de lima')).toBe('AL');
    expect(initialsOf('Ben')).toBe('B');
    expect(initialsOf('  ')).toBe('?');
    expect(initialsOf('jo.smith@example.org')).toBe('JO');
    expect(initialsOf('Émile Zola')).toBe('ÉZ');
  });

  it('a stable colour per account, every one AA against white text', () => {
    expect(avatarColourOf('user-1')).toBe(avatarColourOf('user-1'));
    for (const colour of AVATAR_COLOURS) expect(contrastWithWhite(colour), colour).toBeGreaterThanOrEqual(4.5);
    // Spread: 200 ids use most of the palette.
    const used = new Set(Array.from({ length: 200 }, (_, i) => avatarColourOf(`account-${i}`)));
    expect(used.size).toBeGreaterThanOrEqual(AVATAR_COLOURS.length - 1);
  });
});

describe('people in the fold', () => {
  it('the per-person limit is on the snapshot only while set; a card from before assignees has none', () => {
    const empty: BoardSnapshot = { id: 'b1', name: '', version: 0, createdAt: '', columns: [], lanes: [], cards: [] };
    const at = '2026-01-01T00:00:00.000Z';
    const base = { boardId: 'b1', actor: 'x', at };
    const set = applyEvent(empty, { ...base, version: 1, type: 'person_wip_limit_set', personWipLimit: 2 });
    expect(set.personWipLimit).toBe(2);
    const cleared = applyEvent(set, { ...base, version: 2, type: 'person_wip_limit_set', personWipLimit: null });
    expect('personWipLimit' in cleared).toBe(false);
    const { assigneeIds: _none, ...old } = cardOf({ id: 'x', columnId: 'dev' });
    const created = applyEvent(cleared, { ...base, version: 3, type: 'card_created', card: old as CardDTO });
    expect(created.cards[0]?.assigneeIds).toEqual([]);
    const assigned = applyEvent(created, { ...base, version: 4, type: 'card_updated', cardId: 'x', changes: { assigneeIds: ['ana'] } });
    expect(assigned.cards[0]?.assigneeIds).toEqual(['ana']);
    expect(personWipLimitMessage('Ana Lima', 1, 1)).toBe('Ana Lima already holds 1 card in progress (limit 1)');
  });
});

describe('the per-person rule as a drag foresees it', () => {
  const columns = ['backlog', 'dev', 'test', 'done'].map((id) => ({ id, boardId: 'b1', name: id, wipLimit: null, defectsReturned: 0, split: false }));
  const base: BoardSnapshot = {
    id: 'b1',
    name: 'b',
    version: 1,
    createdAt: '',
    columns,
    lanes: [],
    personWipLimit: 1,
    people: [{ id: 'ana', name: 'Ana Lima', member: true }],
    cards: [
      cardOf({ id: 'held', columnId: 'test', assigneeIds: ['ana'] }),
      cardOf({ id: 'waiting', columnId: 'backlog', assigneeIds: ['ana'] }),
      cardOf({ id: 'finished', columnId: 'done', assigneeIds: ['ana'] }),
      cardOf({ id: 'free', columnId: 'backlog' }),
    ],
  };
  it('refuses a card of a person at their limit entering progress from the first or last work center, naming them', () => {
    expect(pullRefusal(base, 'waiting', 'dev')).toBe('Ana Lima already holds 1 card in progress (limit 1)');
    expect(pullRefusal(base, 'finished', 'test')).toBe('Ana Lima already holds 1 card in progress (limit 1)');
  });
  it('lets through moves within progress, out of it, cards with nobody on them, and any move without a limit', () => {
    expect(pullRefusal(base, 'held', 'dev')).toBeNull();
    expect(pullRefusal(base, 'held', 'done')).toBeNull();
    expect(pullRefusal(base, 'free', 'dev')).toBeNull();
    expect(pullRefusal(base, 'waiting', 'done')).toBeNull();
    const { personWipLimit: _limit, ...unlimited } = base;
    expect(pullRefusal(unlimited, 'waiting', 'dev')).toBeNull();
  });
});
