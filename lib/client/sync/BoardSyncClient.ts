import { addCardPage } from '../../shared/domain/cardWindow';
import { sortByPosition } from '../../shared/domain/ordering';
import type { BoardEvent, BoardSnapshot, PersonDTO } from '../../shared/domain/types';
import { unpackJoin, type Ack, type Failure } from '../../shared/protocol';
import { newId } from '../ids';
import { request, type FlowSocket } from '../socket';
import {
  addPending,
  applyJoin,
  computeView,
  dropPending,
  hasGap,
  initialSyncState,
  markAcked,
  receiveEvent,
  holdEvent,
  replaceSnapshot,
  type Apply,
  type SyncState,
} from '../syncState';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** After this many catch-ups in a row that still leave a gap, ask for a whole snapshot instead. */
export const MAX_INCREMENTAL_JOINS = 3;
/** A join that got no answer in time is tried again after this; long enough not to hammer a sick server. */
export const JOIN_RETRY_MS = 2_000;
/**
 * How long a missing version may stay missing before it counts as lost. Events relayed between
 * processes can overtake each other by a few milliseconds; a real loss is rare and a rejoin is cheap,
 * so wait well past the relay's jitter but short of what a person would notice as a stale board.
 */
export const REORDER_WAIT_MS = 750;
/** More held events than this means something was lost for good: rejoin without waiting. */
export const REORDER_BUFFER_MAX = 64;

/** Tries of a "show more" whose page was read at another version than the board's here. */
const PAGE_TRIES = 3;

export type Send<T extends object> = (socket: FlowSocket, clientMutationId: string) => Promise<Ack<T>>;

/** What a screen renders; a new object only when one of these changed (useSyncExternalStore). */
export interface BoardSyncSnapshot {
  view: BoardSnapshot;
  status: ConnectionState;
  /** This account was removed from the board while it was open: it gets nothing more. */
  removed: boolean;
  /** Who the cards can name (a join and `board:people` send them; they are not in the board's log). */
  people: readonly PersonDTO[];
}

/** What the engine needs from where it runs: the browser hook passes its window's, tests what they watch. */
export interface BoardSyncOptions {
  /** A message for the person: a refused change, a failed join, a removal. */
  notify?: (message: string) => void;
  /** Whether the device believes it has a network (`navigator.onLine`). */
  isOnline?: () => boolean;
  /**
   * The session ended: the server closed the socket saying so (it expired, or the account signed out),
   * or a handshake was refused as UNAUTHENTICATED. Reconnecting would only be refused: the engine
   * stops, and this asks the person to sign in again.
   */
  onSessionEnded?: (message: string) => void;
  /** Milestones of opening a board (performance marks). */
  mark?: (name: 'board-mounted' | 'connected' | 'live') => void;
}

function failure(message: string): Failure {
  return { ok: false, code: 'INTERNAL', message };
}

/**
 * The board as one client sees it, with no UI in it: the server's snapshot, live events in version
 * order, and this client's pending changes on top. It joins on every (re)connect with the version it
 * has, so a dropped connection catches up without a reload. The socket is given, so tests can run
 * many of these over real connections.
 */
export class BoardSyncClient {
  readonly boardId: string;
  private state: SyncState;
  private status: ConnectionState = 'connecting';
  private removed = false;
  private snapshot: BoardSyncSnapshot;
  private people: readonly PersonDTO[];
  private readonly listeners = new Set<() => void>();
  private viewOf: Pick<SyncState, 'confirmed' | 'pending'>;

  /** Bumped by start and stop, so work begun before a stop does not act after it. */
  private generation = 0;
  private running = false;
  private joining = false;
  private joinAgain = false;
  /** The server refused the last join (no access): only a new connection tries again. */
  private joinRefused = false;
  /** Catch-ups in a row that left a gap (see MAX_INCREMENTAL_JOINS). */
  private catchUpsWithGap = 0;
  private reorderTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  private options: BoardSyncOptions = {};

