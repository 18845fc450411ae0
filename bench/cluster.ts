/**
 * Several app processes on one PostgreSQL database, Redis between them (issue 9):
 * - fan-out: 50 viewers spread over 3 processes, one sender on the first, time from the emit to
 *   the last viewer, for each Socket.IO adapter compared (`--adapter`), against the same board on
 *   one process (no Redis) in the same run, runs alternating;
 * - throughput: what a 2nd and a 3rd process buy, the senders and viewers spread over them, on one
 *   board (whose writes the board's row lock serialises) and on ten boards (one per sender), against
 *   one process in the same run.
 * Every process is bench/serve-app.ts (the app's composition root, no Next pages) so the adapters
 * can be switched; the one-process reference runs it too.
 */
import { randomBytes } from 'node:crypto';
import { settle } from './lib/clients';
import { closeFanoutSide, openFanoutSide, perRunFigure, runMoves, type FanoutSide, type RunSamples } from './fanout';
import { ADAPTER_LABELS, type AdapterName } from './lib/adapters';
import type { ServerChild } from './lib/processes';
import { seedBoards, type BenchBoard } from './lib/seed';
import { REDIS_URL } from './lib/services';
import { summarize } from './lib/stats';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';
import {
  checkRun,
  closeThroughputSide,
  describeRun,
  IN_FLIGHT_PER_SENDER,
  openThroughputSide,
  runThroughput,
  SENDERS,
  type ThroughputPlan,
  type ThroughputRun,
  type ThroughputSide,
} from './throughput';

interface Plan {
  processes: number;
  viewers: number;
  runs: number;
  warmupMoves: number;
  movesPerRun: number;
  runBudgetMs: number;
  throughput: ThroughputPlan;
}

const FULL: Plan = { processes: 3, viewers: 50, runs: 5, warmupMoves: 100, movesPerRun: 1000, runBudgetMs: 30_000, throughput: { runs: 3, warmupMs: 1500, measureMs: 4000 } };
const QUICK: Plan = { processes: 3, viewers: 50, runs: 2, warmupMoves: 20, movesPerRun: 100, runBudgetMs: 5_000, throughput: { runs: 1, warmupMs: 500, measureMs: 1500 } };
/** p50 to the last viewer across processes at most this many times the one-process figure. */
const TARGET_RATIO = 2;
/** The adapter the app uses (lib/server/cluster): the target is its. */
const APP_ADAPTER: AdapterName = 'redis';
/** Boards of the throughput runs: one shared by every sender, or one per sender. */
const SCENARIOS = [
  { name: 'one board', boards: 1, cardsPerBoard: SENDERS * IN_FLIGHT_PER_SENDER },
  { name: `${SENDERS} boards`, boards: SENDERS, cardsPerBoard: IN_FLIGHT_PER_SENDER },
] as const;

const clusterKey = () => `flowboard-bench-${randomBytes(4).toString('hex')}`;

