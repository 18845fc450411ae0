'use client';
import { useSyncExternalStore } from 'react';
import { schemas } from '../realtime/protocol';

/** Who I am on every board: picked once per browser, sent as the Socket.IO handshake name. */
const KEY = 'flowboard:name';
const listeners = new Set<() => void>();

export function isValidName(name: string): boolean {
  return schemas.handshake.safeParse({ name }).success;
}

function read(): string | null {
  try {
    const value = window.localStorage.getItem(KEY);
    return value !== null && isValidName(value) ? value.trim() : null;
  } catch {
    return null;
  }
}

export function saveDisplayName(name: string): void {
  try {
    window.localStorage.setItem(KEY, name.trim());
  } catch {
    // Private mode without storage: the name lives until the tab closes.
    fallback = name.trim();
  }
  for (const listener of listeners) listener();
}

let fallback: string | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** undefined while server-rendering or hydrating (not known yet), null when none was picked. */
export function useDisplayName(): string | null | undefined {
  return useSyncExternalStore(
    subscribe,
    () => read() ?? fallback,
    () => undefined,
  );
}

export function guestName(): string {
  return `Guest ${100 + Math.floor(Math.random() * 900)}`;
}
