/**
 * The operators' command line against a database file: accounts (the first with --admin is the
 * instance admin) and API tokens printed once and usable at once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccess } from '../../db/access';
import { openDatabase } from '../../db/client';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'flowboard-cli-'));
const dbPath = join(dir, 'fb.db');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, FLOWBOARD_DB: dbPath } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli', () => {
  it('user:create makes accounts (--admin: an instance admin); token:create prints a token that authenticates as its owner', async () => {
    const admin = await cli('user:create', '--email', 'Ops@Example.com', '--password', 'a long passphrase', '--name', 'Ops', '--admin');
    expect(admin).toMatchObject({ code: 0 });
    expect(admin.stdout).toContain('Created ops@example.com ("Ops") as instance admin');
    expect((await cli('user:create', '--email', 'dev@example.com', '--password', 'another passphrase')).stdout).toContain('Created dev@example.com ("dev")');

    const refused = await Promise.all([
      cli('user:create', '--email', 'ops@example.com', '--password', 'a long passphrase'),
      cli('user:create', '--email', 'short@example.com', '--password', 'short'),
      cli('token:create', '--email', 'nobody@example.com', '--name', 'x'),
    ]);
    for (const r of refused) expect(r.code).toBe(1);

    const token = await cli('token:create', '--email', 'ops@example.com', '--name', 'Pager');
    expect(token.code).toBe(0);
    const secret = token.stdout.trim().split('\n').at(-1) ?? '';
    expect(secret).toMatch(/^fbt_[\w-]{40,}$/);

    const { db, sqlite } = openDatabase(dbPath);
    try {
      const access = createAccess(db);
      expect(access.findUserByEmail('ops@example.com')?.isAdmin).toBe(true);
      expect(access.findUserByEmail('dev@example.com')?.isAdmin).toBe(false);
      expect(access.verifyToken(secret)?.user.email).toBe('ops@example.com');
      expect(JSON.stringify(sqlite.prepare('select * from api_tokens').all())).not.toContain(secret);
    } finally {
      sqlite.close();
    }
    // Each run is a fresh Node process with tsx: seconds, not milliseconds, on a loaded CI machine.
  }, 60_000);
});
