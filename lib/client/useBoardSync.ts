'use client';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { BoardSnapshot, PersonDTO } from '../shared/domain/types';
import { claimSocket, signInAgain, takeSocket, type FlowSocket } from './socket';
import { BoardSyncClient, type ConnectionState } from './sync/BoardSyncClient';

export type { ConnectionState, Send } from './sync/BoardSyncClient';

export interface BoardSync {
  view: BoardSnapshot;
  status: ConnectionState;
  socket: FlowSocket | null;
  /** This account was removed from the board while it was open: it gets nothing more. */
  removed: boolean;
  /** Who the cards can name: the members, and former members still assigned. */
  people: readonly PersonDTO[];
  /** Applies `apply` at once (unless null), sends, and rolls back with a toast if the server refuses. */
  mutate: BoardSyncClient['mutate'];
  /** "Show more" of a big board's work center sent in part. */
  loadMore: BoardSyncClient['loadMore'];
}

/**
 * The board's sync engine (BoardSyncClient) for one mounted board, over the connection opened when
 * the board's code loaded (connectEarly), else an idle one it connects, so that StrictMode's extra
 * mount only reconnects it. The socket authenticates with the session cookie.
 */
export function useBoardSync(initial: BoardSnapshot, notify: (message: string) => void): BoardSync {
  const notifyRef = useRef(notify);
  useEffect(() => {
    notifyRef.current = notify;
  });

  // Made once per mount and started by the effect: a render React throws away leaves nothing open.
  const [client] = useState(() => new BoardSyncClient(takeSocket(), initial));

  useEffect(() => {
    claimSocket(client.socket);
    client.start({
      notify: (message) => notifyRef.current(message),
      isOnline: () => navigator.onLine,
      // The session ended (expired, signed out elsewhere): sign in again and come back here.
      onSessionEnded: signInAgain,
      // Milestones of opening a board, for the browser's performance timeline (and the benchmarks).
      mark: (name) => performance.mark(`flowboard:${name}`),
    });
    const onOffline = () => client.networkChanged(false);
    const onOnline = () => client.networkChanged(true);
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      client.stop();
    };
  }, [client]);

  const { view, status, removed, people } = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
  return { view, status, socket: client.socket, removed, people, mutate: client.mutate, loadMore: client.loadMore };
}
