import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../lib/shared/domain/blocked';
import type { CardDTO } from '../../lib/shared/domain/types';
import {
  ageAgainstPercentiles,
  assigneesOf,
  blockerLine,
  doneCards,
  emptyStandup,
  followState,
  isNewer,
  peopleWalk,
  readClock,
  standupSchemas,
  stepCard,
  stepStop,
  walkOf,
} from '../../lib/shared/standup';
import { cardOf, column } from './client-fixtures';

const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
const columns = [column('backlog'), column('develop'), column('review'), column('done')];
const withAssignees = (card: CardDTO, ids: string[]): CardDTO => ({ ...card, assigneeIds: ids });

describe('the standup walk', () => {
  it('walks the work centers right to left and leaves the last one (Done) out of the walk', () => {
    const walk = walkOf({ columns, cards: [] });
    expect(walk.map((s) => s.column.id)).toEqual(['review', 'develop', 'backlog']);
  });

  it('puts blocked cards first, then the oldest first, ties by id', () => {
    const cards = [
      cardOf({ id: 'young', columnId: 'develop', createdAt: day(9) }),
      cardOf({ id: 'old', columnId: 'develop', createdAt: day(2) }),
      cardOf({ id: 'blocked-young', columnId: 'develop', createdAt: day(8), blocked: true }),
      cardOf({ id: 'blocked-old', columnId: 'develop', createdAt: day(3), blocked: true }),
      cardOf({ id: 'b-twin', columnId: 'develop', createdAt: day(5) }),
      cardOf({ id: 'a-twin', columnId: 'develop', createdAt: day(5) }),
      cardOf({ id: 'elsewhere', columnId: 'review', createdAt: day(1) }),
    ];
    const develop = walkOf({ columns, cards }).find((s) => s.column.id === 'develop');
    expect(develop?.cards.map((c) => c.id)).toEqual(['blocked-old', 'blocked-young', 'old', 'a-twin', 'b-twin', 'young']);
  });

  it('measures age from the start it is given (the commitment point), not only creation', () => {
    const cards = [cardOf({ id: 'x', columnId: 'review', createdAt: day(1) }), cardOf({ id: 'y', columnId: 'review', createdAt: day(2) })];
    const committed = new Map([['x', Date.parse(day(9))], ['y', Date.parse(day(4))]]);
    const review = walkOf({ columns, cards }, (c) => committed.get(c.id) ?? Date.parse(c.createdAt))[0];
    expect(review?.cards.map((c) => c.id)).toEqual(['y', 'x']);
  });

  it('lists Done newest arrival first', () => {
    const cards = [
      cardOf({ id: 'first', columnId: 'done', enteredColumnAt: day(1) }),
      cardOf({ id: 'last', columnId: 'done', enteredColumnAt: day(7) }),
      cardOf({ id: 'middle', columnId: 'done', enteredColumnAt: day(4) }),
    ];
    expect(doneCards(cards).map((c) => c.id)).toEqual(['last', 'middle', 'first']);
  });

  it('steps between work centers and cards, clamped at the ends', () => {
    const walk = walkOf({ columns, cards: [] }).map((s) => s.column.id);
    expect(stepStop(walk, 'review', 1)).toBe('develop');
    expect(stepStop(walk, 'backlog', 1)).toBe('backlog');
    expect(stepStop(walk, 'review', -1)).toBe('review');
    expect(stepStop(walk, null, 1)).toBe('review');
    const cards = [cardOf({ id: 'a', columnId: 'x' }), cardOf({ id: 'b', columnId: 'x' })];
    expect(stepCard(cards, null, 1)).toBe('a');
    expect(stepCard(cards, null, -1)).toBe('b');
    expect(stepCard(cards, 'a', 1)).toBe('b');
    expect(stepCard(cards, 'b', 1)).toBe('b');
    expect(stepCard([], null, 1)).toBeNull();
  });
});

describe('the people walk', () => {
  it('has no assignees for a card of an older snapshot without the field', () => {
    const { assigneeIds: _, ...old } = cardOf({ id: 'a', columnId: 'x' });
    expect(assigneesOf(old as CardDTO)).toEqual([]);
  });

  it('groups the cards in progress per person by name, oldest first, the unassigned last, Done left out', () => {
    const people = [
      { id: 'u-zoe', name: 'Zoe' },
      { id: 'u-ada', name: 'Ada' },
      { id: 'u-idle', name: 'Idle' },
    ];
    const cards = [
      withAssignees(cardOf({ id: 'pair', columnId: 'develop', createdAt: day(3) }), ['u-zoe', 'u-ada']),
      withAssignees(cardOf({ id: 'ada-old', columnId: 'review', createdAt: day(1) }), ['u-ada']),
      withAssignees(cardOf({ id: 'zoe-blocked', columnId: 'backlog', createdAt: day(6), blocked: true }), ['u-zoe']),
      withAssignees(cardOf({ id: 'ada-done', columnId: 'done', createdAt: day(1) }), ['u-ada']),
      withAssignees(cardOf({ id: 'stranger', columnId: 'develop', createdAt: day(2) }), ['u-gone']),
      cardOf({ id: 'nobody', columnId: 'develop', createdAt: day(2) }),
      withAssignees(cardOf({ id: 'dup', columnId: 'develop', createdAt: day(8) }), ['u-ada', 'u-ada']),
    ];
    const walk = peopleWalk({ columns, cards }, people);
    expect(walk.map((s) => [s.person?.name ?? null, s.cards.map((c) => c.id)])).toEqual([
      ['Ada', ['ada-old', 'pair', 'dup']],
      ['u-gone', ['stranger']],
      ['Zoe', ['zoe-blocked', 'pair']],
      [null, ['nobody']],
    ]);
  });
});

