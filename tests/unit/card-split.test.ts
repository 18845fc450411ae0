import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../lib/shared/domain/apply';
import { followWindow } from '../../lib/shared/domain/cardWindow';
import { isDomainError } from '../../lib/shared/domain/errors';
import { assertRoomForSplit, checkSplitTitles, childOf, defaultSplitTitles, type SplitRoom } from '../../lib/shared/domain/cardSplit';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { batchSize } from '../../lib/shared/flow/batch';
import type { FinishedCard, FlowData } from '../../lib/shared/flow/data';
import { foldEvent } from '../../lib/shared/flow/live';
import { replayFlow } from '../../lib/shared/flow/replay';
import { K } from '../../lib/shared/flow/replay';
import { schemas } from '../../lib/shared/protocol';
import { board, cardIn, cardOf, event } from './client-fixtures';

const AT = '2025-01-01T00:00:00.000Z';

function splitOf(b: BoardSnapshot, cardId: string, titles: string[], version = b.version + 1) {
  const parent = cardIn(b, cardId);
  if (!parent) throw new Error('no parent');
  const children = titles.map((t, i) => childOf(parent, `${cardId}-${i + 1}`, t, `${parent.position}${i + 1}`, AT));
  return event(version, { type: 'card_split', cardId, columnId: parent.columnId, children });
}

/** The refusal's message, or null when the split is allowed. */
function refusal(room: SplitRoom): string | null {
  try {
    assertRoomForSplit(room);
    return null;
  } catch (error) {
    if (isDomainError(error) && error.code === 'WIP_LIMIT') return error.message;
    throw error;
  }
}

const room = (over: Partial<SplitRoom> = {}): SplitRoom => ({
  parentTitle: 'Checkout',
  children: 3,
  column: { id: 'dev', name: 'Develop', wipLimit: null },
  columnCount: 1,
  inProgress: true,
  lane: { name: 'Standard', classOfService: 'standard', wipLimit: null, cellLimits: {} },
  laneInProgress: 1,
  cellCount: 1,
  personWipLimit: null,
  people: [],
  ...over,
});

describe('the fold of card_split', () => {
  it('takes the parent off the board and puts its children in its work center and lane, linked to it; a replay changes nothing', () => {
    const before = board();
    const e = splitOf(before, 'c2', ['Part one', 'Part two']);
    const after = applyEvent(before, e);
    expect(cardIn(after, 'c2')).toBeUndefined();
    expect(after.cards.filter((c) => c.parentId === 'c2').map((c) => [c.title, c.columnId, c.laneId, c.type])).toEqual([
      ['Part one', 'develop', 'lane-b1', 'feature'],
      ['Part two', 'develop', 'lane-b1', 'feature'],
    ]);
    expect(after.cards).toHaveLength(before.cards.length + 1);
    expect(after.version).toBe(e.version);
    expect(applyEvent(after, e).cards).toEqual(after.cards);
  });

  it('reads a card created before splits as made whole (parentId null)', () => {
    const { parentId: _dropped, ...old } = cardOf({ id: 'old', columnId: 'design' });
    const after = applyEvent(board(), event(6, { type: 'card_created', card: old as never }));
    expect(cardIn(after, 'old')?.parentId).toBeNull();
  });

  it('keeps a big board’s window true: one card became three in its work center; children past the sent part wait for “show more”', () => {
    const before: BoardSnapshot = { ...board(), window: { totals: { develop: 5 } } };
    const inside = splitOf(before, 'c2', ['a', 'b', 'c']);
    const after = followWindow(before, inside, applyEvent({ ...before, window: undefined }, inside));
    expect(after.window?.totals.develop).toBe(7);
    // c2 (a0) was before the last card sent (c3, a1): its children sit between them, inside the sent part.
    expect(after.cards.filter((c) => c.parentId === 'c2')).toHaveLength(3);
    const last = splitOf(before, 'c3', ['a', 'b']);
    const past = followWindow(before, last, applyEvent({ ...before, window: undefined }, last));
    expect(past.window?.totals.develop).toBe(6);
    expect(past.cards.filter((c) => c.parentId === 'c3')).toHaveLength(0);
  });
});