async function startProcesses(ctx: BenchContext, url: string, count: number, adapter: AdapterName): Promise<ServerChild[]> {
  const key = clusterKey();
  const started: ServerChild[] = [];
  try {
    // One at a time: on two cores, starting three at once only makes each slower to start.
    for (let i = 1; i <= count; i++) {
      started.push(await ctx.startApp({ url }, { withoutPages: true, cluster: { redisUrl: REDIS_URL, key, adapter }, label: `app ${i} of ${count} (${adapter})` }));
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}

async function fanoutAcross(ctx: BenchContext, plan: Plan, url: string, reference: ServerChild, rows: Row[], details: Record<string, unknown>): Promise<void> {
  const [refBoard, ...boards] = await seedBoards({ url }, 1 + ctx.adapters.length, 1);
  if (!refBoard) throw new Error('cluster: seeding failed');
  let refSide: FanoutSide | undefined;
  try {
    refSide = await openFanoutSide('one process', 'by-card', [reference.url], reference.url, refBoard, plan.viewers);
    await runMoves(refSide, plan.warmupMoves, plan.runBudgetMs);
    for (const [index, adapter] of ctx.adapters.entries()) {
      const board = boards[index] as BenchBoard;
      let processes: ServerChild[] = [];
      let side: FanoutSide | undefined;
      try {
        ctx.log(`cluster fan-out: ${plan.processes} processes with ${ADAPTER_LABELS[adapter]}`);
        processes = await startProcesses(ctx, url, plan.processes, adapter);
        const urls = processes.map((p) => p.url);
        side = await openFanoutSide(`${plan.processes} processes (${adapter})`, 'by-card', urls, urls[0] as string, board, plan.viewers);
        await settle([...side.viewers, ...refSide.viewers], 300, 15_000);
        await runMoves(side, plan.warmupMoves, plan.runBudgetMs);
        const perRun = { across: [] as RunSamples[], one: [] as RunSamples[] };
        for (let r = 0; r < plan.runs; r++) {
          const order = r % 2 === 0 ? ([['across', side], ['one', refSide]] as const) : ([['one', refSide], ['across', side]] as const);
          for (const [label, s] of order) perRun[label].push(await runMoves(s, plan.movesPerRun, plan.runBudgetMs));
        }
        const row = (p: number, name: string): Row => ({
          benchmark: 'cluster',
          metric: `${plan.processes} processes, ${adapter} adapter: last of ${plan.viewers} viewers ${name} (floor: 1 process)`,
          unit: 'ms',
          app: perRunFigure(perRun.across, 'lastViewerMs', p),
          floor: perRunFigure(perRun.one, 'lastViewerMs', p),
          ...(name === 'p50' && adapter === APP_ADAPTER ? { target: { kind: 'ratio-at-most', value: TARGET_RATIO } as const } : {}),
        });
        rows.push(row(0.5, 'p50'), row(0.99, 'p99'));
        details[`fanout ${adapter}`] = {
          adapter: ADAPTER_LABELS[adapter],
          movesPerRun: perRun.across.map((s) => s.lastViewerMs.length),
          ackP50: perRunFigure(perRun.across, 'ackMs', 0.5),
          oneProcessAckP50: perRunFigure(perRun.one, 'ackMs', 0.5),
        };
      } finally {
        closeFanoutSide(side);
        await Promise.all(processes.map((p) => p.stop()));
      }
    }
  } finally {
    closeFanoutSide(refSide);
  }
}

async function throughputAcross(ctx: BenchContext, plan: Plan, url: string, reference: ServerChild, rows: Row[], details: Record<string, unknown>): Promise<void> {
  const seed = () => Promise.all(SCENARIOS.map((s) => seedBoards({ url }, s.boards, s.cardsPerBoard)));
  const refBoards = await seed();
  const refSides: ThroughputSide[] = [];
  try {
    for (const [i, boards] of refBoards.entries()) refSides.push(await openThroughputSide(`1 process, ${SCENARIOS[i]?.name}`, 'by-card', [reference], boards));
    for (let count = 2; count <= plan.processes; count++) {
      const boardsByScenario = await seed();
      let processes: ServerChild[] = [];
      const sides: ThroughputSide[] = [];
      try {
        ctx.log(`cluster throughput: ${count} processes`);
        processes = await startProcesses(ctx, url, count, APP_ADAPTER);
        for (const [i, boards] of boardsByScenario.entries()) sides.push(await openThroughputSide(`${count} processes, ${SCENARIOS[i]?.name}`, 'by-card', processes, boards));
        await settle([...sides, ...refSides].flatMap((s) => s.viewers), 300, 15_000);
        for (const [i, scenario] of SCENARIOS.entries()) {
          const across = sides[i] as ThroughputSide;
          const one = refSides[i] as ThroughputSide;
          const results = { across: [] as ThroughputRun[], one: [] as ThroughputRun[] };
          for (let r = 0; r < plan.throughput.runs; r++) {
            const order = r % 2 === 0 ? ([['across', across], ['one', one]] as const) : ([['one', one], ['across', across]] as const);
            for (const [label, side] of order) {
              const result = await runThroughput(side, plan.throughput);
              results[label].push(result);
              ctx.log(describeRun('cluster throughput', side.label, r, plan.throughput.runs, result));
              checkRun(side.label, result);
            }
          }
          rows.push(
            {
              benchmark: 'cluster',
              metric: `${count} processes: accepted moves/s, ${scenario.name} (floor: 1 process)`,
              unit: 'moves/s',
              app: summarize(results.across.map((r) => r.movesPerSecond)),
              floor: summarize(results.one.map((r) => r.movesPerSecond)),
            },
            {
              benchmark: 'cluster',
              metric: `${count} processes: server CPU per move, all processes, ${scenario.name} (floor: 1 process)`,
              unit: 'µs',
              app: summarize(results.across.map((r) => r.serverCpuUsPerMove)),
              floor: summarize(results.one.map((r) => r.serverCpuUsPerMove)),
            },
          );
          details[`throughput ${count} processes, ${scenario.name}`] = results;
        }
      } finally {
        for (const side of sides) closeThroughputSide(side);
        await Promise.all(processes.map((p) => p.stop()));
      }
    }
  } finally {
    for (const side of refSides) closeThroughputSide(side);
  }
}

export const cluster: BenchModule = {
  name: 'cluster',
  description: '3 processes on PostgreSQL + Redis: fan-out per adapter and throughput with 2 and 3 processes, each against 1 process',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const plan = ctx.quick ? QUICK : FULL;
    const url = await ctx.createDatabase('cluster');
    // Migrates the database before any process starts (they would take turns on the advisory lock).
    await seedBoards({ url }, 0, 0);
    const rows: Row[] = [];
    const details: Record<string, unknown> = { plan, adapters: ctx.adapters };
    let reference: ServerChild | undefined;
    try {
      reference = await ctx.startApp({ url }, { withoutPages: true, label: 'app (one process)' });
      await fanoutAcross(ctx, plan, url, reference, rows, details);
      await throughputAcross(ctx, plan, url, reference, rows, details);
    } finally {
      await reference?.stop();
    }
    return { rows, details };
  },
};
