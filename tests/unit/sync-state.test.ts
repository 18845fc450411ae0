import { describe, expect, it } from 'vitest';
import {
  addPending,
  classifyEvent,
  computeView,
  dropPending,
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

  it('an event past the next version is a gap and is not applied', () => {
    const start = initialSyncState(board(5));
    const { state, outcome } = receiveEvent(start, renamed(7, 'Ahead'));
    expect(outcome).toBe('gap');
    expect(state.confirmed.version).toBe(5);
    expect(classifyEvent(5, 7)).toBe('gap');
  });

  it('a catch-up applies events sorted by version and stops at a gap', () => {
    const start = initialSyncState(board(5));
    const { state, gap } = receiveEvents(start, [renamed(7, 'Seven'), renamed(6, 'Six'), renamed(9, 'Nine')]);
    expect(gap).toBe(true);
    expect(state.confirmed.version).toBe(7);
    expect(state.confirmed.name).toBe('Seven');
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
    state = receiveEvents(state, [renamed(6, 'Other'), renamed(7, 'Mine')]).state;
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
