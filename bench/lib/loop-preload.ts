/**
 * Loaded with --import into the server only by the `reads` benchmark: measures the longest stall of
 * the server's event loop (perf_hooks.monitorEventLoopDelay) and answers it on a port of its own, so
 * the app has no such path at all. GET / answers `{ maxMs, p99Ms, meanMs }` (and the memory in MB) since the previous GET
 * and starts a new window. The port is written to the file named by FLOWBOARD_BENCH_LOOP_FILE.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.FLOWBOARD_BENCH_LOOP_FILE;
const ms = (ns: number) => ns / 1e6;
const mb = (bytes: number) => Math.round(bytes / 1e6);
if (file) {
  // 1 ms sampling: a stall shows as one sample as long as the stall.
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const server = createServer((_req, res) => {
    const { heapUsed, external, rss } = process.memoryUsage();
    const body = JSON.stringify({ maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), heapMb: mb(heapUsed), externalMb: mb(external), rssMb: mb(rss) });
    histogram.reset();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') writeFileSync(file, String(address.port));
  });
  server.unref();
}
