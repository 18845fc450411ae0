/**
 * A display name is trimmed and 1 to LIMITS.actorName characters however it is set: sign-up,
 * better-auth's update-user, the CLI. It is copied into every event, so an unbounded one would be too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/shared/domain/limits';
import { startTestServer, type TestUser } from './helpers';

const h = startTestServer({ passwords: true });

async function auth(path: string, body: unknown, cookie?: string): Promise<{ status: number; body: { code?: string; message?: string }; cookie: string }> {
  const res = await fetch(`${h.url}/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: res.status, body: text ? (JSON.parse(text) as { code?: string; message?: string }) : {}, cookie: cookies };
}

async function signIn(user: TestUser): Promise<string> {
  const res = await auth('/sign-in/email', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return res.cookie;
}

const signUp = (name: string, email: string) => auth('/sign-up/email', { email, password: 'a long enough passphrase', name });
// Awaited: the store's reads are becoming asynchronous.
const storedName = async (user: TestUser) => (await h.app.access.getUser(user.id))?.name;

describe('display names', () => {
  it('update-user refuses a name that is too long, empty or only spaces, with a message, and changes nothing', async () => {
    const grace = await h.user('Grace');
    const cookie = await signIn(grace);

    // A megabyte: refused by the name rule, or by a cap on the body before it; either way not stored.
    const huge = await auth('/update-user', { name: 'x'.repeat(1_000_000) }, cookie);
    expect([400, 413]).toContain(huge.status);
    expect(await storedName(grace)).toBe('Grace');

    for (const name of ['x'.repeat(LIMITS.actorName + 1), '     ', '', 42, null]) {
      const res = await auth('/update-user', { name }, cookie);
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID', message: expect.stringMatching(/name/i) });
      expect(await storedName(grace)).toBe('Grace');
    }
    expect((await auth('/update-user', { name: 'x'.repeat(LIMITS.actorName + 1) }, cookie)).body.message).toBe(`A name has at most ${LIMITS.actorName} characters`);
    expect((await auth('/update-user', { name: '   ' }, cookie)).body.message).toBe('A name cannot be empty or only spaces');
  });

  it('update-user stores the trimmed name, and the next event carries it', async () => {
    const ada = await h.user('Ada Lovelace');
    const cookie = await signIn(ada);
    const res = await auth('/update-user', { name: '  Ada  ' }, cookie);
    expect(res.status).toBe(200);
    expect(await storedName(ada)).toBe('Ada');

    const board = await h.api<{ board: { id: string; columns: { id: string }[] } }>('POST', '/api/boards', { as: ada, body: { name: 'Names' } });
    expect(board.status).toBe(201);
    const boardId = board.body.board.id;
    const created = await h.api<{ version: number }>('POST', `/api/boards/${boardId}/cards`, { as: ada, body: { title: 'After the rename' } });
    expect(created.status).toBe(201);
    const log = await h.api<{ events: { version: number; actor: string }[] }>('GET', `/api/boards/${boardId}/events?since=0`, { as: ada });
    expect(log.body.events.map((e) => e.actor)).toEqual(['Ada', 'Ada']);
  });

  it('a new display name reaches everyone viewing the boards its account is on, live', async () => {
    const ada = await h.user('Ada Byron');
    const bob = await h.user('Bob Viewer');
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Done' }], 'Renamed people');
    await h.grant(ada, board.id, 'member');
    await h.grant(bob, board.id, 'admin');
    const adaClient = await h.connectAs(ada);
    const bobClient = await h.connectAs(bob);
    await adaClient.join(board.id);
    await bobClient.join(board.id);
    const seen = (client: typeof bobClient) =>
      new Promise<{ boardId: string; people: { id: string; name: string }[] }>((resolve) => client.socket.on('board:people', resolve));
    const bobSees = seen(bobClient);
    const adaSees = seen(adaClient);

    const res = await auth('/update-user', { name: 'Ada King' }, await signIn(ada));
    expect(res.status).toBe(200);
    for (const message of await Promise.all([bobSees, adaSees])) {
      expect(message.boardId).toBe(board.id);
      expect(message.people.filter((p) => p.id === ada.id)).toEqual([{ id: ada.id, name: 'Ada King', member: true }]);
    }
    // A join after it names her the same way.
    expect((await bobClient.join(board.id)).people).toContainEqual({ id: ada.id, name: 'Ada King', member: true });
  });

  it('sign-up applies the same rule, with the same message', async () => {
    const long = await signUp('y'.repeat(LIMITS.actorName + 1), 'long@example.test');
    expect(long.status).toBe(400);
    expect(long.body.message).toBe(`A name has at most ${LIMITS.actorName} characters`);
    expect((await signUp('    ', 'blank@example.test')).status).toBe(400);
    expect(await h.app.access.findUserByEmail('long@example.test')).toBeNull();
    const ok = await signUp('  Lin  ', 'lin@example.test');
    expect(ok.status).toBe(200);
    expect((await h.app.access.findUserByEmail('lin@example.test'))?.name).toBe('Lin');
  });

  it('the CLI refuses a name the rule refuses instead of cutting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowboard-names-'));
    try {
      const args = ['--import', 'tsx', 'scripts/cli.ts', 'user:create', '--email', 'ops@example.test', '--password', 'a long passphrase', '--name', 'z'.repeat(LIMITS.actorName + 1)];
      const refused = await promisify(execFile)(process.execPath, args, { env: { ...process.env, FLOWBOARD_DB: join(dir, 'fb.db') } }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toContain(`A name has at most ${LIMITS.actorName} characters`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
