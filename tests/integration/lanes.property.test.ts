/**
 * Lanes on the real store, on BOTH engines, over random sequences of commands: a work center only
 * gains a standard card while under its limit (expedite cards pass it), the expedite lane's cards in
 * progress and a limited cell only grow while under their limits, a refusal changes nothing, the log
 * folds to the state, and the flow read by class of service partitions the whole board's.
 */
import * as fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import { DomainError } from '../../lib/shared/domain/errors';
import { inProgress } from '../../lib/shared/domain/lanes';
import { CLASSES_OF_SERVICE, type BoardSnapshot } from '../../lib/shared/domain/types';
import { createTestDatabase, withPostgres, type TestDatabase } from '../services';
import { canonical, fold } from './helpers';

type Cmd =
  | { kind: 'create'; col: number; lane: number }
  | { kind: 'move'; card: number; col: number; lane: number | null }
  | { kind: 'laneLimit'; lane: number; limit: number | null }
  | { kind: 'cellLimit'; lane: number; col: number; limit: number | null }
  | { kind: 'class'; lane: number; cls: number }
  | { kind: 'removeLane'; lane: number }
  | { kind: 'delete'; card: number };

const limit = fc.option(fc.integer({ min: 1, max: 3 }), { nil: null });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), col: fc.nat(), lane: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('move' as const), card: fc.nat(), col: fc.nat(), lane: fc.option(fc.nat(), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('laneLimit' as const), lane: fc.nat(), limit }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cellLimit' as const), lane: fc.nat(), col: fc.nat(), limit }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('class' as const), lane: fc.nat(), cls: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeLane' as const), lane: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), card: fc.nat() }) },
);

const actor = { name: 'property' };
const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

