/**
 * A PostgreSQL crash and restart under load, against a real app process: while the database is down,
 * writes are refused with UNAVAILABLE and a clear message (never INTERNAL), the process stays up and
 * its health check says the database is unavailable; once the database is back, writes succeed again
 * without restarting the app, and nothing was half-written: the board's log is gapless, every
 * acknowledged move is in it, the state is the fold of the log, the flow aggregates equal a rebuild.
 *
 * The server crashed here is a private one (tests/privatePostgres.ts), never the machine's shared one.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import type { Ack } from '../../lib/shared/protocol';

type MoveAck = Ack<{ card: CardDTO }>;
import { canonical, fold, range, seedActor, TestClient, WAIT_MS, whenConnected, type FlowSocket, type TestUser } from '../integration/helpers';
import { createPrivatePostgres, withPrivatePostgres, type PrivatePostgres } from '../privatePostgres';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { startAppProcess, type AppProcess } from './processes';

const CLIENTS = 3;
/** Acknowledged moves each client makes before the crash, while it is down, and after the restart. */
const BEFORE = 5;
const DURING = 3;
const AFTER = 5;
/** An app process (tsx compiling it) and a PostgreSQL server on a busy 2-core machine. */
const START_MS = 90_000;

let pg: PrivatePostgres | undefined;
let app: AppProcess | undefined;
let engine: Engine | undefined;
const sockets: Socket[] = [];

/** The test's own connection to the database, for seeding and for the checks: opened only while it is up. */
async function withStore<T>(fn: (store: Store, access: ReturnType<typeof createAccess>) => Promise<T>): Promise<T> {
  engine = await openEngine({ url: pg!.url, sqlitePath: ':memory:' });
  try {
    return await fn(createStore(engine), createAccess(engine));
  } finally {
    await engine.close();
    engine = undefined;
  }
}

beforeAll(async () => {
  if (!withPrivatePostgres) return;
  pg = await createPrivatePostgres();
  // Migrated here, before the app opens it.
  await withStore(async () => undefined);
  app = await startAppProcess('app', {
    FLOWBOARD_DATABASE_URL: pg.url,
    FLOWBOARD_SECRET: `restart-test-secret-${randomUUID()}`,
  });
}, START_MS);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.stop();
  await engine?.close();
  await pg?.destroy();
}, START_MS);

