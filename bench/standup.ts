/**
 * Standup step fan-out: N followers in a board's standup view, one presenter stepping from stop to
 * stop. Measured from the emit of `standup:step` to the receipt of its `standup:state` at the last
 * follower, and to the presenter's ack. The floor is the fan-out floor of the board moves
 * (bench/floors/bare-fanout.ts: a bare Socket.IO room, measured as bench/fanout.ts measures it), in
 * the same run, the two sides alternating, so that the ratio says what standup mode adds to the
 * irreducible cost of putting one message in front of N sockets.
 */
import { join } from 'node:path';
import { closeAll, connect, settle, type BenchSocket } from './lib/clients';
import type { ServerChild } from './lib/processes';
import { seedBoards } from './lib/seed';
import { deferred, withTimeout } from './lib/time';
import { closeFanoutSide, openFanoutSide, perRunFigure, runMoves, type FanoutSide, type RunSamples } from './fanout';
import type { BenchContext, BenchModule, BenchResult, Row, Target } from './lib/types';

interface Plan {
  followers: number[];
  runs: number;
  warmupSteps: number;
  stepsPerRun: number;
  runBudgetMs: number;
}

const FULL: Plan = { followers: [50], runs: 5, warmupSteps: 100, stepsPerRun: 1000, runBudgetMs: 30_000 };
const QUICK: Plan = { followers: [50], runs: 2, warmupSteps: 20, stepsPerRun: 100, runBudgetMs: 5_000 };
/** The target: the presenter's step reaches 50 followers within 2x the fan-out floor. */
const TARGET_FOLLOWERS = 50;
const TARGET_RATIO = 2;

interface StandupSide {
  presenter: BenchSocket;
  followers: BenchSocket[];
  boardId: string;
  columnIds: [string, string];
}

const CONNECT_CONCURRENCY = 50;

async function openStandup(url: string, token: string, boardId: string, columnIds: [string, string], followers: number): Promise<StandupSide> {
  const opened: BenchSocket[] = [];
  const joinStandup = async (socket: BenchSocket) => {
    const ack = await socket.timeout(10_000).emitWithAck('standup:join', { boardId });
    if (!ack.ok) throw new Error(`standup:join refused: ${ack.code} ${ack.message}`);
  };
  try {
    for (let start = 0; start < followers; start += CONNECT_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, followers - start) }, (_, i) => start + i);
      const sockets = await Promise.all(batch.map((i) => connect(url, `follower ${i + 1}`, token)));
      opened.push(...sockets);
      await Promise.all(sockets.map(joinStandup));
    }
    const presenter = await connect(url, 'presenter', token);
    opened.push(presenter);
    await joinStandup(presenter);
    const lead = await presenter.timeout(10_000).emitWithAck('standup:lead', { boardId });
    if (!lead.ok) throw new Error(`standup:lead refused: ${lead.code} ${lead.message}`);
    return { presenter, followers: opened.slice(0, followers), boardId, columnIds };
  } catch (error) {
    closeAll(opened);
    throw error;
  }
}

let sequence = 0;

/** One step at a time; each names a card of its own, which tells its state from the others'. */
async function runSteps(side: StandupSide, count: number, budgetMs: number): Promise<RunSamples> {
  const samples: RunSamples = { lastViewerMs: [], ackMs: [] };
  let pending: { id: string; t0: number; received: number; lastAt?: number; ackAt?: number; done: () => void; fail: (e: Error) => void } | undefined;
  const onState = (state: { cardId: string | null }) => {
    const p = pending;
    if (!p || state.cardId !== p.id) return;
    p.received += 1;
    if (p.received === side.followers.length) {
      p.lastAt = performance.now();
      if (p.ackAt !== undefined) p.done();
    }
  };
  for (const f of side.followers) f.on('standup:state', onState);
  const deadline = performance.now() + budgetMs;
  try {
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      sequence += 1;
      const id = `step-${sequence}`;
      const finished = deferred();
      const p = { id, t0: performance.now(), received: 0, done: finished.resolve, fail: finished.reject } as NonNullable<typeof pending>;
      pending = p;
      side.presenter.emit('standup:step', { boardId: side.boardId, columnId: side.columnIds[sequence % 2] as string, cardId: id }, (ack) => {
        p.ackAt = performance.now();
        if (!ack.ok) return p.fail(new Error(`the app refused a step: ${ack.code} ${ack.message}`));
        if (p.lastAt !== undefined) p.done();
      });
      await withTimeout(finished.promise, 10_000, `step ${id} to reach ${side.followers.length} followers`);
      samples.lastViewerMs.push((p.lastAt ?? Number.NaN) - p.t0);
      samples.ackMs.push((p.ackAt ?? Number.NaN) - p.t0);
    }
  } finally {
    pending = undefined;
    for (const f of side.followers) f.off('standup:state', onState);
  }
  return samples;
}

