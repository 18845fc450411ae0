/**
 * Boards made before lanes: the lanes migration gives each its one default lane holding all its
 * cards, and their old logs still fold to their state. Each engine is migrated up to the migration
 * before lanes, given a board and cards the way that schema wrote them, then opened by the app
 * (which applies the rest).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres/engine';
import { openSqlite } from '../../db/sqlite/engine';
import { createStore } from '../../db/store';
import type { Engine } from '../../db/engine';
import { defaultLaneId } from '../../lib/shared/domain/lanes';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { createTestDatabase, withPostgres } from '../services';
import { canonical, fold } from './helpers';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The engine's migrations up to (not including) the lanes migration, in a folder of their own. */
function migrationsBeforeLanes(engine: 'sqlite' | 'postgres'): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-before-lanes-'));
  dirs.push(dir);
  cpSync(join('db', engine, 'migrations'), dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  // Those before it only: the migrator applies nothing older than the last migration it has applied.
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag.endsWith('_lanes')));
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const AT = Date.parse('2026-01-05T10:00:00.000Z');
const board = { id: 'old-board', name: 'Before lanes' };
const columns = [
  { id: 'old-todo', boardId: board.id, name: 'Todo', wipLimit: null, defectsReturned: 0 },
  { id: 'old-done', boardId: board.id, name: 'Done', wipLimit: null, defectsReturned: 0 },
];
const oldCard = (id: string, columnId: string) => ({
  id,
  boardId: board.id,
  columnId,
  position: 'a0',
  title: id,
  description: '',
  type: 'feature',
  blocked: false,
  blockedReason: null,
  blockedMs: 0,
  blockedSince: null,
  defectCount: 0,
  createdAt: new Date(AT).toISOString(),
  updatedAt: new Date(AT).toISOString(),
  enteredColumnAt: new Date(AT).toISOString(),
});

/** The rows an app from before lanes wrote: a board, its work centers, two cards, their log. */
function oldRows(): Array<[string, unknown[]]> {
  const insertEvent = 'insert into events (board_id, version, type, actor, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?)';
  return [
    ['insert into boards (id, name, version, created_at) values (?, ?, 3, ?)', [board.id, board.name, AT]],
    ...columns.map((c, ord): [string, unknown[]] => ['insert into columns (id, board_id, name, ord, wip_limit, created_at, flow_ord) values (?, ?, ?, ?, null, ?, ?)', [c.id, board.id, c.name, ord, AT, ord]]),
    ...['c1', 'c2'].map((id): [string, unknown[]] => [
      'insert into cards (id, board_id, column_id, position, title, description, type, created_at, updated_at, entered_column_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, board.id, 'old-todo', 'a0', id, '', 'feature', AT, AT, AT],
    ]),
    [insertEvent, [board.id, 1, 'board_created', 'old', AT, null, JSON.stringify({ name: board.name, columns })]],
    [insertEvent, [board.id, 2, 'card_created', 'old', AT, 'c1', JSON.stringify({ card: oldCard('c1', 'old-todo') })]],
    [insertEvent, [board.id, 3, 'card_created', 'old', AT, 'c2', JSON.stringify({ card: oldCard('c2', 'old-todo') })]],
  ];
}

async function expectMigrated(engine: Engine) {
  const store = createStore(engine);
  // The rows themselves, not only what the store makes of them.
  const rows = await engine.read(async (sql) => ({
    lanes: await sql.all<{ id: string }>('select id from lanes where board_id = ?', [board.id]),
    cards: await sql.all<{ lane_id: string | null }>('select lane_id from cards where board_id = ? order by id', [board.id]),
  }));
  expect(rows).toEqual({ lanes: [{ id: defaultLaneId(board.id) }], cards: [{ lane_id: defaultLaneId(board.id) }, { lane_id: defaultLaneId(board.id) }] });
  const now = await store.getSnapshot(board.id);
  expect(now.lanes).toEqual([{ id: defaultLaneId(board.id), boardId: board.id, name: 'Standard', classOfService: 'standard', wipLimit: null, cellLimits: {} }]);
  expect(now.cards.map((c) => c.laneId)).toEqual([defaultLaneId(board.id), defaultLaneId(board.id)]);
  const log = (await store.eventsSince(board.id, 0, 100)) ?? [];
  const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: now.createdAt, columns: [], lanes: [], cards: [] };
  expect(canonical(fold(empty, log))).toStrictEqual(canonical(now));
  // The migrated board takes lanes like a new one.
  const { lane } = await store.addLane({ boardId: board.id, name: 'Expedite', classOfService: 'expedite' }, { name: 'x' });
  await store.moveCard({ cardId: 'c1', toColumnId: 'old-done', toLaneId: lane.id }, { name: 'x' });
  const after = await store.getSnapshot(board.id);
  expect(canonical(fold(empty, (await store.eventsSince(board.id, 0, 100)) ?? []))).toStrictEqual(canonical(after));
}

describe('boards from before lanes', () => {
  it('on SQLite: one default lane holds every card, and the old log folds to the state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-lanes-sqlite-'));
    dirs.push(dir);
    const path = join(dir, 'old.db');
    const raw = new Database(path);
    sqliteMigrate(sqliteDrizzle(raw), { migrationsFolder: migrationsBeforeLanes('sqlite') });
    for (const [sql, params] of oldRows()) raw.prepare(sql).run(...(params as unknown[]).map((p) => (typeof p === 'boolean' ? Number(p) : p)));
    raw.close();
    const engine = openSqlite(path);
    try {
      await expectMigrated(engine);
    } finally {
      await engine.close();
    }
  });

  it.skipIf(!withPostgres)('on PostgreSQL: the same', async () => {
    const db = await createTestDatabase('lanes_migration');
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await pgMigrate(pgDrizzle(client), { migrationsFolder: migrationsBeforeLanes('postgres') });
      for (const [sql, params] of oldRows()) {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
      }
      await client.end();
      const engine = await openPostgres(db.url);
      try {
        await expectMigrated(engine);
      } finally {
        await engine.close();
      }
    } finally {
      await db.drop();
    }
  });
});