describe('the limits of a split: one card becomes n, adding n − 1', () => {
  it('a work center may reach its limit but not pass it', () => {
    expect(refusal(room({ column: { id: 'dev', name: 'Develop', wipLimit: 3 }, columnCount: 1 }))).toBeNull();
    expect(refusal(room({ column: { id: 'dev', name: 'Develop', wipLimit: 3 }, columnCount: 2 }))).toBe(
      'Splitting "Checkout" into 3 cards adds 2 to Develop, which would then hold 4 (WIP limit 3): split into fewer cards, or finish work first',
    );
  });

  it('an expedite lane passes the work center’s limit, never its own; the lane limit counts only work in progress', () => {
    const full = { column: { id: 'dev', name: 'Develop', wipLimit: 1 }, columnCount: 1 };
    expect(refusal(room({ ...full, lane: { name: 'Expedite', classOfService: 'expedite', wipLimit: null, cellLimits: {} } }))).toBeNull();
    const lane = { name: 'Expedite', classOfService: 'expedite' as const, wipLimit: 2, cellLimits: {} };
    expect(refusal(room({ lane, laneInProgress: 1 }))).toMatch(/adds 2 to the Expedite lane, which would then hold 3 \(WIP limit 2\)/);
    expect(refusal(room({ lane, laneInProgress: 1, inProgress: false }))).toBeNull();
  });

  it('a cell’s limit is hard', () => {
    const lane = { name: 'Fixed', classOfService: 'fixed_date' as const, wipLimit: null, cellLimits: { dev: 2 } };
    expect(refusal(room({ lane, cellCount: 1, children: 2 }))).toBeNull();
    expect(refusal(room({ lane, cellCount: 1, children: 3 }))).toMatch(/adds 2 to Develop in the Fixed lane, which would then hold 3 \(WIP limit 2\)/);
  });

  it('each of the card’s people needs room for the children in progress; in the backlog nobody does', () => {
    const people = [
      { name: 'Ana Lima', held: 1 },
      { name: 'Ben Okafor', held: 2 },
    ];
    expect(refusal(room({ personWipLimit: 4, people, children: 4 }))).toMatch(/Ben Okafor already holds 2 cards in progress \(limit 4\), and would then hold 5/);
    expect(refusal(room({ personWipLimit: 4, people, children: 3 }))).toBeNull();
    expect(refusal(room({ personWipLimit: 2, people, children: 5, inProgress: false }))).toBeNull();
  });
});

describe('the titles of a split', () => {
  it('start as the parent’s title numbered, cut to fit a title', () => {
    expect(defaultSplitTitles('Checkout')).toEqual(['Checkout (1)', 'Checkout (2)']);
    const long = defaultSplitTitles('x'.repeat(200));
    expect(long.every((t) => t.length <= 200 && t.endsWith(')'))).toBe(true);
  });

  it('are 2 to 20, none empty: the schema and the rule say so with a clear message', () => {
    expect(checkSplitTitles([' a ', 'b'])).toEqual(['a', 'b']);
    expect(() => checkSplitTitles(['a'])).toThrow('A card splits into 2 to 20 cards, not 1');
    expect(() => checkSplitTitles(['a', ' '])).toThrow('Each new card needs a title');
    const one = schemas.cardSplit.safeParse({ cardId: 'c', titles: ['a'] });
    expect(one.success).toBe(false);
    const many = schemas.cardSplit.safeParse({ cardId: 'c', titles: Array.from({ length: 21 }, () => 'a') });
    expect(many.success).toBe(false);
    expect(schemas.cardSplit.safeParse({ cardId: 'c', titles: ['a', 'x'.repeat(201)] }).success).toBe(false);
    expect(schemas.cardSplit.safeParse({ cardId: 'c', titles: ['a', 'b'], extra: 1 }).success).toBe(false);
  });
});

const DAY = 86_400_000;
const zero = () => [0, 0, 0, 0, 0, 0];
const finished = (id: string, days: number, parentId?: string): FinishedCard => ({ cardId: id, title: id, createdAt: 0, committedAt: 0, doneAt: days * DAY, ...(parentId ? { parentId } : {}) });

