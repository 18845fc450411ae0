'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Failure, StandupAck } from '../shared/protocol';
import type { StandupState, StandupStateMessage } from '../shared/standup';
import { request, type FlowSocket } from './socket';

export interface StandupSession {
  /** The board's standup as the server last said; null until the first answer. */
  state: StandupState | null;
  /** The server's clock minus the browser's (ms): the shared timer reads the server's time. */
  offsetMs: number;
  /** This tab leads. */
  presenting: boolean;
  lead(): Promise<StandupAck>;
  release(): Promise<StandupAck>;
  step(columnId: string, cardId: string | null): Promise<StandupAck>;
  startTimer(timeboxMinutes?: number, columnBudgetMinutes?: number): Promise<StandupAck>;
  stopTimer(): Promise<StandupAck>;
}

const OFFLINE: Failure = { ok: false, code: 'UNAVAILABLE', message: 'Not connected: the standup catches up when the connection is back' };

/**
 * A board's standup over the board's socket: opened on every (re)connect, closed on unmount. Each
 * `standup:state` (and each ack) replaces the state when it is newer; the browser's clock is
 * corrected by the server's `now` sent with it.
 */
export function useStandup(socket: FlowSocket | null, boardId: string, onRefusal: (message: string) => void): StandupSession {
  const [state, setState] = useState<StandupState | null>(null);
  const [offsetMs, setOffsetMs] = useState(0);
  const [selfId, setSelfId] = useState<string | null>(null);
  const refusalRef = useRef(onRefusal);
  useEffect(() => {
    refusalRef.current = onRefusal;
  });

  const take = useCallback(
    (message: StandupStateMessage) => {
      if (message.boardId !== boardId) return;
      const { now, ...next } = message;
      setOffsetMs(now - Date.now());
      setState((current) => (current && current.seq > next.seq ? current : next));
    },
    [boardId],
  );

  useEffect(() => {
    if (!socket) return;
    const open = () => {
      setSelfId(socket.id ?? null);
      void request(socket, 'standup:join', { boardId })
        .then((ack) => (ack.ok ? take(ack.state) : refusalRef.current(ack.message)))
        .catch(() => {});
    };
    const closed = () => setState((s) => (s ? { ...s, presenter: null } : s));
    socket.on('standup:state', take);
    socket.on('connect', open);
    socket.on('disconnect', closed);
    if (socket.connected) open();
    return () => {
      socket.off('standup:state', take);
      socket.off('connect', open);
      socket.off('disconnect', closed);
      if (socket.connected) socket.emit('standup:leave', { boardId }, () => {});
    };
  }, [socket, boardId, take]);

  const send = useCallback(
    async (run: (s: FlowSocket) => Promise<StandupAck>): Promise<StandupAck> => {
      if (!socket?.connected) {
        refusalRef.current(OFFLINE.message);
        return OFFLINE;
      }
      const ack = await run(socket).catch((): StandupAck => ({ ok: false, code: 'UNAVAILABLE', message: 'The server did not answer in time' }));
      if (ack.ok) take(ack.state);
      else refusalRef.current(ack.message);
      return ack;
    },
    [socket, take],
  );

  return {
    state,
    offsetMs,
    presenting: state?.presenter !== null && state?.presenter !== undefined && state.presenter.id === selfId,
    lead: () => send((s) => request(s, 'standup:lead', { boardId })),
    release: () => send((s) => request(s, 'standup:release', { boardId })),
    step: (columnId, cardId) => send((s) => request(s, 'standup:step', { boardId, columnId, cardId })),
    startTimer: (timeboxMinutes, columnBudgetMinutes) =>
      send((s) =>
        request(s, 'standup:timer', {
          boardId,
          action: 'start',
          ...(timeboxMinutes ? { timeboxMinutes } : {}),
          ...(columnBudgetMinutes ? { columnBudgetMinutes } : {}),
        }),
      ),
    stopTimer: () => send((s) => request(s, 'standup:timer', { boardId, action: 'stop' })),
  };
}

