/**
 * Hostile input: over ten thousand malformed, oversized or hostile payloads at the socket events
 * and the REST routes, from an admin of the board (who could change anything with a valid request).
 * No crash, no change of state, every answer an error code, and a normal move works afterwards.
 * Then the auth routes (better-auth's, before and after sign-in) and the CSV exports of boards
 * filled with hostile text.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../../lib/shared/domain/errors';
import { LIMITS } from '../../lib/shared/domain/limits';
import { parseCsv, restoreFormula, toCsv } from '../../lib/shared/flow/csv';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { AUTH_BODY_MAX_BYTES } from '../../lib/server/http/bodyLimits';
import { startTestServer, type TestClient, type TestUser, dbGet, dbAll } from './helpers';

const h = startTestServer();

const SOCKET_RUNS = 6_000;
const REST_RUNS = 4_500;
const HANDSHAKE_RUNS = 150;
/** Sign-ups hash a password (tens of milliseconds of CPU each): fewer runs, each one counted. */
const AUTH_RUNS = 300;
const AUTH_BATCH = 10;
const EXPORT_RUNS = 6;
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
    'board:cards': { boardId: b.boardId, columnId: b.columnId },
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
  const ids = fc.oneof(fc.constantFrom(b.boardId, b.cardId, b.columnId), fc.string({ maxLength: 80 }).map(encodeURIComponent), fc.constant('%E0%A4%A'), fc.constant('..'), fc.constant('%00'), fc.constant('a'.repeat(200)));
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

