import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from 'better-auth/node';
import type { ServerOptions } from 'socket.io';
import { createAccess, type Access } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store, type StoreOptions } from '../../db/store';
import { createApiHandler } from './api';
import { inlineReader, snapshotReader, workerReader, type HeavyReader } from './heavyReads';
import { AUTH_BASE_PATH, CLIENT_IP_HEADER, createAuth, createAuthenticate, loadSecret, type Auth, type SignupPolicy } from './auth';
import { checkSharedSecret } from './sharedSecret';
import { requestClientAddress } from './clientAddress';
import { setServerHandle } from './handle';
import { AUTH_BODY_MAX_BYTES, capNodeBody } from './http/bodyLimits';
import { applySecurityHeaders } from './http/securityHeaders';
import type { Logger } from './logger';
import { LocalConnectionCounter } from './connections';
import { DRAG_RATE, JOIN_RATE, RateLimiter, type RateLimitOptions } from './rateLimit';
import { connectCluster } from './cluster';
import { createRealtimeServer, type Realtime, type RealtimeServer } from './realtime';
import { seedDemoBoard } from './seed';
import { createWebhooks, type Webhooks } from '../../db/webhooks';
import { startWebhookSender, type WebhookSender } from './webhooks/sender';

export interface AppOptions {
  /** The SQLite file (or ':memory:'), used when there is no databaseUrl. */
  dbPath: string;
  /** postgres://… runs on PostgreSQL, shared with other processes. */
  databaseUrl?: string;
  port: number;
  host: string;
  logger: Logger;
  /** Seed a demo board when the database file is new. */
  seed: boolean;
  /** Serve pages with Next; tests of the API and socket leave it out. */
  next?: { dev: boolean; dir: string };
  storeOptions?: StoreOptions;
  version?: string;
  /** Signs session cookies; when absent, one is generated and kept next to the database. */
  secret?: string;
  /** Browser origins of the app; default http://localhost:PORT and http://127.0.0.1:PORT. */
  origins?: readonly string[];
  /** Writes per account (all its sessions, tokens, sockets and processes); default 20 per second, bursts of 40. */
  writeRate?: RateLimitOptions;
  /** board:join and flow:join per account; default JOIN_RATE (lib/server/rateLimit.ts), off when writeRate is. */
  joinRate?: RateLimitOptions;
  /** presence:drag announcements per account and process; default DRAG_RATE, off when writeRate is. */
  dragRate?: RateLimitOptions;
  /** Most sockets one account may hold open, across processes; default 20. */
  socketsPerAccount?: number;
  /** better-auth's session lifetime and refresh age in seconds (lib/server/auth.ts); default its own (7 days, 1 day). */
  session?: { expiresIn: number; updateAge: number };
  /** Throttle sign-in and sign-up attempts per client address; default true. */
  authRateLimit?: boolean;
  /** Who may create an account; default 'open'. */
  signup?: SignupPolicy;
  /** Reverse proxies in front of the server, whose X-Forwarded-For entries are believed; default 0. */
  trustedProxies?: number;
  /** Redis shared by several app processes (fan-out, presence, per-account rate limits and socket counts); absent: one process. */
  redisUrl?: string;
  /** Prefix of the cluster's Redis channels and keys (processes with the same one are one cluster); default 'flowboard'. */
  redisKey?: string;
  /**
   * A Socket.IO adapter in place of the cluster's Redis pub/sub one (the benchmarks compare adapters
   * with it); the write budget stays in Redis.
   */
  adapter?: ServerOptions['adapter'];
  /** Outgoing webhooks: `allowPrivate` lets them reach internal addresses (FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE); default off. */
  webhooks?: { allowPrivate?: boolean; timeoutMs?: number; pollMs?: number };
}

export interface RunningApp {
  url: string;
  port: number;
  store: Store;
  access: Access;
  auth: Auth;
  io: RealtimeServer;
  realtime: Realtime;
  /** The origins accepted for cookie writes and socket handshakes. */
  origins: readonly string[];
  engine: Engine;
  /** Reads that grow with a board's history, off the event loop (lib/server/heavyReads.ts). */
  heavy: HeavyReader;
  /** Outgoing webhooks: their configuration and outbox (db/webhooks.ts). */
  webhooks: Webhooks;
  httpServer: Server;
  close(): Promise<void>;
}

