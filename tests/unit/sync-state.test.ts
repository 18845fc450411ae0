import { describe, expect, it } from 'vitest';
import {
  addPending,
  applyJoin,
  classifyEvent,
  computeView,
  dropPending,
  hasGap,
  holdEvent,
  initialSyncState,
  markAcked,
  receiveEvent,
  receiveEvents,
  replaceSnapshot,
} from '../../lib/client/syncState';
import { createCardApply, moveCardApply, renameBoardApply } from '../../lib/client/optimistic';
import { board, card, cardIn, event } from './client-fixtures';

const AT = '2025-01-02T00:00:00.000Z';
const renamed = (version: number, name: string, cmid: string | null = null) => event(version, { type: 'board_renamed', name }, cmid);

describe('remote events apply in version order', () => {
  it('an event at the next version is applied', () => {
    const { state, outcome } = receiveEvent(initialSyncState(board(5)), renamed(6, 'Next'));
    expect(outcome).toBe('applied');
    expect(state.confirmed.version).toBe(6);
    expect(state.confirmed.name).toBe('Next');
  });

  it('an event at or below the confirmed version is ignored', () => {
    const start = initialSyncState(board(5));
    for (const version of [4, 5]) {
      const { state, outcome } = receiveEvent(start, renamed(version, 'Old'));
      expect(outcome).toBe('stale');
      expect(state).toBe(start);
    }
  });

  it('an event past the next version is held, not applied, and makes a gap', () => {
    const start = initialSyncState(board(5));
    const { state, outcome } = receiveEvent(start, renamed(7, 'Ahead'));
    expect(outcome).toBe('held');
    expect(state.confirmed.version).toBe(5);
    expect(state.confirmed.name).toBe('Board');
    expect(classifyEvent(5, 7)).toBe('ahead');
    expect(hasGap(state)).toBe(true);
    expect(hasGap(start)).toBe(false);
  });

  it('a catch-up applies events sorted by version and holds those past a hole', () => {
    const start = initialSyncState(board(5));
    const state = receiveEvents(start, [renamed(7, 'Seven'), renamed(6, 'Six'), renamed(9, 'Nine')]);
    expect(state.confirmed.version).toBe(7);
    expect(state.confirmed.name).toBe('Seven');
    expect(state.ahead.map((e) => e.version)).toEqual([9]);
    expect(hasGap(state)).toBe(true);
  });
});

describe('the reorder buffer', () => {
  it('an event that overtook the one before it applies as soon as that one arrives', () => {
    let state = initialSyncState(board(5));
    state = receiveEvent(state, renamed(7, 'Seven')).state;
    state = receiveEvent(state, renamed(8, 'Eight')).state;
    expect(state.confirmed.version).toBe(5);
    const { state: after, outcome } = receiveEvent(state, renamed(6, 'Six'));
    expect(outcome).toBe('applied');
    expect(after.confirmed.version).toBe(8);
    expect(after.confirmed.name).toBe('Eight');
    expect(after.ahead).toEqual([]);
    expect(hasGap(after)).toBe(false);
  });

  it('held events apply in version order whatever order they came in', () => {
    let state = initialSyncState(board(5));
    for (const e of [renamed(9, 'Nine'), renamed(7, 'Seven'), renamed(8, 'Eight')]) state = receiveEvent(state, e).state;
    expect(state.ahead.map((e) => e.version)).toEqual([7, 8, 9]);
    state = receiveEvent(state, renamed(6, 'Six')).state;
    expect(state.confirmed).toMatchObject({ version: 9, name: 'Nine' });
  });

  it('an event that arrives twice is held once and applied once', () => {
    let state = initialSyncState(board(5));
    const created = event(7, { type: 'card_created', card: card('c9', 'design', 'a5') });
    state = receiveEvent(state, created).state;
    state = receiveEvent(state, created).state;
    expect(state.ahead).toHaveLength(1);
    state = receiveEvent(state, renamed(6, 'Six')).state;
    state = receiveEvent(state, created).state;
    expect(state.confirmed.version).toBe(7);
    expect(state.confirmed.cards.filter((c) => c.id === 'c9')).toHaveLength(1);
  });

  it('a change of mine acked ahead of the board is a gap until its event arrives', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    expect(hasGap(state)).toBe(false);
    state = markAcked(state, 'm1', 6);
    expect(hasGap(state)).toBe(true);
    state = receiveEvent(state, renamed(6, 'Mine', 'm1')).state;
    expect(hasGap(state)).toBe(false);
  });
});

