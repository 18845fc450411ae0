/**
 * What docs/deploy.md promises an operator: two browsers on two app processes (the real entry,
 * server.ts with its pages) sharing one PostgreSQL database and Redis stay in sync: a move made on
 * one process is on the other's screen at once, and each sees the other in its viewer list.
 * Needs PostgreSQL and Redis (FLOWBOARD_TEST_DATABASE_URL, FLOWBOARD_TEST_REDIS_URL); skipped with a
 * message on a machine without them, failed in CI (FLOWBOARD_REQUIRE_SERVICES=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { createTestDatabase, freePort, REDIS_URL, SERVICES_REQUIRED, withCluster, type TestDatabase } from '../services';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { acceptInvitation, boardName, E2E_PASSWORD, emailOf, expect, test, Viewer } from './fixtures';

const START_TIMEOUT_MS = 90_000;


interface AppProcess {
  url: string;
  child: ChildProcess;
  output: string[];
}

/** `node --import tsx server.ts` as an operator starts it, on its own port. */
async function startProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.ts on ${url} exited with ${child.exitCode}:\n${output.join('')}`);
    const up = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (up) return { url, child, output };
    if (Date.now() > deadline) throw new Error(`server.ts on ${url} did not answer /api/health within ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function signUp(baseURL: string, name: string): Promise<APIRequestContext> {
  const request = await playwrightRequest.newContext({ baseURL });
  const res = await request.post('/api/auth/sign-up/email', { data: { name, email: emailOf(name), password: E2E_PASSWORD }, headers: { origin: baseURL } });
  expect(res.ok(), await res.text()).toBe(true);
  return request;
}

test.describe('two app processes on one PostgreSQL and Redis', () => {
  test.describe.configure({ timeout: 180_000 });
  let database: TestDatabase | undefined;
  const processes: AppProcess[] = [];

  test.beforeAll(async () => {
    if (!withCluster) {
      if (SERVICES_REQUIRED) throw new Error('PostgreSQL and Redis are required here (FLOWBOARD_REQUIRE_SERVICES=1) but not reachable');
      return;
    }
    test.setTimeout(180_000);
    database = await createTestDatabase('e2e_two_processes');
    const shared = {
      FLOWBOARD_DATABASE_URL: database.url,
      FLOWBOARD_REDIS_URL: REDIS_URL,
      FLOWBOARD_SECRET: randomBytes(32).toString('base64'),
      FLOWBOARD_SEED: 'false',
      FLOWBOARD_AUTH_RATE_LIMIT: 'false',
    };
    // One after the other: the first applies the migrations, the second finds them applied.
    processes.push(await startProcess(shared));
    processes.push(await startProcess(shared));
  });

  test.afterAll(async () => {
    for (const { child } of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
    await database?.drop();
  });

  test('a move made in a browser on one process is seen at once by a browser on the other, and each sees the other looking', async ({ browser }) => {
    test.skip(!withCluster, 'needs PostgreSQL and Redis: set FLOWBOARD_TEST_DATABASE_URL and FLOWBOARD_TEST_REDIS_URL (see README, Tests)');
    const [one, two] = processes;
    if (!one || !two) throw new Error('the app processes did not start');

    // Ada on process one makes a board and invites Ben; Ben, on process two, accepts.
    const adaApi = await signUp(one.url, 'Ada Two Processes');
    const created = await adaApi.post('/api/boards', {
      data: { name: boardName('Two processes'), columns: [{ name: 'Develop', wipLimit: null }, { name: 'Test', wipLimit: null }] },
      headers: { origin: one.url, 'x-flowboard-request': '1' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { board } = (await created.json()) as { board: BoardSnapshot };
    const develop = board.columns.find((c) => c.name === 'Develop')!;
    const testColumn = board.columns.find((c) => c.name === 'Test')!;
    const card = await adaApi.post(`/api/boards/${board.id}/cards`, {
      data: { columnId: develop.id, title: 'Checkout flow' },
      headers: { origin: one.url, 'x-flowboard-request': '1' },
    });
    expect(card.status(), await card.text()).toBe(201);
    const cardId = ((await card.json()) as { card: { id: string } }).card.id;
    const invited = await adaApi.post(`/api/boards/${board.id}/email-invites`, {
      data: { email: emailOf('Ben Two Processes'), role: 'member' },
      headers: { origin: one.url, 'x-flowboard-request': '1' },
    });
    expect(invited.status(), await invited.text()).toBe(202);
    const benApi = await signUp(two.url, 'Ben Two Processes');
    await acceptInvitation(benApi, two.url, board.id, 'Ben');

    const contexts: BrowserContext[] = [];
    try {
      const open = async (name: string, url: string, api: APIRequestContext) => {
        const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 }, storageState: await api.storageState() });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`/boards/${board.id}`);
        const viewer = new Viewer(name, context, page);
        await viewer.expectLive();
        return viewer;
      };
      const ada = await open('Ada Two Processes', one.url, adaApi);
      const ben = await open('Ben Two Processes', two.url, benApi);

      // Presence crosses processes: each lists both.
      for (const viewer of [ada, ben]) await expect(viewer.page.getByTestId('presence')).toHaveAttribute('data-count', '2');

      // A keyboard move on process one appears on process two, and back again.
      await ada.keyboardPickUpAndMove(cardId, 1, testColumn.id);
      await ada.page.keyboard.press('Space');
      await expect(ben.cardIn(testColumn.id, cardId)).toBeVisible();
      const added = await benApi.post(`/api/boards/${board.id}/cards`, {
        data: { columnId: develop.id, title: 'Added on process two' },
        headers: { origin: two.url, 'x-flowboard-request': '1' },
      });
      expect(added.status(), await added.text()).toBe(201);
      await expect(ada.column(develop.id).getByText('Added on process two')).toBeVisible();
    } finally {
      for (const context of contexts) await context.close();
      await adaApi.dispose();
      await benApi.dispose();
    }
  });
});
