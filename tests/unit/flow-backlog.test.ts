import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { createStore } from '../../db/store';
import { KINDS } from '../../lib/flow/replay';
import { HOUR_MS } from '../../lib/flow/time';
import { expectAggregatesOfLog } from './flow-aggregates';

/**
 * The flow aggregates follow a write one step behind (db/store.ts): applied after the commit, at the
 * start of the next write, or before a read. These check that nothing is lost on the way, even when
 * the process stops between a commit and its aggregates.
 */
const T0 = Date.UTC(2025, 0, 6, 9);
const actor = { name: 'backlog' };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileStore(path: string, clock: () => number) {
  const { db, sqlite } = openDatabase(path);
  return { store: createStore(db, { clock }), sqlite };
}

const flowReady = (sqlite: ReturnType<typeof openDatabase>['sqlite'], boardId: string) =>
  (sqlite.prepare('select flow_ready from boards where id = ?').get(boardId) as { flow_ready: number }).flow_ready;

const expectCaughtUp = (store: ReturnType<typeof createStore>, boardId: string) =>
  expectAggregatesOfLog(store, boardId, store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER) ?? []);

describe('the flow backlog', () => {
  it('a commit leaves the board behind until its aggregates are applied, and a read catches them up', () => {
    let now = T0;
    const { store, sqlite } = fileStore(':memory:', () => now);
    const { board } = store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
    const [a, b] = board.columns;
    const { card } = store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor);
    now += HOUR_MS;
    store.moveCard({ cardId: card.id, toColumnId: b!.id }, actor);
    // Nothing ran the deferred step yet: the move's aggregates are still to come.
    expect(flowReady(sqlite, board.id)).toBe(0);
    const data = store.flow.read(board.id, { from: '2025-01-06', to: '2025-01-06', interval: 'hour', tz: 'UTC' }, now);
    expect(flowReady(sqlite, board.id)).toBe(1);
    const column = data.columns.findIndex((c) => c.id === a!.id);
    const exitedA = data.counts.reduce((sum, interval) => sum + (interval[column]?.[KINDS.indexOf('exited')] ?? 0), 0);
    expect(exitedA).toBe(1);
    expectCaughtUp(store, board.id);
    sqlite.close();
  });

  it('is applied at the start of the next write, and kept when that write is refused', () => {
    let now = T0;
    const { store, sqlite } = fileStore(':memory:', () => now);
    const { board } = store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B', wipLimit: 1 }] }, actor);
    const [a, b] = board.columns;
    const one = store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor).card;
    const two = store.createCard({ boardId: board.id, columnId: a!.id, title: 'two' }, actor).card;
    now += HOUR_MS;
    store.moveCard({ cardId: one.id, toColumnId: b!.id }, actor);
    // Refused (WIP limit): its transaction rolls back, the backlog it began with included.
    expect(() => store.moveCard({ cardId: two.id, toColumnId: b!.id }, actor)).toThrow();
    now += HOUR_MS;
    store.moveCard({ cardId: one.id, toColumnId: a!.id, reason: 'missed a case' }, actor);
    expectCaughtUp(store, board.id);
    sqlite.close();
  });

  it('after a stop between a commit and its aggregates, the next start rebuilds the board from its log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-backlog-'));
    dirs.push(dir);
    const path = join(dir, 'board.db');
    let now = T0;
    const first = fileStore(path, () => now);
    const { board } = first.store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
    const [a, b, c] = board.columns;
    const { card } = first.store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor);
    now += HOUR_MS;
    first.store.moveCard({ cardId: card.id, toColumnId: b!.id }, actor);
    now += HOUR_MS;
    first.store.moveCard({ cardId: card.id, toColumnId: c!.id }, actor);
    // The process stops here: the last move is committed, its aggregates are not.
    first.sqlite.close();

    const second = fileStore(path, () => now);
    expect(flowReady(second.sqlite, board.id)).toBe(0);
    expect(second.store.flow.ensureReady()).toBe(1);
    expect(flowReady(second.sqlite, board.id)).toBe(1);
    expectCaughtUp(second.store, board.id);
    second.sqlite.close();
  });
});

describe('flow aggregates that cannot be applied', () => {
  it('are reported, writes go on, and the board is rebuilt from its log at the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-backlog-'));
    dirs.push(dir);
    const path = join(dir, 'board.db');
    let now = T0;
    const reported: string[][] = [];
    const { db, sqlite } = openDatabase(path);
    const store = createStore(db, { clock: () => now, onFlowError: (_error, boardIds) => reported.push([...boardIds]) });
    const { board } = store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
    const [a, b, c] = board.columns;
    const { card } = store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor);
    store.flow.settle();
    // The hourly counters go missing: neither applying events nor a rebuild can write them.
    sqlite.exec('alter table flow_counts_hourly rename to flow_counts_hourly_away');
    now += HOUR_MS;
    store.moveCard({ cardId: card.id, toColumnId: b!.id }, actor);
    store.flow.settle();
    expect(reported).toEqual([]);
    now += HOUR_MS;
    // This write meets the failing aggregates first: they are reported, and the move still commits.
    store.moveCard({ cardId: card.id, toColumnId: c!.id }, actor);
    expect(reported).toEqual([[board.id]]);
    expect(store.getSnapshot(board.id).cards.find((x) => x.id === card.id)?.columnId).toBe(c!.id);
    sqlite.exec('alter table flow_counts_hourly_away rename to flow_counts_hourly');
    now += HOUR_MS;
    store.moveCard({ cardId: card.id, toColumnId: b!.id, reason: 'found late' }, actor);
    store.flow.settle();
    // Counters are missing a move: the board stays marked however many writes succeed after.
    expect(flowReady(sqlite, board.id)).toBe(0);
    sqlite.close();

    const next = fileStore(path, () => now);
    expect(next.store.flow.ensureReady()).toBe(1);
    expectCaughtUp(next.store, board.id);
    next.sqlite.close();
  });
});
