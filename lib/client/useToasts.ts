'use client';
import { useCallback, useEffect, useRef, useState } from 'react';

export type ToastTone = 'error' | 'info';

/** A button a toast offers (the Undo of one's last move). */
export interface ToastAction {
  label: string;
  /** Keys that do the same, for aria-keyshortcuts ("Control+Z Meta+Z"). */
  keys?: string;
  run(): void;
}

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
  action?: ToastAction;
}

export interface ToastOptions {
  action?: ToastAction;
  /** How long it stays; TOAST_MS unless given. */
  durationMs?: number;
}

/** Long enough to read a WIP-limit message aloud at standup. */
const TOAST_MS = 7_000;
const MAX_TOASTS = 4;

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, number>());

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
    const timer = timers.current.get(id);
    if (timer !== undefined) window.clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  /** Shows a toast; returns its id (to dismiss it early). */
  const notify = useCallback(
    (message: string, tone: ToastTone = 'error', options: ToastOptions = {}): number => {
      const id = nextId.current++;
      setToasts((list) => [...list, { id, message, tone, ...(options.action ? { action: options.action } : {}) }].slice(-MAX_TOASTS));
      timers.current.set(
        id,
        window.setTimeout(() => dismiss(id), options.durationMs ?? TOAST_MS),
      );
      return id;
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, []);

  return { toasts, notify, dismiss };
}
