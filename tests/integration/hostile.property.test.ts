/**
 * Hostile input: over ten thousand malformed, oversized or hostile payloads at the socket events
 * and the REST routes, from an admin of the board (who could change anything with a valid request).
 * No crash, no change of state, every answer an error code, and a normal move works afterwards.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../../lib/shared/domain/errors';
import { LIMITS } from '../../lib/shared/domain/limits';
import { startTestServer, type TestClient, dbGet } from './helpers';

const h = startTestServer();

const SOCKET_RUNS = 6_000;
const REST_RUNS = 4_500;
const HANDSHAKE_RUNS = 150;
/** Requests in flight at once: enough to keep the server busy, few enough to stay under its buffers. */
const BATCH = 50;

/**
 * Values no field accepts: objects and arrays (prototype-pollution keys included), a negative
 * fraction (no count, index, limit or demand is one), and strings longer than the longest field,
 * made of script, markup and SQL. Hostile text that fits a field is valid content (stored as text
 * and rendered escaped: tests/e2e/accounts.spec.ts), so it cannot be expected to be refused.
 */
const TEXT_PAYLOADS = ['<script>alert(1)</script>', "'; drop table cards; --", '<img src=x onerror=alert(1)>', '\u0000\ud800%00{{7*7}}', '../../etc/passwd'];
const hostileValue = fc.oneof(
  fc.constantFrom({}, [], { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, -1.5),
  fc.array(fc.anything({ maxDepth: 2 }), { minLength: 1, maxLength: 5 }),
  fc.object({ maxDepth: 3 }),
  fc.constantFrom(...TEXT_PAYLOADS).map((t) => t.repeat(Math.ceil((LIMITS.cardDescription + 1) / t.length))),
  fc.string({ minLength: LIMITS.cardDescription + 1, maxLength: LIMITS.cardDescription + 50 }),
  // Under the socket's 64 kB message limit (a bigger message closes the connection, tested in
  // malformed.test.ts) but far over every field limit.
  fc.constant('x'.repeat(40_000)),
);

/** A field of the right name with a hostile value; ids that are valid in shape are replaced too. */
const FIELDS = ['boardId', 'cardId', 'columnId', 'toColumnId', 'beforeCardId', 'title', 'name', 'description', 'wipLimit', 'index', 'toIndex', 'type', 'reason', 'blocked', 'demandPerWeek', 'sinceVersion', 'clientMutationId'];

interface Board {
  boardId: string;
  cardId: string;
  columnId: string;
  otherColumnId: string;
}

/** A request that would succeed, then broken in one place so that it must not. */
function validTemplates(b: Board): Record<string, Record<string, unknown>> {
  return {
    'board:join': { boardId: b.boardId },
    'board:rename': { boardId: b.boardId, name: 'Renamed' },
    'board:configure': { boardId: b.boardId, demandPerWeek: 3 },
    'column:add': { boardId: b.boardId, name: 'New' },
    'column:update': { columnId: b.columnId, wipLimit: 7 },
    'column:move': { columnId: b.otherColumnId, toIndex: 0 },
    'column:remove': { columnId: b.otherColumnId },
    'card:create': { boardId: b.boardId, title: 'New' },
    'card:update': { cardId: b.cardId, title: 'Edited' },
    'card:move': { cardId: b.cardId, toColumnId: b.otherColumnId },
    'card:delete': { cardId: b.cardId },
    'card:history': { cardId: b.cardId },
    'flow:join': { boardId: b.boardId },
  };
}

function brokenPayload(b: Board) {
  const templates = validTemplates(b);
  const events = Object.keys(templates);
  const breakField = fc.record({ event: fc.constantFrom(...events), field: fc.constantFrom(...FIELDS), value: hostileValue, extra: fc.boolean() }).map(({ event, field, value, extra }) => {
    const template = templates[event] ?? {};
    // Either a known field gets a value it can never hold, or an unknown field is added (payloads are strict).
    const payload = field in template || !extra ? { ...template, [field]: value } : { ...template, [`${field}X`]: 'x' };
    if (!(field in template) && !extra) delete (payload as Record<string, unknown>)[Object.keys(template)[0] ?? ''];
    return { event, args: [payload] };
  });
  const garbage = fc.record({ event: fc.constantFrom(...events), payload: fc.anything({ maxDepth: 3 }) }).map(({ event, payload }) => ({ event, args: [payload] }));
  const extraArgs = fc.record({ event: fc.constantFrom(...events), more: fc.array(fc.anything({ maxDepth: 1 }), { minLength: 0, maxLength: 3 }) }).map(({ event, more }) => ({
    event,
    args: more.length === 1 ? [templates[event], 'extra'] : more,
  }));
  return fc.oneof({ arbitrary: breakField, weight: 5 }, { arbitrary: garbage, weight: 3 }, { arbitrary: extraArgs, weight: 1 });
}

function restRequest(b: Board) {
  // Random ids are percent-encoded as any HTTP client does (a raw `[` in a path is refused by Node's
  // HTTP parser before our code runs); a broken escape and a dot segment are sent as they are.
  const ids = fc.oneof(fc.constantFrom(b.boardId, b.cardId, b.columnId), fc.string({ maxLength: 80 }).map(encodeURIComponent), fc.constant('%E0%A4%A'), fc.constant('..'));
  const ROUTES: ReadonlyArray<readonly [string, (id: string) => string]> = [
    ['PATCH', (id: string) => `/api/boards/${id}`],
    ['PATCH', (id: string) => `/api/boards/${id}/settings`],
    ['POST', (id: string) => `/api/boards/${id}/columns`],
    ['POST', (id: string) => `/api/boards/${id}/cards`],
    ['PATCH', (id: string) => `/api/columns/${id}`],
    ['POST', (id: string) => `/api/columns/${id}/move`],
    ['PATCH', (id: string) => `/api/cards/${id}`],
    ['POST', (id: string) => `/api/cards/${id}/move`],
    ['POST', (id: string) => `/api/boards/${id}/members`],
    ['PATCH', (id: string) => `/api/boards/${id}/members/${id}`],
    ['POST', (id: string) => `/api/boards/${id}/invites`],
    ['POST', () => '/api/invites/accept'],
    ['POST', () => '/api/tokens'],
    ['POST', () => '/api/boards'],
    ['GET', (id: string) => `/api/boards/${id}/events?since=${encodeURIComponent(id)}`],
    ['PUT', (id: string) => `/api/cards/${id}`],
  ];
  const routes = fc.constantFrom(...ROUTES);
  const bodies = fc.oneof(
    fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'undefined'),
    fc.tuple(fc.constantFrom('title', 'name', 'email', 'role', 'token', 'toColumnId', 'wipLimit', 'toIndex', 'demandPerWeek'), hostileValue).map(([key, v]) => JSON.stringify({ [key]: v })),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{"title": ', '{"__proto__": {"admin": true}}', 'null', '[]', '{}'),
  );
  return fc.record({ route: routes, id: ids, body: bodies, json: fc.boolean() });
}

function expectRefused(ack: unknown, label: string): void {
  expect(ack, label).toMatchObject({ ok: false });
  expect(ERROR_CODES, label).toContain((ack as { code: ErrorCode }).code);
}

describe('hostile input', () => {
  it(`${SOCKET_RUNS} hostile socket requests and ${REST_RUNS} hostile REST requests are all refused with an error code; nothing changes; a normal move works after`, async () => {
    const seeded = await h.seedBoard([{ name: 'Develop', wipLimit: 3 }, { name: 'Test', wipLimit: 2 }]);
    const [card] = await seeded.addCards('Develop', 2);
    const board: Board = { boardId: seeded.id, cardId: card?.id ?? '', columnId: seeded.col('Develop'), otherColumnId: seeded.col('Test') };
    const before = await h.app.store.getSnapshot(board.boardId);
    const eventsBefore = (await dbGet(h.app, 'select count(*) as n from events'));
    const attacker: TestClient = await h.connect('attacker');
    const watcher = await h.connect('watcher');
    await watcher.join(board.boardId);

    const socketCases = fc.sample(brokenPayload(board), { numRuns: SOCKET_RUNS, seed: 4 });
    for (let i = 0; i < socketCases.length; i += BATCH) {
      const acks = await Promise.all(
        socketCases.slice(i, i + BATCH).map(async ({ event, args }) => ({ event, args, ack: await attacker.requestRaw(event, ...args) })),
      );
      for (const { event, args, ack } of acks) {
        // A board:join or card:history of the valid board is the one read that may succeed; it changes nothing either.
        if ((event === 'board:join' || event === 'card:history' || event === 'flow:join') && (ack as { ok: boolean }).ok) continue;
        expectRefused(ack, `${event} ${JSON.stringify(args).slice(0, 200)}`);
      }
    }

    const restCases = fc.sample(restRequest(board), { numRuns: REST_RUNS, seed: 7 });
    for (let i = 0; i < restCases.length; i += BATCH) {
      const answers = await Promise.all(
        restCases.slice(i, i + BATCH).map(async ({ route: [method, path], id, body, json }) => {
          const res = await h.api<{ error?: { code: ErrorCode } }>(method, path(id), { rawBody: method === 'GET' ? undefined : body, headers: json ? { 'content-type': 'application/json' } : {} }).catch((e: unknown) => {
            throw new Error(`${method} ${JSON.stringify(path(id))} ${JSON.stringify(body).slice(0, 300)}: ${String(e)}`);
          });
          return { label: `${method} ${path(id)} ${body.slice(0, 120)}`, method, res };
        }),
      );
      for (const { label, method, res } of answers) {
        if (method === 'GET' && res.status === 200) continue;
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        const code = res.body.error?.code;
        expect(ERROR_CODES, label).toContain(code);
        // The status says the same as the code (405 Method Not Allowed is INVALID's other face).
        if (res.status !== 405 && code) expect(res.status, label).toBe(HTTP_STATUS[code]);
      }
    }

    expect(await h.app.store.getSnapshot(board.boardId)).toEqual(before);
    expect((await dbGet(h.app, 'select count(*) as n from events'))).toEqual(eventsBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(watcher.events.items).toEqual([]);

    const moved = await attacker.request('card:move', { cardId: board.cardId, toColumnId: board.otherColumnId });
    expect(moved).toMatchObject({ ok: true, version: before.version + 1 });
    await watcher.events.find('the normal move', (e) => e.type === 'card_moved' && e.cardId === board.cardId);
    // About 10 s on an idle 2-core machine; the margin is for a loaded CI runner, not for slowness.
  }, 60_000);

  it(`${HANDSHAKE_RUNS} hostile handshakes are refused and the server keeps accepting good ones`, async () => {
    const auths = fc.sample(fc.oneof(fc.anything({ maxDepth: 2 }), hostileValue.map((token) => ({ token }))), { numRuns: HANDSHAKE_RUNS, seed: 11 });
    for (let i = 0; i < auths.length; i += BATCH) {
      const codes = await Promise.all(
        auths.slice(i, i + BATCH).map(
          (auth) =>
            new Promise<string>((resolve) => {
              const socket = h.socket(typeof auth === 'object' && auth !== null && !Array.isArray(auth) ? (auth as Record<string, unknown>) : undefined);
              socket.once('connect', () => resolve('connected'));
              socket.once('connect_error', (e: Error & { data?: { code?: string } }) => resolve(e.data?.code ?? e.message));
              socket.once('disconnect', () => resolve('closed'));
              socket.connect();
            }),
        ),
      );
      for (const code of codes) expect(['INVALID', 'UNAUTHENTICATED', 'closed']).toContain(code);
    }
    const good = await h.connect('after the storm');
    expect(good.socket.connected).toBe(true);
  });
});
