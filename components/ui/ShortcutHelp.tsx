'use client';
import { useEffect, useRef } from 'react';
import { Modal } from './Modal';

export interface Shortcut {
  /** Each entry is one key or chord, shown as a <kbd>; alternatives are separate entries. */
  keys: readonly string[];
  does: string;
}

/** Whether a key press belongs to something the person is typing into (a field, an editor). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** While a modal dialog is open its own keys rule: page shortcuts wait. */
export const dialogOpen = () => document.querySelector('dialog[open]') !== null;

/** Calls `open` when `?` is pressed outside a field and outside a dialog. */
export function useHelpKey(open: () => void): void {
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target) || dialogOpen()) return;
      e.preventDefault();
      openRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Every shortcut of a page, in a dialog (opened with `?` or its button). */
export function ShortcutHelp({ title, shortcuts, onClose, note }: { title: string; shortcuts: readonly Shortcut[]; onClose(): void; note?: string }) {
  return (
    <Modal title={title} onClose={onClose} testId="shortcut-help" size="md" description={note}>
      <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
        {shortcuts.map((s) => (
          <div key={s.does} className="contents">
            <dt className="flex flex-wrap items-start gap-1">
              {s.keys.map((k, i) => (
                <span key={k} className="flex items-center gap-1">
                  {i > 0 ? <span className="text-slate-500">or</span> : null}
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs font-semibold text-slate-800 shadow-sm">{k}</kbd>
                </span>
              ))}
            </dt>
            <dd className="text-slate-700">{s.does}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
