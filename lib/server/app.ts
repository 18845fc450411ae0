import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type OpenedDatabase } from '../../db/client';
import { createStore, type Store, type StoreOptions } from '../../db/store';
import { createApiHandler } from './api';
import { setServerHandle } from './handle';
import type { Logger } from './logger';
import { broadcastEvents, createRealtimeServer, type RealtimeServer } from './realtime';
import { seedDemoBoard } from './seed';

export interface AppOptions {
  dbPath: string;
  port: number;
  host: string;
  logger: Logger;
  /** Seed a demo board when the database file is new. */
  seed: boolean;
  /** Serve pages with Next; tests of the API and socket leave it out. */
  next?: { dev: boolean; dir: string };
  storeOptions?: StoreOptions;
  version?: string;
}

export interface RunningApp {
  url: string;
  port: number;
  store: Store;
  io: RealtimeServer;
  database: OpenedDatabase;
  httpServer: Server;
  close(): Promise<void>;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const notFound: RequestHandler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
};

/** The composition root: database, store, REST, Socket.IO and (optionally) Next on one HTTP server. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { logger } = options;
  const database = openDatabase(options.dbPath);
  const store = createStore(database.db, options.storeOptions);
  const rebuilt = store.flow.ensureReady();
  if (rebuilt > 0) logger.info(`Built the flow aggregates of ${rebuilt} board(s) from their event logs`);
  if (database.created && options.seed) {
    const board = seedDemoBoard(store);
    logger.info(`Seeded the demo board "${board.name}"`);
  }

  let pages: RequestHandler = notFound;
  const httpServer = createServer();
  let io: RealtimeServer | undefined;
  const api = createApiHandler({
    store,
    logger,
    broadcast: (events) => io && broadcastEvents(io, events),
    version: options.version ?? '0.0.0',
  });

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Socket.IO answers its own path; it attaches its listener in front of this one.
    if (req.url?.startsWith('/socket.io/')) return;
    const handler = req.url === '/api' || req.url?.startsWith('/api/') || req.url?.startsWith('/api?') ? api : pages;
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      logger.error(`request ${req.method} ${req.url} failed`, error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  io = createRealtimeServer(httpServer, { store, logger });
  setServerHandle({ store });

  if (options.next) {
    // Prepared before listening so that no request meets a half-started app.
    const { default: next } = await import('next');
    const nextApp = next({ dev: options.next.dev, dir: options.next.dir, hostname: options.host, port: options.port, httpServer });
    await nextApp.prepare();
    const handle = nextApp.getRequestHandler();
    pages = (req, res) => handle(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;

  const realtime = io;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    io: realtime,
    database,
    httpServer,
    async close() {
      httpServer.closeAllConnections();
      // Closing Socket.IO disconnects every client and closes the HTTP server with it.
      await new Promise<void>((resolve) => void realtime.close(() => resolve()));
      database.sqlite.close();
    },
  };
}
