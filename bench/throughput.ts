/**
 * Move throughput: 10 senders, each keeping several moves in flight (one per card it shuttles, so
 * none is refused), while 50 viewers receive every event. Counts the moves accepted per second in a
 * window after a warm-up, and the server's CPU time per accepted move (from /proc), which shows the
 * server's own cost even when the clients on this machine are the bottleneck. `throughput` runs on
 * SQLite, `throughput-pg` on PostgreSQL (floor: bench/floors/pg-move.ts). The sides and the run are
 * also what the cluster benchmark measures with, senders and viewers spread over several processes
 * and, there, over several boards.
 */
import { join } from 'node:path';
import { closeAll, connect, connectViewers, settle, type BenchSocket } from './lib/clients';
import { ShuttleCard, type Route } from './lib/moves';
import type { ServerChild } from './lib/processes';
import { seedBoards, type BenchBoard } from './lib/seed';
import { summarize } from './lib/stats';
import { sleep, waitUntil } from './lib/time';
import type { AppDatabase, BenchContext, BenchModule, BenchResult, Row } from './lib/types';

export interface ThroughputPlan {
  runs: number;
  warmupMs: number;
  measureMs: number;
}

const FULL: ThroughputPlan = { runs: 5, warmupMs: 1500, measureMs: 4000 };
const QUICK: ThroughputPlan = { runs: 2, warmupMs: 500, measureMs: 1500 };
export const SENDERS = 10;
/** Moves each sender keeps in flight: one per card, so a card never has two moves racing. */
export const IN_FLIGHT_PER_SENDER = 4;
export const VIEWERS = 50;
const TARGET_RATIO = { sqlite: 0.6, postgres: 0.5 };
/** Longest wait for the viewers to receive every accepted move after the senders stop. */
const DELIVERY_WAIT_MS = 15_000;
const ACK_TIMEOUT_MS = 10_000;

export interface ThroughputSide {
  label: string;
  /** Every process the side's clients talk to: their CPU is summed. */
  servers: ServerChild[];
  senders: { socket: BenchSocket; cards: ShuttleCard[]; board: number }[];
  viewers: BenchSocket[];
  /** Index into the side's boards of each viewer's board. */
  viewerBoard: number[];
  /** Moves received per viewer since the counters were last reset. */
  received: number[];
  boardCount: number;
}

export interface ThroughputRun {
  movesPerSecond: number;
  serverCpuUsPerMove: number;
  /** Share of one core the runner (all clients) used in the window; near 1 means the clients limit the figure. */
  runnerCpuShare: number;
  accepted: number;
  refused: number;
  deliveredToAll: boolean;
}

let sequence = 0;

const serverCpu = (side: ThroughputSide) => side.servers.reduce((sum, s) => sum + s.cpuSeconds(), 0);

export async function runThroughput(side: ThroughputSide, plan: ThroughputPlan): Promise<ThroughputRun> {
  side.received.fill(0);
  // An object, not a let: the loops below read it across awaits while the timer sets it.
  const state = { stopping: false };
  const acceptedOn = Array.from({ length: side.boardCount }, () => 0);
  let inWindow = 0;
  let refused = 0;
  const start = performance.now();
  const windowStart = start + plan.warmupMs;
  const windowEnd = windowStart + plan.measureMs;

  const shuttle = async (socket: BenchSocket, card: ShuttleCard, board: number) => {
    while (!state.stopping) {
      sequence += 1;
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('card:move', card.nextMove(`throughput-${sequence}`));
      const now = performance.now();
      if (!ack.ok) {
        refused += 1;
        continue;
      }
      card.moved();
      acceptedOn[board] = (acceptedOn[board] ?? 0) + 1;
      if (now >= windowStart && now < windowEnd) inWindow += 1;
    }
  };

  // Stop the senders at the end of the window (or if they fail) and sample CPU at its two edges.
  let cpuAtStart = { server: 0, runner: process.cpuUsage() };
  const edges = (async () => {
    await sleep(plan.warmupMs);
    cpuAtStart = { server: serverCpu(side), runner: process.cpuUsage() };
    await sleep(plan.measureMs);
    const server = serverCpu(side) - cpuAtStart.server;
    const runner = process.cpuUsage(cpuAtStart.runner);
    state.stopping = true;
    return { server, runner: (runner.user + runner.system) / 1e6 };
  })();
  const loops = side.senders.flatMap(({ socket, cards, board }) => cards.map((card) => shuttle(socket, card, board)));
  const settled = await Promise.allSettled(loops);
  state.stopping = true;
  const cpu = await edges;
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;

  const deliveredToAll = await waitUntil(() => side.received.every((n, i) => n >= (acceptedOn[side.viewerBoard[i] ?? 0] ?? 0)), DELIVERY_WAIT_MS, 20);
  return {
    movesPerSecond: inWindow / (plan.measureMs / 1000),
    serverCpuUsPerMove: inWindow > 0 ? (cpu.server * 1e6) / inWindow : Number.NaN,
    runnerCpuShare: cpu.runner / (plan.measureMs / 1000),
    accepted: acceptedOn.reduce((a, b) => a + b, 0),
    refused,
    deliveredToAll,
  };
}

