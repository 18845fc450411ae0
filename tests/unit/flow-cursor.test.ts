import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import { KINDS } from '../../lib/shared/flow/replay';
import { HOUR_MS } from '../../lib/shared/flow/time';
import { expectAggregatesOfLog } from './flow-aggregates';

/**
 * The flow aggregates follow the event log through a cursor in the database (boards.flow_version,
 * db/flow.ts): a write commits its events, and whoever comes first (the follow-up right after the
 * write, a read of the flow, a start, another process) applies the events after the cursor and moves
 * it. These check that nothing is lost or counted twice on the way, even when the process dies
 * between a commit and the catch-up, or when two processes catch the same board up at once.
 */
const T0 = Date.UTC(2025, 0, 6, 9);
const actor = { name: 'cursor' };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-cursor-'));
  dirs.push(dir);
  return join(dir, 'board.db');
}

const cursorOf = (engine: Engine, boardId: string) =>
  engine.read((sql) => sql.get<{ version: number; flowVersion: number }>('select version, flow_version as "flowVersion" from boards where id = ?', [boardId]));

const expectCaughtUp = async (store: Store, boardId: string) =>
  expectAggregatesOfLog(store, boardId, (await store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER)) ?? []);

const moduleUrl = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, path)).href);

/** A Node process running `code` (an ES module) with the app's modules; resolves with its exit. */
function child(code: string, onStdout?: (text: string, stdin: NodeJS.WritableStream) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on('data', (chunk: Buffer) => onStdout?.(chunk.toString(), proc.stdin));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (exitCode, signal) => resolve({ code: exitCode, signal, stderr }));
  });
}

/**
 * Writes a board of `cards` cards through the store in another process (each card is created, moves
 * forward, then goes back as a defect, goes on or is deleted), which is killed right after its last
 * commit: the catch-up that follows a write never gets to run.
 */
async function writeThenDie(path: string, cards: number): Promise<string> {
  const { signal, stderr } = await child(`
    const { openEngine } = await import(${moduleUrl('db/open.ts')});
    const { createStore } = await import(${moduleUrl('db/store/index.ts')});
    const engine = await openEngine({ sqlitePath: ${JSON.stringify(path)} });
    let now = ${T0};
    const store = createStore(engine, { clock: () => (now += ${HOUR_MS / 4}) });
    const actor = { name: 'writer' };
    const { board } = await store.createBoard({ name: 'Cursor', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
    const [a, b, c] = board.columns;
    for (let i = 0; i < ${cards}; i++) {
      const { card } = await store.createCard({ boardId: board.id, columnId: a.id, title: 'card ' + i }, actor);
      await store.moveCard({ cardId: card.id, toColumnId: b.id }, actor);
      if (i % 3 === 0) await store.moveCard({ cardId: card.id, toColumnId: a.id, reason: 'defect' }, actor);
      else if (i % 3 === 1) await store.moveCard({ cardId: card.id, toColumnId: c.id }, actor);
      else await store.deleteCard({ cardId: card.id }, actor);
    }
    process.kill(process.pid, 'SIGKILL');
  `);
  expect(signal, stderr).toBe('SIGKILL');
  const engine = await openEngine({ sqlitePath: path });
  try {
    const boards = await engine.read((sql) => sql.all<{ id: string }>('select id from boards'));
    expect(boards).toHaveLength(1);
    return (boards[0] as { id: string }).id;
  } finally {
    await engine.close();
  }
}

/** A board of three work centers with one card made in the first and, an hour later, moved to the second. */
async function boardWithOneMove(store: ReturnType<typeof createStore>, later: () => void) {
  const { board } = await store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
  const [a, b] = board.columns;
  const { card } = await store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor);
  later();
  const moved = await store.moveCard({ cardId: card.id, toColumnId: b!.id }, actor);
  return { board, a: a!, moved };
}

