/**
 * docs/deploy/nginx.conf, as an operator would install it, in front of three real app processes on
 * one shared database: REST and Socket.IO through it, long-polling kept on one process by the sticky
 * routing (and broken without it), the upgrade to WebSocket, the body size cap, and a move on one
 * process reaching a viewer on another (through the Redis adapter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent, BoardSnapshot } from '../../lib/shared/domain/types';
import {
  agentFrom,
  findNginx,
  httpJson,
  startNginx,
  type RunningNginx,
} from './nginxHarness';
import { startAppProcess, type AppProcess } from './processes';
import { WAIT_MS, whenConnected } from '../integration/helpers';
import { REDIS_URL, SERVICES_REQUIRED, withRedis } from '../services';

const required = SERVICES_REQUIRED;
const nginxBinary = findNginx();
if (!nginxBinary && required) throw new Error('nginx is required (FLOWBOARD_REQUIRE_SERVICES=1) but not installed: apt-get install nginx');
if (!nginxBinary) console.warn('Skipping tests/multiprocess/nginx.test.ts: nginx is not installed (apt-get install nginx; CI installs it)');

// Without Redis the processes cannot hand moves to each other: that one test is skipped (tests/services.ts says why).
const fanOut = withRedis;

/** A socket.io client from one loopback address; closed at the end. */
const sockets = new Set<Socket>();
function clientFrom(url: string, address: string, token: string, transports: Array<'polling' | 'websocket'>): Socket {
  const socket = io(url, { auth: { token }, transports, agent: agentFrom(address), reconnection: false, forceNew: true, timeout: WAIT_MS } as never);
  sockets.add(socket);
  return socket;
}


async function joined(socket: Socket, boardId: string): Promise<BoardSnapshot> {
  const ack = (await socket.timeout(WAIT_MS).emitWithAck('board:join', { boardId })) as { ok: boolean; snapshot?: BoardSnapshot; message?: string };
  if (!ack.ok || !ack.snapshot) throw new Error(`board:join refused: ${ack.message}`);
  return ack.snapshot;
}

