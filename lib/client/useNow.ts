'use client';
import { useSyncExternalStore } from 'react';

/** Card ages are shown in minutes at the finest, so a minute tick is enough. */
const TICK_MS = 60_000;
let now = Date.now();

function subscribe(onChange: () => void): () => void {
  now = Date.now();
  const timer = window.setInterval(() => {
    now = Date.now();
    onChange();
  }, TICK_MS);
  return () => window.clearInterval(timer);
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