describe('a join and the events that arrive while it is in flight', () => {
  it('events held during a join that its catch-up already covers are dropped, newer ones apply after it', () => {
    let state = initialSyncState(board(5));
    // The socket is in the room before the server reads: 7 comes live and again in the catch-up.
    state = holdEvent(state, renamed(7, 'Seven'));
    state = holdEvent(state, renamed(8, 'Eight'));
    expect(state.confirmed.version).toBe(5);
    const { state: after, behind } = applyJoin(state, { version: 7, events: [renamed(6, 'Six'), renamed(7, 'Seven')] });
    expect(behind).toBe(false);
    expect(after.confirmed).toMatchObject({ version: 8, name: 'Eight' });
    expect(after.ahead).toEqual([]);
  });

  it('events at or below a joined snapshot’s version are dropped, newer ones apply on top of it', () => {
    let state = initialSyncState(board(5));
    state = holdEvent(state, renamed(11, 'Eleven'));
    state = holdEvent(state, event(12, { type: 'card_deleted', cardId: 'c1', columnId: 'design' }));
    state = holdEvent(state, renamed(13, 'Thirteen'));
    const snapshot = { ...board(12), name: 'Twelve', cards: board().cards.filter((c) => c.id !== 'c1') };
    const { state: after, behind } = applyJoin(state, { version: 12, snapshot });
    expect(behind).toBe(false);
    expect(after.confirmed).toMatchObject({ version: 13, name: 'Thirteen' });
    expect(after.confirmed.cards.map((c) => c.id)).toEqual(['c2', 'c3', 'c4']);
    expect(after.ahead).toEqual([]);
  });

  it('an event already seen is never held again, so it cannot apply twice', () => {
    const start = receiveEvent(initialSyncState(board(5)), event(6, { type: 'card_created', card: card('c9', 'design', 'a5') })).state;
    const held = holdEvent(start, event(6, { type: 'card_created', card: card('c9', 'design', 'a5') }));
    expect(held).toBe(start);
    const { state } = applyJoin(held, { version: 6, events: [] });
    expect(state.confirmed.cards.filter((c) => c.id === 'c9')).toHaveLength(1);
  });

  it('a catch-up that ends short of the version it announced is behind', () => {
    const start = initialSyncState(board(5));
    const { state, behind } = applyJoin(start, { version: 8, events: [renamed(6, 'Six'), renamed(8, 'Eight')] });
    expect(behind).toBe(true);
    expect(state.confirmed.version).toBe(6);
    expect(hasGap(state)).toBe(true);
  });

  it('a snapshot older than the confirmed board is ignored', () => {
    const start = receiveEvent(initialSyncState(board(5)), renamed(6, 'Six')).state;
    const { state, behind } = applyJoin(start, { version: 5, snapshot: board(5) });
    expect(state).toBe(start);
    expect(behind).toBe(false);
  });

  it('my change carried by a catch-up replaces its pending prediction', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = holdEvent(state, renamed(7, 'Theirs', 'other'));
    state = applyJoin(state, { version: 6, events: [renamed(6, 'Mine', 'm1')] }).state;
    expect(state.pending).toEqual([]);
    expect(computeView(state)).toMatchObject({ version: 7, name: 'Theirs' });
  });
});

describe('pending changes sit on top of the confirmed board', () => {
  it('the view is the pending changes replayed over the confirmed board', () => {
    const state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    expect(state.confirmed.name).toBe('Board');
    expect(computeView(state).name).toBe('Mine');
  });

  it('a remote event is rebased under a pending change', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: moveCardApply('c1', 'test', null, null, AT) });
    state = receiveEvent(state, event(6, { type: 'card_created', card: card('c9', 'design', 'a5') })).state;
    const view = computeView(state);
    expect(cardIn(view, 'c9')?.columnId).toBe('design');
    expect(cardIn(view, 'c1')?.columnId).toBe('test');
    expect(view.version).toBe(6);
  });

  it('the event carrying my clientMutationId replaces my pending change', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = receiveEvent(state, renamed(6, 'Mine', 'm1')).state;
    expect(state.pending).toHaveLength(0);
    expect(computeView(state).name).toBe('Mine');
  });

  it('another client’s event leaves my pending change in place', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = receiveEvent(state, renamed(6, 'Theirs', 'other')).state;
    expect(state.pending.map((p) => p.id)).toEqual(['m1']);
    expect(computeView(state).name).toBe('Mine');
  });

  it('a refused change is rolled back', () => {
    const start = initialSyncState(board(5));
    const state = dropPending(addPending(start, { id: 'm1', apply: moveCardApply('c1', 'develop', null, null, AT) }), 'm1');
    expect(computeView(state)).toEqual(start.confirmed);
  });

  it('a change acked at a version the board already reached is settled even without its event', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = markAcked(state, 'm1', 5);
    expect(state.pending).toHaveLength(0);
  });

  it('a change acked ahead of the board stays visible until the board catches up to it', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = markAcked(state, 'm1', 7);
    expect(computeView(state).name).toBe('Mine');
    state = receiveEvents(state, [renamed(6, 'Other'), renamed(7, 'Mine')]);
    expect(state.pending).toHaveLength(0);
  });

  it('a fresh snapshot replaces the confirmed board and keeps pending changes on top', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: renameBoardApply('Mine', AT) });
    state = replaceSnapshot(state, { ...board(12), name: 'Server' });
    expect(state.confirmed.version).toBe(12);
    expect(computeView(state).name).toBe('Mine');
  });

  it('a pending change that no longer applies is skipped, not fatal', () => {
    let state = addPending(initialSyncState(board(5)), { id: 'm1', apply: moveCardApply('c1', 'test', null, null, AT) });
    state = addPending(state, { id: 'm2', apply: renameBoardApply('Still shown', AT) });
    state = receiveEvent(state, event(6, { type: 'card_deleted', cardId: 'c1', columnId: 'design' })).state;
    const view = computeView(state);
    expect(cardIn(view, 'c1')).toBeUndefined();
    expect(view.name).toBe('Still shown');
  });

  it('a pending new card is shown until its real event arrives', () => {
    let state = addPending(initialSyncState(board(5)), {
      id: 'm1',
      apply: createCardApply({ tempId: 'pending-x', columnId: 'test', title: 'New', type: 'chore', description: '' }, AT),
    });
    expect(cardIn(computeView(state), 'pending-x')?.title).toBe('New');
    state = receiveEvent(state, event(6, { type: 'card_created', card: { ...card('real', 'test', 'a1'), title: 'New' } }, 'm1')).state;
    const view = computeView(state);
    expect(cardIn(view, 'pending-x')).toBeUndefined();
    expect(cardIn(view, 'real')?.title).toBe('New');
  });
});
