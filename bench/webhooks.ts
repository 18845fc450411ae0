/**
 * Move fan-out with outgoing webhooks: the same N viewers and one sender as `fanout`, on an app whose
 * board has 5 webhooks registered (4 receivers answering at once, one answering after 5 s), against
 * the floor of the same app, same code, whose board has none. Both are app processes of their own on
 * SQLite files of their own, their runs alternate. The target: within 1.1x at N=50 — a move
 * never waits for a webhook, however slow its receiver.
 */
import { join } from 'node:path';
import { closeFanoutSide, openFanoutSide, perRunFigure, runMoves, type FanoutSide, type RunSamples } from './fanout';
import { settle } from './lib/clients';
import type { ServerChild } from './lib/processes';
import { seedBoards } from './lib/seed';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';

const SLOW_MS = 5_000;
const FAST_RECEIVERS = 4;
const VIEWERS = 50;
const TARGET = 1.1;
const FULL = { runs: 5, warmupMoves: 100, movesPerRun: 1000, runBudgetMs: 30_000 };
const QUICK = { runs: 2, warmupMoves: 20, movesPerRun: 200, runBudgetMs: 5_000 };

export const webhooks: BenchModule = {
  name: 'webhooks',
  description: `move fan-out (N=${VIEWERS}) with 5 webhooks, one answering after 5 s; floor: the same app without webhooks`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const plan = ctx.quick ? QUICK : FULL;
    const appDb = join(ctx.workDir, 'webhooks-app.db');
    const floorDb = join(ctx.workDir, 'webhooks-floor.db');
    const [appBoard] = await seedBoards(appDb, 1, 1);
    const [floorBoard] = await seedBoards(floorDb, 1, 1);
    if (!appBoard || !floorBoard) throw new Error('webhooks: missing seeded board');
    let receivers: ServerChild | undefined;
    let app: ServerChild | undefined;
    let floor: ServerChild | undefined;
    let appSide: FanoutSide | undefined;
    let floorSide: FanoutSide | undefined;
    try {
      receivers = await ctx.startFloor('bench/floors/webhook-receivers.ts', { BENCH_SLOW_MS: String(SLOW_MS) });
      const urls = [...Array.from({ length: FAST_RECEIVERS }, (_, i) => `${receivers?.url}/fast/${i}`), `${receivers.url}/slow/0`];
      const env = { FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true' };
      app = await ctx.startApp(appDb, { withoutPages: true, label: 'app with webhooks', env });
      floor = await ctx.startApp(floorDb, { withoutPages: true, label: 'app without webhooks', env });
      for (const url of urls) {
        const res = await fetch(`${app.url}/api/boards/${appBoard.boardId}/webhooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${appBoard.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url, eventTypes: ['card_moved'] }),
        });
        if (res.status !== 201) throw new Error(`webhooks: registering ${url} answered ${res.status} ${await res.text()}`);
      }
      ctx.log(`webhooks: connecting ${VIEWERS} viewers to each app`);
      appSide = await openFanoutSide('app', 'by-card', [app.url], app.url, appBoard, VIEWERS);
      floorSide = await openFanoutSide('floor', 'by-card', [floor.url], floor.url, floorBoard, VIEWERS);
      await settle([...appSide.viewers, ...floorSide.viewers], 300, 15_000);
      await runMoves(appSide, plan.warmupMoves, plan.runBudgetMs);
      await runMoves(floorSide, plan.warmupMoves, plan.runBudgetMs);
      const perRun = { app: [] as RunSamples[], floor: [] as RunSamples[] };
      for (let r = 0; r < plan.runs; r++) {
        const order = r % 2 === 0 ? ([['app', appSide], ['floor', floorSide]] as const) : ([['floor', floorSide], ['app', appSide]] as const);
        for (const [label, side] of order) perRun[label].push(await runMoves(side, plan.movesPerRun, plan.runBudgetMs));
      }
      const row = (metric: string, pick: keyof RunSamples, p: number, target?: number): Row => ({
        benchmark: 'webhooks',
        metric: `${metric}, N=${VIEWERS}, 5 webhooks (1 slow)`,
        unit: 'ms',
        app: perRunFigure(perRun.app, pick, p),
        floor: perRunFigure(perRun.floor, pick, p),
        ...(target ? { target: { kind: 'ratio-at-most' as const, value: target } } : {}),
      });
      const moves = perRun.app.reduce((n, s) => n + s.lastViewerMs.length, 0) + plan.warmupMoves;
      return {
        rows: [row('last viewer p50', 'lastViewerMs', 0.5, TARGET), row('last viewer p99', 'lastViewerMs', 0.99), row('ack p50', 'ackMs', 0.5), row('ack p99', 'ackMs', 0.99)],
        details: {
          moves,
          // The fast receivers keep up; the slow one takes 4 at a time, 5 s each (the rest wait in the outbox).
          received: await (await fetch(`${receivers.url}/counts`)).json(),
        },
      };
    } finally {
      closeFanoutSide(appSide);
      closeFanoutSide(floorSide);
      await Promise.all([app?.stop(), floor?.stop(), receivers?.stop()]);
    }
  },
};
