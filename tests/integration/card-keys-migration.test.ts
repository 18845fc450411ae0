/**
 * Boards made before card keys: the migration numbers their cards in creation order (deleted ones
 * too, so no number is given twice), writes the numbers into the log's card_created events, and the
 * board's prefix comes from its name until an admin sets one. Each engine is migrated up to the
 * migration before keys, given rows the way that schema wrote them, then opened by the app.
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

function migrationsBeforeKeys(engine: 'sqlite' | 'postgres'): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-before-keys-'));
  dirs.push(dir);
  cpSync(join('db', engine, 'migrations'), dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag.endsWith('_card_keys_and_inbound_hooks')));
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const AT = Date.parse('2026-01-05T10:00:00.000Z');
const board = { id: 'old-board', name: 'Mobile payments' };
const lane = defaultLaneId(board.id);
const columns = [
  { id: 'old-todo', boardId: board.id, name: 'Todo', wipLimit: null, defectsReturned: 0 },
  { id: 'old-done', boardId: board.id, name: 'Done', wipLimit: null, defectsReturned: 0 },
];
/** Made in the order c-late (second), c-early (first), c-gone (third, later deleted): ids not in creation order. */
const made = [
  { id: 'c-early', at: AT },
  { id: 'c-late', at: AT + 60_000 },
  { id: 'c-gone', at: AT + 120_000 },
];
const oldCard = (id: string, at: number) => ({
  id,
  boardId: board.id,
  columnId: 'old-todo',
  laneId: lane,
  position: `a${id.length}`,
  title: id,
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
});

function oldRows(): Array<[string, unknown[]]> {
  const insertEvent = 'insert into events (board_id, version, type, actor, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?)';
  return [
    ['insert into boards (id, name, version, created_at) values (?, ?, 5, ?)', [board.id, board.name, AT]],
    ...columns.map((c, ord): [string, unknown[]] => ['insert into columns (id, board_id, name, ord, wip_limit, created_at, flow_ord) values (?, ?, ?, ?, null, ?, ?)', [c.id, board.id, c.name, ord, AT, ord]]),
    ["insert into lanes (id, board_id, name, class_of_service, wip_limit, ord, created_at) values (?, ?, 'Standard', 'standard', null, 0, ?)", [lane, board.id, AT]],
    ...made.map((c): [string, unknown[]] => [
      'insert into cards (id, board_id, column_id, lane_id, position, title, description, type, created_at, updated_at, entered_column_at, deleted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [c.id, board.id, 'old-todo', lane, `a${c.id.length}`, c.id, '', 'feature', c.at, c.at, c.at, c.id === 'c-gone' ? c.at + 1 : null],
    ]),
    [insertEvent, [board.id, 1, 'board_created', 'old', AT, null, JSON.stringify({ name: board.name, columns, lanes: [] })]],
    ...made.map((c, i): [string, unknown[]] => [insertEvent, [board.id, i + 2, 'card_created', 'old', c.at, c.id, JSON.stringify({ card: oldCard(c.id, c.at), clientMutationId: `m-${c.id}` })]]),
    [insertEvent, [board.id, 5, 'card_deleted', 'old', AT + 120_001, 'c-gone', JSON.stringify({ cardId: 'c-gone', columnId: 'old-todo' })]],
  ];
}

async function expectMigrated(engine: Engine) {
  const store = createStore(engine);
  const numbers = await engine.read((sql) => sql.all<{ id: string; number: number }>('select id, number from cards where board_id = ? order by number', [board.id]));
  expect(numbers.map((r) => [r.id, Number(r.number)])).toEqual([
    ['c-early', 1],
    ['c-late', 2],
    ['c-gone', 3],
  ]);
  const now = await store.getSnapshot(board.id);
  // "Mobile payments" → MP, from the name while no admin has set one.
  expect(now.keyPrefix).toBe('MP');
  const log = (await store.eventsSince(board.id, 0, 100)) ?? [];
  // The old events kept everything they had, the request ids included.
  expect(log.filter((e) => e.type === 'card_created').map((e) => [e.type === 'card_created' && e.card.number, e.clientMutationId])).toEqual([
    [1, 'm-c-early'],
    [2, 'm-c-late'],
    [3, 'm-c-gone'],
  ]);
  const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: now.createdAt, columns: [], lanes: [], cards: [] };
  expect(canonical(fold(empty, log))).toStrictEqual(canonical(now));
  // Keys work, a new card takes the next number (never the deleted card's), and a rename keeps the prefix.
  expect(await store.cardIdOf('MP-2', { boardId: board.id })).toBe('c-late');
  const { card } = await store.createCard({ boardId: board.id, title: 'new' }, { name: 'x' });
  expect(card.number).toBe(4);
  await store.renameBoard({ boardId: board.id, name: 'Checkout' }, { name: 'x' });
  const after = await store.getSnapshot(board.id);
  expect(after.keyPrefix).toBe('MP');
  expect(canonical(fold(empty, (await store.eventsSince(board.id, 0, 100)) ?? []))).toStrictEqual(canonical(after));
}

describe('boards from before card keys', () => {
  it('on SQLite: cards numbered in creation order, the log carries the numbers, and it folds to the state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-keys-sqlite-'));
    dirs.push(dir);
    const path = join(dir, 'old.db');
    const raw = new Database(path);
    sqliteMigrate(sqliteDrizzle(raw), { migrationsFolder: migrationsBeforeKeys('sqlite') });
    for (const [sql, params] of oldRows()) raw.prepare(sql).run(...(params as unknown[]));
    raw.close();
    const engine = openSqlite(path);
    try {
      await expectMigrated(engine);
    } finally {
      await engine.close();
    }
  });

  it.skipIf(!withPostgres)('on PostgreSQL: the same', async () => {
    const db = await createTestDatabase('keys_migration');
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await pgMigrate(pgDrizzle(client), { migrationsFolder: migrationsBeforeKeys('postgres') });
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
