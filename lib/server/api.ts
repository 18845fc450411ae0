import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor, Store } from '../../db/store';
import { DomainError, HTTP_STATUS } from '../domain/errors';
import { LIMITS } from '../domain/limits';
import { schemas, type Failure } from '../realtime/protocol';
import { executeCommand, parseOrFail, toFailure, type CommandName } from './commands';
import type { Logger } from './logger';
import type { BoardEvent } from '../domain/types';
import { boardMarks, cfdCsv, cfdOf, cycleTimesCsv, eventsCsv, importCsv, ImportRejected, itemsCsv, metricsOf, readFlow } from './flow';

/** Largest JSON body accepted; a card with a full description is about 20 kB. */
const MAX_BODY_BYTES = 256 * 1024;
/** How many events one page of `GET /events` returns at most. */
const EVENTS_PAGE = 1000;

export interface ApiDeps {
  store: Store;
  logger: Logger;
  broadcast: (events: readonly BoardEvent[]) => void;
  version: string;
}

type Params = Record<string, string>;
interface Request {
  params: Params;
  query: URLSearchParams;
  body: unknown;
  actor: Actor;
}
/** A string body with a `contentType` is sent as is (CSV exports); anything else as JSON. */
type Result = { status: number; body: unknown; contentType?: string; filename?: string };

const csv = (body: string, filename: string): Result => ({ status: 200, body, contentType: 'text/csv; charset=utf-8', filename });
type Route = { method: string; pattern: RegExp; keys: string[]; handle: (req: Request) => Result };

function route(method: string, path: string, handle: (req: Request) => Result): Route {
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

function actorOf(req: IncomingMessage): Actor {
  const header = req.headers['x-flowboard-actor'];
  const name = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!name) return { name: 'api' };
  if (name.length > LIMITS.actorName) throw new DomainError('INVALID', `X-Flowboard-Actor is longer than ${LIMITS.actorName} characters`);
  return { name };
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('INVALID', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The REST API: same commands, rules and errors as the socket, and every change is broadcast. */
export function createApiHandler(deps: ApiDeps) {
  const { store, logger, broadcast } = deps;

  const run = (name: CommandName, payload: unknown, actor: Actor, status = 200, extra: (reply: object) => object = (r) => r): Result => {
    const outcome = executeCommand(store, logger, name, payload, actor);
    if (!outcome.ok) return errorBody(outcome);
    broadcast(outcome.events);
    return { status, body: { version: outcome.version, ...extra(outcome.reply) } };
  };

  const routes: Route[] = [
    route('GET', '/api/health', () => {
      store.listBoards();
      return { status: 200, body: { ok: true, version: deps.version } };
    }),
    route('GET', '/api/boards', () => ({ status: 200, body: { boards: store.listBoards() } })),
    route('POST', '/api/boards', ({ body, actor }) => {
      const input = parseOrFail(schemas.boardCreate, body);
      const result = store.createBoard(input, actor);
      broadcast(result.events);
      return { status: 201, body: { version: result.version, board: result.board } };
    }),
    route('GET', '/api/boards/:boardId', ({ params }) => ({ status: 200, body: { board: store.getSnapshot(params.boardId ?? '') } })),
    route('PATCH', '/api/boards/:boardId', ({ params, body, actor }) => run('board:rename', { ...asObject(body), boardId: params.boardId }, actor)),
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
    route('POST', '/api/boards/:boardId/cards', ({ params, body, actor }) =>
      run('card:create', { ...asObject(body), boardId: params.boardId }, actor, 201),
    ),
    route('POST', '/api/boards/:boardId/columns', ({ params, body, actor }) =>
      run('column:add', { ...asObject(body), boardId: params.boardId }, actor, 201),
    ),
    route('PATCH', '/api/columns/:columnId', ({ params, body, actor }) => run('column:update', { ...asObject(body), columnId: params.columnId }, actor)),
    route('POST', '/api/columns/:columnId/move', ({ params, body, actor }) => run('column:move', { ...asObject(body), columnId: params.columnId }, actor)),
    route('DELETE', '/api/columns/:columnId', ({ params, actor }) => run('column:remove', { columnId: params.columnId }, actor)),
    route('PATCH', '/api/cards/:cardId', ({ params, body, actor }) => run('card:update', { ...asObject(body), cardId: params.cardId }, actor)),
    route('DELETE', '/api/cards/:cardId', ({ params, actor }) => run('card:delete', { cardId: params.cardId }, actor)),
    route('POST', '/api/cards/:cardId/move', ({ params, body, actor }) => run('card:move', { ...asObject(body), cardId: params.cardId }, actor)),
    // Flow analytics (lib/flow, docs/metrics.md). Each reads FlowData once and projects it.
    route('GET', '/api/boards/:boardId/flow', ({ params, query }) => ({ status: 200, body: readFlow(store, params.boardId ?? '', query) })),
    route('GET', '/api/boards/:boardId/cfd', ({ params, query }) => ({ status: 200, body: cfdOf(readFlow(store, params.boardId ?? '', query)) })),
    route('GET', '/api/boards/:boardId/metrics', ({ params, query }) => ({ status: 200, body: metricsOf(readFlow(store, params.boardId ?? '', query, 'day')) })),
    route('GET', '/api/boards/:boardId/marks', ({ params, query }) => ({ status: 200, body: boardMarks(store, params.boardId ?? '', query) })),
    route('PATCH', '/api/boards/:boardId/settings', ({ params, body, actor }) => run('board:configure', { ...asObject(body), boardId: params.boardId }, actor)),
    route('GET', '/api/boards/:boardId/export/items.csv', ({ params, query }) => csv(itemsCsv(store, params.boardId ?? '', query), 'items.csv')),
    route('GET', '/api/boards/:boardId/export/events.csv', ({ params }) => csv(eventsCsv(store, params.boardId ?? ''), 'events.csv')),
    route('GET', '/api/boards/:boardId/export/cfd.csv', ({ params, query }) => csv(cfdCsv(readFlow(store, params.boardId ?? '', query)), 'cfd.csv')),
    route('GET', '/api/boards/:boardId/export/cycle-times.csv', ({ params, query }) =>
      csv(cycleTimesCsv(readFlow(store, params.boardId ?? '', query, 'day')), 'cycle-times.csv'),
    ),
    route('GET', '/api/cards/:cardId/history', ({ params }) => ({ status: 200, body: { history: store.cardHistory(params.cardId ?? '') } })),
  ];

  /** POST /api/import/csv: a large body, read as text, refused with every line that is wrong. */
  async function handleImport(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: { code: 'INVALID', message: `${req.method} is not allowed on ${url.pathname}` } });
    }
    try {
      const result = await importCsv(store, req, url.searchParams, actorOf(req));
      sendJson(res, 201, result);
    } catch (error) {
      if (error instanceof ImportRejected) {
        return sendJson(res, 400, { error: { code: error.code, message: error.message, details: error.details } });
      }
      throw error;
    }
  }

  /** Handles a request under /api/; never throws. */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/api/import/csv' || url.pathname === '/api/import/csv/') return await handleImport(req, res, url);
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No API route ${url.pathname}` } });
      const r = matching.find((m) => m.method === req.method);
      if (!r) {
        res.setHeader('allow', matching.map((m) => m.method).join(', '));
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
      const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readBody(req);
      const result = r.handle({ params, query: url.searchParams, body, actor: actorOf(req) });
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
      if (!res.headersSent) sendJson(res, status, body);
      else res.end();
    }
  };
}
