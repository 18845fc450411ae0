/**
 * Move throughput: 10 senders, each keeping several moves in flight (one per card it shuttles, so
 * none is refused), while 50 viewers receive every event. Counts the moves accepted per second in a
 * window after a warm-up, and the server's CPU time per accepted move (from /proc), which shows the
 * server's own cost even when the clients on this machine are the bottleneck.
 */
import { join } from 'node:path';
import { closeAll, connect, connectViewers, settle, type BenchSocket } from './lib/clients';
import { ShuttleCard } from './lib/moves';
import type { ServerChild } from './lib/processes';
import { seedBoards, type BenchBoard } from './lib/seed';
import { summarize } from './lib/stats';
import { sleep, waitUntil } from './lib/time';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

interface Plan {
  runs: number;
  warmupMs: number;
  measureMs: number;
}

const FULL: Plan = { runs: 5, warmupMs: 1500, measureMs: 4000 };
const QUICK: Plan = { runs: 2, warmupMs: 500, measureMs: 1500 };
const SENDERS = 10;
/** Moves each sender keeps in flight: one per card, so a card never has two moves racing. */
const IN_FLIGHT_PER_SENDER = 4;
const VIEWERS = 50;
const TARGET_RATIO = 0.6;
/** Longest wait for the viewers to receive every accepted move after the senders stop. */
const DELIVERY_WAIT_MS = 15_000;
const ACK_TIMEOUT_MS = 10_000;

interface Side {
  label: 'app' | 'floor';
  server: ServerChild;
  senders: { socket: BenchSocket; cards: ShuttleCard[] }[];
  viewers: BenchSocket[];
  /** Moves received per viewer since the counters were last reset. */
  received: number[];
}

interface RunResult {
  movesPerSecond: number;
  serverCpuUsPerMove: number;
  /** Share of one core the runner (all clients) used in the window; near 1 means the clients limit the figure. */
  runnerCpuShare: number;
  accepted: number;
  refused: number;
  deliveredToAll: boolean;
}

let sequence = 0;

async function runOnce(side: Side, plan: Plan): Promise<RunResult> {
  side.received.fill(0);
  // An object, not a let: the loops below read it across awaits while the timer sets it.
  const state = { stopping: false };
  let accepted = 0;
  let inWindow = 0;
  let refused = 0;
  const start = performance.now();
  const windowStart = start + plan.warmupMs;
  const windowEnd = windowStart + plan.measureMs;

  const shuttle = async (socket: BenchSocket, card: ShuttleCard) => {
    while (!state.stopping) {
      sequence += 1;
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('card:move', card.nextMove(`throughput-${sequence}`));
      const now = performance.now();
      if (!ack.ok) {
        refused += 1;
        continue;
      }
      card.moved();
      accepted += 1;
      if (now >= windowStart && now < windowEnd) inWindow += 1;
    }
  };

  // Stop the senders at the end of the window (or if they fail) and sample CPU at its two edges.
  let cpuAtStart = { server: 0, runner: process.cpuUsage() };
  const edges = (async () => {
    await sleep(plan.warmupMs);
    cpuAtStart = { server: side.server.cpuSeconds(), runner: process.cpuUsage() };
    await sleep(plan.measureMs);
    const server = side.server.cpuSeconds() - cpuAtStart.server;
    const runner = process.cpuUsage(cpuAtStart.runner);
    state.stopping = true;
    return { server, runner: (runner.user + runner.system) / 1e6 };
  })();
  const loops = side.senders.flatMap(({ socket, cards }) => cards.map((card) => shuttle(socket, card)));
  const settled = await Promise.allSettled(loops);
  state.stopping = true;
  const cpu = await edges;
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;

  const deliveredToAll = await waitUntil(() => side.received.every((n) => n >= accepted), DELIVERY_WAIT_MS, 20);
  return {
    movesPerSecond: inWindow / (plan.measureMs / 1000),
    serverCpuUsPerMove: inWindow > 0 ? (cpu.server * 1e6) / inWindow : Number.NaN,
    runnerCpuShare: cpu.runner / (plan.measureMs / 1000),
    accepted,
    refused,
    deliveredToAll,
  };
}