async function run(store: Store, board: BoardSnapshot, c: Cmd): Promise<void> {
  const column = pick(board.columns, 'col' in c ? c.col : 0);
  const lane = 'lane' in c && c.lane !== null ? pick(board.lanes, c.lane) : undefined;
  const card = pick(board.cards, 'card' in c ? c.card : 0);
  switch (c.kind) {
    case 'create':
      if (column && lane) await store.createCard({ boardId: board.id, columnId: column.id, laneId: lane.id, title: 'card' }, actor);
      return;
    case 'move':
      if (column && card) await store.moveCard({ cardId: card.id, toColumnId: column.id, reason: 'defect', ...(lane ? { toLaneId: lane.id } : {}) }, actor);
      return;
    case 'laneLimit':
      if (lane) await store.updateLane({ laneId: lane.id, wipLimit: c.limit }, actor);
      return;
    case 'cellLimit':
      if (lane && column) await store.updateLane({ laneId: lane.id, cellLimits: { [column.id]: c.limit } }, actor);
      return;
    case 'class':
      if (lane) await store.updateLane({ laneId: lane.id, classOfService: CLASSES_OF_SERVICE[c.cls % CLASSES_OF_SERVICE.length] }, actor);
      return;
    case 'removeLane':
      if (lane) await store.removeLane({ laneId: lane.id }, actor);
      return;
    case 'delete':
      if (card) await store.deleteCard({ cardId: card.id }, actor);
      return;
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
}

/** What the limits look at: standard cards per work center, cards in progress per lane, cards per cell. */
function tally(board: BoardSnapshot) {
  const order = board.columns.map((c) => c.id);
  const expedite = new Set(board.lanes.filter((l) => l.classOfService === 'expedite').map((l) => l.id));
  const column = new Map<string, number>();
  const lane = new Map<string, number>();
  const cell = new Map<string, number>();
  for (const c of board.cards) {
    column.set(c.columnId, (column.get(c.columnId) ?? 0) + 1);
    if (!expedite.has(c.laneId)) column.set(`std:${c.columnId}`, (column.get(`std:${c.columnId}`) ?? 0) + 1);
    if (inProgress(order.indexOf(c.columnId), order.length)) lane.set(c.laneId, (lane.get(c.laneId) ?? 0) + 1);
    cell.set(`${c.laneId}|${c.columnId}`, (cell.get(`${c.laneId}|${c.columnId}`) ?? 0) + 1);
  }
  return { column, lane, cell };
}

/** Grids of counters added cell by cell. */
const sum = (grids: number[][][]) => grids.reduce((acc, g) => acc.map((row, i) => row.map((v, k) => v + (g[i]?.[k] ?? 0))));

const engines = withPostgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(engines)('lanes on %s over any sequence of commands', (kind) => {
  let engine: Engine;
  let database: TestDatabase | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-lanes-'));
  beforeAll(async () => {
    if (kind === 'postgres') database = await createTestDatabase('lanes');
    engine = await openEngine({ url: database?.url, sqlitePath: join(dir, 'lanes.db') });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every limit as its rule says, changes nothing on a refusal, folds its log to its state, and its flow by class partitions the board’s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
        let now = Date.UTC(2026, 0, 1, 9);
        const store = createStore(engine, { clock: () => (now += 60_000) });
        const { board: created } = await store.createBoard(
          { name: 'Lanes', columns: [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 1 }, { name: 'Done' }] },
          actor,
        );
        await store.addLane({ boardId: created.id, name: 'Expedite', classOfService: 'expedite' }, actor);
        await store.addLane({ boardId: created.id, name: 'Fixed', classOfService: 'fixed_date' }, actor);
        let board = await store.getSnapshot(created.id);
        for (const c of cmds) {
          const prior = board;
          try {
            await run(store, board, c);
          } catch (error) {
            if (!(error instanceof DomainError) || error.code === 'INTERNAL') throw error;
            expect(await store.getSnapshot(board.id), `refused ${JSON.stringify(c)}`).toStrictEqual(prior);
            continue;
          }
          board = await store.getSnapshot(board.id);
          const was = tally(prior);
          const is = tally(board);
          const why = `after ${JSON.stringify(c)}`;
          // Limits are checked on the way in: a count may only grow while under its limit (a lowered limit may leave it over).
          for (const col of board.columns) {
            const std = is.column.get(`std:${col.id}`) ?? 0;
            if (col.wipLimit !== null && std > (was.column.get(`std:${col.id}`) ?? 0) && (is.column.get(col.id) ?? 0) > (was.column.get(col.id) ?? 0)) {
              expect(was.column.get(col.id) ?? 0, why).toBeLessThan(col.wipLimit);
            }
          }
          for (const lane of board.lanes) {
            const n = is.lane.get(lane.id) ?? 0;
            if (lane.wipLimit !== null && n > (was.lane.get(lane.id) ?? 0) && prior.lanes.find((l) => l.id === lane.id)?.wipLimit === lane.wipLimit) expect(n, why).toBeLessThanOrEqual(lane.wipLimit);
            for (const [columnId, cap] of Object.entries(lane.cellLimits)) {
              const k = `${lane.id}|${columnId}`;
              if ((is.cell.get(k) ?? 0) > (was.cell.get(k) ?? 0)) expect(is.cell.get(k), why).toBeLessThanOrEqual(cap);
            }
          }
        }
        const log = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
        const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: board.createdAt, columns: [], lanes: [], cards: [] };
        expect(canonical(fold(empty, log))).toStrictEqual(canonical(board));

        // Every card is in exactly one class: the classes' flows add up to the board's.
        const range = { from: '2026-01-01', to: '2026-01-02', interval: 'hour' as const, tz: 'UTC' };
        const whole = await store.flow.read(board.id, range, now);
        const parts = await Promise.all(CLASSES_OF_SERVICE.map((cls) => store.flow.read(board.id, { ...range, class: cls }, now)));
        expect(sum(parts.map((p) => p.start))).toEqual(whole.start);
        whole.counts.forEach((interval, i) => expect(sum(parts.map((p) => p.counts[i] as number[][]))).toEqual(interval));
        expect(parts.reduce((n, p) => n + p.open.length, 0)).toBe(whole.open.length);
        expect(parts.reduce((n, p) => n + p.finished.length, 0)).toBe(whole.finished.length);
      }),
      { numRuns: kind === 'postgres' ? 15 : 30 },
    );
  }, 180_000);
});
