'use client';
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  testId?: string;
  /** Where focus goes when the dialog closes if the element that opened it is gone (it re-rendered). */
  returnFocus?: () => HTMLElement | null;
  size?: 'sm' | 'md' | 'lg';
  description?: ReactNode;
}

const FIELDS = 'input:not([type="hidden"]):not([disabled]):not([readonly]), textarea:not([disabled]):not([readonly]), select:not([disabled])';

/** The field a dialog opens in: one marked data-autofocus, else the first of its body. */
function firstField(dialog: HTMLDialogElement): HTMLElement | null {
  return dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(`[data-modal-body] :is(${FIELDS})`);
}

const WIDTH = { sm: 'max-w-md', md: 'max-w-xl', lg: 'max-w-3xl' } as const;

/**
 * A modal on the native <dialog>: the browser makes the rest of the page inert (focus stays
 * inside), closes it on Escape, and puts it in the top layer above the board.
 */
export function Modal({ title, onClose, children, testId, returnFocus, size = 'sm', description }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  const returnFocusRef = useRef(returnFocus);
  const openerRef = useRef<HTMLElement | null | undefined>(undefined);
  const pressedOnBackdrop = useRef(false);

  useEffect(() => {
    onCloseRef.current = onClose;
    returnFocusRef.current = returnFocus;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Captured once: under StrictMode's second mount the focus is already inside the dialog.
    if (openerRef.current === undefined) {
      openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    }
    if (!dialog.open) {
      dialog.showModal();
      // The browser focuses the first focusable element, the close button; a dialog that asks for
      // something starts in its first field (or the one marked data-autofocus) instead.
      firstField(dialog)?.focus();
    }
    return () => {
      // No dialog.close() here: it queues a 'close' event that would call onClose after the
      // re-mount. Removing the element ends the modal state without an event.
      // The opener, unless it is gone or was the page itself (a keyboard drop can leave focus nowhere).
      const opener = openerRef.current?.isConnected && openerRef.current !== document.body ? openerRef.current : null;
      const target = opener ?? returnFocusRef.current?.();
      target?.focus();
      // What closing it changed may redraw the opener (a card put back in its work center) after
      // this: focus is not left on the page's body, it goes to the opener as it is drawn then.
      requestAnimationFrame(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        const again = opener?.isConnected ? opener : returnFocusRef.current?.();
        again?.focus();
      });
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onClose={() => onCloseRef.current()}
      onPointerDown={(e) => {
        // The backdrop belongs to the dialog element itself; the content fills the rest of it.
        pressedOnBackdrop.current = e.target === e.currentTarget;
      }}
      onClick={(e) => {
        if (pressedOnBackdrop.current && e.target === e.currentTarget) onCloseRef.current();
      }}
      className={`m-auto w-[calc(100%-2rem)] ${WIDTH[size]} rounded-2xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-[rgb(2_6_23/0.5)] backdrop:backdrop-blur-[1px]`}
    >
      <div className="flex max-h-[85dvh] flex-col">
        <header className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
          <div className="min-w-0">
            <h2 id={titleId} className="text-lg font-semibold leading-tight">
              {title}
            </h2>
            {description ? (
              <div id={descriptionId} className="mt-1 text-sm text-slate-600">
                {description}
              </div>
            ) : null}
          </div>
          <button
            type="button"
            onClick={() => onCloseRef.current()}
            aria-label="Close"
            className="-m-1 rounded-lg p-1 text-xl leading-none text-slate-500 outline-sky-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2"
          >
            ×
          </button>
        </header>
        <div className="overflow-y-auto px-5 py-4" data-modal-body>
          {children}
        </div>
      </div>
    </dialog>
  );
}