  constructor(
    readonly socket: FlowSocket,
    initial: BoardSnapshot,
  ) {
    this.boardId = initial.id;
    this.state = initialSyncState(initial);
    this.people = initial.people ?? [];
    this.snapshot = { view: initial, status: this.status, removed: false, people: this.people };
    this.viewOf = this.state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): BoardSyncSnapshot => this.snapshot;

  /** The whole state, for tests: confirmed board, pending changes, held events. */
  getState(): SyncState {
    return this.state;
  }

  /** Listens and connects (or joins at once if the socket is already up). Again after stop(). */
  start(options: BoardSyncOptions = {}): void {
    if (this.running || this.removed) return;
    this.options = options;
    this.running = true;
    this.generation++;
    const s = this.socket;
    this.listen('on');
    this.options.mark?.('board-mounted');
    if (!s.connected) this.setStatus('connecting');
    // A connection still on its way is left alone: connect() on it would handshake twice.
    if (s.connected) this.onConnect();
    else if (!s.active) s.connect();
  }

  /** The socket's events this client follows, added by start() and removed by stop(). */
  private listen(how: 'on' | 'off'): void {
    const s = this.socket;
    s[how]('connect', this.onConnect);
    s[how]('board:event', this.onEvent);
    s[how]('disconnect', this.onDisconnect);
    s[how]('connect_error', this.onConnectError);
    s[how]('board:removed', this.onRemoved);
    s[how]('board:people', this.onPeople);
    s[how]('session:ended', this.onSessionEnded);
  }

  /** Stops listening and closes the connection; the state stays for a later start(). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.clearTimers();
    const s = this.socket;
    this.listen('off');
    s.disconnect();
  }

  /** The browser's own idea of the network changed (its online and offline events). */
  networkChanged(online: boolean): void {
    if (!online) this.setStatus('offline');
    else if (!this.socket.connected) this.setStatus('reconnecting');
    else this.confirmConnection();
  }

  /**
   * The socket survived a drop the browser reported (engine.io keeps it through the offline event on
   * localhost, and a short drop may not break a WebSocket at all), so no reconnect will come to say
   * it is up. A join answers that with one round trip, and catches up on anything missed meanwhile;
   * its success sets Live.
   */
  private confirmConnection(): void {
    if (!this.running || this.removed || this.joinRefused || !this.socket.connected || this.status === 'live') return;
    this.setStatus('reconnecting');
    void this.join();
  }

  /** Applies `apply` at once (unless null), sends, and rolls back with a notification if refused. */
  mutate = async <T extends object>(apply: Apply | null, send: Send<T>): Promise<Ack<T>> => {
    if (!this.running || !this.socket.connected) {
      const refused = failure('Not connected to the board: the change was not sent. Try again once it shows Live.');
      this.notify(refused.message);
      return refused;
    }
    const id = newId();
    if (apply) this.commit(addPending(this.state, { id, apply }));
    let ack: Ack<T>;
    try {
      ack = await send(this.socket, id);
    } catch {
      ack = failure('The server did not answer in time: the change may not have been saved');
    }
    if (!ack.ok) {
      this.commit(dropPending(this.state, id));
      this.notify(ack.message);
      return ack;
    }
    // If its event has not arrived yet it is on its way, or lost: the gap check tells which.
    this.commit(markAcked(this.state, id, ack.version));
    this.checkGap();
    return ack;
  };

