'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ValueStreamAnswer } from '../shared/flow/vsm';
import { joinFlowRoom } from './flowRoom';
import type { FlowStatus } from './useFlowData';

/**
 * The page asks again this long after the last board event: a burst of moves is one read. The map is
 * a replay of the whole log (in the server's heavy-read worker, shared by every viewer of a version),
 * not a fold the browser can do per event as the flow page does.
 */
const REFRESH_DEBOUNCE_MS = 600;

export interface ValueStreamQuery {
  from: string;
  to: string;
  tz: string;
  lane?: string;
  class?: string;
}

/** The value stream map of a range, read again whenever the board changes. */
export function useValueStream(boardId: string, query: ValueStreamQuery | null) {
  const [answer, setAnswer] = useState<ValueStreamAnswer | null>(null);
  const [status, setStatus] = useState<FlowStatus>('loading');
  const [error, setError] = useState<string | null>(null);
  /** The query the shown answer (or error) is for: a new range is loading until it matches. */
  const [settledKey, setSettledKey] = useState<string | null>(null);
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = query ? new URLSearchParams({ from: query.from, to: query.to, tz: query.tz, ...(query.lane ? { lane: query.lane } : {}), ...(query.class ? { class: query.class } : {}) }).toString() : '';
  const latest = useRef(0);

  const load = useCallback(async () => {
    if (!key) return;
    const ask = ++latest.current;
    try {
      const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/flow/vsm?${key}`, { cache: 'no-store' });
      const body = (await res.json()) as ValueStreamAnswer | { error: { message: string } };
      // An older answer that arrives after a newer ask is dropped.
      if (ask !== latest.current) return;
      if (!res.ok || 'error' in body) throw new Error('error' in body ? body.error.message : `The server answered ${res.status}`);
      version.current = body.version;
      setAnswer(body);
      setError(null);
      setSettledKey(key);
    } catch (e) {
      if (ask !== latest.current) return;
      setError(e instanceof Error ? e.message : String(e));
      setSettledKey(key);
    }
  }, [boardId, key]);

  const loadRef = useRef(load);
  const refresh = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void loadRef.current(), REFRESH_DEBOUNCE_MS);
  }, []);

  useEffect(() => {
    loadRef.current = load;
    // Asked from a task of its own: a new range's read starts after this render is committed.
    const first = setTimeout(() => void load(), 0);
    return () => clearTimeout(first);
  }, [load]);

  useEffect(() => {
    const leave = joinFlowRoom(boardId, {
      onStatus: setStatus,
      // Anything committed while we were away: read again.
      onJoined: (joined) => {
        if (joined > version.current) refresh();
      },
      onEvent: (event) => {
        if (event.version > version.current) refresh();
      },
    });
    return () => {
      leave();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [boardId, refresh]);

  return { answer, status: error && !answer ? ('error' as const) : status, error, loading: settledKey !== key, reload: load };
}