/** Text that starts like a formula, holds quotes, separators, line breaks and any unicode. */
const hostileText = (max: number) =>
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'=", "''+", '"', ' =', '-1', ''),
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('HYPERLINK("http://x","y")', "cmd|' /C calc'!A0", 'SUM(1)', '1+1')),
      fc.constantFrom('', '"', '\n', '\r\n', ',', '""', '😀', '\u202e', ';', '\u0000'),
    )
    .map((parts) => parts.join('').slice(0, max))
    .filter((t) => t.trim().length > 0);
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const cellsOf = (csv: string, label: string) => {
  const { records, error } = parseCsv(csv);
  expect(error, label).toBeNull();
  return records.map((r) => r.cells);
};
/** No cell a spreadsheet would run: text starting with = + - @ tab or CR carries a leading '. */
const expectSafe = (csv: string, label: string) => {
  for (const cell of cellsOf(csv, label).flat()) if (!NUMBER.test(cell)) expect(cell, label).not.toMatch(FORMULA);
};

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
        // A board:join, card:history or board:cards of the valid board is the one read that may succeed; it changes nothing either.
        if ((event === 'board:join' || event === 'card:history' || event === 'board:cards' || event === 'flow:join') && (ack as { ok: boolean }).ok) continue;
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

  it(`${AUTH_RUNS} hostile requests to the auth routes are answered with a 4xx and a message, never a 5xx; no name breaks its rule, nothing is polluted`, async () => {
    const origin = h.url;
    const signUp = await fetch(`${h.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'auth-fuzz@test.flowboard', password: 'a long enough passphrase', name: 'Auth Fuzz' }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const adminsBefore = await dbGet<{ n: number }>(h.app, 'select count(*) as n from users where is_admin = true');

    /** Text a field may well hold: any unicode, right-to-left marks, zero-width and surrogate halves, within and past the limits. */
    const unicode = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('\u202eadmin', '\u200b', ' \u00a0 ', '\ud800', 'Zoë Ω 😀', '=HYPERLINK("http://x")', 'a'.repeat(LIMITS.actorName + 1)),
    );
    const fieldValue = fc.oneof({ arbitrary: hostileValue, weight: 2 }, { arbitrary: unicode, weight: 3 }, { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 });
    const PROTO_BODIES = [
      '{"__proto__": {"isAdmin": true, "polluted": true}, "email": "proto@test.flowboard", "password": "a long enough passphrase", "name": "Proto"}',
      '{"constructor": {"prototype": {"polluted": true}}, "name": "Ctor"}',
      '{"name": "Role", "isAdmin": true, "role": "admin", "emailVerified": true}',
    ];
    const routes = ['/sign-up/email', '/sign-in/email', '/sign-out', '/update-user'] as const;
    const templateOf = (route: (typeof routes)[number], n: number): Record<string, unknown> => {
      if (route === '/sign-up/email') return { email: `fuzz-${n}@test.flowboard`, password: 'a long enough passphrase', name: `Fuzz ${n}` };
      if (route === '/sign-in/email') return { email: 'auth-fuzz@test.flowboard', password: 'not the passphrase' };
      if (route === '/update-user') return { name: `Fuzz ${n}` };
      return {};
    };
    const cases = fc.sample(
      fc.record({
        route: fc.constantFrom(...routes),
        field: fc.constantFrom('email', 'password', 'name', 'image', 'callbackURL', 'rememberMe', '__proto__'),
        value: fieldValue,
        shape: fc.constantFrom('field', 'field', 'field', 'garbage', 'proto', 'huge', 'text'),
        garbage: fc.anything({ maxDepth: 3 }),
        json: fc.boolean(),
        withCookie: fc.boolean(),
      }),
      { numRuns: AUTH_RUNS, seed: 23 },
    );
    const bodyOf = (c: (typeof cases)[number], n: number): string => {
      switch (c.shape) {
        case 'garbage':
          return JSON.stringify(c.garbage) ?? 'undefined';
        case 'proto':
          return PROTO_BODIES[n % PROTO_BODIES.length]!;
        case 'huge':
          return JSON.stringify({ ...templateOf(c.route, n), name: 'x'.repeat(AUTH_BODY_MAX_BYTES + (n % 7) * 1000) });
        case 'text':
          return typeof c.value === 'string' ? c.value : '{"name": ';
        default:
          return JSON.stringify({ ...templateOf(c.route, n), [c.field]: c.value });
      }
    };
    for (let i = 0; i < cases.length; i += AUTH_BATCH) {
      const answers = await Promise.all(
        cases.slice(i, i + AUTH_BATCH).map(async (c, j) => {
          const n = i + j;
          const body = bodyOf(c, n);
          const headers: Record<string, string> = { origin };
          if (c.json) headers['content-type'] = 'application/json';
          // Only update-user gets the session: a sign-out with it would end the session the others use.
          if (c.route === '/update-user' && c.withCookie) headers.cookie = cookie;
          const res = await fetch(`${h.url}/api/auth${c.route}`, { method: 'POST', headers, body });
          const text = await res.text();
          return { label: `${c.route} ${c.shape} ${body.slice(0, 160)}`, status: res.status, text };
        }),
      );
      for (const { label, status, text } of answers) {
        expect(status, label).toBeLessThan(500);
        if (status < 400) continue;
        // A refusal a person can read: JSON with a message (better-auth's { code, message } or our { error }).
        const parsed = JSON.parse(text) as { message?: string; error?: { message?: string } };
        expect(parsed.message ?? parsed.error?.message, `${label} -> ${status} ${text.slice(0, 200)}`).toMatch(/\S/);
      }
    }

    // Whatever got through obeys the rules: every name trimmed and 1 to LIMITS.actorName long, no new admin.
    for (const { name } of await dbAll<{ name: string }>(h.app, 'select name from users')) {
      expect(name.length, JSON.stringify(name)).toBeGreaterThan(0);
      expect([...name].length, JSON.stringify(name)).toBeLessThanOrEqual(LIMITS.actorName);
      expect(name, JSON.stringify(name)).toBe(name.trim());
    }
    expect(await dbGet(h.app, 'select count(*) as n from users where is_admin = true')).toEqual(adminsBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // The server is up and the session still works.
    expect((await fetch(`${h.url}/api/auth/get-session`, { headers: { cookie } })).status).toBe(200);
    expect((await h.api('GET', '/api/health')).status).toBe(200);
  }, 120_000);

  it(`the CSV exports of ${EXPORT_RUNS} boards full of hostile text have no cell a spreadsheet would run; hostile export queries get a clear 4xx`, async () => {
    const boards = fc.sample(
      fc.record({
        actor: hostileText(LIMITS.actorName).filter((t) => t === t.trim() && !t.includes('\u0000')),
        columns: fc.uniqueArray(hostileText(LIMITS.columnName).map((t) => t.trim()), { minLength: 2, maxLength: 4, selector: (t) => t.toLowerCase() }),
        titles: fc.array(hostileText(LIMITS.cardTitle), { minLength: 2, maxLength: 6 }),
        reason: hostileText(LIMITS.reason),
        ids: fc.uniqueArray(hostileText(LIMITS.id).map((t) => t.replace(/[\r\n]/g, '').trim()), { minLength: 2, maxLength: 4 }),
      }),
      { numRuns: EXPORT_RUNS, seed: 31 },
    );
    const rawDownload = async (as: TestUser, path: string) => {
      const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${as.token}` } });
      return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
    };

    for (const [n, spec] of boards.entries()) {
      const actor = await h.user(spec.actor.trim() || `Actor ${n}`);
      const created = await h.api<{ board: BoardSnapshot }>('POST', '/api/boards', { as: actor, body: { name: spec.columns[0], columns: spec.columns.map((name) => ({ name, wipLimit: null })) } });
      // A name the schema refuses (a control character, say) is a clear 400, and then there is nothing to export.
      if (created.status === 400) continue;
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const board = created.body.board;
      const [first, second] = board.columns;
      for (const title of spec.titles) {
        const card = await h.api<{ card: { id: string } }>('POST', `/api/boards/${board.id}/cards`, { as: actor, body: { columnId: first!.id, title } });
        if (card.status === 400) continue;
        expect(card.status, JSON.stringify(card.body)).toBe(201);
        expect((await h.api('POST', `/api/cards/${card.body.card.id}/move`, { as: actor, body: { toColumnId: second!.id } })).status).toBe(200);
        const back = await h.api('POST', `/api/cards/${card.body.card.id}/move`, { as: actor, body: { toColumnId: first!.id, reason: spec.reason } });
        expect([200, 400], JSON.stringify(back.body)).toContain(back.status);
      }
      const snapshot = (await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${board.id}`, { as: actor })).body.board;
      const today = new Date().toISOString().slice(0, 10);
      const range = `from=${today}&to=${today}&tz=UTC`;
      const files = {
        items: await rawDownload(actor, `/api/boards/${board.id}/export/items.csv?tz=UTC`),
        events: await rawDownload(actor, `/api/boards/${board.id}/export/events.csv`),
        cfd: await rawDownload(actor, `/api/boards/${board.id}/export/cfd.csv?${range}`),
        cycleTimes: await rawDownload(actor, `/api/boards/${board.id}/export/cycle-times.csv?${range}`),
      };
      for (const [name, file] of Object.entries(files)) {
        expect(file.status, `${name}.csv ${file.text.slice(0, 200)}`).toBe(200);
        expect(file.type).toContain('text/csv');
        expectSafe(file.text, `${name}.csv of board ${n}`);
      }
      // Every title and work center is in items.csv, neutralised, and reads back as it was.
      const items = cellsOf(files.items.text, 'items.csv').flat().map(restoreFormula);
      for (const card of snapshot.cards) expect(items, 'a title in items.csv').toContain(card.title);
      for (const column of snapshot.columns) expect(items, 'a work center in items.csv').toContain(column.name);

      // A history with hostile IDs, titles and work centers, as another tool would write it: imported, exported, safe.
      const history = toCsv([
        ['ID', 'Name', ...spec.columns],
        ...spec.ids.map((id, i) => [id, spec.titles[i % spec.titles.length], ...spec.columns.map((_, c) => (c === 0 ? '2025-01-02' : ''))]),
      ]).replace(/'(?=[=+\-@\t\r])/g, '');
      const imported = await fetch(`${h.url}/api/import/csv?name=${encodeURIComponent(`Imported ${n}`)}&tz=UTC`, {
        method: 'POST',
        headers: { authorization: `Bearer ${actor.token}`, 'content-type': 'text/csv' },
        body: history,
      });
      const importedBody = (await imported.json()) as { boardId?: string; error?: { code: ErrorCode; message: string } };
      if (imported.status === 201) {
        const file = await rawDownload(actor, `/api/boards/${importedBody.boardId}/export/items.csv?tz=UTC`);
        expect(file.status).toBe(200);
        expectSafe(file.text, `items.csv of imported board ${n}`);
      } else {
        // A file it cannot take is refused with a code and a message, whole.
        expect(imported.status, JSON.stringify(importedBody)).toBeLessThan(500);
        expect(importedBody.error?.message).toMatch(/\S/);
      }

      // Hostile export queries: a clear 4xx with a code, never a 5xx.
      const queries = fc.sample(
        fc.record({
          file: fc.constantFrom('items.csv', 'events.csv', 'cfd.csv', 'cycle-times.csv'),
          key: fc.constantFrom('tz', 'from', 'to', 'interval', 'link'),
          value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('=1+1', '../../etc', 'Mars/Olympus', '9999-99-99', '0000-01-01', '-1', 'x'.repeat(5000), '\u0000')),
        }),
        { numRuns: 40, seed: 100 + n },
      );
      for (const q of queries) {
        const path = `/api/boards/${board.id}/export/${q.file}?${range}&${q.key}=${encodeURIComponent(q.value)}`;
        const res = await rawDownload(actor, path);
        expect(res.status, path).toBeLessThan(500);
        if (res.status === 200) expectSafe(res.text, path);
        else {
          const code = (JSON.parse(res.text) as { error?: { code: ErrorCode } }).error?.code;
          expect(ERROR_CODES, path).toContain(code);
          expect(res.status, path).toBe(HTTP_STATUS[code!]);
        }
      }
    }
    expect((await h.api('GET', '/api/health')).status).toBe(200);
  }, 120_000);
});

