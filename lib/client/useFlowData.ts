'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardEvent } from '../shared/domain/types';
import type { FlowData, FlowRange } from '../shared/flow/data';
import { foldEvent } from '../shared/flow/live';
import { joinFlowRoom } from './flowRoom';

export type FlowStatus = 'loading' | 'live' | 'offline' | 'error';

/** A reload asked for by events (work centers changed) waits this long to batch a burst of them. */
const RELOAD_DEBOUNCE_MS = 300;

/**
 * The flow page's data: fetched once per range, then kept live by folding each committed board
 * event into it in the browser (lib/shared/flow/live.ts). Events at or below the loaded version are ignored;
 * a gap, or a change that reorders history, reloads.
 */
export function useFlowData(boardId: string, range: FlowRange | null) {
  const [data, setData] = useState<FlowData | null>(null);
  const [status, setStatus] = useState<FlowStatus>('loading');
  const [error, setError] = useState<string | null>(null);
  const dataRef = useRef<FlowData | null>(null);
  const pending = useRef<BoardEvent[]>([]);
  const loading = useRef(false);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const rangeKey = range ? `${range.from}|${range.to}|${range.interval}|${range.tz}|${range.lane ?? ''}|${range.class ?? ''}` : '';

  const apply = useCallback((event: BoardEvent): boolean => {
    const current = dataRef.current;
    if (!current) return true;
    const result = foldEvent(current, event);
    if (result.kind === 'reload') return false;
    if (result.kind === 'applied') {
      dataRef.current = result.data;
      setData(result.data);
    }
    return true;
  }, []);

  const load = useCallback(async () => {
    if (!range) return;
    loading.current = true;
    try {
      const q = new URLSearchParams({ from: range.from, to: range.to, interval: range.interval, tz: range.tz, ...(range.lane ? { lane: range.lane } : {}), ...(range.class ? { class: range.class } : {}) });
      const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/flow?${q}`, { cache: 'no-store' });
      const body = (await res.json()) as FlowData | { error: { message: string } };
      if (!res.ok || 'error' in body) throw new Error('error' in body ? body.error.message : `HTTP ${res.status}`);
      dataRef.current = body;
      setError(null);
      // Events that arrived during the fetch: those above the loaded version are folded in now.
      const queued = pending.current.toSorted((a, b) => a.version - b.version);
      pending.current = [];
      let ok = true;
      for (const e of queued) ok = ok && apply(e);
      setData(dataRef.current);
      loading.current = false;
      if (!ok) scheduleReload();
    } catch (e) {
      loading.current = false;
      setError(e instanceof Error ? e.message : String(e));
      setStatus('error');
    }
    // scheduleReload is stable (declared below with useCallback and refs only).
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [boardId, rangeKey, apply]);

  // The socket outlives range changes: it reaches the current loader through a ref.
  const loadRef = useRef(load);
  const scheduleReload = useCallback(() => {
    if (reloadTimer.current) clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void loadRef.current(), RELOAD_DEBOUNCE_MS);
  }, []);

  useEffect(() => {
    loadRef.current = load;
    void load();
  }, [load]);

  useEffect(() => {
    return joinFlowRoom(boardId, {
      onStatus: setStatus,
      // Anything committed while we were away: fetch again rather than guess.
      onJoined: (version) => {
        if (dataRef.current && version > dataRef.current.version) scheduleReload();
      },
      onEvent: (event) => {
        if (loading.current || !dataRef.current) {
          pending.current.push(event);
          return;
        }
        if (!apply(event)) scheduleReload();
      },
    });
  }, [boardId, apply, scheduleReload]);

  useEffect(
    () => () => {
      if (reloadTimer.current) clearTimeout(reloadTimer.current);
    },
    [],
  );

  return { data, status, error, reload: load };
}
