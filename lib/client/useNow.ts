'use client';
import { useSyncExternalStore } from 'react';

/** Card ages are shown in minutes at the finest, so a minute tick is enough. */
const TICK_MS = 60_000;
let now = Date.now();
/**
 * One timer for every subscriber: each card's age subscribes on its own (so a tick redraws the
 * thousand small labels, not the thousand cards), and a thousand intervals would drift apart.
 */
const listeners = new Set<() => void>();
let timer: number | undefined;

function subscribe(onChange: () => void): () => void {
  if (listeners.size === 0) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      for (const listener of listeners) listener();
    }, TICK_MS);
  }
  listeners.add(onChange);
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0) window.clearInterval(timer);
  };
}

/**
 * The current time, refreshed every minute; null during server rendering and hydration so that
 * relative times never make the server's HTML disagree with the browser's first render.
 */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}
