import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import type { BoardEvent } from '../../lib/shared/domain/types';
import type { FlowData } from '../../lib/shared/flow/data';
import { samplePathLittle, throughputPerDay, wipSeries, type Sojourn } from '../../lib/shared/flow/metrics';
import { replayFlow } from '../../lib/shared/flow/replay';
import { expectAggregatesOfLog } from './flow-aggregates';
import { cfdLines } from '../../lib/shared/flow/series';
import { HOUR_MS } from '../../lib/shared/flow/time';

/** Histories start here; every event falls on a whole hour so hourly sums are exact step functions. */
const T0 = Date.UTC(2025, 0, 1);
const RANGE = { from: '2025-01-01', to: '2025-01-12', tz: 'UTC' } as const;

type Op =
  | { kind: 'create'; column: number; gap: number }
  | { kind: 'move'; card: number; column: number; gap: number }
  | { kind: 'delete'; card: number; gap: number }
  | { kind: 'split'; card: number; into: number; gap: number }
  | { kind: 'addColumn'; index: number; gap: number }
  | { kind: 'removeColumn'; column: number; gap: number }
  | { kind: 'moveColumn'; column: number; index: number; gap: number }
  | { kind: 'configure'; column: number; gap: number }
  | { kind: 'catchUp'; gap: number }
  | { kind: 'undo'; gap: number };

const gap = fc.integer({ min: 0, max: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), column: fc.nat(9), gap }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('move' as const), card: fc.nat(50), column: fc.nat(9), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), card: fc.nat(50), gap }) },
  // A card replaced by 2 to 4 smaller ones (a split of a finished card, or past a limit, is refused).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), card: fc.nat(50), into: fc.integer({ min: 2, max: 4 }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addColumn' as const), index: fc.nat(8), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeColumn' as const), column: fc.nat(9), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveColumn' as const), column: fc.nat(9), index: fc.nat(9), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('configure' as const), column: fc.nat(9), gap }) },
  // The aggregates follow the log a step behind: histories catch up at random points, or only when read.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('catchUp' as const), gap }) },
  // The board's last move taken back at once, or an hour later (refused: the window has passed).
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('undo' as const), gap: fc.constantFrom(0, 0, 0, 1) }) },
);

const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length] as T;

/** Runs random operations through the real store; refusals (WIP limits, non-empty removals) are fine. */
async function play(ops: readonly Op[]): Promise<{ store: Store; boardId: string; events: BoardEvent[]; close: () => Promise<void> }> {
  let now = T0;
  const engine = await openEngine({ sqlitePath: ':memory:' });
  const store = createStore(engine, { clock: () => now });
  const actor = { name: 'prop' };
  const { board } = await store.createBoard({ name: 'P', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] }, actor);
  const cards: string[] = [];
  for (const o of ops) {
    now += o.gap * HOUR_MS;
    const live = (await store.getSnapshot(board.id)).columns;
    try {
      if (o.kind === 'create') cards.push((await store.createCard({ boardId: board.id, columnId: pick(live, o.column).id, title: 'c' }, actor)).card.id);
      else if (o.kind === 'move' && cards.length) await store.moveCard({ cardId: pick(cards, o.card), toColumnId: pick(live, o.column).id, reason: 'defect' }, actor);
      else if (o.kind === 'delete' && cards.length) await store.deleteCard({ cardId: pick(cards, o.card) }, actor);
      else if (o.kind === 'split' && cards.length) {
        const titles = Array.from({ length: o.into }, (_, i) => `part ${i + 1}`);
        cards.push(...(await store.splitCard({ cardId: pick(cards, o.card), titles }, actor)).cards.map((c) => c.id));
      }
      else if (o.kind === 'addColumn') await store.addColumn({ boardId: board.id, name: `N${now}`, index: o.index % (live.length + 1) }, actor);
      else if (o.kind === 'removeColumn' && live.length > 2) await store.removeColumn({ columnId: pick(live, o.column).id }, actor);
      else if (o.kind === 'moveColumn') await store.moveColumn({ columnId: pick(live, o.column).id, toIndex: o.index % live.length }, actor);
      else if (o.kind === 'configure') await store.configureBoard({ boardId: board.id, commitmentColumnId: pick(live, o.column).id, demandPerWeek: o.column }, actor);
      else if (o.kind === 'catchUp') await store.flow.settle(board.id);
      else if (o.kind === 'undo') {
        const last = ((await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? []).findLast((e) => e.type === 'card_moved');
        if (last?.type === 'card_moved') await store.undoMove({ cardId: last.cardId, version: last.version }, actor);
      }
    } catch {
      // A refusal changes nothing; the history goes on.
    }
  }
  const events = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
  return { store, boardId: board.id, events, close: () => engine.close() };
}

const histories = fc.array(op, { minLength: 1, maxLength: 60 });
const RUNS = { numRuns: 60 };

function readHourly(store: Store, boardId: string): Promise<FlowData> {
  return store.flow.read(boardId, { ...RANGE, interval: 'hour' }, T0 + 40 * 24 * HOUR_MS);
}

