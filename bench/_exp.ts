import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../tests/e2e/browser';
const page0 = readFileSync('/work/main/bench/results/traces/bigboard-page.html', 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
const variants: Record<string, (s: string) => string> = {
  base: (s) => s,
  noCV: (s) => s.replaceAll('class="card-slot"', 'class="card-slot2"'),
  noClamp: (s) => s.replaceAll('class="card-title"', 'class="mt-1"'),
  noExpect: (s) => s.replace(/<link rel="expect"[^>]*>/, ''),
  noMeta: (s) => s.replaceAll('class="card-meta"', 'class="text-xs"'),
};
const css = new Map<string, Buffer>();
let current = page0;
const server = createServer((req, res) => {
  const url = (req.url ?? '/').split('?')[0]!;
  if (url === '/dom') { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(current); return; }
  if (url.startsWith('/_next/static/')) { try { const p = join('/work/main/.next/static', url.slice(14)); let b = css.get(p); if (!b) css.set(p, (b = readFileSync(p))); res.writeHead(200, { 'content-type': p.endsWith('.css') ? 'text/css' : 'application/octet-stream' }); res.end(b); return; } catch {} }
  res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const which = process.argv.slice(2);
const acc: Record<string, string[]> = {};
for (let round = 0; round < 4; round++) for (const name of which.length ? which : Object.keys(variants)) {
  current = variants[name]!(page0);
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await ctx.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.goto(`http://127.0.0.1:${port}/dom`, { waitUntil: 'load' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents as { name: string; ph: string; dur?: number; ts: number }[];
  const sum = (n: string) => trace.filter((e) => e.name === n && e.ph === 'X').reduce((a, e) => a + (e.dur ?? 0), 0) / 1000;
  const fcp = await page.evaluate(() => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? -1);
  if (round > 0) (acc[name] ??= []).push(`parse ${sum('ParseHTML').toFixed(0)} style ${sum('UpdateLayoutTree').toFixed(0)} layout ${sum('Layout').toFixed(0)} prepaint ${sum('PrePaint').toFixed(0)} paint ${sum('Paint').toFixed(0)} fcp ${fcp.toFixed(0)}`);
  await ctx.close();
}
for (const [k, v] of Object.entries(acc)) for (const line of v) console.log(k.padEnd(10), line);
await browser.close(); server.close();
