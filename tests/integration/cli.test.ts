/**
 * The operators' command line, on either engine: accounts (the first with --admin is the instance
 * admin), API tokens printed once and usable at once, and db:copy from a SQLite file into PostgreSQL
 * checked table by table and log by log.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccess } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import { createTestDatabase, withPostgres } from '../services';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'flowboard-cli-'));
const SECRET = 'a-cli-test-secret-of-at-least-32-characters';

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, FLOWBOARD_SECRET: SECRET, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const engines = withPostgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(engines)('npm run cli on %s', (engine) => {
  it('user:create makes accounts (--admin: an instance admin); token:create prints a token that authenticates as its owner', async () => {
    const database = engine === 'postgres' ? await createTestDatabase('cli') : null;
    const dbPath = join(dir, `${engine}.db`);
    const env: Record<string, string> = database ? { FLOWBOARD_DATABASE_URL: database.url } : { FLOWBOARD_DB: dbPath };
    try {
      const admin = await cli(env, 'user:create', '--email', 'Ops@Example.com', '--password', 'a long passphrase', '--name', 'Ops', '--admin');
      expect(admin).toMatchObject({ code: 0 });
      expect(admin.stdout).toContain('Created ops@example.com ("Ops") as instance admin');
      expect((await cli(env, 'user:create', '--email', 'dev@example.com', '--password', 'another passphrase')).stdout).toContain('Created dev@example.com ("dev")');

      const refused = await Promise.all([
        cli(env, 'user:create', '--email', 'ops@example.com', '--password', 'a long passphrase'),
        cli(env, 'user:create', '--email', 'short@example.com', '--password', 'short'),
        cli(env, 'token:create', '--email', 'nobody@example.com', '--name', 'x'),
      ]);
      for (const r of refused) expect(r.code).toBe(1);

      const token = await cli(env, 'token:create', '--email', 'ops@example.com', '--name', 'Pager');
      expect(token.code).toBe(0);
      const secret = token.stdout.trim().split('\n').at(-1) ?? '';
      expect(secret).toMatch(/^fbt_[\w-]{40,}$/);

      const opened = await openEngine({ url: database?.url, sqlitePath: dbPath });
      try {
        const access = createAccess(opened);
        expect((await access.findUserByEmail('ops@example.com'))?.isAdmin).toBe(true);
        expect((await access.findUserByEmail('dev@example.com'))?.isAdmin).toBe(false);
        expect((await access.verifyToken(secret))?.user.email).toBe('ops@example.com');
        expect(JSON.stringify(await opened.read((sql) => sql.all('select * from api_tokens')))).not.toContain(secret);
      } finally {
        await opened.close();
      }
    } finally {
      await database?.drop();
    }
    // Each run is a fresh Node process with tsx: seconds, not milliseconds, on a loaded CI machine.
  }, 90_000);
});

describe.runIf(withPostgres)('npm run cli -- db:copy', () => {
  it('copies a SQLite database into PostgreSQL: the same rows, every board with the same log and flow data', async () => {
    const dbPath = join(dir, 'copy.db');
    const source: Engine = await openEngine({ sqlitePath: dbPath });
    const store = createStore(source, { clock: () => Date.parse('2026-11-02T10:00:00Z') });
    const actor = { name: 'seed' };
    const { board } = await store.createBoard({ name: 'Copied', columns: [{ name: 'Develop' }, { name: 'Test', wipLimit: 2 }, { name: 'Done' }] }, actor);
    const [develop, test] = board.columns.map((c) => c.id) as [string, string, string];
    const card = (await store.createCard({ boardId: board.id, columnId: develop, title: 'Payment retries' }, actor)).card;
    await store.moveCard({ cardId: card.id, toColumnId: test }, actor);
    await store.moveCard({ cardId: card.id, toColumnId: develop, reason: 'Fails on expired cards' }, actor);
    await store.flow.settle(board.id);
    await source.close();

    const database = await createTestDatabase('copy');
    try {
      const copied = await cli({ FLOWBOARD_DB: dbPath }, 'db:copy', '--to', database.url);
      expect(copied.stderr).toBe('');
      expect(copied.stdout).toContain('1 board(s), every table');
      const target = await openEngine({ url: database.url, sqlitePath: dbPath });
      try {
        const copy = createStore(target);
        const snapshot = await copy.getSnapshot(board.id);
        expect(snapshot.cards.map((c) => [c.title, c.columnId, c.defectCount])).toEqual([['Payment retries', develop, 1]]);
        expect((await copy.eventsSince(board.id, 0, 100))?.map((e) => e.type)).toEqual(['board_created', 'card_created', 'card_moved', 'card_moved']);
        // A copy into a database that has data already is refused.
        expect((await cli({ FLOWBOARD_DB: dbPath }, 'db:copy', '--to', database.url)).code).toBe(1);
      } finally {
        await target.close();
      }
    } finally {
      await database.drop();
    }
  }, 90_000);
});