/**
 * Viewers and senders spread round-robin over `servers` and over `boards`: sender s moves cards of
 * board s % boards.length, viewer v watches board v % boards.length. One board needs SENDERS x
 * IN_FLIGHT_PER_SENDER cards; with one board per sender, IN_FLIGHT_PER_SENDER each.
 */
export async function openThroughputSide(label: string, route: Route, servers: ServerChild[], boards: readonly BenchBoard[]): Promise<ThroughputSide> {
  const urlOf = (i: number) => (servers[i % servers.length] as ServerChild).url;
  const boardOf = (i: number) => boards[i % boards.length] as BenchBoard;
  const viewerBoard = Array.from({ length: VIEWERS }, (_, v) => v % boards.length);
  const viewers: BenchSocket[] = [];
  const senders: ThroughputSide['senders'] = [];
  try {
    for (let v = 0; v < VIEWERS; v++) {
      viewers.push(...(await connectViewers(urlOf(v), [boardOf(v).boardId], `${label} viewer`, boardOf(v).token)));
    }
    for (let s = 0; s < SENDERS; s++) {
      const board = boardOf(s);
      const socket = await connect(urlOf(s), `${label} sender ${s + 1}`, board.token);
      // The senders of one board take its cards in turns of IN_FLIGHT_PER_SENDER.
      const turn = Math.floor(s / boards.length);
      const cardIds = board.cardIds.slice(turn * IN_FLIGHT_PER_SENDER, (turn + 1) * IN_FLIGHT_PER_SENDER);
      if (cardIds.length < IN_FLIGHT_PER_SENDER) throw new Error(`${label}: board ${s % boards.length} has too few cards for its senders`);
      senders.push({ socket, cards: cardIds.map((id) => new ShuttleCard(board, id, route)), board: s % boards.length });
    }
  } catch (error) {
    closeAll([...viewers, ...senders.map((s) => s.socket)]);
    throw error;
  }
  const received = viewers.map(() => 0);
  viewers.forEach((v, i) =>
    v.on('board:event', (event) => {
      if (event.type === 'card_moved') received[i] = (received[i] ?? 0) + 1;
    }),
  );
  return { label, servers, senders, viewers, viewerBoard, received, boardCount: boards.length };
}

export function closeThroughputSide(side: ThroughputSide | undefined): void {
  if (!side) return;
  closeAll([...side.viewers, ...side.senders.map((s) => s.socket)]);
}

export function describeRun(name: string, label: string, r: number, runs: number, result: ThroughputRun): string {
  return (
    `${name} run ${r + 1}/${runs} ${label}: ${result.movesPerSecond.toFixed(0)} moves/s, ` +
    `${result.serverCpuUsPerMove.toFixed(0)} µs server CPU per move, runner at ${(result.runnerCpuShare * 100).toFixed(0)}% of a core`
  );
}

