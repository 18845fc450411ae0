/**
 * Floor of the big-board benchmark: node:http serving files from memory, nothing else. `/page` is the
 * board page exactly as the app rendered it (the same bytes: the floor of the page's server time);
 * `/dom` is that page without its scripts (the same DOM and stylesheets with nothing to hydrate: the
 * floor of the time until the board is usable); `/_next/static/*` come from the production build, so
 * the stylesheets are the app's own.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { ROOT } from '../lib/paths';

const pageFile = process.env.FLOOR_PAGE_FILE;
if (!pageFile) throw new Error('Set FLOOR_PAGE_FILE to the captured board page');
const page = readFileSync(pageFile);
// Every script goes, inline or not: what is left is markup and stylesheets.
const dom = Buffer.from(page.toString('utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ''));
const STATIC_DIR = join(ROOT, '.next', 'static');
const TYPES: Record<string, string> = { css: 'text/css', js: 'text/javascript', woff2: 'font/woff2', svg: 'image/svg+xml' };
const cache = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const url = (req.url ?? '/').split('?')[0] ?? '/';
  if (url === '/page' || url === '/dom') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(url === '/page' ? page : dom);
    return;
  }
  if (url.startsWith('/_next/static/')) {
    const path = normalize(join(STATIC_DIR, url.slice('/_next/static/'.length)));
    if (path.startsWith(STATIC_DIR)) {
      try {
        let body = cache.get(path);
        if (!body) cache.set(path, (body = readFileSync(path)));
        res.writeHead(200, { 'content-type': TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream' });
        res.end(body);
        return;
      } catch {
        // Falls through to the 404.
      }
    }
  }
  res.writeHead(404).end();
});

server.listen(0, '127.0.0.1', () => {
  console.log(`static page floor on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
