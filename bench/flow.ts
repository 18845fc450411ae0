/**
 * Flow page data: the server's time to read a 90-day daily range (FlowData: the CFD counters, totals
 * before the range, finished cards, open cards, defects) and to project it into the CFD and every
 * metric, on a board with 1,000,000 events over two years and 8 work centers. The floor is a single
 * indexed SQL scan: counting the board's events in the same 90 days through events_board_at_idx.
 *
 * The board is generated once into bench/results/ (about a minute) and reused while the generator's
 * version stays the same. Run alone with `node --import tsx bench/flow.ts [--quick]`, or as the
 * `flow` module of bench/run.ts.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAggregates } from '../db/flow';
import { openSqlite } from '../db/sqlite/engine';
import { createStore } from '../db/store';
import { defaultLaneId } from '../lib/shared/domain/lanes';
import type { BoardEvent, CardDTO, ColumnDTO } from '../lib/shared/domain/types';
import { computeMetrics } from '../lib/shared/flow/metrics';
import { replayFlow } from '../lib/shared/flow/replay';
import { buildCfd } from '../lib/shared/flow/series';
import { DAY_MS, HOUR_MS, addDays, dateOf, formatDate } from '../lib/shared/flow/time';
import { RESULTS_DIR } from './lib/paths';
import { summarize } from './lib/stats';
import type { BenchContext, BenchModule, BenchResult, Row } from './lib/types';
import { prng } from '../lib/shared/random';

// 4: the aggregates' cursor (boards.flow_version) is written with them; older files lack it.
const GENERATOR_VERSION = 4;
const EVENTS = 1_000_000;
const WORK_CENTERS = ['Backlog', 'Analysis', 'Design', 'Develop', 'Review', 'Test', 'Deploy', 'Done'];
const HISTORY_DAYS = 730;
const RANGE_DAYS = 90;
const TZ = 'Europe/Berlin';
const TARGET_MS = 50;
/** The bench's own clock: history ends here, so the numbers do not drift with the calendar. */
const END = Date.UTC(2026, 0, 1);

interface Pending {
  at: number;
  cardId: string;
  body: Record<string, unknown> & { type: string };
}

/**
 * Writes the board straight into SQLite (events, cards, backward moves) and builds its aggregates
 * with the full recomputation the property tests prove equal to the incremental one: a million
 * single-event transactions would take far longer and measure nothing this bench is about.
 */
