/**
 * The value stream map (GET /flow/vsm): its work on the server as the heavy-read worker does it
 * (lib/server/vsm.ts runValueStream: read the board's whole log, replay it into visits, sum a
 * 90-day range, serialise), on two boards:
 *  - the demo board (eight weeks of a small team's history), the everyday case;
 *  - the flow benchmark's board of 1,000,000 events over two years (bench/flow.ts), the worst case:
 *    the map is a replay of the whole log, so its cost grows with the log, not the range.
 * The map reads the board's own events and the whole history of the cards with an event in the
 * range (lib/server/vsm.ts rangeEvents). The floor is one indexed scan, as for the flow page: counting
 * the board's events in the same 90 days. No target: the page reads it again after a burst of
 * changes, in the worker, one answer per board version shared by every viewer.
 * Run alone with `node --import tsx bench/vsm.ts [--quick]`, or as `npm run bench -- vsm`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../db/engine';
import { openSqlite } from '../db/sqlite/engine';
import { createStore } from '../db/store';
import { seedDemoBoard } from '../lib/server/seed';
import { runValueStream } from '../lib/server/vsm';
import { DAY_MS, addDays, dateOf, formatDate, parseDate, startOfDate, type CalendarDate } from '../lib/shared/flow/time';
import { ensureBoard } from './flow';
import { summarize } from './lib/stats';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

const RANGE_DAYS = 90;
const TZ = 'Europe/Berlin';
/** The flow benchmark's clock: its history ends here. */
const END = Date.UTC(2026, 0, 1);

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(engine: Engine, boardId: string, end: number, runs: number) {
  const to = dateOf(end - 1, TZ);
  const range = { from: formatDate(addDays(to, -(RANGE_DAYS - 1))), to: formatDate(to), interval: 'day' as const, tz: TZ };
  const job = { kind: 'vsm' as const, boardId, range, now: end };
  const version = await engine.read(async (sql) => Number((await sql.get<{ version: number }>('select version from boards where id = ?', [boardId]))?.version));
  const [start, stop] = [startOfDate(parseDate(range.from) as CalendarDate, TZ), startOfDate(addDays(to, 1), TZ)];
  const readLog = () => engine.read((sql) => sql.get('select count(*) as n from events where board_id = ? and at >= ? and at < ?', [boardId, start, stop]));
  const probe = JSON.parse(await runValueStream(engine, job)) as { workCenters: { name: string; departed: number }[]; summary: unknown };
  const app: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(await time(readLog));
    app.push(await time(() => runValueStream(engine, job)));
  }
  return { app: summarize(app), floor: summarize(floor), events: version, probe };
}

export async function runVsmBench(options: { runs?: number; bigRuns?: number; log?: (m: string) => void } = {}): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => console.error(`[vsm] ${m}`));
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-vsm-bench-'));
  const demoEngine = openSqlite(join(dir, 'demo.db'));
  try {
    const store = createStore(demoEngine);
    const demo = await seedDemoBoard(store, END);
    await store.flow.settle(demo.id);
    const small = await measure(demoEngine, demo.id, END, options.runs ?? 20);
    log(`demo board: ${small.events} events, ${JSON.stringify(small.probe.summary)}`);

    const path = await ensureBoard(log);
    const bigEngine = openSqlite(path);
    try {
      const boardId = (bigEngine.sqlite.prepare('select id from boards limit 1').get() as { id: string }).id;
      const big = await measure(bigEngine, boardId, END, options.bigRuns ?? 3);
      log(`1M board: ${big.events} events, ${JSON.stringify(big.probe.summary)}`);
      const rows: Row[] = [
        { benchmark: 'vsm', metric: `GET /flow/vsm on the server, demo board (${small.events.toLocaleString('en')} events, 90 days)`, unit: 'ms', app: small.app, floor: small.floor },
        { benchmark: 'vsm', metric: `GET /flow/vsm on the server, ${big.events.toLocaleString('en')} events (90 days)`, unit: 'ms', app: big.app, floor: big.floor },
      ];
      return { rows, details: { demoEvents: small.events, bigEvents: big.events, rangeDays: RANGE_DAYS, spanMs: DAY_MS * RANGE_DAYS } };
    } finally {
      await bigEngine.close();
    }
  } finally {
    await demoEngine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const vsm: BenchModule = {
  name: 'vsm',
  description: 'value stream map: the whole log replayed for a 90-day map, on the demo board and on 1,000,000 events',
  run: (ctx: BenchContext) => runVsmBench({ runs: ctx.quick ? 3 : 20, bigRuns: ctx.quick ? 1 : 3, log: ctx.log }),
};

const fmt = (v: number) => v.toFixed(1).padStart(9);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const result = await runVsmBench({ runs: quick ? 3 : 20, bigRuns: quick ? 1 : 3 });
  console.log(`${'metric'.padEnd(72)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)} | floor median`);
  for (const r of result.rows) console.log(`${r.metric.padEnd(72)} ${fmt(r.app.median)} ${fmt(r.app.min)} ${fmt(r.app.max)} | ${fmt(r.floor.median)} ms`);
  console.log(JSON.stringify(result.details));
}