describe('flow aggregates over random histories (backward moves, undos, splits, column additions, removals and moves)', () => {
  it('the incremental aggregate equals a full recomputation from the event log', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (ops) => {
        const { store, boardId, events, close } = await play(ops);
        try {
          await expectAggregatesOfLog(store, boardId, events);
        } finally {
          await close();
        }
      }),
      RUNS,
    );
  });

  it('CFD lines never go down; the top line is cards created so far; the bottom line is cards that reached the last work center', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (ops) => {
        const { store, boardId, events, close } = await play(ops);
        try {
          const data = await readHourly(store, boardId);
          const { lines } = cfdLines(data);
          const flow = replayFlow(events);
          const done = data.doneColumnId;
          lines.forEach((line, i) => {
            const end = data.boundaries[i + 1] as number;
            if (i > 0) line.forEach((v, k) => expect(v).toBeGreaterThanOrEqual((lines[i - 1] as number[])[k] as number));
            const created = [...flow.cards.values()].filter((c) => c.createdAt < end).length;
            const departed = [...flow.cards.values()].filter((c) => (c.reached.get(done) ?? Infinity) < end).length;
            expect(line[0]).toBe(created);
            expect(line.at(-1)).toBe(departed);
          });
        } finally {
          await close();
        }
      }),
      RUNS,
    );
  });

  it('throughput summed over the range equals departures (the bottom line’s rise)', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (ops) => {
        const { store, boardId, close } = await play(ops);
        try {
          const data = await store.flow.read(boardId, { ...RANGE, interval: 'day' }, T0 + 40 * 24 * HOUR_MS);
          const { lines } = cfdLines(data);
          const before = cfdLines({ ...data, counts: data.counts.map((i) => i.map((r) => r.map(() => 0))) }).lines[0]?.at(-1) ?? 0;
          const total = throughputPerDay(data).reduce((s, d) => s + d.count, 0);
          expect(total).toBe((lines.at(-1)?.at(-1) ?? 0) - before);
        } finally {
          await close();
        }
      }),
      RUNS,
    );
  });

  it('finite-window Little’s law holds: time-average WIP from the aggregate = arrival rate × average time in system', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (ops) => {
        const { store, boardId, events, close } = await play(ops);
        try {
          const data = await readHourly(store, boardId);
          const start = data.boundaries[0] as number;
          const end = data.boundaries.at(-1) as number;
          // L: WIP is constant within each hour (events fall on whole hours), so the integral is exact.
          const area = wipSeries(data).reduce((s, p) => s + p.wip * HOUR_MS, 0);
          const L = area / (end - start);
          const flow = replayFlow(events);
          const sojourns: Sojourn[] = [];
          for (const card of flow.cards.values()) {
            const arrival = card.reached.get(data.commitmentColumnId);
            if (arrival === undefined) continue;
            const finished = card.reached.get(data.doneColumnId) ?? null;
            const gone = [finished, card.deletedAt].filter((t): t is number => t !== null);
            sojourns.push({ arrival, departure: gone.length ? Math.min(...gone) : null });
          }
          const { lambda, w } = samplePathLittle(sojourns, start, end);
          expect(L).toBeCloseTo(lambda * w, 9);
        } finally {
          await close();
        }
      }),
      RUNS,
    );
  });

  it('a range read in any time zone and resolution equals the hourly counts summed per interval', async () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
    await fc.assert(
      fc.asyncProperty(histories, fc.constantFrom(...zones), fc.constantFrom('day' as const, 'hour' as const), fc.integer({ min: 0, max: 6 }), async (ops, tz, interval, skip) => {
        const { store, boardId, events, close } = await play(ops);
        try {
          // A range starting some days in, so the totals before it matter too.
          const range = { from: `2025-01-0${1 + skip}`, to: '2025-01-12', interval, tz };
          const data = await store.flow.read(boardId, range, T0 + 40 * 24 * HOUR_MS);
          const n = data.boundaries.length - 1;
          const expectedCounts = data.counts.map((i) => i.map((r) => r.map(() => 0)));
          const expectedStart = data.start.map((r) => r.map(() => 0));
          const column = new Map(data.columns.map((c, i) => [c.id, i]));
          for (const [key, values] of replayFlow(events).hourly) {
            const bar = key.lastIndexOf('|');
            const c = column.get(key.slice(0, bar)) as number;
            const t = Number(key.slice(bar + 1)) * HOUR_MS;
            let target: number[] | undefined;
            if (t < (data.boundaries[0] as number)) target = expectedStart[c];
            else for (let i = 0; i < n; i++) if (t < (data.boundaries[i + 1] as number)) { target = expectedCounts[i]?.[c]; break; }
            values.forEach((v, k) => target && (target[k] = (target[k] ?? 0) + v));
          }
          expect(data.start).toEqual(expectedStart);
          expect(data.counts).toEqual(expectedCounts);
        } finally {
          await close();
        }
      }),
      RUNS,
    );
  });
});
