import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Access } from '../../db/access';
import type { Store } from '../../db/store';
import { DomainError, HTTP_STATUS } from '../shared/domain/errors';
import { LIMITS } from '../shared/domain/limits';
import { schemas } from '../shared/protocol';
import type { Authenticate, Principal } from './auth';
import { actorOf, authorize, executeCommand, parseOrFail, toFailure, type CommandName } from './commands';
import { accessRoutes } from './accessRoutes';
import { writeKeyOf, type WriteLimiter } from './rateLimit';
import type { Logger } from './logger';
import type { BoardEvent } from '../shared/domain/types';
import { boardMarks, eventsCsv, heavyFlow, itemsCsv } from './flow';
import { forecast, parseCard, parseHowMany, parseWhen } from './forecast';
import { parseValueStream, valueStream } from './vsm';
import { snapshotReader, type HeavyReader } from './heavyReads';
import { HOOK_BODY_MAX_BYTES, IMPORT_BODY_MAX_BYTES, JSON_BODY_MAX_BYTES, limitBody } from './http/bodyLimits';
import { createInboundHandler } from './hooks/inbound';
import { hookRoutes } from './hooks/routes';
import { importHandler, importLease } from './http/importRoute';
import { sendError, sendJson, sendResult } from './http/respond';
import { csv, route, type ApiEnv, type Method, type Result, type Route } from './http/routes';
import type { Webhooks } from '../../db/webhooks';
import { webhookRoutes } from './webhooks/routes';

/** How many events one page of `GET /events` returns at most. */
const HEALTH_PATH = '/api/health';
const IMPORT_PATH = '/api/import/csv';
const INBOUND_PATH = '/api/hooks/:hookId';

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
  /** Someone joined a board: its viewers are told its people (lib/server/realtime.ts). */
  onPeopleChanged?: (boardId: string) => void;
  onTokenRevoked: (tokenId: string) => void;
  /** Reads that grow with a board's history: off the event loop (lib/server/heavyReads.ts). */
  heavy: HeavyReader;
  /** Outgoing webhooks (lib/server/webhooks); `allowPrivateWebhooks`: FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE. */
  webhooks: Webhooks;
  allowPrivateWebhooks: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A header a cross-site form or image cannot send; scripts elsewhere cannot either without a CORS preflight we never grant. */
export const CSRF_HEADER = 'x-flowboard-request';

/**
 * Cross-site request forgery: a write authenticated by the session cookie must come from one of our
 * origins (browsers send Origin with every POST, PATCH and DELETE), or carry our custom header.
 * A bearer token is never sent by a browser on its own, so token requests need neither.
 */
function checkCsrf(c: Context, principal: Principal, origins: readonly string[]): void {
  if (SAFE_METHODS.has(c.req.method) || principal.tokenId !== undefined) return;
  const origin = c.req.header('origin');
  if (origin !== undefined ? origins.includes(origin) : c.req.header(CSRF_HEADER) !== undefined) return;
  throw new DomainError('FORBIDDEN', 'Cross-site request refused: send writes from the app, or with an API token');
}

/** The board a route's path names, for the membership check every route under it gets. */
async function boardOfParams(store: Store, params: Record<string, string>): Promise<{ boardId: string | null; missing: string } | null> {
  if (params.boardId !== undefined) return { boardId: params.boardId, missing: 'Board not found' };
  if (params.cardId !== undefined) return { boardId: await store.boardOfCard(params.cardId), missing: 'Card not found' };
  if (params.columnId !== undefined) return { boardId: await store.boardOfColumn(params.columnId), missing: 'Work center not found' };
  return null;
}