describe('the flow cursor', () => {
  it('a write leaves the cursor behind the board until the catch-up, which follows the write on its own', async () => {
    let now = T0;
    const engine = await openEngine({ sqlitePath: ':memory:' });
    try {
      const store = createStore(engine, { clock: () => now });
      const { board, moved } = await boardWithOneMove(store, () => (now += HOUR_MS));
      // Committed, and not applied yet: the catch-up runs after the caller has had the commit.
      expect(await cursorOf(engine, board.id)).toEqual({ version: moved.version, flowVersion: expect.any(Number) });
      expect((await cursorOf(engine, board.id))!.flowVersion).toBeLessThan(moved.version);
      await vi.waitFor(async () => expect((await cursorOf(engine, board.id))!.flowVersion).toBe(moved.version));
      await expectCaughtUp(store, board.id);
    } finally {
      await engine.close();
    }
  });

  it('a read of the flow sees every committed write: it catches up first', async () => {
    let now = T0;
    const engine = await openEngine({ sqlitePath: ':memory:' });
    try {
      const store = createStore(engine, { clock: () => now });
      const { board, a, moved } = await boardWithOneMove(store, () => (now += HOUR_MS));
      expect((await cursorOf(engine, board.id))!.flowVersion).toBeLessThan(moved.version);
      const data = await store.flow.read(board.id, { from: '2025-01-06', to: '2025-01-06', interval: 'hour', tz: 'UTC' }, now);
      expect(data.version).toBe(moved.version);
      const column = data.columns.findIndex((c) => c.id === a.id);
      const exitedA = data.counts.reduce((sum, interval) => sum + (interval[column]?.[KINDS.indexOf('exited')] ?? 0), 0);
      expect(exitedA).toBe(1);
      expect(data.open).toEqual([expect.objectContaining({ cardId: moved.card.id, columnId: board.columns[1]!.id })]);
      expect(await cursorOf(engine, board.id)).toEqual({ version: moved.version, flowVersion: moved.version });
      await expectCaughtUp(store, board.id);
    } finally {
      await engine.close();
    }
  });

  it('after a process dies between its commits and their catch-up, the next start catches the board up', async () => {
    const path = tempFile();
    const boardId = await writeThenDie(path, 20);
    const engine = await openEngine({ sqlitePath: path });
    try {
      const before = await cursorOf(engine, boardId);
      expect(before!.flowVersion).toBeLessThan(before!.version);
      const store = createStore(engine);
      expect(await store.flow.ensureReady()).toBe(1);
      expect(await cursorOf(engine, boardId)).toEqual({ version: before!.version, flowVersion: before!.version });
      await expectCaughtUp(store, boardId);
      // Nothing is left to do: a second start changes nothing.
      expect(await store.flow.ensureReady()).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('two processes catching the same board up at once apply each event once', async () => {
    const path = tempFile();
    // More events than one catch-up transaction takes (db/flow.ts PAGE), so the two take turns.
    const boardId = await writeThenDie(path, 900);
    const catchUp = `
      const { openEngine } = await import(${moduleUrl('db/open.ts')});
      const { createStore } = await import(${moduleUrl('db/store/index.ts')});
      const engine = await openEngine({ sqlitePath: ${JSON.stringify(path)} });
      const store = createStore(engine);
      process.stdout.write('ready\\n');
      process.stdin.once('data', async () => {
        await store.flow.catchUp(${JSON.stringify(boardId)});
        await engine.close();
        process.exit(0);
      });
    `;
    // Both wait, their modules loaded and the file open, until both are ready; then both start.
    const stdins: NodeJS.WritableStream[] = [];
    const go = (_text: string, stdin: NodeJS.WritableStream) => {
      stdins.push(stdin);
      if (stdins.length === 2) for (const s of stdins) s.write('go\n');
    };
    const results = await Promise.all([child(catchUp, go), child(catchUp, go)]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const engine = await openEngine({ sqlitePath: path });
    try {
      const after = await cursorOf(engine, boardId);
      expect(after!.version).toBeGreaterThan(2000);
      expect(after!.flowVersion).toBe(after!.version);
      await expectCaughtUp(createStore(engine), boardId);
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe('flow aggregates that cannot be applied', () => {
  it('are reported, writes go on, and the board catches up once they can be applied', async () => {
    let now = T0;
    const reported: string[] = [];
    const engine = await openEngine({ sqlitePath: ':memory:' });
    try {
      const store = createStore(engine, { clock: () => now, onFlowError: (_error, boardId) => reported.push(boardId) });
      const { board } = await store.createBoard({ name: 'B', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, actor);
      const [a, b, c] = board.columns;
      const { card } = await store.createCard({ boardId: board.id, columnId: a!.id, title: 'one' }, actor);
      await store.flow.settle(board.id);
      expect(reported).toEqual([]);
      // The hourly counters go missing: neither applying events nor a rebuild can write them.
      await engine.write((tx) => tx.run('alter table flow_counts_hourly rename to flow_counts_hourly_away'));
      now += HOUR_MS;
      await store.moveCard({ cardId: card.id, toColumnId: b!.id }, actor);
      await expect(store.flow.settle(board.id)).rejects.toThrow();
      expect(reported).toContain(board.id);
      now += HOUR_MS;
      const moved = await store.moveCard({ cardId: card.id, toColumnId: c!.id }, actor);
      expect((await store.getSnapshot(board.id)).cards.find((x) => x.id === card.id)?.columnId).toBe(c!.id);
      expect((await cursorOf(engine, board.id))!.flowVersion).toBeLessThan(moved.version);

      await engine.write((tx) => tx.run('alter table flow_counts_hourly_away rename to flow_counts_hourly'));
      now += HOUR_MS;
      await store.moveCard({ cardId: card.id, toColumnId: b!.id, reason: 'found late' }, actor);
      await store.flow.settle(board.id);
      await expectCaughtUp(store, board.id);
    } finally {
      await engine.close();
    }
  });
});
