'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Viewer } from '../shared/protocol';
import type { FlowSocket } from './socket';

export interface Presence {
  viewers: Viewer[];
  /** Card id → name of the other person dragging it right now. */
  movingBy: ReadonlyMap<string, string>;
  /** Tells the others which card this tab is dragging (null when it lets go). */
  announceDrag(cardId: string | null): void;
  selfId: string | null;
}

interface RemoteDrag {
  name: string;
  cardId: string;
}

/** Who is looking and who is dragging what. Memory only, never board state. */
export function usePresence(socket: FlowSocket | null, boardId: string): Presence {
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [drags, setDrags] = useState<ReadonlyMap<string, RemoteDrag>>(new Map());
  const [selfId, setSelfId] = useState<string | null>(null);

  useEffect(() => {
    if (!socket) return;
    const onViewers = (payload: { boardId: string; viewers: Viewer[] }) => {
      if (payload.boardId !== boardId) return;
      setViewers(payload.viewers);
      const present = new Set(payload.viewers.map((v) => v.id));
      setDrags((prev) => new Map([...prev].filter(([viewerId]) => present.has(viewerId))));
    };
    const onDrag = (payload: { boardId: string; viewerId: string; name: string; cardId: string | null }) => {
      if (payload.boardId !== boardId) return;
      setDrags((prev) => {
        const next = new Map(prev);
        if (payload.cardId === null) next.delete(payload.viewerId);
        else next.set(payload.viewerId, { name: payload.name, cardId: payload.cardId });
        return next;
      });
    };
    const onConnect = () => setSelfId(socket.id ?? null);
    const onDisconnect = () => {
      // Whatever we knew is stale until the rejoin sends a fresh list.
      setViewers([]);
      setDrags(new Map());
    };
    socket.on('presence:viewers', onViewers);
    socket.on('presence:drag', onDrag);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) onConnect();
    return () => {
      socket.off('presence:viewers', onViewers);
      socket.off('presence:drag', onDrag);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
    };
  }, [socket, boardId]);

  const announceDrag = useCallback(
    (cardId: string | null) => {
      if (socket?.connected) socket.volatile.emit('presence:drag', { boardId, cardId });
    },
    [socket, boardId],
  );

  const movingBy = useMemo(() => {
    const map = new Map<string, string>();
    for (const [viewerId, drag] of drags) if (viewerId !== selfId) map.set(drag.cardId, drag.name);
    return map;
  }, [drags, selfId]);

  return { viewers, movingBy, announceDrag, selfId };
}
