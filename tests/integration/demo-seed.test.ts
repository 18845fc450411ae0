/**
 * The demo board's history, on BOTH engines: made through the store at seed time, it gives the flow
 * page something real to show (finished cards, defects, blocked time, a bottleneck's queue) and stays
 * what the store would make: its log folds to its state, WIP limits hold, aggregates equal the log's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import { seedDemoBoard } from '../../lib/server/seed';
import { DAY_MS } from '../../lib/shared/domain/blocked';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { blockerSummary } from '../../lib/shared/flow/blockers';
import { computeMetrics } from '../../lib/shared/flow/metrics';
import { createTestDatabase, withPostgres, type TestDatabase } from '../services';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { batchSize } from '../../lib/shared/flow/batch';
import { canonical, fold, range } from './helpers';

const engines = withPostgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const withoutWindow = (b: BoardSnapshot) => ({ ...b, columns: b.columns.map((c) => ({ ...c, defectsReturned: 0 })) });

describe.each(engines)('the demo board on %s', (kind) => {
  let engine: Engine;
  let database: TestDatabase | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-seed-'));
  beforeAll(async () => {
    if (kind === 'postgres') database = await createTestDatabase('seed');
    engine = await openEngine({ url: database?.url, sqlitePath: join(dir, 'seed.db') });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes with eight weeks of flow: finished cards in the last four weeks, defects, blocked time, WIP within every limit; its log folds to its state', async () => {
    const now = Date.now();
    const store = createStore(engine);
    const board = await seedDemoBoard(store, now);

    const log = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
    expect(log.map((e) => e.version)).toEqual(range(1, board.version));
    expect(Date.parse(log[0]?.at ?? '')).toBeLessThan(now - 50 * DAY_MS);
    expect(Date.parse(log.at(-1)?.at ?? '')).toBeLessThan(now);
    const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: board.createdAt, columns: [], lanes: [], cards: [] };
    // A work center's defectsReturned counts the last DEFECT_WINDOW_DAYS only; the fold counts them all.
    const folded = canonical(fold(empty, log));
    expect(withoutWindow(folded)).toStrictEqual(withoutWindow(board));
    board.columns.forEach((c, i) => expect(c.defectsReturned).toBeLessThanOrEqual(folded.columns[i]?.defectsReturned ?? 0));
    await expectAggregatesOfLog(store, board.id, log);

    // Standard work within every limit; the expedite lane holds one card in progress (its limit), one waiting.
    const expedite = board.lanes.find((l) => l.classOfService === 'expedite');
    expect(board.lanes.map((l) => l.name)).toEqual(['Expedite', 'Standard']);
    for (const column of board.columns) {
      const standard = board.cards.filter((c) => c.columnId === column.id && c.laneId !== expedite?.id);
      if (column.wipLimit !== null) expect(standard.length, column.name).toBeLessThanOrEqual(column.wipLimit);
    }
    expect(board.cards.filter((c) => c.laneId === expedite?.id).map((c) => board.columns.findIndex((k) => k.id === c.columnId))).toEqual(expect.arrayContaining([0, 2]));
    // Work everywhere a newcomer looks: in progress, and finished.
    const done = board.columns.at(-1)?.id;
    expect(board.cards.filter((c) => c.columnId !== done && c.columnId !== board.columns[0]?.id).length).toBeGreaterThan(5);

    const data = await store.flow.read(board.id, { from: ymd(now - 27 * DAY_MS), to: ymd(now), interval: 'day', tz: 'UTC' }, now);
    const metrics = computeMetrics(data);
    expect(data.finished.length).toBeGreaterThanOrEqual(10);
    expect(data.defects.length).toBeGreaterThanOrEqual(1);
    expect(metrics.cycleTimePercentiles.p85).not.toBeNull();
    expect(metrics.bottleneck).not.toBeNull();
    const blockers = blockerSummary(data, now);
    expect(blockers.totalMs).toBeGreaterThan(0);
    expect(blockers.byReason.length).toBeGreaterThanOrEqual(2);
    expect(board.cards.some((c) => c.defectCount > 0)).toBe(true);
    // Batch size: cards split in the range, and finished slices to compare with whole cards.
    const batch = batchSize(data);
    expect(batch.splits).toBeGreaterThanOrEqual(2);
    expect(batch.split.count).toBeGreaterThanOrEqual(1);
    expect(batch.unsplit.count).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
