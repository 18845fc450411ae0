'use client';
import { createContext, use, useSyncExternalStore } from 'react';

/** Card ages are shown in minutes at the finest, so a minute tick is enough. */
const TICK_MS = 60_000;
let now = Date.now();
/**
 * One timer for every subscriber: each card's age subscribes on its own (so a tick redraws the
 * labels that changed, not the thousand cards), and a thousand intervals would drift apart.
 */
const listeners = new Set<() => void>();
let timer: number | undefined;

export function subscribeClock(onChange: () => void): () => void {
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

/** The browser's time as of the last tick. */
export function readClock(): number {
  return now;
}

/**
 * When the server rendered the page (epoch ms), or null where nobody provides it. Hydration reads
 * the clock at this time, so the ages in the server's HTML are the ones the browser hydrates; the
 * browser's own time takes over right after, and only the labels it changes are drawn again.
 */
export const RenderedAtContext = createContext<number | null>(null);

/**
 * A value derived from the clock, such as a card's "3d". A component redraws when the value
 * changes, not on every tick. Null while hydrating a page that did not say when it was rendered.
 * `derive` must return a primitive (compared with Object.is).
 */
export function useClock<T extends string | number | boolean | null>(derive: (now: number) => T): T | null {
  const renderedAt = use(RenderedAtContext);
  return useSyncExternalStore(
    subscribeClock,
    () => derive(now),
    () => (renderedAt === null ? null : derive(renderedAt)),
  );
}

const identity = (t: number) => t;

/** The current time, refreshed every minute (see useClock for hydration). */
export function useNow(): number | null {
  return useClock(identity);
}