describe('batch size', () => {
  it('compares the cycle time of finished split items with unsplit ones, in a plain sentence, warning on small samples', () => {
    const data = {
      finished: [finished('a', 2, 'p'), finished('b', 3, 'p'), finished('c', 4, 'q'), finished('x', 5), finished('y', 6), finished('z', 8)],
      splits: [
        { cardId: 'p', at: 0, children: 2 },
        { cardId: 'q', at: 0, children: 3 },
      ],
    };
    const b = batchSize(data);
    expect(b).toMatchObject({ splits: 2, children: 5, split: { count: 3, p50: 3, p85: 4 }, unsplit: { count: 3, p50: 6, p85: 8 } });
    expect(b.sentence).toBe('Split items finished in a median of 3.0 days, unsplit ones in 6.0 days.');
    expect(b.warning).toBe('Small samples: 3 split items and 3 unsplit items finished in this range; with fewer than 10 on a side the difference may be chance.');
  });

  it('says so when one side has no finished item, and warns for the small side only', () => {
    const many = Array.from({ length: 10 }, (_, i) => finished(`u${i}`, i + 1));
    const b = batchSize({ finished: many, splits: [] });
    expect(b.sentence).toBe('No split item finished in this range; unsplit ones finished in a median of 5.0 days.');
    expect(b.warning).toBe('Small sample: only 0 split items finished in this range; with fewer than 10 the difference may be chance.');
    expect(batchSize({ finished: [] }).sentence).toBe('No item with a cycle time finished in this range.');
    expect(batchSize({ finished: [finished('s', 0.25, 'p'), finished('u', 1)] }).sentence).toBe('Split items finished in a median of 6.0 hours, unsplit ones in 1.0 day.');
  });
});

describe('the flow projection of a split', () => {
  it('counts the parent out like a deleted card (no finished item) and the children in as arrivals in its work center', () => {
    const b = board();
    const log = [
      event(1, { type: 'board_created', name: 'B', columns: b.columns }),
      event(2, { type: 'card_created', card: cardOf({ id: 'p', columnId: 'develop' }) }),
      event(3, { type: 'card_split', cardId: 'p', columnId: 'develop', children: [cardOf({ id: 'k1', columnId: 'develop', parentId: 'p' }), cardOf({ id: 'k2', columnId: 'develop', parentId: 'p' })] }),
    ];
    const flow = replayFlow(log);
    expect(flow.cards.get('p')).toMatchObject({ deletedAt: Date.parse(AT), splitAt: Date.parse(AT) });
    expect(flow.cards.get('k1')).toMatchObject({ parentId: 'p', splitAt: null, deletedAt: null });
    const develop = [...flow.hourly.entries()].find(([key]) => key.startsWith('develop|'))?.[1] ?? [];
    // Entered: the parent and two children; deleted and abandoned: the parent.
    expect([develop[K.entered], develop[K.deleted], develop[K.abandoned]]).toEqual([3, 1, 1]);
  });

  it('folds live into a loaded page: the split counted in the range, the parent out of open work, the children in', () => {
    const boundaries = [Date.parse(AT) - DAY, Date.parse(AT) + DAY];
    const data: FlowData = {
      boardId: 'b1',
      boardName: 'B',
      version: 2,
      asOf: 0,
      range: { from: '2024-12-31', to: '2025-01-01', interval: 'day', tz: 'UTC' },
      boundaries,
      columns: ['design', 'develop', 'test'].map((id) => ({ id, name: id, live: true, createdAt: 0, removedAt: null })),
      commitmentColumnId: 'develop',
      doneColumnId: 'test',
      demandPerWeek: null,
      start: [zero(), zero(), zero()],
      counts: [[zero(), zero(), zero()]],
      finished: [],
      open: [{ cardId: 'p', title: 'P', columnId: 'develop', createdAt: 0, committedAt: 0, furthestId: 'develop' }],
      defects: [],
      blocks: [],
      lanes: [],
    };
    const e = event(3, { type: 'card_split', cardId: 'p', columnId: 'develop', children: [cardOf({ id: 'k1', columnId: 'develop', parentId: 'p' }), cardOf({ id: 'k2', columnId: 'develop', parentId: 'p' })] });
    const folded = foldEvent(data, e);
    if (folded.kind !== 'applied') throw new Error(folded.kind);
    expect(folded.data.splits).toEqual([{ cardId: 'p', at: Date.parse(AT), children: 2 }]);
    expect(folded.data.open.map((c) => [c.cardId, c.parentId])).toEqual([
      ['k1', 'p'],
      ['k2', 'p'],
    ]);
    expect(folded.data.finished).toEqual([]);
    const develop = folded.data.counts[0]?.[1] ?? [];
    expect([develop[K.entered], develop[K.deleted], develop[K.abandoned]]).toEqual([2, 1, 1]);
    // A child that finishes later carries its parent into the finished list.
    const done = foldEvent(folded.data, event(4, { type: 'card_moved', cardId: 'k1', fromColumnId: 'develop', toColumnId: 'test', position: 'a0', backward: false }));
    if (done.kind !== 'applied') throw new Error(done.kind);
    expect(done.data.finished.map((c) => [c.cardId, c.parentId])).toEqual([['k1', 'p']]);
  });
});
