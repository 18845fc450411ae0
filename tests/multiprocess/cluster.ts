/**
 * The multi-process harness: several real app processes (tests/multiprocess/serve.ts) on ONE shared
 * database and one Redis, with a Redis key of their own per test file so parallel suites never meet.
 * The test itself seeds accounts and boards through the store on the same database (another process
 * on it, as the CLI is) and talks to the app processes only through Socket.IO and REST.
 *
 * The database is a fresh PostgreSQL database per suite (dropped at the end): a board's writes are
 * serialised by its row lock, whichever process takes them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createAccess, type Access } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createTestDatabase, REDIS_URL, withCluster, type TestDatabase } from '../services';

export { withCluster };
import { createStore, type Store } from '../../db/store';
import type { BoardRole } from '../../lib/shared/domain/roles';
import type { ColumnDTO } from '../../lib/shared/domain/types';
import type { RateLimitOptions } from '../../lib/server/rateLimit';
import { seedActor, TestClient, whenConnected, type ApiResponse, type FlowSocket, type TestUser } from '../integration/helpers';
import { startAppProcess, type AppProcess } from './processes';

/** Starting three servers with tsx on a busy 2-core machine. */
export const START_MS = 90_000;

export interface ClusterOptions {
  processes?: number;
  /** Writes per account; off unless a test is about it. */
  writeRate?: RateLimitOptions;
  /** Extra environment for every app process (FLOWBOARD_DATABASE_URL, say). */
  env?: Record<string, string>;
}

export interface ClusterBoard {
  id: string;
  col: (name: string) => string;
  addCards: (columnName: string, count: number) => Promise<string[]>;
}

export interface ClusterHarness {
  readonly nodes: readonly AppProcess[];
  readonly store: Store;
  readonly access: Access;
  /** A service account with an API token (made on first use per name). */
  user(name: string): Promise<TestUser>;
  grant(user: TestUser, boardId: string, role: BoardRole): Promise<void>;
  /** A board whose admins are `admins` (other members are granted by the test). */
  seedBoard(columns: ReadonlyArray<{ name: string; wipLimit?: number | null }>, admins: readonly TestUser[]): Promise<ClusterBoard>;
  /** A connected client of `user` on process `node`; closed after the test. */
  connect(node: number, user: TestUser): Promise<TestClient>;
  /** A socket not connected yet, on the process at `url` (for clients that move to another process). */
  socket(url: string, user: TestUser): FlowSocket;
  api<T = unknown>(node: number, method: string, path: string, options: { body?: unknown; as: TestUser }): Promise<ApiResponse<T>>;
}


export function startCluster(options: ClusterOptions = {}): ClusterHarness {
  const count = options.processes ?? 3;
  const nodes: AppProcess[] = [];
  const sockets = new Set<Socket>();
  const users = new Map<string, Promise<TestUser>>();
  let dir = '';
  let database: TestDatabase | undefined;
  let engine: Engine | undefined;
  let store: Store | undefined;
  let access: Access | undefined;

  beforeAll(async () => {
    // No PostgreSQL or Redis on this machine: the suites are skipped (describe.runIf(withCluster)).
    if (!withCluster) return;
    dir = mkdtempSync(join(tmpdir(), 'flowboard-mp-'));
    database = await createTestDatabase('mp');
    // Created and migrated here, before any app process opens it.
    engine = await openEngine({ url: database.url, sqlitePath: join(dir, 'unused.db') });
    store = createStore(engine);
    access = createAccess(engine);
    const env: Record<string, string> = {
      FLOWBOARD_DATABASE_URL: database.url,
      FLOWBOARD_SECRET: `multi-process-test-secret-${randomUUID()}`,
      FLOWBOARD_REDIS_URL: REDIS_URL,
      FLOWBOARD_REDIS_KEY: `flowboard-test-${randomUUID()}`,
      FLOWBOARD_WRITE_RATE: String(options.writeRate?.perSecond ?? 0),
      FLOWBOARD_WRITE_BURST: String(options.writeRate?.burst ?? 0),
      ...options.env,
    };
    // One at a time: three tsx compilations at once only slow each other down.
    for (let i = 0; i < count; i++) nodes.push(await startAppProcess(`app ${String.fromCharCode(65 + i)}`, env));
  }, START_MS);

  afterEach(() => {
    for (const s of sockets) s.disconnect();
    sockets.clear();
    // An unexpected server error fails the test that caused it, whichever process logged it.
    const errors = nodes.flatMap((n) => n.takeErrors().map((line) => `${n.label}: ${line}`));
    expect(errors, 'server errors logged during the test').toEqual([]);
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await engine?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, START_MS);

  const ready = () => {
    if (!store || !access) throw new Error('call startCluster() at the top of the test file');
    return { store, access };
  };

  const grant = async (u: TestUser, boardId: string, role: BoardRole) => {
    const { access: a } = ready();
    if (await a.roleOf(boardId, u.id)) await a.setRole(boardId, u.id, role);
    else await a.addMember(boardId, u.id, role);
  };

  const socket = (url: string, u: TestUser): FlowSocket => {
    const s = io(url, { auth: { token: u.token }, transports: ['websocket'], reconnection: false, autoConnect: false, forceNew: true });
    sockets.add(s);
    return s as unknown as FlowSocket;
  };

  return {
    get nodes() {
      return nodes;
    },
    get store() {
      return ready().store;
    },
    get access() {
      return ready().access;
    },
    user(name) {
      let made = users.get(name);
      if (!made) {
        made = (async () => {
          const { access: a } = ready();
          const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${users.size}@test.flowboard`;
          const account = await a.createServiceAccount(name, email);
          const token = await a.createToken(account.id, 'tests');
          return { id: account.id, name: account.name, email, password: '', token: token.secret };
        })();
        users.set(name, made);
      }
      return made;
    },
    grant,
    async seedBoard(columns, admins) {
      const { store: s } = ready();
      const { board } = await s.createBoard({ name: 'Multi-process board', columns: columns.map((c) => ({ name: c.name, wipLimit: c.wipLimit ?? null })) }, seedActor);
      for (const u of admins) await grant(u, board.id, 'admin');
      const col = (name: string) => {
        const found = board.columns.find((c: ColumnDTO) => c.name === name);
        if (!found) throw new Error(`no column ${name}`);
        return found.id;
      };
      return {
        id: board.id,
        col,
        async addCards(columnName, n) {
          const ids: string[] = [];
          for (let i = 0; i < n; i++) ids.push((await s.createCard({ boardId: board.id, columnId: col(columnName), title: `${columnName} ${i + 1}` }, seedActor)).card.id);
          return ids;
        },
      };
    },
    async connect(node, u) {
      const target = nodes[node];
      if (!target) throw new Error(`no process ${node}`);
      const s = socket(target.url, u);
      const client = new TestClient(`${u.name}@${target.label}`, s);
      (s as unknown as Socket).connect();
      await whenConnected(s);
      return client;
    },
    socket,
    async api<T>(node: number, method: string, path: string, { body, as }: { body?: unknown; as: TestUser }) {
      const target = nodes[node];
      if (!target) throw new Error(`no process ${node}`);
      const res = await fetch(`${target.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${as.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
