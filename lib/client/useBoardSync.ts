'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardEvent, BoardSnapshot } from '../domain/types';
import type { Ack, Failure } from '../realtime/protocol';
import { newId } from './ids';
import { claimSocket, request, takeSocket, type FlowSocket } from './socket';
import {
  addPending,
  computeView,
  dropPending,
  initialSyncState,
  markAcked,
  receiveEvent,
  receiveEvents,
  replaceSnapshot,
  type Apply,
  type SyncState,
} from './syncState';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** After this many catch-ups in a row that still leave a gap, ask for a whole snapshot instead. */
const MAX_INCREMENTAL_JOINS = 3;
const JOIN_RETRY_MS = 2_000;

export type Send<T extends object> = (socket: FlowSocket, clientMutationId: string) => Promise<Ack<T>>;

export interface BoardSync {
  view: BoardSnapshot;
  status: ConnectionState;
  socket: FlowSocket | null;
  /** This account was removed from the board while it was open: it gets nothing more. */
  removed: boolean;
  /** Applies `apply` at once (unless null), sends, and rolls back with a toast if the server refuses. */
  mutate<T extends object>(apply: Apply | null, send: Send<T>): Promise<Ack<T>>;
}

function failure(message: string): Failure {
  return { ok: false, code: 'INTERNAL', message };
}

/**
 * The board as this tab sees it: the server's snapshot, live events in version order, and this
 * tab's pending changes on top. Joins on every (re)connect with the version it has, so a dropped
 * connection catches up without a reload.
 */