export const standup: BenchModule = {
  name: 'standup',
  description: "standup: the presenter's step to the last of N followers, against the board-move fan-out floor",
  async run(ctx: BenchContext): Promise<BenchResult> {
    const plan = ctx.quick ? QUICK : FULL;
    const db = join(ctx.workDir, 'standup.db');
    const boards = await seedBoards(db, plan.followers.length, 1);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    let app: ServerChild | undefined;
    let floor: ServerChild | undefined;
    try {
      app = await ctx.startApp(db);
      floor = await ctx.startFloor('bench/floors/bare-fanout.ts');
      for (const [index, n] of plan.followers.entries()) {
        const board = boards[index];
        if (!board) throw new Error('standup: missing seeded board');
        let appSide: StandupSide | undefined;
        let floorSide: FanoutSide | undefined;
        try {
          ctx.log(`standup N=${n}: connecting ${n} followers and a presenter, and ${n} floor viewers`);
          appSide = await openStandup(app.url, board.token, board.boardId, [board.firstColumnId, board.secondColumnId], n);
          floorSide = await openFanoutSide('floor', 'by-board', [floor.url], floor.url, board, n);
          await settle([...appSide.followers, ...floorSide.viewers], 300, 15_000);
          await runSteps(appSide, plan.warmupSteps, plan.runBudgetMs);
          await runMoves(floorSide, plan.warmupSteps, plan.runBudgetMs);
          const perRun = { app: [] as RunSamples[], floor: [] as RunSamples[] };
          for (let r = 0; r < plan.runs; r++) {
            const appRun = () => runSteps(appSide as StandupSide, plan.stepsPerRun, plan.runBudgetMs);
            const floorRun = () => runMoves(floorSide as FanoutSide, plan.stepsPerRun, plan.runBudgetMs);
            if (r % 2 === 0) {
              perRun.app.push(await appRun());
              perRun.floor.push(await floorRun());
            } else {
              perRun.floor.push(await floorRun());
              perRun.app.push(await appRun());
            }
          }
          const target: Target | undefined = n === TARGET_FOLLOWERS ? { kind: 'ratio-at-most', value: TARGET_RATIO } : undefined;
          const row = (metric: string, pick: keyof RunSamples, p: number, t?: Target): Row => ({
            benchmark: 'standup',
            metric: `${metric}, N=${n}`,
            unit: 'ms',
            app: perRunFigure(perRun.app, pick, p),
            floor: perRunFigure(perRun.floor, pick, p),
            ...(t ? { target: t } : {}),
          });
          rows.push(
            row('step to last follower p50', 'lastViewerMs', 0.5, target),
            row('step to last follower p99', 'lastViewerMs', 0.99),
            row('step ack p50', 'ackMs', 0.5),
          );
          details[`N=${n}`] = { stepsPerRun: perRun.app.map((s) => s.lastViewerMs.length), floorMovesPerRun: perRun.floor.map((s) => s.lastViewerMs.length) };
        } finally {
          if (appSide) closeAll([appSide.presenter, ...appSide.followers]);
          closeFanoutSide(floorSide);
        }
      }
    } finally {
      await Promise.all([app?.stop(), floor?.stop()]);
    }
    return { rows, details };
  },
};
