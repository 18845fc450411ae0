/**
 * Memory: resident set size of the server process (VmRSS in /proc/<pid>/status) with 1,000 viewers
 * joined to 10 boards, read once they are all in, their presence broadcasts have stopped, and the
 * server has run a full garbage collection. Every run starts fresh processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeAll, connectViewers, settle, type BenchSocket } from './lib/clients';
import type { ServerChild } from './lib/processes';
import { seedBoards } from './lib/seed';
import { summarize } from './lib/stats';
import { sleep } from './lib/time';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

const VIEWERS = 1000;
const BOARDS = 10;
/** A board a team would look at: a handful of cards in its snapshot. */
const CARDS_PER_BOARD = 20;
const TARGET_MB = 300;
/** Sockets besides the viewers: the runner's own files, the sender sockets, stdio pipes. */
const SPARE_DESCRIPTORS = 200;
const MB = 1024 * 1024;

/** The soft limit on open files of this process; children inherit it. */
function openFileLimit(): number {
  const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  return line === undefined || line === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line);
}

/** Collects twice (the first pass frees what finalizers release) and lets the heap shrink. */
async function settledRss(server: ServerChild): Promise<number> {
  server.collectGarbage();
  await sleep(300);
  server.collectGarbage();
  await sleep(700);
  return server.rssBytes();
}

interface Sample {
  idleMb: number;
  loadedMb: number;
  perViewerKb: number;
}

async function measure(server: ServerChild, boardIds: readonly string[], label: string, token?: string): Promise<Sample> {
  await sleep(500);
  const idle = await settledRss(server);
  let viewers: BenchSocket[] = [];
  try {
    viewers = await connectViewers(server.url, boardIds, `${label} viewer`, token);
    await settle(viewers, 500, 30_000);
    const loaded = await settledRss(server);
    return { idleMb: idle / MB, loadedMb: loaded / MB, perViewerKb: (loaded - idle) / 1024 / viewers.length };
  } finally {
    closeAll(viewers);
  }
}

export const memory: BenchModule = {
  name: 'memory',
  description: `server resident memory with ${VIEWERS} viewers on ${BOARDS} boards`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const limit = openFileLimit();
    if (limit < VIEWERS + SPARE_DESCRIPTORS) {
      throw new Error(`memory needs ${VIEWERS + SPARE_DESCRIPTORS} open files, the limit is ${limit}: run \`ulimit -n 4096\` first`);
    }
    const runs = ctx.quick ? 1 : 3;
    const samples = { app: [] as Sample[], floor: [] as Sample[] };
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? (['app', 'floor'] as const) : (['floor', 'app'] as const);
      for (const label of order) {
        const dbPath = join(ctx.workDir, `memory-${r + 1}.db`);
        const seeded = label === 'app' ? await seedBoards(dbPath, BOARDS, CARDS_PER_BOARD) : [];
        const boards = label === 'app' ? seeded.map((b) => b.boardId) : Array.from({ length: BOARDS }, (_, b) => `room-${b}`);
        const boardIds = Array.from({ length: VIEWERS }, (_, i) => boards[i % boards.length] ?? '');
        const server = label === 'app' ? await ctx.startApp(dbPath) : await ctx.startFloor('bench/floors/bare-fanout.ts');
        try {
          const sample = await measure(server, boardIds, label, seeded[0]?.token);
          samples[label].push(sample);
          ctx.log(`memory run ${r + 1}/${runs} ${label}: ${sample.idleMb.toFixed(0)} MB idle, ${sample.loadedMb.toFixed(0)} MB with ${VIEWERS} viewers`);
        } finally {
          await server.stop();
        }
      }
    }
    const row = (metric: string, unit: string, pick: (s: Sample) => number): Row => ({
      benchmark: 'memory',
      metric,
      unit,
      app: summarize(samples.app.map(pick)),
      floor: summarize(samples.floor.map(pick)),
    });
    const rows: Row[] = [
      { ...row(`RSS with ${VIEWERS} viewers on ${BOARDS} boards`, 'MB', (s) => s.loadedMb), target: { kind: 'app-at-most', value: TARGET_MB } },
      row('RSS idle, before any viewer', 'MB', (s) => s.idleMb),
      row('RSS per connected viewer', 'kB', (s) => s.perViewerKb),
    ];
    return { rows, details: { samples } };
  },
};
