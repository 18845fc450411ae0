/**
 * The webhook receivers of the webhooks benchmark, in a process of their own (a receiver is another
 * machine's business: its work must not fall on the benchmark's clients). `/fast/*` answers at once,
 * `/slow/*` after BENCH_SLOW_MS; `GET /counts` says how many deliveries each path got.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const slowMs = Number(process.env.BENCH_SLOW_MS ?? 5000);
const counts = new Map<string, number>();
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  if (req.method === 'GET' && path === '/counts') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(Object.fromEntries(counts)));
    return;
  }
  req.resume();
  req.on('end', () => {
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (path.startsWith('/slow')) setTimeout(() => res.end('ok'), slowMs).unref();
    else res.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`webhook receivers on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
