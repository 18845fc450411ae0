/**
 * Heavy reads of a big board must not stall the server. The board is the largest a member can
 * import (50,000 items, about 175,000 events, bench/lib/bigimport.ts); on it every heavy read a
 * member can ask for runs in turn: the whole log through GET /events paging, /metrics, /flow and /cfd
 * over the longest range allowed, every CSV export, the board's snapshot, 5 concurrent board:join
 * (each gets the board's window), 10 pages of "show more", the board list.
 * Meanwhile /api/health is asked every 10 ms.
 *
 * Reported per read: its time; the longest event-loop stall inside the server while it ran (a
 * monitorEventLoopDelay loaded into the server by this benchmark only, bench/lib/loop-preload.ts);
 * the longest /api/health answer. Floor: /api/health alone on the idle server, and the idle server's
 * own longest stall over the same time. Target: no stall over 50 ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIG_WORK_CENTERS, seedBigBoard } from './lib/bigimport';
import { connect, join as joinBoard, type BenchSocket } from './lib/clients';
import { ROOT } from './lib/paths';
import type { ServerChild } from './lib/processes';
import { summarize } from './lib/stats';
import { comparePositioned } from '../lib/shared/domain/ordering';
import { unpackJoin } from '../lib/shared/protocol';
import { MAX_RANGE_DAYS } from '../db/flow';
import { sleep, waitUntil } from './lib/time';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

const ITEMS = 50_000;
const STALL_TARGET_MS = 50;
const HEALTH_EVERY_MS = 10;
const JOINS = 5;
const DAY_MS = 86_400_000;
/** The longest ranges the API allows. */
const LONGEST_DAYS = MAX_RANGE_DAYS.day;
const LONGEST_HOURS_DAYS = MAX_RANGE_DAYS.hour;

const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Sample {
  ms: number;
  stallMs: number;
  healthMaxMs: number;
  healthCount: number;
  bytes: number;
}