const isUnder = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const notFound: RequestHandler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
};

/** Sockets one account may hold open (FLOWBOARD_SOCKETS_PER_ACCOUNT): a few tabs and integrations, with room to spare. */
export const DEFAULT_SOCKETS_PER_ACCOUNT = 20;

/** The composition root: database, store, REST, Socket.IO and (optionally) Next on one HTTP server. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { logger } = options;
  const writeRate = options.writeRate ?? { perSecond: 20, burst: 40 };
  // FLOWBOARD_WRITE_RATE=0 (benchmarks) turns the join and drag throttles off with it.
  const unlimited = writeRate.perSecond <= 0 ? { perSecond: 0, burst: 0 } : undefined;
  const joinRate = options.joinRate ?? unlimited ?? JOIN_RATE;
  const socketsPerAccount = options.socketsPerAccount ?? DEFAULT_SOCKETS_PER_ACCOUNT;
  // Several processes: fan-out, rate limits and socket counts through Redis (lib/server/cluster).
  // First, so that a process that cannot reach it fails before it opens anything.
  const cluster = options.redisUrl
    ? await connectCluster({ url: options.redisUrl, key: options.redisKey ?? 'flowboard', logger, writeRate, joinRate, socketsPerAccount })
    : null;
  const engine = await openEngine({
    url: options.databaseUrl,
    sqlitePath: options.dbPath,
    onError: (error) => logger.warn(`database connection lost (${error.message}); reconnecting on the next query`),
  });
  // Assigned once listening; a write committed before that is found by the sender's first look.
  let sender: WebhookSender | undefined;
  const store = createStore(engine, {
    ...options.storeOptions,
    onFlowError: (error, boardId) => logger.error(`flow aggregates of board ${boardId} could not be applied; rebuilding them from its log`, error),
    onOutbox: () => sender?.wake(),
  });
  const webhooks = createWebhooks(engine, options.storeOptions?.clock);
  const allowPrivateWebhooks = options.webhooks?.allowPrivate ?? false;
  // A second connection for the reads that grow with a board's history; ':memory:' has no file to share.
  const heavy = !options.databaseUrl && options.dbPath === ':memory:' ? inlineReader(engine) : workerReader({ sqlitePath: options.dbPath, url: options.databaseUrl }, logger);
  const caughtUp = await store.flow.ensureReady();
  if (caughtUp > 0) logger.info(`Caught up the flow aggregates of ${caughtUp} board(s) from their event logs`);
  const access = createAccess(engine, options.storeOptions?.clock);
  if (engine.created && options.seed) {
    // Nobody owns it yet: the first admin account gets it (db/access.ts promoteAdmin).
    const board = await seedDemoBoard(store);
    logger.info(`Seeded the demo board "${board.name}"`);
  }
  if (engine.kind === 'postgres' && !options.secret) {
    await engine.close();
    throw new Error('Set FLOWBOARD_SECRET (the same on every process) to run on PostgreSQL: sessions are shared by every process of the database');
  }
  const secret = loadSecret(options.secret, options.dbPath, logger);
  try {
    await checkSharedSecret(engine, secret);
  } catch (error) {
    await engine.close();
    throw error;
  }

  let handle: RequestHandler | undefined;
  const httpServer = createServer();
  // An idle kept-alive connection outlives the proxy's and the client's own idle timers (nginx keeps
  // upstream connections 60 s), so a client never sends a request on a socket the server is closing:
  // with Node's 5 s, a request sent at that moment fails with a reset (seen on a busy machine).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Socket.IO answers its own path; it attaches its listener in front of this one.
    if (req.url?.startsWith('/socket.io/')) return;
    if (!handle) {
      res.writeHead(503, { 'retry-after': '1' }).end();
      return;
    }
    Promise.resolve(handle(req, res)).catch((error: unknown) => {
      logger.error(`request ${req.method} ${req.url} failed`, error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  let pages: RequestHandler = notFound;
  if (options.next) {
    // Prepared before listening so that no page request meets a half-started app.
    const { default: next } = await import('next');
    const nextApp = next({ dev: options.next.dev, dir: options.next.dir, hostname: options.host, port: options.port, httpServer });
    await nextApp.prepare();
    const nextHandler = nextApp.getRequestHandler();
    pages = (req, res) => nextHandler(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;

  // The default origins name the port, known only once listening (tests listen on port 0); the rest
  // is wired synchronously from here, before any request is handled.
  const origins = options.origins ?? [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  let realtime: Realtime | undefined;
  const auth = createAuth({
    database: engine.auth,
    access,
    secret,
    origins,
    logger,
    rateLimit: options.authRateLimit ?? true,
    signup: options.signup ?? 'open',
    onSessionEnded: (id) => realtime?.disconnectSession(id),
    // A new display name reaches the avatars and filters of every board the account is a member of, live.
    onUserChanged: (userId) => {
      access
        .boardRoles(userId)
        .then((roles) => {
          for (const boardId of roles.keys()) realtime?.peopleChanged(boardId);
        })
        .catch((error: unknown) => logger.warn(`people of ${userId}'s boards not sent`, error instanceof Error ? error.message : error));
    },
    session: options.session,
  });
  const authenticate = createAuthenticate(auth, access);
  const limiter = cluster?.limiter ?? new RateLimiter(writeRate);
  const snapshots = snapshotReader(store, heavy);
  realtime = createRealtimeServer(httpServer, {
    store,
    access,
    logger,
    authenticate,
    origins,
    limiter,
    joinLimiter: cluster?.joinLimiter ?? new RateLimiter(joinRate),
    dragLimiter: new RateLimiter(options.dragRate ?? unlimited ?? DRAG_RATE),
    connections: cluster?.connections ?? new LocalConnectionCounter(socketsPerAccount),
    sessionExpiresAt: (sessionId) => access.sessionExpiresAt(sessionId),
    adapter: options.adapter ?? cluster?.adapter,
    readSnapshot: snapshots.forJoin,
  });
  const { io } = realtime;
  // Security headers on every response, Socket.IO's included: in front of its listener, which it
  // put in front of ours when it attached (lib/server/http/securityHeaders.ts).
  const dev = options.next?.dev ?? false;
  httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => applySecurityHeaders(req, res, dev));
  const api = createApiHandler({
    store,
    access,
    logger,
    broadcast: realtime.broadcast,
    version: options.version ?? '0.0.0',
    authenticate,
    origins,
    limiter,
    onMemberRemoved: (userId, boardId) => {
      realtime?.removeFromBoard(userId, boardId);
      realtime?.peopleChanged(boardId);
    },
    onPeopleChanged: (boardId) => realtime?.peopleChanged(boardId),
    onTokenRevoked: (tokenId) => realtime?.disconnectToken(tokenId),
    heavy,
    webhooks,
    allowPrivateWebhooks,
  });
  // better-auth reads its bodies itself, before anyone is signed in: capped here.
  const authHandler = capNodeBody(toNodeHandler(auth), AUTH_BODY_MAX_BYTES);
  handle = (req, res) => {
    const url = req.url ?? '/';
    // better-auth first: /api/auth/* would otherwise meet the REST router's 404.
    if (isUnder(url, AUTH_BASE_PATH)) {
      req.headers[CLIENT_IP_HEADER] = requestClientAddress(req, options.trustedProxies ?? 0);
      return authHandler(req, res);
    }
    return isUnder(url, '/api') ? api(req, res) : pages(req, res);
  };
  setServerHandle({ store, access, auth, webhooks, needsFirstAdmin: () => access.needsFirstAdmin(), signup: options.signup ?? 'open' });
  // Deliveries left in the outbox by a previous run (a crash, a restart) are sent from here on.
  sender = startWebhookSender({ webhooks, logger, allowPrivate: allowPrivateWebhooks, timeoutMs: options.webhooks?.timeoutMs, pollMs: options.webhooks?.pollMs, clock: options.storeOptions?.clock });

  const running = realtime;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    access,
    auth,
    io,
    realtime: running,
    origins,
    engine,
    heavy,
    webhooks,
    httpServer,
    async close() {
      await sender?.stop();
      httpServer.closeAllConnections();
      // Closing Socket.IO disconnects every client and closes the HTTP server with it.
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await cluster?.close();
      await heavy.close();
      await engine.close();
    },
  };
}
