'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardEvent, BoardSnapshot } from '../shared/domain/types';
import { AnnounceQueue, remoteChangeMessage } from './announce';
import type { FlowSocket } from './socket';

export interface Announcement {
  message: string;
  /** Counts the messages, so the same sentence twice is read twice (LiveRegion). */
  count: number;
}

const NOTHING: Announcement = { message: '', count: 0 };

/** A message for a live region, set from anywhere: `say` replaces the last one. */
export function useSay() {
  const [said, setSaid] = useState<Announcement>(NOTHING);
  const say = useCallback((message: string) => setSaid((prev) => ({ message, count: prev.count + 1 })), []);
  return { said, say };
}

/**
 * Other people's changes to the board as they arrive, one throttled sentence at a time (announce.ts).
 * The sentence is made from the board as this page showed it, so a deleted card still has its title.
 */
export function useRemoteAnnouncements(socket: FlowSocket | null, view: BoardSnapshot, selfId: string): Announcement {
  const { said, say } = useSay();
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });

  useEffect(() => {
    if (!socket) return;
    const queue = new AnnounceQueue();
    let timer: number | undefined;
    const flush = () => {
      timer = undefined;
      const message = queue.take(Date.now());
      if (message) say(message);
    };
    const onEvent = (event: BoardEvent) => {
      if (event.boardId !== viewRef.current.id) return;
      const message = remoteChangeMessage(event, viewRef.current, selfId);
      if (!message) return;
      const now = Date.now();
      const due = queue.add(message, event.actor, now);
      if (timer === undefined) timer = window.setTimeout(flush, due - now);
    };
    socket.on('board:event', onEvent);
    return () => {
      socket.off('board:event', onEvent);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [socket, selfId, say]);

  return said;
}