/** A run must hit no rule and reach every viewer, or its figure means nothing. */
export function checkRun(label: string, result: ThroughputRun): void {
  if (result.refused > 0) throw new Error(`${label} refused ${result.refused} moves: the benchmark must not hit any rule`);
  if (!result.deliveredToAll) throw new Error(`${label}: not every viewer received every accepted move`);
}

type Engine = 'sqlite' | 'postgres';

function throughputModule(engine: Engine): BenchModule {
  const name = engine === 'sqlite' ? 'throughput' : 'throughput-pg';
  return {
    name,
    description:
      engine === 'sqlite'
        ? `accepted moves per second, ${SENDERS} senders with ${IN_FLIGHT_PER_SENDER} moves in flight each, ${VIEWERS} viewers`
        : 'the same on PostgreSQL, one process; floor: the move transaction with pg + bare Socket.IO',
    async run(ctx: BenchContext): Promise<BenchResult> {
      const plan = ctx.quick ? QUICK : FULL;
      const cards = SENDERS * IN_FLIGHT_PER_SENDER;
      // Each server writes its own database, seeded alike.
      const appDb: AppDatabase = engine === 'sqlite' ? join(ctx.workDir, 'throughput-app.db') : { url: await ctx.createDatabase('throughput_app') };
      const floorDb: AppDatabase = engine === 'sqlite' ? join(ctx.workDir, 'throughput-floor.db') : { url: await ctx.createDatabase('throughput_floor') };
      const [appBoard] = await seedBoards(appDb, 1, cards);
      const [floorBoard] = await seedBoards(floorDb, 1, cards);
      if (!appBoard || !floorBoard) throw new Error('throughput: seeding failed');
      let app: ServerChild | undefined;
      let floor: ServerChild | undefined;
      let appSide: ThroughputSide | undefined;
      let floorSide: ThroughputSide | undefined;
      try {
        app = await ctx.startApp(appDb);
        floor =
          typeof floorDb === 'string'
            ? await ctx.startFloor('bench/floors/bare-throughput.ts', { FLOWBOARD_DB: floorDb })
            : await ctx.startFloor('bench/floors/pg-move.ts', { FLOWBOARD_DATABASE_URL: floorDb.url });
        appSide = await openThroughputSide('app', 'by-card', [app], [appBoard]);
        floorSide = await openThroughputSide('floor', 'by-board', [floor], [floorBoard]);
        await settle([...appSide.viewers, ...floorSide.viewers], 300, 15_000);
        const results = { app: [] as ThroughputRun[], floor: [] as ThroughputRun[] };
        for (let r = 0; r < plan.runs; r++) {
          const order = r % 2 === 0 ? ([['app', appSide], ['floor', floorSide]] as const) : ([['floor', floorSide], ['app', appSide]] as const);
          for (const [label, side] of order) {
            const result = await runThroughput(side, plan);
            results[label].push(result);
            ctx.log(describeRun(name, label, r, plan.runs, result));
            checkRun(label, result);
          }
        }
        const rows: Row[] = [
          {
            benchmark: name,
            metric: `accepted moves/s, ${SENDERS} senders, ${VIEWERS} viewers`,
            unit: 'moves/s',
            app: summarize(results.app.map((r) => r.movesPerSecond)),
            floor: summarize(results.floor.map((r) => r.movesPerSecond)),
            target: { kind: 'ratio-at-least', value: TARGET_RATIO[engine] },
          },
          {
            benchmark: name,
            metric: 'server CPU per accepted move',
            unit: 'µs',
            app: summarize(results.app.map((r) => r.serverCpuUsPerMove)),
            floor: summarize(results.floor.map((r) => r.serverCpuUsPerMove)),
          },
        ];
        return { rows, details: { plan, senders: SENDERS, inFlightPerSender: IN_FLIGHT_PER_SENDER, viewers: VIEWERS, runs: results } };
      } finally {
        closeThroughputSide(appSide);
        closeThroughputSide(floorSide);
        await Promise.all([app?.stop(), floor?.stop()]);
      }
    },
  };
}

export const throughput = throughputModule('sqlite');
export const throughputPostgres = throughputModule('postgres');