  /**
   * "Show more" of a work center sent in part (lib/shared/domain/cardWindow.ts): its next page,
   * added when it was read at the version this client has (else asked again, once caught up).
   */
  loadMore = async (columnId: string): Promise<void> => {
    for (let attempt = 0; attempt < PAGE_TRIES; attempt++) {
      if (!this.running || !this.socket.connected) return;
      const board = this.state.confirmed;
      if (board.window?.totals[columnId] === undefined) return;
      const last = sortByPosition(board.cards.filter((c) => c.columnId === columnId)).at(-1);
      let ack;
      try {
        ack = await request(this.socket, 'board:cards', { boardId: this.boardId, columnId, after: last ? { position: last.position, id: last.id } : null });
      } catch {
        return;
      }
      if (!ack.ok) {
        this.notify(ack.message);
        return;
      }
      const confirmed = this.state.confirmed;
      if (ack.version === confirmed.version) {
        this.commit(replaceSnapshot(this.state, addCardPage(confirmed, columnId, ack.cards, ack.total)));
        return;
      }
      // Read at another version: once this client has caught up with it, ask again.
      if (ack.version > confirmed.version) await new Promise((resolve) => setTimeout(resolve, REORDER_WAIT_MS / 3));
    }
  };

  private notify(message: string): void {
    this.options.notify?.(message);
  }

  private offlineOrReconnecting(): ConnectionState {
    return (this.options.isOnline?.() ?? true) ? 'reconnecting' : 'offline';
  }

  private publish(): void {
    const view = this.currentView();
    const { snapshot } = this;
    if (view === snapshot.view && this.status === snapshot.status && this.removed === snapshot.removed && this.people === snapshot.people) return;
    this.snapshot = { view, status: this.status, removed: this.removed, people: this.people };
    for (const listener of this.listeners) listener();
  }

  /** Recomputed only when the confirmed board or the pending changes changed: held events show nothing. */
  private currentView(): BoardSnapshot {
    const { confirmed, pending } = this.state;
    if (this.viewOf.confirmed === confirmed && this.viewOf.pending === pending) return this.snapshot.view;
    this.viewOf = { confirmed, pending };
    return computeView(this.state);
  }

  private commit(next: SyncState): void {
    if (next === this.state) return;
    this.state = next;
    this.publish();
  }

  private setStatus(next: ConnectionState): void {
    if (next === this.status) return;
    this.status = next;
    this.publish();
  }

  private clearTimers(): void {
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reorderTimer = null;
    this.retryTimer = null;
  }

  /**
   * A missing version is given REORDER_WAIT_MS to arrive before it counts as lost; the clock
   * starts again whenever the board moves forward meanwhile.
   */
  private checkGap(): void {
    if (!this.running || this.joining) return;
    if (!hasGap(this.state)) {
      this.catchUpsWithGap = 0;
      if (this.reorderTimer) clearTimeout(this.reorderTimer);
      this.reorderTimer = null;
      return;
    }
    if (this.state.ahead.length > REORDER_BUFFER_MAX) {
      void this.join();
      return;
    }
    if (this.reorderTimer) return;
    const from = this.state.confirmed.version;
    this.reorderTimer = setTimeout(() => {
      this.reorderTimer = null;
      if (!hasGap(this.state)) return;
      if (this.state.confirmed.version === from) void this.join();
      else this.checkGap();
    }, REORDER_WAIT_MS);
  }

  /** One join round: 'ok', 'behind' (the answer left a hole, go again) or 'failed'. */
  private async joinOnce(generation: number): Promise<'ok' | 'behind' | 'failed'> {
    // A stale window (cardWindow.ts) needs a fresh one: events cannot bring the cards it lacks.
    const full = this.catchUpsWithGap >= MAX_INCREMENTAL_JOINS || this.state.confirmed.window?.stale === true;
    const sinceVersion = full ? undefined : this.state.confirmed.version;
    const ack = await request(this.socket, 'board:join', { boardId: this.boardId, sinceVersion });
    if (generation !== this.generation) return 'failed';
    // Too many joins at once (a reconnect storm of many tabs): the retry below, after a pause.
    if (!ack.ok && ack.code === 'RATE_LIMITED') throw new Error(ack.message);
    if (!ack.ok) {
      this.notify(ack.message);
      this.joinRefused = true;
      this.setStatus('offline');
      return 'failed';
    }
    const { state, behind } = applyJoin(this.state, unpackJoin(ack));
    if (ack.people) this.people = ack.people;
    this.commit(state);
    this.publish();
    if (full) this.catchUpsWithGap = 0;
    if (behind || hasGap(this.state)) this.catchUpsWithGap++;
    return behind || this.state.confirmed.window?.stale ? 'behind' : 'ok';
  }