/** Asks /api/health every 10 ms until stopped; returns each answer's time. */
function pollHealth(url: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/api/health`);
        await res.arrayBuffer();
        times.push(res.ok ? performance.now() - t : Number.POSITIVE_INFINITY);
      } catch {
        // A server that stopped answering: the read's own failure says why.
        times.push(Number.POSITIVE_INFINITY);
        return;
      }
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      return times;
    },
  };
}

async function loopWindow(port: number): Promise<{ maxMs: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return (await res.json()) as { maxMs: number };
}

export const reads: BenchModule = {
  name: 'reads',
  description: `heavy reads of a ${ITEMS.toLocaleString('en')}-item imported board: time, longest event-loop stall, /api/health meanwhile`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const runs = ctx.quick ? 1 : 3;
    const dbPath = join(ctx.workDir, 'reads.db');
    const began = performance.now();
    const board = await seedBigBoard({ sqlitePath: dbPath }, ITEMS);
    ctx.log(`reads: imported ${board.items} items, ${board.events} events in ${((performance.now() - began) / 1000).toFixed(0)} s`);
    const loopFile = join(ctx.workDir, 'reads-loop-port');
    let app: ServerChild | undefined;
    const sockets: BenchSocket[] = [];
    try {
      app = await ctx.startApp(dbPath, {
        env: { FLOWBOARD_BENCH_LOOP_FILE: loopFile },
        nodeArgs: ['--import', pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-preload.ts')).href],
      });
      const url = app.url;
      if (!(await waitUntil(() => readFileSync(loopFile, { encoding: 'utf8', flag: 'a+' }).length > 0, 10_000, 50))) throw new Error('the loop monitor did not start');
      const loopPort = Number(readFileSync(loopFile, 'utf8'));
      const auth = { authorization: `Bearer ${board.token}` };
      const get = async (path: string): Promise<number> => {
        const res = await fetch(`${url}${path}`, { headers: auth });
        const body = await res.arrayBuffer();
        if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
        return body.byteLength;
      };
      const today = Date.now();
      const longest = `from=${date(today - (LONGEST_DAYS - 1) * DAY_MS)}&to=${date(today)}&tz=Europe/Berlin`;
      const longestHours = `from=${date(today - (LONGEST_HOURS_DAYS - 1) * DAY_MS)}&to=${date(today)}&tz=Europe/Berlin&interval=hour`;
      const b = `/api/boards/${board.boardId}`;

      /** Every page of the log, one after the other, as a client reading the whole log would. */
      const wholeLog = async (): Promise<number> => {
        let since = 0;
        let bytes = 0;
        let events = 0;
        for (;;) {
          const res = await fetch(`${url}${b}/events?since=${since}`, { headers: auth });
          const text = await res.text();
          if (!res.ok) throw new Error(`GET /events answered ${res.status}: ${text.slice(0, 300)}`);
          bytes += text.length;
          const page = JSON.parse(text) as { events: { version: number }[]; hasMore: boolean };
          events += page.events.length;
          since = page.events.at(-1)?.version ?? since;
          if (!page.hasMore) break;
        }
        if (events !== board.events) throw new Error(`the pages held ${events} events, the log ${board.events}`);
        return bytes;
      };
      const joins = async (): Promise<number> => {
        const opened = await Promise.all(Array.from({ length: JOINS }, (_, i) => connect(url, `joiner ${i}`, board.token)));
        sockets.push(...opened);
        await Promise.all(opened.map((s) => joinBoard(s, board.boardId)));
        for (const s of opened) s.close();
        return 0;
      };
      /** "Show more" of the longest work center, a page after the other, 10 pages deep. */
      const showMore = async (): Promise<number> => {
        const socket = await connect(url, 'pager', board.token);
        sockets.push(socket);
        const joined = await socket.timeout(10_000).emitWithAck('board:join', { boardId: board.boardId });
        if (!joined.ok) throw new Error(`board:join refused: ${joined.message}`);
        const snapshot = unpackJoin(joined);
        const totals = 'snapshot' in snapshot ? (snapshot.snapshot.window?.totals ?? {}) : {};
        const longColumn = Object.entries(totals).toSorted((x, y) => y[1] - x[1])[0]?.[0];
        if (!longColumn || !('snapshot' in snapshot)) throw new Error('the big board was sent whole');
        let after = snapshot.snapshot.cards.filter((c) => c.columnId === longColumn).toSorted(comparePositioned).at(-1);
        let bytes = 0;
        for (let page = 0; page < 10 && after; page++) {
          const ack = await socket.timeout(10_000).emitWithAck('board:cards', { boardId: board.boardId, columnId: longColumn, after: { position: after.position, id: after.id } });
          if (!ack.ok) throw new Error(`board:cards refused: ${ack.message}`);
          bytes += JSON.stringify(ack.cards).length;
          after = ack.cards.at(-1);
        }
        socket.close();
        return bytes;
      };

      const READS: { name: string; run: () => Promise<number> }[] = [
        { name: 'GET /events, whole log in pages', run: wholeLog },
        { name: `GET /metrics, ${LONGEST_DAYS} days`, run: () => get(`${b}/metrics?${longest}`) },
        { name: `GET /flow, ${LONGEST_DAYS} days`, run: () => get(`${b}/flow?${longest}`) },
        { name: `GET /cfd, ${LONGEST_HOURS_DAYS} days by the hour`, run: () => get(`${b}/cfd?${longestHours}`) },
        { name: 'GET /marks', run: () => get(`${b}/marks?tz=Europe/Berlin`) },
        { name: 'export items.csv', run: () => get(`${b}/export/items.csv?tz=Europe/Berlin`) },
        { name: 'export events.csv', run: () => get(`${b}/export/events.csv`) },
        { name: `export cycle-times.csv, ${LONGEST_DAYS} days`, run: () => get(`${b}/export/cycle-times.csv?${longest}`) },
        { name: `export cfd.csv, ${LONGEST_DAYS} days`, run: () => get(`${b}/export/cfd.csv?${longest}`) },
        { name: 'GET /api/boards/:id (snapshot)', run: () => get(b) },
        { name: `${JOINS} concurrent board:join`, run: joins },
        { name: 'board:cards, 10 pages of the longest work center', run: showMore },
        { name: 'GET /api/boards (the list, with card counts)', run: () => get('/api/boards') },
      ];

      // The floor: /api/health alone on the idle server, and that server's own stalls meanwhile.
      await sleep(500);
      await loopWindow(loopPort);
      const idle = pollHealth(url);
      // As long as a long read: a busy machine pauses an idle process too, and the floor should see as much of it.
      await sleep(ctx.quick ? 2000 : 10_000);
      const idleHealth = await idle.stop();
      const idleStall = (await loopWindow(loopPort)).maxMs;
      ctx.log(`reads: idle /api/health median ${summarize(idleHealth).median.toFixed(1)} ms, idle longest stall ${idleStall.toFixed(1)} ms`);

      const samples = new Map<string, Sample[]>();
      for (let r = -1; r < runs; r++) {
        for (const read of READS) {
          await sleep(200);
          await loopWindow(loopPort);
          const health = pollHealth(url);
          const t = performance.now();
          const bytes = await read.run();
          const ms = performance.now() - t;
          const healthTimes = await health.stop();
          const stallMs = (await loopWindow(loopPort)).maxMs;
          if (r < 0) continue; // a warm-up round: JIT, caches, the aggregates' first catch-up
          const sample = { ms, stallMs, healthMaxMs: Math.max(...healthTimes), healthCount: healthTimes.length, bytes };
          samples.set(read.name, [...(samples.get(read.name) ?? []), sample]);
          ctx.log(`reads run ${r + 1}: ${read.name}: ${ms.toFixed(0)} ms, ${(bytes / 1e6).toFixed(2)} MB, longest stall ${stallMs.toFixed(1)} ms, slowest health ${sample.healthMaxMs.toFixed(1)} ms of ${healthTimes.length}`);
        }
      }

      const healthFloor = summarize(idleHealth);
      const stallFloor = summarize([idleStall]);
      const rows: Row[] = [];
      for (const read of READS) {
        const s = samples.get(read.name) ?? [];
        rows.push({ benchmark: 'reads', metric: `${read.name}: time`, unit: 'ms', app: summarize(s.map((x) => x.ms)), floor: healthFloor });
      }
      const worst = (pick: (x: Sample) => number) => {
        const perRun = Array.from({ length: runs }, (_, r) => Math.max(...READS.map((read) => pick(samples.get(read.name)?.[r] as Sample))));
        return summarize(perRun);
      };
      rows.push({ benchmark: 'reads', metric: 'longest event-loop stall during any of these reads', unit: 'ms', app: worst((x) => x.stallMs), floor: stallFloor, target: { kind: 'app-at-most', value: STALL_TARGET_MS } });
      rows.push({ benchmark: 'reads', metric: 'slowest /api/health during any of these reads', unit: 'ms', app: worst((x) => x.healthMaxMs), floor: healthFloor });
      // The typical read, not only the worst: each read's own longest stall, their median per run.
      const typical = Array.from({ length: runs }, (_, r) => {
        const stalls = READS.map((read) => samples.get(read.name)?.[r]?.stallMs ?? Number.NaN).toSorted((x, y) => x - y);
        return stalls[Math.floor(stalls.length / 2)] ?? Number.NaN;
      });
      rows.push({ benchmark: 'reads', metric: "median over the reads of each one's longest stall", unit: 'ms', app: summarize(typical), floor: stallFloor });
      return {
        rows,
        details: {
          items: board.items,
          events: board.events,
          workCenters: BIG_WORK_CENTERS.length,
          perRead: Object.fromEntries(samples),
          idle: { healthMs: idleHealth.length, stallMs: idleStall },
        },
      };
    } finally {
      for (const s of sockets) s.close();
      await app?.stop();
    }
  },
};
