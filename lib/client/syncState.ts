import { applyEvent } from '../shared/domain/apply';
import type { BoardEvent, BoardSnapshot } from '../shared/domain/types';

/**
 * The client's copy of a board: what the server confirmed (a snapshot at a version), the changes
 * this tab has sent and not yet seen committed, and the events that arrived ahead of their turn.
 * The screen shows the pending changes replayed over the confirmed snapshot, so a remote event that
 * lands first is rebased under them. Everything here is pure; BoardSyncClient wires it to a socket.
 */

export type Apply = (board: BoardSnapshot) => BoardSnapshot;

export interface PendingMutation {
  /** The clientMutationId sent with the request; the server echoes it on the resulting event. */
  id: string;
  apply: Apply;
  /** The version the server acked it at, while its event has not been seen yet. */
  ackedVersion?: number;
}

export interface SyncState {
  confirmed: BoardSnapshot;
  pending: readonly PendingMutation[];
  /**
   * Events newer than the next version, sorted and without duplicates: the reorder buffer (an
   * event relayed by another process may overtake the one before it) and the events that arrive
   * while a join is in flight.
   */
  ahead: readonly BoardEvent[];
}

/** Where an event stands against the confirmed version. */
export type EventPlace = 'stale' | 'next' | 'ahead';
export type EventOutcome = 'applied' | 'stale' | 'held';

/** The result of a `board:join`: a fresh snapshot, or the events since the version the client sent. */
export type JoinResult = { version: number; snapshot: BoardSnapshot } | { version: number; events: readonly BoardEvent[] };

export function initialSyncState(snapshot: BoardSnapshot): SyncState {
  return { confirmed: snapshot, pending: [], ahead: [] };
}

/** Events apply strictly one version after another: older ones were seen, later ones wait their turn. */
export function classifyEvent(confirmedVersion: number, eventVersion: number): EventPlace {
  if (eventVersion <= confirmedVersion) return 'stale';
  if (eventVersion > confirmedVersion + 1) return 'ahead';
  return 'next';
}

/** Keeps an event for later, in version order; one already seen or already held is dropped. */
export function holdEvent(state: SyncState, event: BoardEvent): SyncState {
  if (event.version <= state.confirmed.version || state.ahead.some((e) => e.version === event.version)) return state;
  const ahead = [...state.ahead, event].toSorted((a, b) => a.version - b.version);
  return { ...state, ahead };
}

function applyNext(state: SyncState, event: BoardEvent): SyncState {
  const confirmed = applyEvent(state.confirmed, event);
  const mine = event.clientMutationId ?? null;
  const pending = mine === null ? state.pending : state.pending.filter((p) => p.id !== mine);
  return settle({ ...state, confirmed, pending });
}

/** Applies the held events that are now next in line, and forgets those the board already passed. */
export function drainAhead(state: SyncState): SyncState {
  let current = state;
  let ahead = state.ahead.filter((e) => e.version > state.confirmed.version);
  while (ahead[0] && ahead[0].version === current.confirmed.version + 1) {
    current = applyNext(current, ahead[0]);
    ahead = ahead.slice(1);
  }
  if (current === state && ahead.length === state.ahead.length) return state;
  return { ...current, ahead };
}

/** A live event: applied if it is next (with any held ones it unblocks), held if it is early. */
export function receiveEvent(state: SyncState, event: BoardEvent): { state: SyncState; outcome: EventOutcome } {
  const place = classifyEvent(state.confirmed.version, event.version);
  if (place === 'stale') return { state, outcome: 'stale' };
  if (place === 'ahead') return { state: holdEvent(state, event), outcome: 'held' };
  return { state: drainAhead(applyNext(state, event)), outcome: 'applied' };
}

/** Applies a batch (a catch-up) in version order; what cannot apply yet is held. */
export function receiveEvents(state: SyncState, events: readonly BoardEvent[]): SyncState {
  let current = state;
  for (const event of events.toSorted((a, b) => a.version - b.version)) current = receiveEvent(current, event).state;
  return current;
}

/**
 * A fresh snapshot from the server replaces what we had; our unacknowledged changes stay on top.
 * One older than what we already confirmed is ignored: ours came from the server's own events.
 */
export function replaceSnapshot(state: SyncState, snapshot: BoardSnapshot): SyncState {
  if (snapshot.version < state.confirmed.version) return state;
  return drainAhead(settle({ ...state, confirmed: snapshot }));
}

/**
 * Folds a join's answer in, then the events held while it was in flight: those the answer already
 * covers are dropped, newer ones apply after it. `behind` means the answer itself left a hole.
 */
export function applyJoin(state: SyncState, result: JoinResult): { state: SyncState; behind: boolean } {
  const next = 'snapshot' in result ? replaceSnapshot(state, result.snapshot) : drainAhead(receiveEvents(state, result.events));
  return { state: next, behind: next.confirmed.version < result.version };
}

/**
 * The board is known to be past the confirmed version: an event is held for want of the one
 * before it, or the server acked one of our changes at a version we have not reached.
 */
export function hasGap(state: SyncState): boolean {
  const v = state.confirmed.version;
  return state.ahead.length > 0 || state.pending.some((p) => p.ackedVersion !== undefined && p.ackedVersion > v);
}

export function addPending(state: SyncState, mutation: PendingMutation): SyncState {
  return { ...state, pending: [...state.pending, mutation] };
}

/** A refused (or lost) change is rolled back by forgetting it. */
export function dropPending(state: SyncState, id: string): SyncState {
  if (!state.pending.some((p) => p.id === id)) return state;
  return { ...state, pending: state.pending.filter((p) => p.id !== id) };
}

/**
 * The server acked a change at `version`. Its event normally arrived first and already removed it;
 * if not, keep showing it until the confirmed snapshot reaches that version.
 */
export function markAcked(state: SyncState, id: string, version: number): SyncState {
  if (!state.pending.some((p) => p.id === id)) return state;
  const pending = state.pending.map((p) => (p.id === id ? { ...p, ackedVersion: version } : p));
  return settle({ ...state, pending });
}

/** A change acked at or below the confirmed version is part of it, whether or not we saw its event. */
function settle(state: SyncState): SyncState {
  const v = state.confirmed.version;
  const pending = state.pending.filter((p) => p.ackedVersion === undefined || p.ackedVersion > v);
  return pending.length === state.pending.length ? state : { ...state, pending };
}

/**
 * What the screen shows. A pending change that no longer applies to the rebased board (its card
 * was deleted meanwhile, say) is skipped; the server will refuse it and the ack removes it.
 */
export function computeView(state: Pick<SyncState, 'confirmed' | 'pending'>): BoardSnapshot {
  let view = state.confirmed;
  for (const mutation of state.pending) {
    try {
      view = mutation.apply(view);
    } catch {
      // Skipped on purpose: see above.
    }
  }
  return view;
}
