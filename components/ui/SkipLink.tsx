import type { ReactNode } from 'react';

/**
 * The first tab stop of a page: hidden until focused, it jumps past the header and filters to the
 * page's main part (`target`, an element with tabIndex -1), whose first card is then one Tab away.
 */
export function SkipLink({ target, children }: { target: string; children: ReactNode }) {
  return (
    <a
      href={`#${target}`}
      data-testid="skip-link"
      onClick={(e) => {
        // Focus, not only scroll: the next Tab starts from there.
        const to = document.getElementById(target);
        if (!to) return;
        e.preventDefault();
        to.focus();
      }}
      className="sr-only z-50 rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:px-4 focus:py-2 focus:outline-2 focus:outline-offset-2 focus:outline-sky-700"
    >
      {children}
    </a>
  );
}