const health = async () => {
  const res = await fetch(`${app!.url}/api/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function connect(user: TestUser): Promise<TestClient> {
  const s = io(app!.url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false, autoConnect: false, forceNew: true });
  sockets.push(s);
  const client = new TestClient(user.name, s as unknown as FlowSocket);
  await whenConnected(s.connect());
  return client;
}

type Phase = 'up' | 'down' | 'back';
interface Outcome {
  /**
   * The phase the move was sent and answered in ('down': after the crash completed and before the
   * restart began); null when it straddled a change of phase.
   */
  phase: Phase | null;
  ack: MoveAck;
}

describe.runIf(withPrivatePostgres)('a PostgreSQL crash and restart during load', () => {
  it('refuses writes with UNAVAILABLE while it is down, recovers by itself, and loses or half-writes nothing', async () => {
    const seeded = await withStore(async (store, access) => {
      const users: TestUser[] = [];
      for (const i of range(1, CLIENTS)) {
        const account = await access.createServiceAccount(`Mover ${i}`, `mover-${i}@test.flowboard`);
        users.push({ id: account.id, name: account.name, email: account.email, password: '', token: (await access.createToken(account.id, 'tests')).secret });
      }
      const { board } = await store.createBoard({ name: 'Restart board', columns: [{ name: 'Develop', wipLimit: null }, { name: 'Test', wipLimit: null }] }, seedActor);
      for (const u of users) await access.addMember(board.id, u.id, 'member');
      const cards: string[] = [];
      for (const i of range(1, CLIENTS)) cards.push((await store.createCard({ boardId: board.id, columnId: board.columns[0]!.id, title: `Card ${i}` }, seedActor)).card.id);
      return { users, boardId: board.id, columns: board.columns.map((c) => c.id), cards, start: await store.getSnapshot(board.id) };
    });
    const { boardId, columns, cards, start } = seeded;
    // A browser's session too: its cookie is checked by better-auth, on the same database.
    const signUp = await fetch(`${app!.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app!.url },
      body: JSON.stringify({ email: 'browser@test.flowboard', password: 'a long enough passphrase', name: 'Browser' }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const boardsWithCookie = () => fetch(`${app!.url}/api/boards`, { headers: { cookie } });
    expect((await boardsWithCookie()).status).toBe(200);
    const clients = await Promise.all(seeded.users.map(connect));
    for (const c of clients) await c.join(boardId);

    let phase: Phase = 'up';
    const load = { stopped: false };
    const outcomes: Outcome[][] = clients.map(() => []);
    const count = (i: number, sent: Phase, ok: boolean) => outcomes[i]!.filter((o) => o.phase === sent && o.ack.ok === ok).length;
    // Each client moves its card back and forth (a backward move needs a reason) as fast as the acks come.
    const streams = clients.map(async (client, i) => {
      while (!load.stopped) {
        const sent = phase;
        const forward = outcomes[i]!.filter((o) => o.ack.ok).length % 2 === 0;
        const ack = await client.request('card:move', { cardId: cards[i]!, toColumnId: columns[forward ? 1 : 0]!, ...(forward ? {} : { reason: 'Failed its test' }) });
        outcomes[i]!.push({ phase: sent === phase ? sent : null, ack });
        // While refused, a little pause rather than a tight loop of refusals.
        if (!ack.ok) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    /** Waits (bounded) until every client has `n` outcomes of a kind. */
    const untilEach = async (label: string, sent: Phase, ok: boolean, n: number) => {
      const deadline = Date.now() + 3 * WAIT_MS;
      while (!clients.every((_, i) => count(i, sent, ok) >= n)) {
        if (load.stopped) await streamed;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} ${label} per client: ${JSON.stringify(outcomes.map((o) => o.slice(-3)))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    // A stream that fails (a lost ack) stops the others and fails the test with its error.
    const streamed = Promise.all(streams).catch((error: unknown) => {
      load.stopped = true;
      throw new Error(`${String(error)}; the app process printed:\n${app!.output()}`);
    });
    streamed.catch(() => undefined);
    await untilEach('moves accepted before the crash', 'up', true, BEFORE);
    await pg!.crash();
    phase = 'down';
    await untilEach('moves refused while the database is down', 'down', false, DURING);

    // While it is down: the process answers, clearly.
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, database: 'unavailable' });
    const rest = await fetch(`${app!.url}/api/cards/${cards[0]}/move`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seeded.users[0]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ toColumnId: columns[1] }),
    });
    expect(rest.status).toBe(503);
    expect(await rest.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    const withCookie = await boardsWithCookie();
    expect(withCookie.status).toBe(503);
    expect(await withCookie.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    // A new connection cannot check its credentials: told so with the same code, not as a server fault.
    const late = io(app!.url, { auth: { token: seeded.users[1]!.token }, transports: ['websocket'], reconnection: false, autoConnect: false, forceNew: true });
    sockets.push(late);
    await expect(whenConnected(late.connect())).rejects.toMatchObject({ data: { code: 'UNAVAILABLE' } });

    // 'back' from before the start: a move sent while it starts may be answered either way.
    phase = 'back';
    await pg!.start();
    await untilEach('moves accepted after the restart', 'back', true, AFTER);
    load.stopped = true;
    await streamed;

    // Every move sent while the database was down was refused with UNAVAILABLE and a message for people.
    for (const [i, list] of outcomes.entries()) {
      for (const { ack } of list.filter((o) => o.phase === 'down')) {
        expect(ack, `client ${i + 1}`).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
        if (!ack.ok) {
          expect(ack.message).toMatch(/database is unavailable/i);
          expect(ack.message).not.toMatch(/\n\s+at |ECONNREFUSED|terminat/i);
        }
      }
      // No other refusal at any time: only the outage's.
      expect(list.filter((o) => !o.ack.ok && (o.ack as { code: string }).code !== 'UNAVAILABLE')).toEqual([]);
    }
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, database: 'up' } });
    expect((await boardsWithCookie()).status).toBe(200);

    // Nothing lost, nothing half-written.
    const acked = outcomes.flat().flatMap((o) => (o.ack.ok ? [o.ack.version] : []));
    const { log, final } = await withStore(async (store) => {
      const events = (await store.eventsSince(boardId, 0, 1_000_000)) ?? [];
      await expectAggregatesOfLog(store, boardId, events);
      return { log: events, final: await store.getSnapshot(boardId) };
    });
    const versions = log.map((e) => e.version);
    expect(versions).toEqual(range(1, final.version));
    for (const v of acked) expect(versions).toContain(v);
    // A move whose commit the crash cut off may have committed with its answer lost (one per client at most).
    const after = log.filter((e) => e.version > start.version);
    expect(after.length - acked.length).toBeGreaterThanOrEqual(0);
    expect(after.length - acked.length).toBeLessThanOrEqual(CLIENTS);
    expect(after.every((e) => e.type === 'card_moved')).toBe(true);
    expect(canonical(fold(start, after))).toEqual(canonical(final));

    // The clients were never disconnected and every acknowledged move reached each of them, in order.
    for (const client of clients) {
      expect(client.socket.connected, client.name).toBe(true);
      const received = client.events.items.filter((e) => e.boardId === boardId).map((e) => e.version);
      for (const v of acked) expect(received, client.name).toContain(v);
      expect(received).toEqual(received.toSorted((a, b) => a - b));
      const snapshot: BoardSnapshot = await client.joinSnapshot(boardId);
      expect(canonical(snapshot)).toEqual(canonical(final));
    }
    // The app process stayed up throughout and logged no unexpected error.
    expect(app!.takeErrors()).toEqual([]);
  }, START_MS);
});
