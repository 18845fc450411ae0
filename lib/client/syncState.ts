import { applyEvent } from '../domain/apply';
import type { BoardEvent, BoardSnapshot } from '../domain/types';

/**
 * The client's copy of a board: what the server confirmed (a snapshot at a version) plus the
 * changes this tab has sent and not yet seen committed. The screen shows the pending changes
 * replayed over the confirmed snapshot, so a remote event that lands first is rebased under them.
 * Everything here is pure; useBoardSync wires it to the socket.
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
}

export type EventOutcome = 'applied' | 'stale' | 'gap';

export function initialSyncState(snapshot: BoardSnapshot): SyncState {
  return { confirmed: snapshot, pending: [] };
}

/** Events apply strictly one version after another: older ones were seen, a jump means we missed some. */
export function classifyEvent(confirmedVersion: number, eventVersion: number): EventOutcome {
  if (eventVersion <= confirmedVersion) return 'stale';
  if (eventVersion > confirmedVersion + 1) return 'gap';
  return 'applied';
}

export function receiveEvent(state: SyncState, event: BoardEvent): { state: SyncState; outcome: EventOutcome } {
  const outcome = classifyEvent(state.confirmed.version, event.version);
  if (outcome !== 'applied') return { state, outcome };
  const confirmed = applyEvent(state.confirmed, event);
  const mine = event.clientMutationId ?? null;
  const pending = mine === null ? state.pending : state.pending.filter((p) => p.id !== mine);
  return { state: settle({ confirmed, pending }), outcome };
}

/** Applies a batch (a catch-up or buffered events) in version order; stops at the first gap. */
export function receiveEvents(state: SyncState, events: readonly BoardEvent[]): { state: SyncState; gap: boolean } {
  const ordered = events.toSorted((a, b) => a.version - b.version);
  let current = state;
  for (const event of ordered) {
    const result = receiveEvent(current, event);
    if (result.outcome === 'gap') return { state: current, gap: true };
    current = result.state;
  }
  return { state: current, gap: false };
}

/** A fresh snapshot from the server replaces what we had; our unacknowledged changes stay on top. */
export function replaceSnapshot(state: SyncState, snapshot: BoardSnapshot): SyncState {
  return settle({ confirmed: snapshot, pending: state.pending });
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
export function computeView(state: SyncState): BoardSnapshot {
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
