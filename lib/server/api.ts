import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from '../../db/access';
import type { Actor, Store } from '../../db/store';
import { DomainError, HTTP_STATUS } from '../domain/errors';
import { schemas, type Failure } from '../realtime/protocol';
import type { Authenticate, Principal } from './auth';
import { actorOf as actorOfPrincipal, authorize, executeCommand, parseOrFail, toFailure, type CommandName } from './commands';
import { accessRoutes } from './accessRoutes';
import type { WriteLimiter } from './rateLimit';
import type { Logger } from './logger';
import type { BoardEvent } from '../domain/types';
import { boardMarks, cfdCsv, cfdOf, cycleTimesCsv, eventsCsv, ImportRejected, itemsCsv, metricsOf, prepareImport, readFlow, runImport } from './flow';

/** Largest JSON body accepted; a card with a full description is about 20 kB. */
const MAX_BODY_BYTES = 256 * 1024;
/** How many events one page of `GET /events` returns at most. */
const EVENTS_PAGE = 1000;

export interface ApiDeps {
  store: Store;
  access: Access;
  logger: Logger;
  broadcast: (events: readonly BoardEvent[]) => void;
  version: string;
  authenticate: Authenticate;
  /** Origins a cookie-authenticated write may come from (CSRF). */
  origins: readonly string[];
  /** Write buckets per API token and per session. */
  limiter: WriteLimiter;
  /** A member was removed from a board: their sockets leave its rooms at once. */
  onMemberRemoved: (userId: string, boardId: string) => void;
  onTokenRevoked: (tokenId: string) => void;
}

type Params = Record<string, string>;
export interface Request {
  params: Params;
  query: URLSearchParams;
  body: unknown;
  /** Who is asking: every route but the health check is authenticated. */
  principal: Principal;
}
/** A string body with a `contentType` is sent as is (CSV exports); anything else as JSON. */
export type Result = { status: number; body: unknown; contentType?: string; filename?: string };

const csv = (body: string, filename: string): Result => ({ status: 200, body, contentType: 'text/csv; charset=utf-8', filename });
export type Route = { method: string; pattern: RegExp; keys: string[]; handle: (req: Request) => Result };

