import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
// oxlint-disable-next-line import/no-unassigned-import -- Next loads global CSS through a side-effect import
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Flowboard', template: '%s · Flowboard' },
  description: 'A real-time Kanban board for a DevOps value stream: hard WIP limits, defects never passed downstream silently.',
};

/**
 * Every page renders per request: its scripts carry that request's CSP nonce
 * (lib/server/http/securityHeaders.ts), which a page prerendered at build time could not.
 */
export const dynamic = 'force-dynamic';

export const viewport: Viewport = {
  themeColor: '#0f172a',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">{children}</body>
    </html>
  );
}
