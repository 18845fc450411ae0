/**
 * Forecasts: 10,000 trials for 200 items, the target at most 100 ms on the server. A board
 * with 90 days of history (0 to 3 items finished a day, 1.5 on average: about 133 simulated days per
 * trial, 1.3 million draws a run) is written through the store with its clock; then, each run:
 *  - the function alone: forecastWhen over the 30-day sample;
 *  - the endpoint's work on the server, as the heavy-read worker does it (lib/server/forecast.ts
 *    runForecast): read the history, simulate, simulate the two backtests, serialise;
 *  - the endpoint over HTTP on the real server (its worker thread, auth, JSON), from a client.
 * The floor is the history read alone: the one indexed scan of the finished cards.
 * Run alone with `node --import tsx bench/forecast.ts [--quick]`, or as `npm run bench -- forecast`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../lib/server/app';
import { runForecast } from '../lib/server/forecast';
import { memoryLogger } from '../lib/server/logger';
import { EVERY_DAY, forecastWhen } from '../lib/shared/flow/forecast';
import { DAY_MS, HOUR_MS, addDays, dateOf, formatDate, parseDate, type CalendarDate } from '../lib/shared/flow/time';
import { prng } from '../lib/shared/random';
import { summarize } from './lib/stats';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

const TARGET_MS = 100;
const ITEMS = 200;
const TRIALS = 10_000;
const HISTORY_DAYS = 90;
/** The bench's own clock: the history ends here. */
const END = Date.UTC(2026, 0, 1);

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function runForecastBench(options: { runs?: number; log?: (m: string) => void } = {}): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => console.error(`[forecast] ${m}`));
  const runs = options.runs ?? 30;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-forecast-bench-'));
  let now = END - HISTORY_DAYS * DAY_MS;
  const app = await startApp({
    dbPath: join(dir, 'forecast.db'),
    port: 0,
    host: '127.0.0.1',
    logger: memoryLogger(),
    seed: false,
    writeRate: { perSecond: 0, burst: 0 },
    storeOptions: { clock: () => now },
  });
  try {
    const { store, access, engine } = app;
    const actor = { name: 'bench' };
    const { board } = await store.createBoard({ name: 'Forecast bench', columns: [{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }] }, actor);
    const [todo, doing, done] = board.columns.map((c) => c.id) as [string, string, string];
    const rnd = prng(7);
    let finished = 0;
    for (let day = 0; day < HISTORY_DAYS; day++) {
      const count = rnd.int(4);
      for (let i = 0; i < count; i++) {
        now = END - (HISTORY_DAYS - day) * DAY_MS + (8 + i) * HOUR_MS;
        const { card } = await store.createCard({ boardId: board.id, columnId: todo, title: `Item ${day}.${i}` }, actor);
        now += HOUR_MS;
        await store.moveCard({ cardId: card.id, toColumnId: doing }, actor);
        now += 4 * HOUR_MS;
        await store.moveCard({ cardId: card.id, toColumnId: done }, actor);
        finished++;
      }
    }
    now = END;
    for (let i = 0; i < ITEMS; i++) await store.createCard({ boardId: board.id, columnId: todo, title: `Open ${i}` }, actor);
    await store.flow.settle(board.id);
    log(`${finished} items finished over ${HISTORY_DAYS} days, ${ITEMS} open`);

    const account = await access.createServiceAccount('bench', 'bench@bench.flowboard');
    await access.addMember(board.id, account.id, 'viewer');
    const token = (await access.createToken(account.id, 'bench')).secret;

    const to = dateOf(END - 1, 'UTC');
    const from = addDays(to, -29);
    const query = `items=${ITEMS}&from=${formatDate(from)}&to=${formatDate(to)}&tz=UTC&trials=${TRIALS}&seed=1`;
    const job = { kind: 'forecast.when' as const, filter: null, boardId: board.id, from: formatDate(from), to: formatDate(to), tz: 'UTC', trials: TRIALS, seed: 1, start: formatDate(addDays(to, 1)), now: END, items: ITEMS };
    const probe = JSON.parse(await runForecast(engine, job)) as { sample: { days: number; finished: number }; percentiles: Record<string, string> };
    const sample = await engine.read(async (sql) => {
      const rows = await sql.values<[number]>('select done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ?', [board.id, Date.UTC(from.year, from.month - 1, from.day), END]);
      const counts = Array.from({ length: 30 }, () => 0);
      for (const [at] of rows) counts[Math.floor((Number(at) - Date.UTC(from.year, from.month - 1, from.day)) / DAY_MS)]! += 1;
      return counts;
    });
    const floorRead = () => engine.read((sql) => sql.values('select done_at from flow_cards where board_id = ? and done_at >= ? and done_at < ?', [board.id, END - 58 * DAY_MS, END]));
    const start = parseDate(job.start) as CalendarDate;
    const http = async () => {
      const res = await fetch(`${app.url}/api/boards/${board.id}/forecast/when?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET /forecast/when answered ${res.status}: ${await res.text()}`);
      await res.json();
    };
    for (let i = 0; i < 3; i++) {
      forecastWhen(sample, ITEMS, start, EVERY_DAY, { trials: TRIALS, seed: i });
      await runForecast(engine, job);
      await http();
    }
    const fnMs: number[] = [];
    const serverMs: number[] = [];
    const httpMs: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      floorMs.push(await time(floorRead));
      fnMs.push(await time(() => forecastWhen(sample, ITEMS, start, EVERY_DAY, { trials: TRIALS, seed: i + 1 })));
      serverMs.push(await time(() => runForecast(engine, { ...job, seed: i + 1 })));
      httpMs.push(await time(http));
    }
    const target = { kind: 'app-at-most' as const, value: TARGET_MS };
    const rows: Row[] = [
      { benchmark: 'forecast', metric: `forecastWhen: ${TRIALS.toLocaleString('en')} trials, ${ITEMS} items (the simulation)`, unit: 'ms', app: summarize(fnMs), floor: summarize(floorMs), target },
      {
        benchmark: 'forecast',
        metric: `GET /forecast/when on the server (read + trials + 2 backtests + JSON)`,
        unit: 'ms',
        app: summarize(serverMs),
        floor: summarize(floorMs),
        target,
      },
      { benchmark: 'forecast', metric: 'GET /forecast/when over HTTP (auth, worker thread, JSON)', unit: 'ms', app: summarize(httpMs), floor: summarize(floorMs), target },
    ];
    return { rows, details: { finished, open: ITEMS, sample: probe.sample, percentiles: probe.percentiles, runs } };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const forecast: BenchModule = {
  name: 'forecast',
  description: `forecasts: ${TRIALS.toLocaleString('en')} trials for ${ITEMS} items (≤ ${TARGET_MS} ms on the server)`,
  run: (ctx: BenchContext) => runForecastBench({ runs: ctx.quick ? 5 : 30, log: ctx.log }),
};

const fmt = (v: number) => v.toFixed(1).padStart(7);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const result = await runForecastBench({ runs: quick ? 5 : 30 });
  console.log(`${'metric'.padEnd(72)} ${'median'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)} | floor median`);
  for (const r of result.rows) {
    console.log(`${r.metric.padEnd(72)} ${fmt(r.app.median)} ${fmt(r.app.min)} ${fmt(r.app.max)} | ${fmt(r.floor.median)} ms  (target ≤ ${TARGET_MS} ms: ${r.app.median <= TARGET_MS ? 'met' : 'MISSED'})`);
  }
  console.log(JSON.stringify(result.details));
}