export function route(method: string, path: string, handle: (req: Request) => Result): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    })}/?$`,
  );
  return { method, pattern, keys, handle };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function errorBody(failure: Failure) {
  return { status: HTTP_STATUS[failure.code], body: { error: { code: failure.code, message: failure.message } } };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DomainError('INVALID', `Request body is larger than ${MAX_BODY_BYTES / 1024} kB`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) throw new DomainError('INVALID', 'Send the body as application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new DomainError('INVALID', 'The body is not valid JSON');
  }
}

/** The principal of each request being handled, set once it is authenticated. */
const principals = new WeakMap<IncomingMessage, Principal>();

function actorOf(req: IncomingMessage): Actor {
  const principal = principals.get(req);
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'Sign in or send Authorization: Bearer <API token>');
  return actorOfPrincipal(principal);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A header a cross-site form or image cannot send; scripts elsewhere cannot either without a CORS preflight we never grant. */
export const CSRF_HEADER = 'x-flowboard-request';

/**
 * Cross-site request forgery: a write authenticated by the session cookie must come from one of our
 * origins (browsers send Origin with every POST, PATCH and DELETE), or carry our custom header.
 * A bearer token is never sent by a browser on its own, so token requests need neither.
 */
function checkCsrf(req: IncomingMessage, principal: Principal, origins: readonly string[]): void {
  if (SAFE_METHODS.has(req.method ?? 'GET') || principal.tokenId !== undefined) return;
  const origin = req.headers.origin;
  if (origin !== undefined ? origins.includes(origin) : req.headers[CSRF_HEADER] !== undefined) return;
  throw new DomainError('FORBIDDEN', 'Cross-site request refused: send writes from the app, or with an API token');
}

/** The board a route's path names, for the membership check every route under it gets. */
function boardOfParams(store: Store, params: Params): { boardId: string | null; missing: string } | null {
  if (params.boardId !== undefined) return { boardId: params.boardId, missing: 'Board not found' };
  if (params.cardId !== undefined) return { boardId: store.boardOfCard(params.cardId), missing: 'Card not found' };
  if (params.columnId !== undefined) return { boardId: store.boardOfColumn(params.columnId), missing: 'Work center not found' };
  return null;
}

/**
 * Reads and drops what is left of a request body before an early answer (a refusal, a 404): an
 * answer sent while the client is still sending makes the server close the connection, which a
 * client reusing it sees as a reset instead of our error. A body beyond the limit is not read: the
 * connection is closed after the answer.
 */
async function discardBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 4 * MAX_BODY_BYTES) {
        res.setHeader('connection', 'close');
        return;
      }
    }
  } catch {
    res.setHeader('connection', 'close');
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('INVALID', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The REST API: same commands, rules and errors as the socket, and every change is broadcast. */
export function createApiHandler(deps: ApiDeps) {
  const { store, access, logger, broadcast } = deps;
  const ctx = { store, access, logger };

  const run = (name: CommandName, payload: unknown, principal: Principal, status = 200, extra: (reply: object) => object = (r) => r): Result => {
    const outcome = executeCommand(ctx, name, payload, principal);
    if (!outcome.ok) return errorBody(outcome);
    broadcast(outcome.events);
    return { status, body: { version: outcome.version, ...extra(outcome.reply) } };
  };

  const routes: Route[] = [
    route('GET', '/api/health', () => {
      store.listBoards();
      return { status: 200, body: { ok: true, version: deps.version } };
    }),
    route('GET', '/api/boards', ({ principal }) => {
      const roles = access.boardRoles(principal.user.id);
      return { status: 200, body: { boards: store.listBoards().flatMap((b) => (roles.has(b.id) ? [{ ...b, role: roles.get(b.id) }] : [])) } };
    }),
    // Whoever creates a board is its admin (db/store.ts createBoard).
    route('POST', '/api/boards', ({ body, principal }) => {
      const input = parseOrFail(schemas.boardCreate, body);
      const result = store.createBoard(input, actorOfPrincipal(principal));
      broadcast(result.events);
      return { status: 201, body: { version: result.version, board: result.board } };
    }),
    route('GET', '/api/boards/:boardId', ({ params }) => ({ status: 200, body: { board: store.getSnapshot(params.boardId ?? '') } })),
    route('PATCH', '/api/boards/:boardId', ({ params, body, principal }) => run('board:rename', { ...asObject(body), boardId: params.boardId }, principal)),
    route('GET', '/api/boards/:boardId/events', ({ params, query }) => {
      const raw = query.get('since') ?? '0';
      const since = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(since)) throw new DomainError('INVALID', 'since must be a whole number of at least 0');
      const boardId = params.boardId ?? '';
      const board = store.getSnapshot(boardId);
      const events = store.eventsSince(boardId, Math.min(since, board.version), Number.MAX_SAFE_INTEGER) ?? [];
      const page = events.slice(0, EVENTS_PAGE);
      return { status: 200, body: { version: board.version, events: page, hasMore: events.length > page.length } };
    }),
    route('POST', '/api/boards/:boardId/cards', ({ params, body, principal }) =>
      run('card:create', { ...asObject(body), boardId: params.boardId }, principal, 201),
    ),
    route('POST', '/api/boards/:boardId/columns', ({ params, body, principal }) =>
      run('column:add', { ...asObject(body), boardId: params.boardId }, principal, 201),
    ),
    route('PATCH', '/api/columns/:columnId', ({ params, body, principal }) => run('column:update', { ...asObject(body), columnId: params.columnId }, principal)),
    route('POST', '/api/columns/:columnId/move', ({ params, body, principal }) => run('column:move', { ...asObject(body), columnId: params.columnId }, principal)),
    route('DELETE', '/api/columns/:columnId', ({ params, principal }) => run('column:remove', { columnId: params.columnId }, principal)),
    route('PATCH', '/api/cards/:cardId', ({ params, body, principal }) => run('card:update', { ...asObject(body), cardId: params.cardId }, principal)),
    route('DELETE', '/api/cards/:cardId', ({ params, principal }) => run('card:delete', { cardId: params.cardId }, principal)),
    route('POST', '/api/cards/:cardId/move', ({ params, body, principal }) => run('card:move', { ...asObject(body), cardId: params.cardId }, principal)),
    // Flow analytics (lib/flow, docs/metrics.md). Each reads FlowData once and projects it.
    route('GET', '/api/boards/:boardId/flow', ({ params, query }) => ({ status: 200, body: readFlow(store, params.boardId ?? '', query) })),
    route('GET', '/api/boards/:boardId/cfd', ({ params, query }) => ({ status: 200, body: cfdOf(readFlow(store, params.boardId ?? '', query)) })),
    route('GET', '/api/boards/:boardId/metrics', ({ params, query }) => ({ status: 200, body: metricsOf(readFlow(store, params.boardId ?? '', query, 'day')) })),
    route('GET', '/api/boards/:boardId/marks', ({ params, query }) => ({ status: 200, body: boardMarks(store, params.boardId ?? '', query) })),
    route('PATCH', '/api/boards/:boardId/settings', ({ params, body, principal }) => run('board:configure', { ...asObject(body), boardId: params.boardId }, principal)),
    route('GET', '/api/boards/:boardId/export/items.csv', ({ params, query }) => csv(itemsCsv(store, params.boardId ?? '', query), 'items.csv')),
    route('GET', '/api/boards/:boardId/export/events.csv', ({ params }) => csv(eventsCsv(store, params.boardId ?? ''), 'events.csv')),
    route('GET', '/api/boards/:boardId/export/cfd.csv', ({ params, query }) => csv(cfdCsv(readFlow(store, params.boardId ?? '', query)), 'cfd.csv')),
    route('GET', '/api/boards/:boardId/export/cycle-times.csv', ({ params, query }) =>
      csv(cycleTimesCsv(readFlow(store, params.boardId ?? '', query, 'day')), 'cycle-times.csv'),
    ),
    route('GET', '/api/cards/:cardId/history', ({ params }) => ({ status: 200, body: { history: store.cardHistory(params.cardId ?? '') } })),
    ...accessRoutes({ store, access, onMemberRemoved: deps.onMemberRemoved, onTokenRevoked: deps.onTokenRevoked }),
  ];

  /** POST /api/import/csv: a large body, read as text, refused with every line that is wrong. */
  async function handleImport(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: { code: 'INVALID', message: `${req.method} is not allowed on ${url.pathname}` } });
    }
    let prepared;
    try {
      prepared = await prepareImport(req, url.searchParams);
    } catch (error) {
      if (error instanceof ImportRejected) {
        return sendJson(res, 400, { error: { code: error.code, message: error.message, details: error.details } });
      }
      throw error;
    }
    const actor = actorOf(req);
    // Asked for with Accept: application/x-ndjson: one {"progress"} line per percent, then {"done"}.
    if ((req.headers.accept ?? '').includes('application/x-ndjson')) {
      res.writeHead(201, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      let shown = -1;
      try {
        const result = await runImport(store, prepared, actor, (done) => {
          const percent = Math.floor(done * 100);
          if (percent > shown) {
            shown = percent;
            res.write(`${JSON.stringify({ progress: done })}\n`);
          }
        });
        res.end(`${JSON.stringify({ done: result })}\n`);
      } catch (error) {
        const failure = toFailure(error, logger, 'POST /api/import/csv');
        res.end(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
      }
      return;
    }
    sendJson(res, 201, await runImport(store, prepared, actor));
  }

  /** Handles a request under /api/; never throws. */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const principal = url.pathname === '/api/health' ? null : await deps.authenticate(req.headers);
      if (principal) {
        checkCsrf(req, principal, deps.origins);
        const key = principal.tokenId ? `token:${principal.tokenId}` : `session:${principal.sessionId ?? principal.user.id}`;
        if (!SAFE_METHODS.has(req.method ?? 'GET') && !(await deps.limiter.take(key))) {
          res.setHeader('retry-after', '1');
          throw new DomainError('RATE_LIMITED', 'Too many changes at once: slow down and try again');
        }
        principals.set(req, principal);
      } else if (url.pathname !== '/api/health') {
        throw new DomainError('UNAUTHENTICATED', 'Sign in, or send Authorization: Bearer <API token>');
      }
      if (url.pathname === '/api/import/csv' || url.pathname === '/api/import/csv/') return await handleImport(req, res, url);
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) {
        await discardBody(req, res);
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No API route ${url.pathname}` } });
      }
      const r = matching.find((m) => m.method === req.method);
      if (!r) {
        res.setHeader('allow', matching.map((m) => m.method).join(', '));
        await discardBody(req, res);
        return sendJson(res, 405, { error: { code: 'INVALID', message: `${req.method} is not allowed on ${url.pathname}` } });
      }
      const match = r.pattern.exec(url.pathname);
      const params: Params = {};
      r.keys.forEach((key, i) => {
        try {
          params[key] = decodeURIComponent(match?.[i + 1] ?? '');
        } catch {
          throw new DomainError('INVALID', 'The URL is not correctly encoded');
        }
      });
      // Everything under a board, card or work center is for its members only; what they may change is the command's business.
      const owner = principal ? boardOfParams(store, params) : null;
      if (principal && owner) authorize(access, principal, owner.boardId, 'viewer', owner.missing);
      const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readBody(req);
      // The health check is the one route without a principal, and it reads none.
      const result = r.handle({ params, query: url.searchParams, body, principal: principal as Principal });
      if (result.contentType && typeof result.body === 'string') {
        const headers: Record<string, string> = { 'content-type': result.contentType, 'cache-control': 'no-store' };
        if (result.filename) headers['content-disposition'] = `attachment; filename="${result.filename}"`;
        res.writeHead(result.status, headers);
        res.end(result.body);
        return;
      }
      sendJson(res, result.status, result.body);
    } catch (error) {
      const { status, body } = errorBody(toFailure(error, logger, `${req.method} ${req.url}`));
      if (!res.headersSent) {
        await discardBody(req, res);
        sendJson(res, status, body);
      }
      else res.end();
    }
  };
}
