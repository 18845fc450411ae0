/**
 * Move fan-out: N viewers on one board, one sender moving a card at a time. Measured from the emit
 * of `card:move` to the receipt of its `board:event` at the last viewer, and to the sender's ack.
 * The app and its floor run side by side, and their runs alternate so that noise from the rest of
 * the machine falls on both. `fanout` runs on SQLite (floor: bare Socket.IO), `fanout-pg` on
 * PostgreSQL (floor: the move's transaction with `pg` plus bare Socket.IO, bench/floors/pg-move.ts).
 * The sides and the move loop are also what the cluster benchmark measures with.
 */
import { join } from 'node:path';
import { closeAll, connect, connectViewers, settle, type BenchSocket } from './lib/clients';
import { ShuttleCard, type Route } from './lib/moves';
import type { ServerChild } from './lib/processes';
import { seedBoards, type BenchBoard } from './lib/seed';
import { percentile, summarize, type Summary } from './lib/stats';
import { deferred, withTimeout } from './lib/time';
import type { AppDatabase, BenchContext, BenchModule, BenchResult, Row, Target } from './lib/types';

interface Plan {
  viewers: number[];
  runs: number;
  warmupMoves: number;
  /** Moves per run for a given N: fewer at large N, where each move takes longer. */
  movesPerRun: (viewers: number) => number;
  /** No run takes longer than this, whatever the move count. */
  runBudgetMs: number;
}

const FULL: Plan = { viewers: [1, 10, 50, 200], runs: 5, warmupMoves: 100, movesPerRun: (n) => (n > 50 ? 500 : 1000), runBudgetMs: 30_000 };
const QUICK: Plan = { viewers: [1, 50], runs: 2, warmupMoves: 20, movesPerRun: () => 100, runBudgetMs: 5_000 };
/** The viewer count the issue sets its targets at. */
const TARGET_VIEWERS = 50;
const TARGETS = { p50: 1.5, p99: 2 };

export interface FanoutSide {
  label: string;
  sender: BenchSocket;
  viewers: BenchSocket[];
  card: ShuttleCard;
}

export interface RunSamples {
  lastViewerMs: number[];
  ackMs: number[];
}

/** The move in flight: at most one at a time, so its receipts need no map. */
interface Pending {
  id: string;
  t0: number;
  received: number;
  lastAt?: number;
  ackAt?: number;
  done: () => void;
  fail: (error: Error) => void;
}

let sequence = 0;

export async function runMoves(side: FanoutSide, count: number, budgetMs: number): Promise<RunSamples> {
  const samples: RunSamples = { lastViewerMs: [], ackMs: [] };
  let pending: Pending | undefined;
  const onEvent = (event: { clientMutationId?: string | null }) => {
    const p = pending;
    if (!p || event.clientMutationId !== p.id) return;
    p.received += 1;
    if (p.received === side.viewers.length) {
      p.lastAt = performance.now();
      if (p.ackAt !== undefined) p.done();
    }
  };
  for (const v of side.viewers) v.on('board:event', onEvent);
  const deadline = performance.now() + budgetMs;
  try {
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      sequence += 1;
      const id = `fanout-${sequence}`;
      const payload = side.card.nextMove(id);
      const finished = deferred();
      const p: Pending = { id, t0: performance.now(), received: 0, done: finished.resolve, fail: finished.reject };
      pending = p;
      side.sender.emit('card:move', payload, (ack) => {
        p.ackAt = performance.now();
        if (!ack.ok) return p.fail(new Error(`${side.label} refused a move: ${ack.code} ${ack.message}`));
        if (p.lastAt !== undefined) p.done();
      });
      await withTimeout(finished.promise, 10_000, `${side.label} move ${id} to reach ${side.viewers.length} viewers`);
      side.card.moved();
      samples.lastViewerMs.push((p.lastAt ?? Number.NaN) - p.t0);
      samples.ackMs.push((p.ackAt ?? Number.NaN) - p.t0);
    }
  } finally {
    pending = undefined;
    for (const v of side.viewers) v.off('board:event', onEvent);
  }
  return samples;
}

/**
 * `viewers` viewers of `board`, the i-th on `viewerUrls[i % length]` (spread over the processes of a
 * cluster), and one sender on `senderUrl`.
 */
export async function openFanoutSide(label: string, route: Route, viewerUrls: readonly string[], senderUrl: string, board: BenchBoard, viewers: number): Promise<FanoutSide> {
  const opened: BenchSocket[] = [];
  try {
    for (const [i, url] of viewerUrls.entries()) {
      const count = Math.floor(viewers / viewerUrls.length) + (i < viewers % viewerUrls.length ? 1 : 0);
      opened.push(...(await connectViewers(url, Array.from({ length: count }, () => board.boardId), `${label} viewer`, board.token)));
    }
    const sender = await connect(senderUrl, `${label} sender`, board.token);
    const cardId = board.cardIds[0];
    if (!cardId) throw new Error('fan-out board has no card');
    return { label, sender, viewers: opened, card: new ShuttleCard(board, cardId, route) };
  } catch (error) {
    closeAll(opened);
    throw error;
  }
}