export function useBoardSync(initial: BoardSnapshot, notify: (message: string) => void): BoardSync {
  const boardId = initial.id;
  const [sync, setSync] = useState<SyncState>(() => initialSyncState(initial));
  const syncRef = useRef(sync);
  const notifyRef = useRef(notify);
  const rejoinRef = useRef<() => void>(() => {});

  // The connection opened when the board's code loaded (connectEarly), else an idle one the effect
  // below connects, so that StrictMode's extra mount only reconnects it. It authenticates with the
  // session cookie; the name shown to others is the account's.
  const socket = useMemo<FlowSocket | null>(() => takeSocket(), []);
  const [removed, setRemoved] = useState(false);
  const socketRef = useRef(socket);
  // The state belongs to the socket it was reported by, so a new socket starts at 'connecting'.
  const [reported, setReported] = useState<{ socket: FlowSocket | null; status: ConnectionState }>({ socket: null, status: 'connecting' });
  const status = reported.socket === socket && socket !== null ? reported.status : 'connecting';

  useEffect(() => {
    notifyRef.current = notify;
    socketRef.current = socket;
  });

  const commit = useCallback((next: SyncState) => {
    if (next === syncRef.current) return;
    syncRef.current = next;
    setSync(next);
  }, []);

  useEffect(() => {
    if (!socket) return;
    const s = socket;
    claimSocket(s);
    const setStatus = (next: ConnectionState) => setReported({ socket: s, status: next });
    let disposed = false;
    let joining = false;
    let again = false;
    let buffered: BoardEvent[] = [];

    const offlineOrReconnecting = (): ConnectionState => (navigator.onLine ? 'reconnecting' : 'offline');

    /** One join round: 'ok', 'gap' (still behind, go again) or 'failed'. */
    const joinOnce = async (full: boolean): Promise<'ok' | 'gap' | 'failed'> => {
      const sinceVersion = full ? undefined : syncRef.current.confirmed.version;
      const ack = await request(s, 'board:join', { boardId, sinceVersion });
      if (disposed) return 'failed';
      if (!ack.ok) {
        notifyRef.current(ack.message);
        setStatus('offline');
        return 'failed';
      }
      let next = syncRef.current;
      let behind = false;
      if ('snapshot' in ack) {
        next = replaceSnapshot(next, ack.snapshot);
      } else {
        const caughtUp = receiveEvents(next, ack.events);
        next = caughtUp.state;
        behind = caughtUp.gap || next.confirmed.version < ack.version;
      }
      const live = receiveEvents(next, buffered);
      buffered = [];
      commit(live.state);
      return behind || live.gap ? 'gap' : 'ok';
    };

    const join = async () => {
      if (joining) {
        again = true;
        return;
      }
      joining = true;
      try {
        for (let round = 0; ; round++) {
          if (disposed || !s.connected) return;
          again = false;
          const outcome = await joinOnce(round >= MAX_INCREMENTAL_JOINS);
          if (outcome === 'failed') return;
          if (outcome === 'ok' && !again) {
            performance.mark('flowboard:live');
            setStatus('live');
            return;
          }
        }
      } catch {
        // No answer in time: the connection is up but unhealthy. Try again shortly.
        if (!disposed) {
          setStatus(offlineOrReconnecting());
          window.setTimeout(() => void join(), JOIN_RETRY_MS);
        }
      } finally {
        joining = false;
      }
    };
    rejoinRef.current = () => void join();

    const onEvent = (event: BoardEvent) => {
      if (disposed || event.boardId !== boardId) return;
      if (joining) {
        buffered.push(event);
        return;
      }
      const { state, outcome } = receiveEvent(syncRef.current, event);
      if (outcome === 'gap') {
        buffered.push(event);
        void join();
      } else if (outcome === 'applied') {
        commit(state);
      }
    };
    const onConnect = () => {
      performance.mark('flowboard:connected');
      void join();
    };
    const onDisconnect = (reason: string) => {
      setStatus(offlineOrReconnecting());
      // The server closed us on purpose (a restart, say): Socket.IO does not retry that by itself.
      if (reason === 'io server disconnect') s.connect();
    };
    const onConnectError = (error: Error & { data?: { code?: string } }) => {
      // The session ended (signed out elsewhere, expired): sign in again and come back here.
      if (error.data?.code === 'UNAUTHENTICATED') {
        window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      setStatus(offlineOrReconnecting());
      // Not retried by Socket.IO: the server refused the handshake itself.
      if (!s.active) {
        notifyRef.current(`Could not connect: ${error.message}`);
        setStatus('offline');
      }
    };
    const onRemoved = ({ boardId: from }: { boardId: string }) => {
      if (from !== boardId) return;
      disposed = true;
      setRemoved(true);
      setStatus('offline');
      notifyRef.current('You were removed from this board');
      s.disconnect();
    };
    const onOffline = () => setStatus('offline');
    const onOnline = () => {
      if (!s.connected) setStatus('reconnecting');
    };

    // Milestones of opening a board, for the browser's performance timeline (and the benchmarks).
    performance.mark('flowboard:board-mounted');
    s.on('connect', onConnect);
    s.on('board:event', onEvent);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onConnectError);
    s.on('board:removed', onRemoved);
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    // The early connection (connectEarly) may be up already: then it joins now. One still on its way
    // is left alone: connect() on it would send a second handshake and connect twice.
    if (s.connected) onConnect();
    else if (!s.active) s.connect();

    return () => {
      disposed = true;
      rejoinRef.current = () => {};
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      s.off('connect', onConnect);
      s.off('board:event', onEvent);
      s.off('disconnect', onDisconnect);
      s.off('connect_error', onConnectError);
      s.off('board:removed', onRemoved);
      s.disconnect();
    };
  }, [boardId, socket, commit]);

  const mutate = useCallback(
    async <T extends object>(apply: Apply | null, send: Send<T>): Promise<Ack<T>> => {
      const s = socketRef.current;
      if (!s || !s.connected) {
        const refused = failure('Not connected to the board: the change was not sent. Try again once it shows Live.');
        notifyRef.current(refused.message);
        return refused;
      }
      const id = newId();
      if (apply) commit(addPending(syncRef.current, { id, apply }));
      let ack: Ack<T>;
      try {
        ack = await send(s, id);
      } catch {
        ack = failure('The server did not answer in time: the change may not have been saved');
      }
      if (!ack.ok) {
        commit(dropPending(syncRef.current, id));
        notifyRef.current(ack.message);
        return ack;
      }
      commit(markAcked(syncRef.current, id, ack.version));
      // Its event is broadcast before the ack; if we still have not seen it, we missed something.
      if (syncRef.current.confirmed.version < ack.version) rejoinRef.current();
      return ack;
    },
    [commit],
  );

  const view = useMemo(() => computeView(sync), [sync]);
  return { view, status, socket, removed, mutate };
}
