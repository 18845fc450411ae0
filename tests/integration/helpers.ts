/**
 * The integration harness: the real server (REST + Socket.IO, no Next pages) on port 0 over a fresh
 * SQLite FILE in a temp directory, or a fresh PostgreSQL database, one per test file; real socket.io
 * clients; REST over fetch.
 * Nothing here mocks our code. Waits have timeouts so that a missing event fails the test with a
 * message instead of hanging it; no test asserts on how long anything took.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Actor } from '../../db/store';
import { applyEvent } from '../../lib/shared/domain/apply';
import { comparePositioned } from '../../lib/shared/domain/ordering';
import type { BoardEvent, BoardSnapshot, CardDTO, ColumnDTO } from '../../lib/shared/domain/types';
import { unpackJoin, type ClientToServerEvents, type JoinAck, type ServerToClientEvents } from '../../lib/shared/protocol';
import type { BoardRole } from '../../lib/shared/domain/roles';
import { createAccount } from '../../lib/server/accounts';
import { startApp, type RunningApp } from '../../lib/server/app';
import { memoryLogger } from '../../lib/server/logger';
import type { SignupPolicy } from '../../lib/server/auth';
import type { RateLimitOptions } from '../../lib/server/rateLimit';
import { createTestDatabase, type TestDatabase } from '../services';

/** The engines a suite can run on. */
export type EngineName = 'sqlite' | 'postgres';

const ENGINE_KEY = Symbol.for('flowboard.testEngine');
/**
 * Runs a whole suite file again on another engine: tests/integration/postgres/*.test.ts set this,
 * then import the SQLite suite, whose harness then opens a PostgreSQL database of its own.
 */
export function runSuiteOnEngine(engine: EngineName): void {
  (globalThis as Record<symbol, unknown>)[ENGINE_KEY] = engine;
}
const defaultEngine = (): EngineName => ((globalThis as Record<symbol, unknown>)[ENGINE_KEY] as EngineName | undefined) ?? 'sqlite';

/** Long enough for a loaded 2-core CI machine; a wait that runs out is a failure, not a measurement. */
export const WAIT_MS = 10_000;

export type FlowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ViewersPayload = Parameters<ServerToClientEvents['presence:viewers']>[0];
type DragPayload = Parameters<ServerToClientEvents['presence:drag']>[0];
type Request = keyof ClientToServerEvents;
/** What the ack of a request carries: the first argument of its ack callback. */
type AckOf<E extends Request> = Parameters<ClientToServerEvents[E]> extends [unknown, (a: infer A) => void] ? A : never;
type PayloadOf<E extends Request> = Parameters<ClientToServerEvents[E]>[0];