describe.skipIf(!nginxBinary)('nginx in front of three app processes (docs/deploy/nginx.conf)', () => {
  const apps: AppProcess[] = [];
  let nginx: RunningNginx;
  let dir = '';
  let token = '';
  let board: BoardSnapshot;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowboard-nginx-apps-'));
    // The origin is nginx's address, known only once it is started; the processes accept any port's
    // default origins too, so they start first and nginx is given their ports.
    const env = {
      FLOWBOARD_DB: join(dir, 'flowboard.db'),
      FLOWBOARD_SECRET: 'nginx-test-secret-shared-by-every-process-0123456789',
      FLOWBOARD_TRUSTED_PROXIES: '1',
      FLOWBOARD_WRITE_RATE: '0',
      // A key of its own: other suites may share this Redis at the same time.
      ...(fanOut ? { FLOWBOARD_REDIS_URL: REDIS_URL, FLOWBOARD_REDIS_KEY: `flowboard-nginx-test-${process.pid}` } : {}),
    };
    // The first process creates and migrates the database; the others open it after.
    apps.push(await startAppProcess('app 1', env));
    apps.push(...(await Promise.all([2, 3].map((n) => startAppProcess(`app ${n}`, env)))));
    nginx = await startNginx(nginxBinary ?? 'nginx', { appPorts: apps.map((a) => a.port) });

    // Everything the tests need is made through nginx, as a browser and an integration would.
    const headers = { 'x-flowboard-request': '1' };
    const signUp = await httpJson<{ token?: string }>(`${nginx.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers,
      body: { name: 'Ada', email: 'ada@example.com', password: 'a long enough passphrase' },
    });
    expect(signUp.status, JSON.stringify(signUp.body)).toBe(200);
    const cookie = ([] as string[]).concat(signUp.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const made = await httpJson<{ secret: string }>(`${nginx.url}/api/tokens`, { method: 'POST', headers: { ...headers, cookie }, body: { name: 'nginx test' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    token = made.body.secret;
    const created = await httpJson<{ board: BoardSnapshot }>(`${nginx.url}/api/boards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: { name: 'Behind nginx', columns: [{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    board = created.body.board;

    // Forty client addresses, each asking twice: where each one lands.
    for (let i = 2; i < 42; i++) {
      const address = `127.0.0.${i}`;
      for (let n = 0; n < 2; n++) expect((await httpJson(`${nginx.url}/api/health`, { agent: agentFrom(address) })).status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await nginx?.stop();
    await Promise.all(apps.map((a) => a.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The app port a client address is routed to, from nginx's access log. */
  const upstreamsOf = (address: string, pathPrefix = ''): Set<string> =>
    new Set(nginx.accessLog().filter((l) => l.client === address && l.request.includes(` ${pathPrefix}`)).map((l) => l.upstream));

  it('routes each client address to one process, and the addresses over all three', () => {
    const byClient = new Map<string, Set<string>>();
    for (const line of nginx.accessLog().filter((l) => l.request.startsWith('GET /api/health'))) {
      byClient.set(line.client, (byClient.get(line.client) ?? new Set()).add(line.upstream));
    }
    expect(byClient.size).toBe(40);
    for (const [client, upstreams] of byClient) expect([...upstreams], client).toHaveLength(1);
    const used = new Set([...byClient.values()].flatMap((u) => [...u]));
    expect([...used].toSorted()).toEqual(apps.map((a) => `127.0.0.1:${a.port}`).toSorted());
  });

  it('serves the REST API through nginx, and refuses a body over the cap before it reaches a process', async () => {
    const health = await httpJson<{ ok: boolean }>(`${nginx.url}/api/health`);
    expect(health).toMatchObject({ status: 200, body: { ok: true } });
    const boards = await httpJson<{ boards: Array<{ id: string }> }>(`${nginx.url}/api/boards`, { headers: { authorization: `Bearer ${token}` } });
    expect(boards.body.boards.map((b) => b.id)).toEqual([board.id]);

    const tooBig = Buffer.alloc(2 * 1024 * 1024, 'x');
    const refused = await httpJson(`${nginx.url}/api/boards`, { method: 'POST', rawBody: tooBig, headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(413);
    // nginx answered, not a process: the API has a cap of its own, which this must not be confused with.
    // nginx logs the refusal once it has drained the rest of the body.
    const logged = await nginx.logLine((l) => l.request.startsWith('POST /api/boards') && l.status === 413);
    expect(logged.upstream).toBe('-');
  });

  it('keeps a long-polling session on one process: joins, writes and their acks all work', async () => {
    const address = '127.0.0.50';
    const socket = clientFrom(nginx.url, address, token, ['polling']);
    await whenConnected(socket);
    await joined(socket, board.id);
    for (let i = 0; i < 5; i++) {
      const ack = (await socket.timeout(WAIT_MS).emitWithAck('card:create', { boardId: board.id, title: `polled ${i}` })) as { ok: boolean };
      expect(ack.ok).toBe(true);
    }
    expect((socket.io.engine as unknown as { transport: { name: string } }).transport.name).toBe('polling');
    const polls = nginx.accessLog().filter((l) => l.client === address && l.request.includes('/socket.io/'));
    expect(polls.length).toBeGreaterThan(5);
    expect(upstreamsOf(address, '/socket.io/').size).toBe(1);
  });

  it('upgrades a connection from long-polling to WebSocket through nginx', async () => {
    const socket = clientFrom(nginx.url, '127.0.0.51', token, ['polling', 'websocket']);
    const upgraded = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no upgrade to WebSocket in time')), WAIT_MS);
      socket.io.on('open', () =>
        socket.io.engine.once('upgrade', (transport: { name: string }) => {
          clearTimeout(timer);
          resolve(transport.name);
        }),
      );
    });
    await whenConnected(socket);
    expect(await upgraded).toBe('websocket');
    await joined(socket, board.id);
    const ack = (await socket.timeout(WAIT_MS).emitWithAck('card:create', { boardId: board.id, title: 'over WebSocket' })) as { ok: boolean };
    expect(ack.ok).toBe(true);
  });

  it('without the sticky routing line, long-polling sessions break (what the line is for)', async () => {
    const roundRobin = await startNginx(nginxBinary ?? 'nginx', { appPorts: apps.map((a) => a.port), sticky: false });
    try {
      const socket = clientFrom(roundRobin.url, '127.0.0.52', token, ['polling']);
      const outcome = await whenConnected(socket)
        .then(() => joined(socket, board.id))
        .then(
          () => 'worked',
          () => 'broke',
        );
      socket.disconnect();
      expect(outcome).toBe('broke');
      expect(roundRobin.accessLog().some((l) => l.request.includes('/socket.io/') && l.status === 400)).toBe(true);
    } finally {
      await roundRobin.stop();
    }
  });

  it.skipIf(!fanOut)('a move made on one process reaches a viewer on another at once', async () => {
    // Two client addresses that nginx routes to different processes (one address, one process: the first test).
    const firstByProcess = new Map<string, string>();
    for (const line of nginx.accessLog()) if (line.request.startsWith('GET /api/health') && !firstByProcess.has(line.upstream)) firstByProcess.set(line.upstream, line.client);
    const [viewerAddress, moverAddress] = [...firstByProcess.values()];
    if (!viewerAddress || !moverAddress) throw new Error('fewer than two processes reached');

    const viewer = clientFrom(nginx.url, viewerAddress, token, ['websocket']);
    const mover = clientFrom(nginx.url, moverAddress, token, ['websocket']);
    await Promise.all([whenConnected(viewer), whenConnected(mover)]);
    await joined(viewer, board.id);
    const snapshot = await joined(mover, board.id);
    const events: BoardEvent[] = [];
    viewer.on('board:event', (e: BoardEvent) => events.push(e));
    const card = snapshot.cards[0];
    const doing = snapshot.columns[1];
    if (!card || !doing) throw new Error('the board has no card or no second work center');
    const ack = (await mover.timeout(WAIT_MS).emitWithAck('card:move', { cardId: card.id, toColumnId: doing.id })) as { ok: boolean; version?: number };
    expect(ack.ok).toBe(true);
    const deadline = Date.now() + WAIT_MS;
    while (!events.some((e) => e.type === 'card_moved' && e.version === ack.version) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(events.filter((e) => e.type === 'card_moved').map((e) => e.version)).toEqual([ack.version]);
  });
});