describe('what a card says', () => {
  const p = { p50: 3, p85: 7, p95: 12 };
  it('compares an age since commitment with the cycle-time percentiles', () => {
    expect(ageAgainstPercentiles(9 * DAY_MS, true, p, 20)).toBe('9d · past 85th percentile (7d)');
    expect(ageAgainstPercentiles(13 * DAY_MS, true, p, 20)).toBe('13d · past 95th percentile (12d)');
    expect(ageAgainstPercentiles(2 * DAY_MS, true, p, 20)).toBe('2d · within 50th percentile (3d)');
  });
  it('gives the age alone without a sample, percentiles or commitment', () => {
    expect(ageAgainstPercentiles(9 * DAY_MS, true, p, 2)).toBe('9d');
    expect(ageAgainstPercentiles(9 * DAY_MS, false, p, 20)).toBe('9d');
    expect(ageAgainstPercentiles(9 * DAY_MS, true, null, 20)).toBe('9d');
  });
  it('says how long a card has been blocked and why', () => {
    const now = Date.parse(day(5));
    const blocked = cardOf({ id: 'b', columnId: 'x', blocked: true, blockedReason: 'vendor', blockedMs: DAY_MS, blockedSince: day(3) });
    expect(blockerLine(blocked, now)).toBe('Blocked 3d: vendor');
    expect(blockerLine(cardOf({ id: 'c', columnId: 'x' }), now)).toBeNull();
  });
});

describe('following and the clock', () => {
  const state = { presenter: { id: 's1', name: 'Ada' }, columnId: 'develop', cardId: 'c9' };
  it('a follower goes where the presenter is; one that stepped out stays', () => {
    expect(followState({ following: true, columnId: 'review', cardId: null }, state)).toEqual({ following: true, columnId: 'develop', cardId: 'c9' });
    const out = { following: false, columnId: 'review', cardId: null };
    expect(followState(out, state)).toBe(out);
    const alone = { following: true, columnId: 'review', cardId: null };
    expect(followState(alone, { ...state, presenter: null })).toBe(alone);
  });

  it('reads the whole standup and the work center against their budgets', () => {
    const s = { ...emptyStandup('b'), columnSince: 100_000, timer: { startedAt: 10_000, timeboxMs: 900_000, columnBudgetMs: 60_000 } };
    expect(readClock(s, 130_000)).toEqual({ totalMs: 120_000, columnMs: 30_000, overTimebox: false, overBudget: false });
    expect(readClock(s, 200_000).overBudget).toBe(true);
    expect(readClock(s, 1_000_000).overTimebox).toBe(true);
    expect(readClock(emptyStandup('b'), 5).totalMs).toBeNull();
  });

  it('orders states by seq, then time, then presenter', () => {
    const a = { ...emptyStandup('b'), seq: 5, at: 10 };
    expect(isNewer({ ...a, seq: 6 }, a)).toBe(true);
    expect(isNewer({ ...a, seq: 4, at: 99 }, a)).toBe(false);
    expect(isNewer({ ...a, at: 11 }, a)).toBe(true);
    expect(isNewer(a, undefined)).toBe(true);
  });

  it('refuses payloads that are not what the protocol says', () => {
    expect(standupSchemas.step.safeParse({ boardId: 'b', columnId: 'c', cardId: null }).success).toBe(true);
    expect(standupSchemas.step.safeParse({ boardId: 'b', columnId: 'c' }).success).toBe(false);
    expect(standupSchemas.step.safeParse({ boardId: 'b', columnId: '', cardId: null }).success).toBe(false);
    expect(standupSchemas.step.safeParse({ boardId: 'b', columnId: 'c', cardId: null, extra: 1 }).success).toBe(false);
    expect(standupSchemas.timer.safeParse({ boardId: 'b', action: 'start', timeboxMinutes: 0 }).success).toBe(false);
    expect(standupSchemas.timer.safeParse({ boardId: 'b', action: 'stop', timeboxMinutes: 5 }).success).toBe(false);
    expect(standupSchemas.timer.safeParse({ boardId: 'b', action: 'start', timeboxMinutes: 15 }).success).toBe(true);
  });
});