/** Everything a client received of one kind, with waits that look at the past too, so no event is missed by subscribing late. */
export class Received<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => boolean>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) if (waiter()) this.waiters.delete(waiter);
  }

  /** Resolves with the first non-undefined value `check` returns, now or after a later push. */
  until<R>(label: string, check: (items: readonly T[]) => R | undefined, timeoutMs = WAIT_MS): Promise<R> {
    const now = check(this.items);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<R>((resolve, reject) => {
      const waiter = () => {
        const value = check(this.items);
        if (value === undefined) return false;
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${label} (received ${this.items.length})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  find(label: string, predicate: (item: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
    return this.until(label, (items) => items.find(predicate), timeoutMs);
  }
}

/** A real socket.io client with everything it receives recorded. */
export class TestClient {
  readonly events = new Received<BoardEvent>();
  readonly viewers = new Received<ViewersPayload>();
  readonly drags = new Received<DragPayload>();

  constructor(
    readonly name: string,
    readonly socket: FlowSocket,
  ) {
    socket.on('board:event', (e) => this.events.push(e));
    socket.on('presence:viewers', (p) => this.viewers.push(p));
    socket.on('presence:drag', (p) => this.drags.push(p));
  }

  /** A typed request; rejects when no ack comes within the timeout. */
  request<E extends Request>(event: E, payload: PayloadOf<E>, timeoutMs = WAIT_MS): Promise<AckOf<E>> {
    const raw = this.socket as unknown as Socket;
    return raw.timeout(timeoutMs).emitWithAck(event, payload) as Promise<AckOf<E>>;
  }

  /** Any arguments at all (the ack is appended last), for payloads the types would refuse. */
  requestRaw(event: string, ...args: unknown[]): Promise<unknown> {
    const raw = this.socket as unknown as Socket;
    return raw.timeout(WAIT_MS).emitWithAck(event, ...args) as Promise<unknown>;
  }

  /** An emit with no ack function at all. */
  emitRaw(event: string, ...args: unknown[]): void {
    (this.socket as unknown as Socket).emit(event, ...args);
  }

  async join(boardId: string, sinceVersion?: number): Promise<Extract<JoinAck, { ok: true }>> {
    const ack = await this.request('board:join', sinceVersion === undefined ? { boardId } : { boardId, sinceVersion });
    if (!ack.ok) throw new Error(`board:join refused: ${ack.code} ${ack.message}`);
    return ack;
  }

  /** Joins and returns the full snapshot (a join without sinceVersion always sends one). */
  async joinSnapshot(boardId: string): Promise<BoardSnapshot> {
    const ack = unpackJoin(await this.join(boardId));
    if (!('snapshot' in ack)) throw new Error('board:join without sinceVersion sent no snapshot');
    return ack.snapshot;
  }

  /**
   * A request to the server and back. Socket.IO delivers one connection's messages in order, so
   * after this resolves every emit this client sent before has been handled, and everything the
   * server sent this client before answering has arrived.
   */
  async roundTrip(): Promise<void> {
    await this.requestRaw('card:history', { cardId: 'round-trip' });
  }

  /** Resolves with this board's events up to and including `version` once all have arrived. */
  eventsThrough(boardId: string, version: number): Promise<BoardEvent[]> {
    return this.events.until(`${this.name}: events of ${boardId} through version ${version}`, (items) => {
      const mine = items.filter((e) => e.boardId === boardId);
      return mine.some((e) => e.version >= version) ? mine.filter((e) => e.version <= version) : undefined;
    });
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  /** Connects the same socket again (same recorders) after `disconnect()`. */
  reconnect(): Promise<void> {
    return whenConnected(this.socket.connect() as unknown as Socket);
  }
}

/** Resolves once the socket is connected; rejects on a refused handshake or after WAIT_MS. */
export function whenConnected(socket: Socket | FlowSocket): Promise<void> {
  const raw = socket as unknown as Socket;
  if (raw.connected) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket did not connect within ${WAIT_MS} ms`)), WAIT_MS);
    raw.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    raw.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Signs in through better-auth's endpoint, as the sign-in page does; returns the Cookie header to send. */
export async function signIn(baseUrl: string, user: Pick<TestUser, 'email' | 'password'>): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Connects a socket; resolves with 'connected' or the code (else the message) of the refusal. */
export function connectOutcome(socket: Socket | FlowSocket): Promise<string> {
  const raw = socket as unknown as Socket;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('neither connected nor refused')), WAIT_MS);
    raw.once('connect', () => {
      clearTimeout(timer);
      resolve('connected');
    });
    raw.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      clearTimeout(timer);
      resolve(e.data?.code ?? e.message);
    });
    raw.connect();
  });
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiOptions {
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Whose API token authenticates the request (default: the harness user "api"); null sends none. */
  as?: TestUser | null;
}

/** An account made for a test, with a personal API token. */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
}

export interface HarnessOptions {
  /** The database engine; SQLite by default. PostgreSQL gets a new database, dropped at the end. */
  engine?: EngineName;
  /** The secret that signs sessions (required on PostgreSQL); one is made when absent. */
  secret?: string;
  /** Write rate limit; off unless a test is about it. */
  writeRate?: RateLimitOptions;
  /** Join and drag throttles (lib/server/rateLimit.ts); off unless a test is about them. */
  joinRate?: RateLimitOptions;
  dragRate?: RateLimitOptions;
  /** The store's clock (ms since the epoch); the real one unless a test moves time. */
  clock?: () => number;
  /** Sockets per account; the app's default (20) unless a test is about it. */
  socketsPerAccount?: number;
  /** better-auth's session lifetime and refresh age, in seconds; its defaults unless a test is about them. */
  session?: { expiresIn: number; updateAge: number };
  /**
   * Every user `connect()` makes is an admin of every board `seedBoard()` makes, so tests about
   * the board itself need not manage members. Tests about access turn this off.
   */
  shareBoards?: boolean;
  /**
   * Make accounts through better-auth's sign-up, with a password to sign in with. Off by default:
   * hashing a password costs tens of milliseconds of CPU, and most tests only need a token, so
   * their users are password-less service accounts (db/access.ts).
   */
  passwords?: boolean;
  /** Who may create an account (lib/server/auth.ts); open by default. */
  signup?: SignupPolicy;
  /** better-auth's sign-in throttle; off unless a test is about it. */
  authRateLimit?: boolean;
  /** Reverse proxies whose X-Forwarded-For the server believes; none by default. */
  trustedProxies?: number;
  /** Outgoing webhooks' settings (lib/server/app.ts); internal receivers refused unless a test allows them. */
  webhooks?: { allowPrivate?: boolean; timeoutMs?: number; pollMs?: number };
}

export interface Harness {
  readonly app: RunningApp;
  readonly url: string;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** A connected client of the account named `name` (made on first use); closed after the test. */
  connect(name: string): Promise<TestClient>;
  /** A client of a given account. */
  connectAs(user: TestUser): Promise<TestClient>;
  /** The account with this display name, made with an API token on first use. */
  user(name: string): Promise<TestUser>;
  /** Makes `user` a member of `boardId` with `role` (through the store, not the API). */
  grant(user: TestUser, boardId: string, role: BoardRole): Promise<void>;
  connectMany(count: number, prefix: string): Promise<TestClient[]>;
  /** A socket that is not connected yet, for handshake tests; closed after the test. */
  socket(auth: Record<string, unknown> | undefined, extraHeaders?: Record<string, string>): Socket;
  api<T = unknown>(method: string, path: string, options?: ApiOptions): Promise<ApiResponse<T>>;
  /** A board made through the store, with its columns named in order. */
  seedBoard(columns: ReadonlyArray<{ name: string; wipLimit?: number | null }>, name?: string): Promise<SeededBoard>;
}

export interface SeededBoard {
  id: string;
  snapshot: BoardSnapshot;
  /** Column ids by name. */
  col: (name: string) => string;
  /** Creates `count` cards at the end of a column through the store; returns them in order. */
  addCards: (columnName: string, count: number, titlePrefix?: string) => Promise<CardDTO[]>;
}

export const seedActor: Actor = { name: 'seed' };

/**
 * Registers the hooks of one test file: the server starts before all tests on a fresh database
 * file, the clients a test opens are closed after it, and everything is closed and deleted at the end.
 */
export function startTestServer(harnessOptions: HarnessOptions = {}): Harness {
  let app: RunningApp | undefined;
  let dir = '';
  const logger = memoryLogger();
  const sockets = new Set<Socket>();
  const users = new Map<string, Promise<TestUser>>();
  const shareBoards = harnessOptions.shareBoards ?? true;
  const sharedBoards: string[] = [];
  const sharedUsers: TestUser[] = [];
  let apiUser: TestUser | undefined;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowboard-it-'));
    if ((harnessOptions.engine ?? defaultEngine()) === 'postgres') database = await createTestDatabase('it');
    app = await startApp({
      dbPath: join(dir, 'flowboard.db'),
      databaseUrl: database?.url,
      secret: harnessOptions.secret ?? (database ? 'a-test-secret-of-at-least-32-characters' : undefined),
      port: 0,
      host: '127.0.0.1',
      logger,
      seed: false,
      writeRate: harnessOptions.writeRate ?? { perSecond: 0, burst: 0 },
      joinRate: harnessOptions.joinRate ?? { perSecond: 0, burst: 0 },
      dragRate: harnessOptions.dragRate ?? { perSecond: 0, burst: 0 },
      socketsPerAccount: harnessOptions.socketsPerAccount,
      session: harnessOptions.session,
      authRateLimit: harnessOptions.authRateLimit ?? false,
      signup: harnessOptions.signup ?? 'open',
      trustedProxies: harnessOptions.trustedProxies ?? 0,
      webhooks: harnessOptions.webhooks,
      ...(harnessOptions.clock ? { storeOptions: { clock: harnessOptions.clock } } : {}),
    });
    // The first account is the instance admin; REST calls without `as` use its token.
    apiUser = await user('api');
  });

  afterEach(() => {
    for (const s of sockets) s.disconnect();
    sockets.clear();
    // Refusals are expected; an unexpected server error is logged and must fail the test that caused it.
    const errors = logger.lines.filter((l) => l.startsWith('error'));
    logger.lines.length = 0;
    expect(errors.join('\n'), 'server errors logged during the test').toBe('');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const running = (): RunningApp => {
    if (!app) throw new Error('the server is not started: call startTestServer() at the top of the test file');
    return app;
  };

  const socket = (auth: Record<string, unknown> | undefined, extraHeaders?: Record<string, string>): Socket => {
    const s = io(running().url, { auth, extraHeaders, transports: ['websocket'], reconnection: false, autoConnect: false, forceNew: true });
    sockets.add(s);
    return s;
  };

  const grant = async (u: TestUser, boardId: string, role: BoardRole) => {
    const { access } = running();
    if (await access.roleOf(boardId, u.id)) await access.setRole(boardId, u.id, role);
    else await access.addMember(boardId, u.id, role);
  };

  function user(name: string): Promise<TestUser> {
    let made = users.get(name);
    if (!made) {
      made = (async () => {
        const { auth, access } = running();
        const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'user'}-${users.size}@test.flowboard`;
        const password = `pw-${name}-${users.size}-long-enough`;
        const account = harnessOptions.passwords ? await createAccount(auth, access, { email, password, name }) : await access.createServiceAccount(name, email);
        const u: TestUser = { id: account.id, name: account.name, email, password, token: (await access.createToken(account.id, 'tests')).secret };
        if (shareBoards) {
          sharedUsers.push(u);
          for (const boardId of sharedBoards) if (!(await access.roleOf(boardId, u.id))) await grant(u, boardId, 'admin');
        }
        return u;
      })();
      users.set(name, made);
    }
    return made;
  }

  const connectAs = async (u: TestUser): Promise<TestClient> => {
    const s = socket({ token: u.token });
    const client = new TestClient(u.name, s as unknown as FlowSocket);
    await whenConnected(s.connect());
    return client;
  };

  const connect = async (name: string): Promise<TestClient> => connectAs(await user(name));

  return {
    get app() {
      return running();
    },
    get url() {
      return running().url;
    },
    logger,
    connect,
    connectAs,
    user,
    grant,
    connectMany: (count, prefix) => Promise.all(Array.from({ length: count }, (_, i) => connect(`${prefix} ${i + 1}`))),
    socket,
    async api<T>(method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
      const as = options.as === undefined ? apiUser : options.as;
      const headers: Record<string, string> = { ...(as ? { authorization: `Bearer ${as.token}` } : {}), ...options.headers };
      let body: string | undefined = options.rawBody;
      if (body === undefined && options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${running().url}${path}`, { method, headers, body });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async seedBoard(columns, name = 'Test board') {
      const { store } = running();
      const { board } = await store.createBoard({ name, columns: columns.map((c) => ({ name: c.name, wipLimit: c.wipLimit ?? null })) }, seedActor);
      if (shareBoards) {
        sharedBoards.push(board.id);
        for (const u of sharedUsers) await grant(u, board.id, 'admin');
      }
      const col = (columnName: string) => {
        const found = board.columns.find((c: ColumnDTO) => c.name === columnName);
        if (!found) throw new Error(`no column ${columnName} on the seeded board`);
        return found.id;
      };
      return {
        id: board.id,
        snapshot: board,
        col,
        async addCards(columnName, count, titlePrefix = columnName) {
          const cards: CardDTO[] = [];
          for (let i = 0; i < count; i++) cards.push((await store.createCard({ boardId: board.id, columnId: col(columnName), title: `${titlePrefix} ${i + 1}` }, seedActor)).card);
          return cards;
        },
      };
    },
  };
}

/** Folds events over a snapshot in version order, the way a client does. */
export function fold(snapshot: BoardSnapshot, events: readonly BoardEvent[]): BoardSnapshot {
  return events.toSorted((a, b) => a.version - b.version).reduce(applyEvent, snapshot);
}

/**
 * A snapshot with its cards in the server's order (column id, then position, then id; plain
 * code-unit comparison, as SQLite's BINARY collation). The order of the card array carries no
 * meaning, so this is the only normalisation needed before comparing a folded state exactly.
 */
export function canonical(board: BoardSnapshot): BoardSnapshot {
  const cards = board.cards.toSorted((a, b) => (a.columnId < b.columnId ? -1 : a.columnId > b.columnId ? 1 : comparePositioned(a, b)));
  return { ...board, cards };
}

/** Card ids of one column in display order, (position, id). */
export function columnOrder(board: BoardSnapshot, columnId: string): string[] {
  return board.cards
    .filter((c) => c.columnId === columnId)
    .toSorted(comparePositioned)
    .map((c) => c.id);
}

export function expectFailure(ack: unknown, code: string): { ok: false; code: string; message: string } {
  expect(ack).toMatchObject({ ok: false, code });
  const failure = ack as { ok: false; code: string; message: string };
  expect(typeof failure.message).toBe('string');
  return failure;
}

/** Asserts a success ack and narrows it. */
export function expectOk<A extends { ok: boolean }>(ack: A): Extract<A, { ok: true }> {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack)}`);
  return ack as Extract<A, { ok: true }>;
}

/** Rows of the cards table in a column, read straight from the database. */
export async function cardsInColumnDb(app: RunningApp, columnId: string): Promise<number> {
  const row = await app.engine.read((sql) => sql.get<{ n: number }>('select count(*) as n from cards where column_id = ? and deleted_at is null', [columnId]));
  return Number(row?.n ?? 0);
}

export async function eventVersionsDb(app: RunningApp, boardId: string): Promise<number[]> {
  const rows = await app.engine.read((sql) => sql.all<{ version: number }>('select version from events where board_id = ? order by seq', [boardId]));
  return rows.map((r) => r.version);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** One row straight from the database, for checks of what was stored. */
export function dbGet<T = Record<string, unknown>>(app: RunningApp, text: string, params: readonly (string | number | null)[] = []): Promise<T | undefined> {
  return app.engine.read((sql) => sql.get<T>(text, params));
}

export function dbAll<T = Record<string, unknown>>(app: RunningApp, text: string, params: readonly (string | number | null)[] = []): Promise<T[]> {
  return app.engine.read((sql) => sql.all<T>(text, params));
}

export function dbRun(app: RunningApp, text: string, params: readonly (string | number | null)[] = []): Promise<number> {
  return app.engine.write((tx) => tx.run(text, params));
}
