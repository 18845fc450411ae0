'use client';
import { useEffect, useRef } from 'react';
import type { Toast } from '../../lib/client/useToasts';

/**
 * Toasts live in a manual popover so they sit in the top layer too: a refusal that arrives while
 * a dialog is open (removing a work center that still holds cards) is shown above that dialog.
 */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss(id: number): void }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || typeof el.showPopover !== 'function') return;
    if (el.matches(':popover-open')) el.hidePopover();
    // Re-showing moves it above any dialog opened since.
    if (toasts.length > 0) el.showPopover();
  }, [toasts]);

  return (
    <div
      ref={ref}
      popover="manual"
      className="fixed inset-auto bottom-4 right-4 m-0 w-[min(28rem,calc(100vw-2rem))] overflow-visible border-0 bg-transparent p-0"
    >
      {/* Not a list: each toast is a status (or an alert) of its own, a role a list item cannot take. */}
      <div className="flex flex-col gap-2" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            data-testid="toast"
            data-tone={toast.tone}
            role={toast.tone === 'error' ? 'alert' : 'status'}
            className={`flex items-start gap-3 rounded-xl px-4 py-3 text-sm shadow-lg ring-1 ${
              toast.tone === 'error' ? 'bg-rose-50 text-rose-900 ring-rose-300' : 'bg-white text-slate-800 ring-slate-200'
            }`}
          >
            <span
              aria-hidden
              className={`mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white ${
                toast.tone === 'error' ? 'bg-rose-600' : 'bg-sky-600'
              }`}
            >
              {toast.tone === 'error' ? '!' : 'i'}
            </span>
            <span className="flex-1 leading-snug">{toast.message}</span>
            {toast.action ? (
              <button
                type="button"
                onClick={toast.action.run}
                aria-keyshortcuts={toast.action.keys}
                className="-my-1 rounded-md bg-sky-700 px-2.5 py-1 text-xs font-semibold text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
              >
                {toast.action.label}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => onDismiss(toast.id)}
              aria-label="Dismiss message"
              className="-m-1 rounded p-1 leading-none text-slate-500 hover:text-slate-900"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