export async function generateBoard(path: string, log: (m: string) => void): Promise<string> {
  const rnd = prng(42).next;
  const engine = openSqlite(path);
  const { sqlite } = engine;
  const store = createStore(engine, { clock: () => END - HISTORY_DAYS * DAY_MS });
  const { board } = await store.createBoard({ name: 'Flow bench: 1M events', columns: WORK_CENTERS.map((name) => ({ name })) }, { name: 'bench' });
  const columns: ColumnDTO[] = board.columns;
  const boardCreated = (await store.eventsSince(board.id, 0, 1)) ?? [];
  // The store's follow-up of that write runs now, not once the log below has grown behind its back.
  await store.flow.settle(board.id);
  await new Promise((resolve) => setImmediate(resolve));
  const start = END - HISTORY_DAYS * DAY_MS;
  // About ten events per card: creation, seven moves forward, a few updates, sometimes a defect.
  const pending: Pending[] = [];
  const finals: { card: CardDTO; columnId: string; at: number }[] = [];
  const backward: { seqIndex: number; cardId: string; from: string; to: string; at: number }[] = [];
  for (let n = 0; pending.length < EVENTS - 1; n++) {
    const cardId = randomUUID();
    let at = start + Math.floor(rnd() * (HISTORY_DAYS - 2) * DAY_MS);
    const card: CardDTO = {
      id: cardId,
      boardId: board.id,
      columnId: (columns[0] as ColumnDTO).id,
      laneId: defaultLaneId(board.id),
      position: `a${n}`,
      stage: 'doing',
      title: `Item ${n}`,
      description: '',
      type: 'feature',
      blocked: false,
      blockedReason: null,
      blockedMs: 0,
      blockedSince: null,
      defectCount: 0,
      createdAt: new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
      enteredColumnAt: new Date(at).toISOString(),
      assigneeIds: [],
      number: n + 1,
      parentId: null,
    };
    pending.push({ at, cardId, body: { type: 'card_created', card } });
    let col = 0;
    const move = (to: number, reason: string | null) => {
      const back = to < col;
      pending.push({
        at,
        cardId,
        body: {
          type: 'card_moved',
          cardId,
          fromColumnId: (columns[col] as ColumnDTO).id,
          toColumnId: (columns[to] as ColumnDTO).id,
          position: card.position,
          backward: back,
          reason,
          detectedAtColumnId: back ? (columns[col] as ColumnDTO).id : null,
          returnedToColumnId: back ? (columns[to] as ColumnDTO).id : null,
        },
      });
      if (back) backward.push({ seqIndex: pending.length - 1, cardId, from: (columns[col] as ColumnDTO).id, to: (columns[to] as ColumnDTO).id, at });
      col = to;
    };
    while (col < columns.length - 1) {
      at += Math.floor((0.1 + rnd() * rnd() * 6) * DAY_MS);
      if (at >= END) break;
      if (rnd() < 0.25) pending.push({ at: at - HOUR_MS, cardId, body: { type: 'card_updated', cardId, changes: { title: `Item ${n}*` } } });
      if (col >= 4 && rnd() < 0.03) move(col - 2, 'Defect found downstream');
      else move(col + 1, null);
    }
    finals.push({ card, columnId: (columns[col] as ColumnDTO).id, at: Math.min(at, END - 1) });
  }
  log(`generated ${pending.length.toLocaleString('en')} events for ${finals.length.toLocaleString('en')} cards; writing`);
  const order = pending.map((p, i) => ({ p, i })).toSorted((a, b) => a.p.at - b.p.at || a.i - b.i);
  const seqOf = new Map<number, number>();
  const events: BoardEvent[] = [];
  sqlite.transaction(() => {
    const insertEvent = sqlite.prepare('insert into events (board_id, version, type, actor, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?)');
    order.forEach(({ p, i }, k) => {
      const version = k + 2; // version 1 is board_created
      const { type, ...data } = p.body;
      const info = insertEvent.run(board.id, version, type, 'bench', p.at, p.cardId, JSON.stringify(data));
      seqOf.set(i, Number(info.lastInsertRowid));
      events.push({ ...p.body, boardId: board.id, version, actor: 'bench', at: new Date(p.at).toISOString() } as unknown as BoardEvent);
    });
    sqlite.prepare('update boards set version = ? where id = ?').run(order.length + 1, board.id);
    const insertCard = sqlite.prepare(
      `insert into cards (id, board_id, column_id, position, title, description, type, created_at, updated_at, entered_column_at)
       values (?, ?, ?, ?, ?, '', 'feature', ?, ?, ?)`,
    );
    for (const f of finals) insertCard.run(f.card.id, board.id, f.columnId, f.card.position, f.card.title, Date.parse(f.card.createdAt), f.at, f.at);
    const insertBack = sqlite.prepare(
      'insert into backward_moves (event_seq, board_id, card_id, detected_at_column_id, returned_to_column_id, reason, actor, at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const b of backward) insertBack.run(seqOf.get(b.seqIndex), board.id, b.cardId, b.from, b.to, 'Defect found downstream', 'bench', b.at);
  })();
  // The aggregates of the whole log, and the cursor at its end: no read has anything left to apply.
  await engine.write(async (tx) => {
    await writeAggregates(tx, board.id, replayFlow([...boardCreated, ...events]));
    await tx.run('update boards set flow_version = version where id = ?', [board.id]);
  });
  sqlite.exec('analyze');
  // Closing the last connection checkpoints the WAL into the file.
  await engine.close();
  return board.id;
}

function boardPath(): string {
  return join(RESULTS_DIR, `flow-1m-v${GENERATOR_VERSION}.db`);
}

export async function ensureBoard(log: (m: string) => void): Promise<string> {
  const path = boardPath();
  if (!existsSync(path)) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const partial = `${path}.partial`;
    rmSync(partial, { force: true });
    const t = performance.now();
    await generateBoard(partial, log);
    renameSync(partial, path);
    log(`built ${path} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  return path;
}

export interface FlowBenchOptions {
  runs?: number;
  log?: (m: string) => void;
}

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Median/min/max of the flow page's server time and of the floor, in ms. */
export async function runFlowBench(options: FlowBenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => console.error(`[flow] ${m}`));
  const runs = options.runs ?? 30;
  const path = await ensureBoard(log);
  const engine = openSqlite(path);
  const { sqlite } = engine;
  try {
    const store = createStore(engine);
    const boardId = (sqlite.prepare('select id from boards limit 1').get() as { id: string }).id;
    const to = dateOf(END - 1, TZ);
    const range = { from: formatDate(addDays(to, -(RANGE_DAYS - 1))), to: formatDate(to), interval: 'day' as const, tz: TZ };
    const read = () => store.flow.read(boardId, range, END);
    const floorStmt = sqlite.prepare('select count(*) as n from events where board_id = ? and at >= ? and at < ?');
    const probe = await read();
    const [lo, hi] = [probe.boundaries[0] as number, probe.boundaries.at(-1) as number];
    const floor = () => floorStmt.get(boardId, lo, hi);
    for (let i = 0; i < 3; i++) {
      await read();
      floor();
    }
    // What each endpoint does on the server, serialization included.
    const readMs: number[] = [];
    const cfdMs: number[] = [];
    const metricsMs: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      floorMs.push(await time(floor));
      readMs.push(await time(async () => JSON.stringify(await read())));
      cfdMs.push(await time(async () => JSON.stringify(buildCfd(await read()))));
      metricsMs.push(await time(async () => JSON.stringify(computeMetrics(await read()))));
    }
    const inRange = (floor() as { n: number }).n;
    const rows: Row[] = [
      {
        benchmark: 'flow',
        metric: 'flow page data, 90 days daily (GET /flow: read + JSON)',
        unit: 'ms',
        app: summarize(readMs),
        floor: summarize(floorMs),
        target: { kind: 'app-at-most', value: TARGET_MS },
      },
      { benchmark: 'flow', metric: 'GET /cfd (read + CFD + JSON)', unit: 'ms', app: summarize(cfdMs), floor: summarize(floorMs) },
      {
        benchmark: 'flow',
        metric: `GET /metrics (read + all metrics + JSON of ${probe.finished.length} finished cards)`,
        unit: 'ms',
        app: summarize(metricsMs),
        floor: summarize(floorMs),
      },
    ];
    return {
      rows,
      details: { events: (sqlite.prepare('select count(*) as n from events').get() as { n: number }).n, eventsInRange: inRange, finishedInRange: probe.finished.length, openCards: probe.open.length, runs, range },
    };
  } finally {
    await engine.close();
  }
}

/** The module bench/run.ts can list next to the others. */
export const flow: BenchModule = {
  name: 'flow',
  description: 'flow page data: 90-day daily range on a board with 1,000,000 events (≤ 50 ms)',
  run: (ctx: BenchContext) => runFlowBench({ runs: ctx.quick ? 5 : 30, log: ctx.log }),
};

const fmt = (v: number) => v.toFixed(1).padStart(7);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const result = await runFlowBench({ runs: quick ? 5 : 30 });
  console.log(`${'metric'.padEnd(72)} ${'median'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)} | floor median  ratio`);
  for (const r of result.rows) {
    console.log(
      `${r.metric.padEnd(72)} ${fmt(r.app.median)} ${fmt(r.app.min)} ${fmt(r.app.max)} | ${fmt(r.floor.median)} ms ${(r.app.median / r.floor.median).toFixed(1).padStart(5)}x${r.target ? `  (target ≤ ${TARGET_MS} ms: ${r.app.median <= TARGET_MS ? 'met' : 'MISSED'})` : ''}`,
    );
  }
  console.log(JSON.stringify(result.details));
}