  /** Joins (again) until caught up; a call while a join is in flight makes that join go once more. */
  private async join(): Promise<void> {
    if (this.joining) {
      this.joinAgain = true;
      return;
    }
    const generation = this.generation;
    this.joining = true;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    let live = false;
    try {
      for (;;) {
        if (generation !== this.generation || !this.socket.connected) return;
        this.joinAgain = false;
        const outcome = await this.joinOnce(generation);
        if (outcome === 'failed') return;
        if (outcome === 'ok' && !this.joinAgain) break;
      }
      live = true;
    } catch {
      // No answer in time (or the connection dropped, and its reconnect will join): the connection
      // is up but unhealthy. Try again shortly.
      if (generation === this.generation) {
        this.setStatus(this.offlineOrReconnecting());
        // A join asked for meanwhile (a reconnect, say) goes at once rather than after the pause.
        if (this.socket.connected) {
          this.retryTimer = setTimeout(
            () => {
              this.retryTimer = null;
              void this.join();
            },
            this.joinAgain ? 0 : JOIN_RETRY_MS,
          );
        }
      }
    } finally {
      this.joining = false;
    }
    if (live && generation === this.generation) {
      this.options.mark?.('live');
      this.setStatus('live');
      this.checkGap();
    }
  }

  private readonly onConnect = (): void => {
    this.options.mark?.('connected');
    this.joinRefused = false;
    void this.join();
  };

  private readonly onEvent = (event: BoardEvent): void => {
    if (!this.running || event.boardId !== this.boardId) return;
    // Held until the join's answer: applied after it if newer, dropped if it already covers them.
    if (this.joining) {
      this.commit(holdEvent(this.state, event));
      return;
    }
    const { state, outcome } = receiveEvent(this.state, event);
    this.commit(state);
    if (state.confirmed.window?.stale) void this.join();
    else if (outcome !== 'stale') this.checkGap();
    // An event came through, so the connection works although the badge says otherwise.
    if (this.status === 'offline' || this.status === 'reconnecting') this.confirmConnection();
  };

  private readonly onDisconnect = (reason: string): void => {
    this.setStatus(this.offlineOrReconnecting());
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    // The server closed us on purpose (a restart, say): Socket.IO does not retry that by itself.
    if (reason === 'io server disconnect') this.socket.connect();
  };

  private readonly onConnectError = (error: Error & { data?: { code?: string } }): void => {
    if (error.data?.code === 'UNAUTHENTICATED') {
      this.onSessionEnded({ message: 'Your session ended: sign in again' });
      return;
    }
    this.setStatus(this.offlineOrReconnecting());
    // Not retried by Socket.IO: the server refused the handshake itself.
    if (!this.socket.active) {
      this.notify(`Could not connect: ${error.message}`);
      this.setStatus('offline');
    }
  };

  private readonly onSessionEnded = ({ message }: { message: string }): void => {
    this.status = 'offline';
    this.publish();
    this.notify(message);
    // Stopped first: the disconnect that follows must not reconnect.
    this.stop();
    this.options.onSessionEnded?.(message);
  };

  /** Someone joined or left the board: its people, to name the cards' assignees. */
  private readonly onPeople = ({ boardId, people }: { boardId: string; people: PersonDTO[] }): void => {
    if (!this.running || boardId !== this.boardId) return;
    this.people = people;
    this.publish();
  };

  private readonly onRemoved = ({ boardId }: { boardId: string }): void => {
    if (boardId !== this.boardId) return;
    this.removed = true;
    this.status = 'offline';
    this.publish();
    this.notify('You were removed from this board');
    this.stop();
  };
}
