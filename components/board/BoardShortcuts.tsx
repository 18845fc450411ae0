'use client';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { ShortcutHelp, useHelpKey, type Shortcut } from '../ui/ShortcutHelp';

/** The board's keyboard: what the cards, the drag sensor (lib/client/useCardDrag.ts) and the dialogs answer to. */
export const BOARD_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Tab', 'Shift+Tab'], does: 'Go to the next or previous card, work center or button' },
  { keys: ['Enter'], does: 'On a card: open it (details, blocked, history)' },
  { keys: ['Space'], does: 'On a card: pick it up to move it' },
  { keys: ['←', '→'], does: 'While a card is picked up: carry it to the previous or next work center (or half of a split one)' },
  { keys: ['↑', '↓'], does: 'While a card is picked up: carry it up or down its work center' },
  { keys: ['Space', 'Enter'], does: 'While a card is picked up: drop it there' },
  { keys: ['Escape'], does: 'Cancel a move, close a dialog, stop adding a card or close the menu' },
  { keys: ['Ctrl+Enter', '⌘+Enter'], does: 'In the reason for a backward move: send the card back' },
  { keys: ['Ctrl+Z', '⌘+Z'], does: 'Take back your last move of a card' },
  { keys: ['/'], does: 'Search the card titles (the board’s filters)' },
  { keys: ['Escape'], does: 'In the search: clear it' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

/** The `?` button of the board's header and the dialog it (or the `?` key) opens. */
export function BoardShortcuts({ className = '' }: { className?: string }) {
  const [open, setOpen] = useState(false);
  useHelpKey(() => setOpen(true));
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        className={`rounded-md px-2 py-1 text-sm font-semibold text-slate-300 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400 ${className}`}
        data-testid="open-shortcuts"
      >
        ?
      </button>
      {/* Out of the header: a dialog's own header inside the page's banner would be a banner in a banner. */}
      {open
        ? createPortal(
            <ShortcutHelp title="Keyboard shortcuts: board" shortcuts={BOARD_SHORTCUTS} onClose={() => setOpen(false)} note="The standup view has its own: press ? there." />,
            document.body,
          )
        : null}
    </>
  );
}
