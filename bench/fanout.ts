/**
 * Move fan-out: N viewers on one board, one sender moving a card at a time. Measured from the emit
 * of `card:move` to the receipt of its `board:event` at the last viewer, and to the sender's ack.
 * The app and the bare fan-out floor run side by side, and their runs alternate so that noise from
 * the rest of the machine falls on both.
 */
import { join } from 'node:path';
import { closeAll, connect, connectViewers, settle, type BenchSocket } from './lib/clients';
import { ShuttleCard } from './lib/moves';
import type { ServerChild } from './lib/processes';
import { seedBoards, type BenchBoard } from './lib/seed';
import { percentile, summarize } from './lib/stats';
import { deferred, withTimeout } from './lib/time';
import type { BenchContext, BenchModule, BenchResult, Row, Target } from './lib/types';

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

interface Side {
  label: 'app' | 'floor';
  server: ServerChild;
  sender: BenchSocket;
  viewers: BenchSocket[];
  card: ShuttleCard;
}

interface RunSamples {
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

async function runMoves(side: Side, count: number, budgetMs: number): Promise<RunSamples> {
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

async function openSide(label: Side['label'], server: ServerChild, board: BenchBoard, viewers: number): Promise<Side> {
  const opened = await connectViewers(server.url, Array.from({ length: viewers }, () => board.boardId), `${label} viewer`, board.token);
  try {
    const sender = await connect(server.url, `${label} sender`, board.token);
    const cardId = board.cardIds[0];
    if (!cardId) throw new Error('fan-out board has no card');
    return { label, server, sender, viewers: opened, card: new ShuttleCard(board, cardId, label === 'app' ? 'by-card' : 'by-board') };
  } catch (error) {
    closeAll(opened);
    throw error;
  }
}

function closeSide(side: Side | undefined): void {
  if (!side) return;
  closeAll(side.viewers);
  side.sender.close();
}

export const fanout: BenchModule = {
  name: 'fanout',
  description: 'move fan-out latency to the last of N viewers, and the ack round trip',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const plan = ctx.quick ? QUICK : FULL;
    const dbPath = join(ctx.workDir, 'fanout.db');
    const boards = await seedBoards(dbPath, plan.viewers.length, 1);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    let app: ServerChild | undefined;
    let floor: ServerChild | undefined;
    try {
      app = await ctx.startApp(dbPath);
      floor = await ctx.startFloor('bench/floors/bare-fanout.ts');
      for (const [index, n] of plan.viewers.entries()) {
        const board = boards[index];
        if (!board) throw new Error('fan-out: missing seeded board');
        let appSide: Side | undefined;
        let floorSide: Side | undefined;
        try {
          ctx.log(`fanout N=${n}: connecting ${n} viewers to each server`);
          appSide = await openSide('app', app, board, n);
          floorSide = await openSide('floor', floor, board, n);
          await settle([...appSide.viewers, ...floorSide.viewers], 300, 15_000);
          await runMoves(appSide, plan.warmupMoves, plan.runBudgetMs);
          await runMoves(floorSide, plan.warmupMoves, plan.runBudgetMs);
          const perRun = { app: [] as RunSamples[], floor: [] as RunSamples[] };
          for (let r = 0; r < plan.runs; r++) {
            const order = r % 2 === 0 ? [appSide, floorSide] : [floorSide, appSide];
            for (const side of order) perRun[side.label].push(await runMoves(side, plan.movesPerRun(n), plan.runBudgetMs));
          }
          const figure = (label: 'app' | 'floor', pick: keyof RunSamples, p: number) =>
            summarize(perRun[label].map((s) => percentile(s[pick], p)));
          const target = (t: number): Target | undefined => (n === TARGET_VIEWERS ? { kind: 'ratio-at-most', value: t } : undefined);
          const row = (metric: string, pick: keyof RunSamples, p: number, t?: Target): Row => ({
            benchmark: 'fanout',
            metric: `${metric}, N=${n}`,
            unit: 'ms',
            app: figure('app', pick, p),
            floor: figure('floor', pick, p),
            ...(t ? { target: t } : {}),
          });
          rows.push(
            row('last viewer p50', 'lastViewerMs', 0.5, target(TARGETS.p50)),
            row('last viewer p99', 'lastViewerMs', 0.99, target(TARGETS.p99)),
            row('ack p50', 'ackMs', 0.5),
            row('ack p99', 'ackMs', 0.99),
          );
          details[`N=${n}`] = {
            movesPerRun: perRun.app.map((s) => s.lastViewerMs.length),
            floorMovesPerRun: perRun.floor.map((s) => s.lastViewerMs.length),
          };
          ctx.log(`fanout N=${n}: done`);
        } finally {
          closeSide(appSide);
          closeSide(floorSide);
        }
      }
    } finally {
      await Promise.all([app?.stop(), floor?.stop()]);
    }
    return { rows, details };
  },
};