async function openSide(label: Side['label'], server: ServerChild, board: BenchBoard): Promise<Side> {
  const viewers = await connectViewers(server.url, Array.from({ length: VIEWERS }, () => board.boardId), `${label} viewer`, board.token);
  const senders: Side['senders'] = [];
  const received = viewers.map(() => 0);
  viewers.forEach((v, i) =>
    v.on('board:event', (event) => {
      if (event.type === 'card_moved') received[i] = (received[i] ?? 0) + 1;
    }),
  );
  try {
    for (let s = 0; s < SENDERS; s++) {
      const socket = await connect(server.url, `${label} sender ${s + 1}`, board.token);
      const cardIds = board.cardIds.slice(s * IN_FLIGHT_PER_SENDER, (s + 1) * IN_FLIGHT_PER_SENDER);
      senders.push({ socket, cards: cardIds.map((id) => new ShuttleCard(board, id, label === 'app' ? 'by-card' : 'by-board')) });
    }
  } catch (error) {
    closeAll([...viewers, ...senders.map((s) => s.socket)]);
    throw error;
  }
  return { label, server, senders, viewers, received };
}

function closeSide(side: Side | undefined): void {
  if (!side) return;
  closeAll([...side.viewers, ...side.senders.map((s) => s.socket)]);
}

export const throughput: BenchModule = {
  name: 'throughput',
  description: `accepted moves per second, ${SENDERS} senders with ${IN_FLIGHT_PER_SENDER} moves in flight each, ${VIEWERS} viewers`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const plan = ctx.quick ? QUICK : FULL;
    const cards = SENDERS * IN_FLIGHT_PER_SENDER;
    // Each server writes its own file, seeded alike.
    const appDb = join(ctx.workDir, 'throughput-app.db');
    const floorDb = join(ctx.workDir, 'throughput-floor.db');
    const [appBoard] = await seedBoards(appDb, 1, cards);
    const [floorBoard] = await seedBoards(floorDb, 1, cards);
    if (!appBoard || !floorBoard) throw new Error('throughput: seeding failed');
    let app: ServerChild | undefined;
    let floor: ServerChild | undefined;
    let appSide: Side | undefined;
    let floorSide: Side | undefined;
    try {
      app = await ctx.startApp(appDb);
      floor = await ctx.startFloor('bench/floors/bare-throughput.ts', { FLOWBOARD_DB: floorDb });
      appSide = await openSide('app', app, appBoard);
      floorSide = await openSide('floor', floor, floorBoard);
      await settle([...appSide.viewers, ...floorSide.viewers], 300, 15_000);
      const results = { app: [] as RunResult[], floor: [] as RunResult[] };
      for (let r = 0; r < plan.runs; r++) {
        const order = r % 2 === 0 ? [appSide, floorSide] : [floorSide, appSide];
        for (const side of order) {
          const result = await runOnce(side, plan);
          results[side.label].push(result);
          ctx.log(
            `throughput run ${r + 1}/${plan.runs} ${side.label}: ${result.movesPerSecond.toFixed(0)} moves/s, ` +
              `${result.serverCpuUsPerMove.toFixed(0)} µs server CPU per move, runner at ${(result.runnerCpuShare * 100).toFixed(0)}% of a core`,
          );
          if (result.refused > 0) throw new Error(`${side.label} refused ${result.refused} moves: the benchmark must not hit any rule`);
          if (!result.deliveredToAll) throw new Error(`${side.label}: not every viewer received every accepted move`);
        }
      }
      const rows: Row[] = [
        {
          benchmark: 'throughput',
          metric: `accepted moves/s, ${SENDERS} senders, ${VIEWERS} viewers`,
          unit: 'moves/s',
          app: summarize(results.app.map((r) => r.movesPerSecond)),
          floor: summarize(results.floor.map((r) => r.movesPerSecond)),
          target: { kind: 'ratio-at-least', value: TARGET_RATIO },
        },
        {
          benchmark: 'throughput',
          metric: 'server CPU per accepted move',
          unit: 'µs',
          app: summarize(results.app.map((r) => r.serverCpuUsPerMove)),
          floor: summarize(results.floor.map((r) => r.serverCpuUsPerMove)),
        },
      ];
      return { rows, details: { plan, senders: SENDERS, inFlightPerSender: IN_FLIGHT_PER_SENDER, viewers: VIEWERS, runs: results } };
    } finally {
      closeSide(appSide);
      closeSide(floorSide);
      await Promise.all([app?.stop(), floor?.stop()]);
    }
  },
};
