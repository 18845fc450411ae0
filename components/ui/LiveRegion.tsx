'use client';

/**
 * A live region that is always in the page (a region added together with its text is often not read)
 * and visually hidden. A new message replaces the last; the same message said twice in a row is told
 * apart by `count`, so it is read again.
 */
export function LiveRegion({ message, count = 0, politeness = 'polite', testId }: { message: string; count?: number; politeness?: 'polite' | 'assertive'; testId?: string }) {
  return (
    // aria-live without a role: the page's toasts are its statuses (role="status"), this only speaks.
    <div aria-live={politeness} aria-atomic="true" className="sr-only" data-testid={testId}>
      {/* A key per message: React replaces the text node, which screen readers take as new. */}
      <span key={count}>{message}</span>
    </div>
  );
}