export function closeFanoutSide(side: FanoutSide | undefined): void {
  if (!side) return;
  closeAll(side.viewers);
  side.sender.close();
}

/** A percentile of each run's samples, summarised over the runs. */
export const perRunFigure = (runs: readonly RunSamples[], pick: keyof RunSamples, p: number): Summary => summarize(runs.map((s) => percentile(s[pick], p)));

type Engine = 'sqlite' | 'postgres';

/** Each server gets its own database, seeded alike: `count` boards of one card. */
async function databases(ctx: BenchContext, engine: Engine, count: number): Promise<{ app: AppDatabase; floor: AppDatabase; appBoards: BenchBoard[]; floorBoards: BenchBoard[] }> {
  if (engine === 'sqlite') {
    // The SQLite floor keeps no database: it shares the app's seeded ids.
    const app = join(ctx.workDir, 'fanout.db');
    const boards = await seedBoards(app, count, 1);
    return { app, floor: app, appBoards: boards, floorBoards: boards };
  }
  const app = { url: await ctx.createDatabase('fanout_app') };
  const floor = { url: await ctx.createDatabase('fanout_floor') };
  return { app, floor, appBoards: await seedBoards(app, count, 1), floorBoards: await seedBoards(floor, count, 1) };
}

function fanoutModule(engine: Engine): BenchModule {
  const name = engine === 'sqlite' ? 'fanout' : 'fanout-pg';
  return {
    name,
    description:
      engine === 'sqlite'
        ? 'move fan-out latency to the last of N viewers, and the ack round trip'
        : 'the same on PostgreSQL, one process; floor: the move transaction with pg + bare Socket.IO',
    async run(ctx: BenchContext): Promise<BenchResult> {
      const plan = ctx.quick ? QUICK : FULL;
      const dbs = await databases(ctx, engine, plan.viewers.length);
      const rows: Row[] = [];
      const details: Record<string, unknown> = {};
      let app: ServerChild | undefined;
      let floor: ServerChild | undefined;
      try {
        app = await ctx.startApp(dbs.app);
        floor =
          typeof dbs.floor === 'string'
            ? await ctx.startFloor('bench/floors/bare-fanout.ts')
            : await ctx.startFloor('bench/floors/pg-move.ts', { FLOWBOARD_DATABASE_URL: dbs.floor.url });
        for (const [index, n] of plan.viewers.entries()) {
          const appBoard = dbs.appBoards[index];
          const floorBoard = dbs.floorBoards[index];
          if (!appBoard || !floorBoard) throw new Error('fan-out: missing seeded board');
          let appSide: FanoutSide | undefined;
          let floorSide: FanoutSide | undefined;
          try {
            ctx.log(`${name} N=${n}: connecting ${n} viewers to each server`);
            appSide = await openFanoutSide('app', 'by-card', [app.url], app.url, appBoard, n);
            floorSide = await openFanoutSide('floor', 'by-board', [floor.url], floor.url, floorBoard, n);
            await settle([...appSide.viewers, ...floorSide.viewers], 300, 15_000);
            await runMoves(appSide, plan.warmupMoves, plan.runBudgetMs);
            await runMoves(floorSide, plan.warmupMoves, plan.runBudgetMs);
            const perRun = { app: [] as RunSamples[], floor: [] as RunSamples[] };
            for (let r = 0; r < plan.runs; r++) {
              const order = r % 2 === 0 ? ([['app', appSide], ['floor', floorSide]] as const) : ([['floor', floorSide], ['app', appSide]] as const);
              for (const [label, side] of order) perRun[label].push(await runMoves(side, plan.movesPerRun(n), plan.runBudgetMs));
            }
            const target = (t: number): Target | undefined => (n === TARGET_VIEWERS ? { kind: 'ratio-at-most', value: t } : undefined);
            const row = (metric: string, pick: keyof RunSamples, p: number, t?: Target): Row => ({
              benchmark: name,
              metric: `${metric}, N=${n}`,
              unit: 'ms',
              app: perRunFigure(perRun.app, pick, p),
              floor: perRunFigure(perRun.floor, pick, p),
              ...(t ? { target: t } : {}),
            });
            rows.push(
              row('last viewer p50', 'lastViewerMs', 0.5, target(TARGETS.p50)),
              row('last viewer p99', 'lastViewerMs', 0.99, engine === 'sqlite' ? target(TARGETS.p99) : undefined),
              row('ack p50', 'ackMs', 0.5),
              row('ack p99', 'ackMs', 0.99),
            );
            details[`N=${n}`] = {
              movesPerRun: perRun.app.map((s) => s.lastViewerMs.length),
              floorMovesPerRun: perRun.floor.map((s) => s.lastViewerMs.length),
            };
            ctx.log(`${name} N=${n}: done`);
          } finally {
            closeFanoutSide(appSide);
            closeFanoutSide(floorSide);
          }
        }
      } finally {
        await Promise.all([app?.stop(), floor?.stop()]);
      }
      return { rows, details };
    },
  };
}

export const fanout = fanoutModule('sqlite');
export const fanoutPostgres = fanoutModule('postgres');