/** The JSON body of a write; undefined when there is none. */
async function readJson(c: Context): Promise<unknown> {
  // Read as text first: an empty body is no body, whatever its content type says.
  if ((await c.req.text()) === '') return undefined;
  if (!(c.req.header('content-type') ?? '').includes('application/json')) throw new DomainError('INVALID', 'Send the body as application/json');
  try {
    return await c.req.json();
  } catch {
    throw new DomainError('INVALID', 'The body is not valid JSON');
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('INVALID', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A body the heavy-read worker already serialised. */
const json = (body: Uint8Array | Uint8Array[] | ReadableStream<Uint8Array>): Result => ({ status: 200, body, contentType: 'application/json; charset=utf-8' });

const queryOf = (c: Context) => new URL(c.req.url).searchParams;

/** The REST API: same commands, rules and errors as the socket, and every change is broadcast. */
export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { store, access, logger, broadcast, heavy } = deps;
  const snapshots = snapshotReader(store, heavy);
  const ctx = { store, access, logger };

  /** A command's refusal is thrown, so that every route answers errors one way (app.onError). */
  const command = async (name: CommandName, payload: unknown, principal: Principal, status = 200): Promise<Result> => {
    const outcome = await executeCommand(ctx, name, payload, principal);
    if (!outcome.ok) throw new DomainError(outcome.code, outcome.message);
    broadcast(outcome.events);
    return { status, body: { version: outcome.version, ...outcome.reply } };
  };

  const routes: Route[] = [
    route('GET', '/api/boards', async ({ principal }) => {
      const roles = await access.boardRoles(principal.user.id);
      return { status: 200, body: { boards: (await store.listBoards()).flatMap((b) => (roles.has(b.id) ? [{ ...b, role: roles.get(b.id) }] : [])) } };
    }),
    // Whoever creates a board is its admin (db/store.ts createBoard).
    route('POST', '/api/boards', async ({ body, principal }) => {
      const input = parseOrFail(schemas.boardCreate, body);
      const result = await store.createBoard(input, actorOf(principal));
      broadcast(result.events);
      return { status: 201, body: { version: result.version, board: result.board } };
    }),
    route('GET', '/api/boards/:boardId', async ({ params }) => json(await snapshots.forRest(params.boardId ?? ''))),
    route('PATCH', '/api/boards/:boardId', ({ params, body, principal }) => command('board:rename', { ...asObject(body), boardId: params.boardId }, principal)),
    route('GET', '/api/boards/:boardId/events', async ({ params, query }) => {
      const raw = query.get('since') ?? '0';
      const since = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(since)) throw new DomainError('INVALID', 'since must be a whole number of at least 0');
      return json((await heavy.run({ kind: 'events', boardId: params.boardId ?? '', since })).bytes);
    }),
    route('POST', '/api/boards/:boardId/cards', ({ params, body, principal }) => command('card:create', { ...asObject(body), boardId: params.boardId }, principal, 201)),
    route('POST', '/api/boards/:boardId/columns', ({ params, body, principal }) => command('column:add', { ...asObject(body), boardId: params.boardId }, principal, 201)),
    route('PATCH', '/api/columns/:columnId', ({ params, body, principal }) => command('column:update', { ...asObject(body), columnId: params.columnId }, principal)),
    route('POST', '/api/columns/:columnId/move', ({ params, body, principal }) => command('column:move', { ...asObject(body), columnId: params.columnId }, principal)),
    route('DELETE', '/api/columns/:columnId', ({ params, principal }) => command('column:remove', { columnId: params.columnId }, principal)),
    route('POST', '/api/boards/:boardId/lanes', ({ params, body, principal }) => command('lane:add', { ...asObject(body), boardId: params.boardId }, principal, 201)),
    route('PATCH', '/api/lanes/:laneId', ({ params, body, principal }) => command('lane:update', { ...asObject(body), laneId: params.laneId }, principal)),
    route('POST', '/api/lanes/:laneId/move', ({ params, body, principal }) => command('lane:move', { ...asObject(body), laneId: params.laneId }, principal)),
    route('DELETE', '/api/lanes/:laneId', ({ params, principal }) => command('lane:remove', { laneId: params.laneId }, principal)),
    route('PATCH', '/api/cards/:cardId', ({ params, body, principal }) => command('card:update', { ...asObject(body), cardId: params.cardId }, principal)),
    route('DELETE', '/api/cards/:cardId', ({ params, principal }) => command('card:delete', { cardId: params.cardId }, principal)),
    route('POST', '/api/cards/:cardId/move', ({ params, body, principal }) => command('card:move', { ...asObject(body), cardId: params.cardId }, principal)),
    route('POST', '/api/cards/:cardId/split', ({ params, body, principal }) => command('card:split', { ...asObject(body), cardId: params.cardId }, principal, 201)),
    route('POST', '/api/cards/:cardId/undo-move', ({ params, body, principal }) => command('card:undo-move', { ...asObject(body), cardId: params.cardId }, principal)),
    // Flow analytics (lib/shared/flow, docs/metrics.md). Each reads FlowData once and projects it.
    route('GET', '/api/boards/:boardId/flow', async ({ params, query }) => json(await heavyFlow(store, heavy, params.boardId ?? '', query, 'flow'))),
    route('GET', '/api/boards/:boardId/cfd', async ({ params, query }) => json(await heavyFlow(store, heavy, params.boardId ?? '', query, 'cfd'))),
    route('GET', '/api/boards/:boardId/metrics', async ({ params, query }) => json(await heavyFlow(store, heavy, params.boardId ?? '', query, 'metrics', 'day'))),
    // The value stream map and flow efficiency (docs/metrics.md): the log replayed in the heavy-read worker.
    route('GET', '/api/boards/:boardId/flow/vsm', async ({ params, query }) => json(await valueStream(store, heavy, parseValueStream(params.boardId ?? '', query, store.clock())))),
    // Batch size (docs/metrics.md): splits of the range and the cycle time of split against unsplit items.
    route('GET', '/api/boards/:boardId/flow/batch', async ({ params, query }) => json(await heavyFlow(store, heavy, params.boardId ?? '', query, 'batch', 'day'))),
    route('GET', '/api/boards/:boardId/marks', async ({ params, query }) => json(await boardMarks(store, heavy, params.boardId ?? '', query))),
    // Monte Carlo forecasts (docs/metrics.md "Forecasts"): checked here, simulated in the heavy-read worker.
    route('GET', '/api/boards/:boardId/forecast/when', async ({ params, query }) => json(await forecast(store, heavy, parseWhen(params.boardId ?? '', query, store.clock())))),
    route('GET', '/api/boards/:boardId/forecast/how-many', async ({ params, query }) => json(await forecast(store, heavy, parseHowMany(params.boardId ?? '', query, store.clock())))),
    route('GET', '/api/boards/:boardId/forecast/card/:cardId', async ({ params, query }) =>
      json(await forecast(store, heavy, parseCard(params.boardId ?? '', params.cardId ?? '', query, store.clock()))),
    ),
    route('PATCH', '/api/boards/:boardId/settings', ({ params, body, principal }) => command('board:configure', { ...asObject(body), boardId: params.boardId }, principal)),
    route('GET', '/api/boards/:boardId/export/items.csv', async ({ params, query }) => csv(await itemsCsv(store, heavy, params.boardId ?? '', query), 'items.csv')),
    route('GET', '/api/boards/:boardId/export/events.csv', async ({ params }) => csv(await eventsCsv(heavy, params.boardId ?? ''), 'events.csv')),
    route('GET', '/api/boards/:boardId/export/cfd.csv', async ({ params, query }) => csv(await heavyFlow(store, heavy, params.boardId ?? '', query, 'cfd.csv'), 'cfd.csv')),
    route('GET', '/api/boards/:boardId/export/cycle-times.csv', async ({ params, query }) =>
      csv(await heavyFlow(store, heavy, params.boardId ?? '', query, 'cycle-times.csv', 'day'), 'cycle-times.csv'),
    ),
    route('GET', '/api/cards/:cardId/history', async ({ params }) => ({ status: 200, body: { history: await store.cardHistory(params.cardId ?? '') } })),
    ...hookRoutes({ store, access }),
    ...webhookRoutes({ access, webhooks: deps.webhooks, allowPrivate: deps.allowPrivateWebhooks }),
    ...accessRoutes({ store, access, onMemberRemoved: deps.onMemberRemoved, onPeopleChanged: deps.onPeopleChanged, onTokenRevoked: deps.onTokenRevoked }),
  ];

  /** Who asks, whether from here, and not too often: every route but the health check. */
  const gate: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (c.req.path === HEALTH_PATH) return next();
    const principal = await deps.authenticate(c.env.incoming.headers);
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'Sign in, or send Authorization: Bearer <API token>');
    checkCsrf(c, principal, deps.origins);
    // One budget per account, shared with its sockets and its other tokens and sessions (lib/server/rateLimit.ts).
    if (!SAFE_METHODS.has(c.req.method) && !(await deps.limiter.take(writeKeyOf(principal.user.id)))) {
      return sendError(c, { code: 'RATE_LIMITED', message: 'Too many changes at once: slow down and try again' }, { 'retry-after': '1' });
    }
    c.set('principal', principal);
    return next();
  };

  /** A table route: membership of the board in its path first, then its (capped) JSON body. */
  const handlerOf = (r: Route) => async (c: Context<ApiEnv>) => {
    try {
      decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      throw new DomainError('INVALID', 'The URL is not correctly encoded');
    }
    const principal = c.get('principal');
    const params = c.req.param() as Record<string, string>;
    // No id holds NUL (PostgreSQL could not even compare one) or is longer than an id can be.
    if (Object.values(params).some((p) => p.includes('\u0000') || p.length > LIMITS.id)) throw new DomainError('INVALID', 'The URL names an id that cannot exist');
    // A card key in the path (PAY-42) is the card's id from here on: on the path's board, else among the asker's boards.
    if (params.cardId !== undefined) params.cardId = await store.cardIdOf(params.cardId, params.boardId !== undefined ? { boardId: params.boardId } : { userId: principal.user.id });
    // Everything under a board, card or work center is for its members only; what they may change is the command's business.
    const owner = await boardOfParams(store, params);
    if (owner) await authorize(access, principal, owner.boardId, 'viewer', owner.missing);
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : await readJson(c);
    return sendResult(c, await r.handle({ params, query: queryOf(c), body, principal }));
  };

  // Routes match without regard to a trailing slash, as the paths in docs/api.md are written.
  const app = new Hono<ApiEnv>({ strict: false });
  app.onError((error, c) => sendError(c, toFailure(error, logger, `${c.req.method} ${c.req.path}`)));
  app.notFound((c) => sendError(c, { code: 'NOT_FOUND', message: `No API route ${c.req.path}` }));
  // For load balancers and operators: 200 when this process can reach its database, else 503 with
  // the reason (`database: 'unavailable'` while PostgreSQL restarts; the process recovers by itself).
  app.get(HEALTH_PATH, async (c) => {
    try {
      // One row, not a count of every board's cards (20 ms on a 50,000-card board).
      await store.ping();
    } catch (error) {
      const failure = toFailure(error, logger, `GET ${HEALTH_PATH}`);
      const database = failure.code === 'UNAVAILABLE' ? 'unavailable' : 'error';
      return sendJson(c, HTTP_STATUS[failure.code], { ok: false, version: deps.version, database, error: { code: failure.code, message: failure.message } });
    }
    return sendJson(c, 200, { ok: true, version: deps.version, database: 'up' });
  });
  // Inbound hooks prove themselves with their own secret, not a session (lib/server/hooks/inbound.ts): before the gate.
  app.post(INBOUND_PATH, limitBody(HOOK_BODY_MAX_BYTES), createInboundHandler({ store, logger, broadcast, limiter: deps.limiter }));
  app.use('/api/*', gate);
  const methods = new Map<string, Method[]>([[HEALTH_PATH, ['GET']], [IMPORT_PATH, ['POST']], [INBOUND_PATH, ['POST']]]);
  app.post(IMPORT_PATH, importLease(store, logger), limitBody(IMPORT_BODY_MAX_BYTES), importHandler(store, logger));
  const jsonBody = limitBody(JSON_BODY_MAX_BYTES);
  for (const r of routes) {
    app.on(r.method, r.path, jsonBody, handlerOf(r));
    methods.set(r.path, [...(methods.get(r.path) ?? []), r.method]);
  }
  // Registered after every route: reached only when no route of that path takes the method.
  for (const [path, allowed] of methods) {
    app.all(path, (c) => sendJson(c, 405, { error: { code: 'INVALID', message: `${c.req.method} is not allowed on ${c.req.path}` } }, { allow: allowed.join(', ') }));
  }

  return getRequestListener(
    // Hono's body limit rebuilds a request past the cap check; it needs a standard Request (below).
    (request, env) => app.fetch(standardRequest(request), env),
    {
      // Next and better-auth share this process: its Request and Response stay the platform's own.
      overrideGlobalObjects: false,
      // A request Node could not turn into a Request at all (a malformed URL or header).
      errorHandler: () => new Response(JSON.stringify({ error: { code: 'INVALID', message: 'The request is malformed' } }), { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } }),
    },
  );
}

/**
 * @hono/node-server hands over a lazy Request of its own, which the platform's Request constructor
 * cannot copy (Hono's body limit does so for a body without Content-Length) unless the adapter
 * replaces the global Request, which it must not here. A request with a body becomes a standard one.
 */
function standardRequest(request: Request): Request {
  if (request.method === 'GET' || request.method === 'HEAD') return request;
  return new Request(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal, duplex: 'half' } as RequestInit);
}
