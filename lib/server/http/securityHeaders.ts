import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The security headers of every response the server sends: pages, static assets, REST, auth and
 * Socket.IO's HTTP handshake. Set in one place, the HTTP server's first request listener
 * (lib/server/app.ts), before anyone else writes a header; the others' writeHead merges them in.
 *
 * Scripts: a fresh nonce per request plus 'strict-dynamic'. Next reads the nonce from the REQUEST's
 * Content-Security-Policy header (as its proxy convention sets it) and puts it on every inline and
 * bootstrap script it renders; the scripts those load are trusted through 'strict-dynamic'. The
 * request header is overwritten, so a client cannot choose the nonce. Pages must render per
 * request for this (app/layout.tsx: force-dynamic).
 *
 * Styles: stylesheets and <style> elements need 'self' or the nonce, but style ATTRIBUTES are allowed
 * ('unsafe-inline' in style-src-attr only). React renders `style={…}` as attributes in the server's
 * HTML (work-center widths, the charts, dnd-kit's drag transforms); a nonce cannot cover an
 * attribute, and an attribute can neither run script nor load anything.
 */

/** The document may not be framed anywhere (clickjacking); frame-ancestors for browsers, X-Frame-Options for old ones. */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Dev only: React's dev tools and Next's fast refresh evaluate code.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The socket (same origin, ws: included by 'self'); dev adds Next's hot-reload socket, same origin too.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(nonce: string, dev: boolean): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce, dev),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Invitation links carry their token in the path: no address leaves in a Referer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** Sets the headers on the response, and the policy on the request for Next to take its nonce from. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const headers = securityHeaders(randomBytes(16).toString('base64'), dev);
  req.headers['content-security-policy'] = headers['content-security-policy'];
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
