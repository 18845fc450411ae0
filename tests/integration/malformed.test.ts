import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/shared/domain/limits';
import { expectOk, startTestServer, WAIT_MS, type TestClient } from './helpers';

const h = startTestServer();

/** A board with a card in its first column, a second board to cross ids with, and a watching client. */
async function setup() {
  const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test', wipLimit: 3 }]);
  const [card] = await board.addCards('Develop', 1);
  const elsewhere = await h.seedBoard([{ name: 'Elsewhere' }], 'Other board');
  const [foreignCard] = await elsewhere.addCards('Elsewhere', 1);
  const deleted = (await h.app.store.createCard({ boardId: board.id, columnId: board.col('Test'), title: 'gone' }, { name: 'seed' })).card;
  await h.app.store.deleteCard({ cardId: deleted.id }, { name: 'seed' });
  if (!card || !foreignCard) throw new Error('seed failed');
  const [sender, watcher] = await h.connectMany(2, 'client');
  if (!sender || !watcher) throw new Error('connect failed');
  await watcher.join(board.id);
  return { board, card, elsewhere, foreignCard, deleted, sender, watcher, before: await h.app.store.getSnapshot(board.id) };
}

/** The board did not change, nobody was told of a change, and the server still takes a normal move. */
async function expectUnchangedAndServing(ctx: Awaited<ReturnType<typeof setup>>, sender: TestClient = ctx.sender) {
  expect(await h.app.store.getSnapshot(ctx.board.id)).toStrictEqual(ctx.before);
  expect((await h.app.store.getSnapshot(ctx.elsewhere.id)).version).toBe(ctx.elsewhere.snapshot.version + 1);
  await ctx.watcher.roundTrip();
  expect(ctx.watcher.events.items).toEqual([]);

  expect(sender.socket.connected).toBe(true);
  const ack = expectOk(await sender.request('card:move', { cardId: ctx.card.id, toColumnId: ctx.board.col('Test') }));
  expect(ack.version).toBe(ctx.before.version + 1);
  const event = await ctx.watcher.events.find('the normal move', (e) => e.type === 'card_moved');
  expect(event.version).toBe(ctx.before.version + 1);
}

const long = (n: number) => 'x'.repeat(n);

type Case = [label: string, event: string, args: unknown[], code: 'INVALID' | 'NOT_FOUND'];

describe('malformed socket requests', () => {
  it('wrong types, missing fields, oversized strings and non-object payloads are refused as INVALID and change nothing', async () => {
    const ctx = await setup();
    const { board, card } = ctx;
    const move = { cardId: card.id, toColumnId: board.col('Test') };
    const cases: Case[] = [
      ['card id of the wrong type', 'card:move', [{ cardId: 42, toColumnId: board.col('Test') }], 'INVALID'],
      ['beforeCardId of the wrong type', 'card:move', [{ ...move, beforeCardId: 7 }], 'INVALID'],
      ['reason of the wrong type', 'card:move', [{ ...move, reason: ['nope'] }], 'INVALID'],
      ['title of the wrong type', 'card:create', [{ boardId: board.id, title: 42 }], 'INVALID'],
      ['unknown card type', 'card:create', [{ boardId: board.id, title: 'x', type: 'epic' }], 'INVALID'],
      ['blocked of the wrong type', 'card:update', [{ cardId: card.id, blocked: 'yes' }], 'INVALID'],
      ['WIP limit as a string', 'column:update', [{ columnId: board.col('Test'), wipLimit: '3' }], 'INVALID'],
      ['WIP limit of 0', 'column:update', [{ columnId: board.col('Test'), wipLimit: 0 }], 'INVALID'],
      ['fractional WIP limit', 'column:update', [{ columnId: board.col('Test'), wipLimit: 1.5 }], 'INVALID'],
      ['WIP limit over the maximum', 'column:update', [{ columnId: board.col('Test'), wipLimit: LIMITS.wipLimitMax + 1 }], 'INVALID'],
      ['negative column index', 'column:move', [{ columnId: board.col('Test'), toIndex: -1 }], 'INVALID'],
      ['negative sinceVersion', 'board:join', [{ boardId: board.id, sinceVersion: -1 }], 'INVALID'],
      ['sinceVersion as a string', 'board:join', [{ boardId: board.id, sinceVersion: '3' }], 'INVALID'],
      ['card move without a target', 'card:move', [{ cardId: card.id }], 'INVALID'],
      ['card create without a title', 'card:create', [{ boardId: board.id }], 'INVALID'],
      ['card create with a blank title', 'card:create', [{ boardId: board.id, title: '   ' }], 'INVALID'],
      ['card update with nothing to change', 'card:update', [{ cardId: card.id }], 'INVALID'],
      ['column update with nothing to change', 'column:update', [{ columnId: board.col('Test') }], 'INVALID'],
      ['column add without a name', 'column:add', [{ boardId: board.id }], 'INVALID'],
      ['board rename without a board', 'board:rename', [{ name: 'x' }], 'INVALID'],
      ['history without a card', 'card:history', [{}], 'INVALID'],
      ['cards without a work center', 'board:cards', [{ boardId: 'b' }], 'INVALID'],
      ['empty card id', 'card:delete', [{ cardId: '' }], 'INVALID'],
      ['title over 200 characters', 'card:create', [{ boardId: board.id, title: long(LIMITS.cardTitle + 1) }], 'INVALID'],
      ['title update over 200 characters', 'card:update', [{ cardId: card.id, title: long(LIMITS.cardTitle + 1) }], 'INVALID'],
      ['description over 10,000 characters', 'card:update', [{ cardId: card.id, description: long(LIMITS.cardDescription + 1) }], 'INVALID'],
      ['reason over 500 characters', 'card:move', [{ ...move, reason: long(LIMITS.reason + 1) }], 'INVALID'],
      ['blocked reason over 500 characters', 'card:update', [{ cardId: card.id, blocked: true, blockedReason: long(LIMITS.reason + 1) }], 'INVALID'],
      ['board name over 80 characters', 'board:rename', [{ boardId: board.id, name: long(LIMITS.boardName + 1) }], 'INVALID'],
      ['column name over 40 characters', 'column:add', [{ boardId: board.id, name: long(LIMITS.columnName + 1) }], 'INVALID'],
      ['id over 64 characters', 'card:move', [{ cardId: long(LIMITS.id + 1), toColumnId: board.col('Test') }], 'INVALID'],
      ['clientMutationId over 64 characters', 'card:move', [{ ...move, clientMutationId: long(LIMITS.clientMutationId + 1) }], 'INVALID'],
      ['null payload', 'card:move', [null], 'INVALID'],
      ['array payload', 'card:move', [[move]], 'INVALID'],
      ['number payload', 'card:move', [42], 'INVALID'],
      ['string payload', 'card:create', ['make me a card'], 'INVALID'],
      ['boolean payload', 'board:join', [true], 'INVALID'],
      ['null join payload', 'board:join', [null], 'INVALID'],
      ['array history payload', 'card:history', [[card.id]], 'INVALID'],
    ];
    for (const [label, event, args, code] of cases) {
      const ack = await ctx.sender.requestRaw(event, ...args);
      expect(ack, label).toMatchObject({ ok: false, code });
      expect(typeof (ack as { message: unknown }).message, label).toBe('string');
    }
    await expectUnchangedAndServing(ctx);
  });

  it('unknown, foreign and deleted ids are refused as NOT_FOUND and change nothing', async () => {
    const ctx = await setup();
    const { board, card, elsewhere, foreignCard, deleted } = ctx;
    const cases: Case[] = [
      ['unknown card', 'card:move', [{ cardId: 'no-such-card', toColumnId: board.col('Test') }], 'NOT_FOUND'],
      ['deleted card', 'card:move', [{ cardId: deleted.id, toColumnId: board.col('Develop') }], 'NOT_FOUND'],
      ['unknown target column', 'card:move', [{ cardId: card.id, toColumnId: 'no-such-column' }], 'NOT_FOUND'],
      ['column of another board', 'card:move', [{ cardId: card.id, toColumnId: elsewhere.col('Elsewhere') }], 'NOT_FOUND'],
      ['beforeCardId not in the target column', 'card:move', [{ cardId: card.id, toColumnId: board.col('Test'), beforeCardId: foreignCard.id }], 'NOT_FOUND'],
      ['unknown board for a new card', 'card:create', [{ boardId: 'no-such-board', title: 'x' }], 'NOT_FOUND'],
      ['column of another board for a new card', 'card:create', [{ boardId: board.id, columnId: elsewhere.col('Elsewhere'), title: 'x' }], 'NOT_FOUND'],
      ['beforeCardId elsewhere for a new card', 'card:create', [{ boardId: board.id, title: 'x', beforeCardId: 'no-such-card' }], 'NOT_FOUND'],
      ['unknown card update', 'card:update', [{ cardId: 'no-such-card', title: 'x' }], 'NOT_FOUND'],
      ['unknown card delete', 'card:delete', [{ cardId: 'no-such-card' }], 'NOT_FOUND'],
      ['deleted card delete', 'card:delete', [{ cardId: deleted.id }], 'NOT_FOUND'],
      ['unknown column update', 'column:update', [{ columnId: 'no-such-column', name: 'x' }], 'NOT_FOUND'],
      ['unknown column move', 'column:move', [{ columnId: 'no-such-column', toIndex: 0 }], 'NOT_FOUND'],
      ['unknown column remove', 'column:remove', [{ columnId: 'no-such-column' }], 'NOT_FOUND'],
      ['unknown board for a column', 'column:add', [{ boardId: 'no-such-board', name: 'x' }], 'NOT_FOUND'],
      ['unknown board rename', 'board:rename', [{ boardId: 'no-such-board', name: 'x' }], 'NOT_FOUND'],
      ['unknown card history', 'card:history', [{ cardId: 'no-such-card' }], 'NOT_FOUND'],
    ];
    for (const [label, event, args, code] of cases) {
      expect(await ctx.sender.requestRaw(event, ...args), label).toMatchObject({ ok: false, code });
    }
    await expectUnchangedAndServing(ctx);
  });

  it('a request with no payload or with extra arguments is refused with an INVALID ack', async () => {
    const ctx = await setup();
    const move = { cardId: ctx.card.id, toColumnId: ctx.board.col('Test') };
    for (const event of ['card:move', 'board:join', 'card:history']) {
      expect(await ctx.sender.requestRaw(event), `${event} with only an ack`).toMatchObject({ ok: false, code: 'INVALID' });
    }
    expect(await ctx.sender.requestRaw('card:move', move, 'junk'), 'an extra argument').toMatchObject({ ok: false, code: 'INVALID' });
    expect(await ctx.sender.requestRaw('card:move', move, move), 'the payload twice').toMatchObject({ ok: false, code: 'INVALID' });
    await expectUnchangedAndServing(ctx);
  });

  it('unknown fields in a payload are refused as INVALID, not silently dropped', async () => {
    const ctx = await setup();
    const move = { cardId: ctx.card.id, toColumnId: ctx.board.col('Test') };
    const junk: Case[] = [
      ['a misspelt field', 'card:move', [{ ...move, beforeCardID: ctx.card.id }], 'INVALID'],
      ['a field that is not the client’s to set', 'card:move', [{ ...move, defectCount: 99 }], 'INVALID'],
      ['junk on a create', 'card:create', [{ boardId: ctx.board.id, title: 'x', position: 'a0' }], 'INVALID'],
      ['junk on an update', 'card:update', [{ cardId: ctx.card.id, title: 'x', boardId: ctx.elsewhere.id }], 'INVALID'],
      ['junk on a join', 'board:join', [{ boardId: ctx.board.id, since: 0 }], 'INVALID'],
    ];
    for (const [label, event, args, code] of junk) {
      const ack = await ctx.sender.requestRaw(event, ...args);
      expect(ack, label).toMatchObject({ ok: false, code });
    }
    await expectUnchangedAndServing(ctx);
  });

  it('malformed requests without an ack function change nothing and the connection keeps working', async () => {
    const ctx = await setup();
    ctx.sender.emitRaw('card:move', { cardId: 42 });
    ctx.sender.emitRaw('card:move', null);
    ctx.sender.emitRaw('card:create', { boardId: ctx.board.id, title: 'x'.repeat(LIMITS.cardTitle + 1) });
    ctx.sender.emitRaw('card:delete', { cardId: 'no-such-card' });
    ctx.sender.emitRaw('board:join');
    ctx.sender.emitRaw('presence:drag', { boardId: 42 });
    ctx.sender.emitRaw('board:leave', null);
    ctx.sender.emitRaw('no:such:event', { anything: true });
    // The server handles one connection's messages in order: after this round trip all of the above were handled.
    await ctx.sender.roundTrip();
    await expectUnchangedAndServing(ctx);
  });

  it('a message over the 64 kB socket limit closes that connection only; the server keeps serving others', async () => {
    const ctx = await setup();
    const victim = await h.connect('oversized');
    const closed = new Promise<string>((resolve) => victim.socket.once('disconnect', (reason) => resolve(reason)));
    victim.emitRaw('card:update', { cardId: ctx.card.id, description: 'x'.repeat(70 * 1024) });
    expect(await closed).toBe('transport close');
    await expectUnchangedAndServing(ctx);
  });
});

describe('socket handshake', () => {
  it('a socket without valid credentials is refused with connect_error: INVALID for a malformed auth, UNAUTHENTICATED otherwise', async () => {
    const auths: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'UNAUTHENTICATED'],
      [{}, 'UNAUTHENTICATED'],
      // The display name older clients sent is no credential.
      [{ name: 'Ada' }, 'UNAUTHENTICATED'],
      [{ token: 'fbt_not-a-real-token' }, 'UNAUTHENTICATED'],
      [{ token: 'wrong-shape' }, 'UNAUTHENTICATED'],
      [{ token: '' }, 'INVALID'],
      [{ token: 42 }, 'INVALID'],
      [{ token: 'x'.repeat(LIMITS.apiToken + 1) }, 'INVALID'],
    ];
    for (const [auth, code] of auths) {
      const socket = h.socket(auth);
      const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connect_error for auth ${JSON.stringify(auth)}`)), WAIT_MS);
        socket.once('connect', () => reject(new Error(`connected with auth ${JSON.stringify(auth)}`)));
        socket.once('connect_error', (e: Error) => {
          clearTimeout(timer);
          resolve(e);
        });
        socket.connect();
      });
      expect(error.message, JSON.stringify(auth)).toMatch(new RegExp(`^${code}`));
      expect(error.data).toEqual({ code });
      expect((socket as Socket).connected).toBe(false);
    }
  });
});

describe('malformed REST requests', () => {
  it('bad JSON, non-object bodies and wrong content types are 400 INVALID, oversized bodies 413 TOO_LARGE, and nothing changes', async () => {
    const ctx = await setup();
    const path = `/api/boards/${ctx.board.id}/cards`;
    const json = { 'content-type': 'application/json' };
    const cases: Array<[string, Parameters<typeof h.api>[2], string]> = [
      ['bad JSON', { rawBody: '{"title": ', headers: json }, 'The body is not valid JSON'],
      ['an array body', { body: [{ title: 'x' }] }, 'The body must be a JSON object'],
      ['a number body', { body: 42 }, 'The body must be a JSON object'],
      ['a string body', { body: 'x' }, 'The body must be a JSON object'],
      ['a null body', { rawBody: 'null', headers: json }, 'The body must be a JSON object'],
      ['a text/plain body', { rawBody: '{"title":"x"}', headers: { 'content-type': 'text/plain' } }, 'Send the body as application/json'],
      ['a form body', { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'Send the body as application/json'],
      ['a title over 200 characters', { body: { title: 'x'.repeat(LIMITS.cardTitle + 1) } }, ''],
      ['a description over 10,000 characters', { body: { title: 'x', description: 'y'.repeat(LIMITS.cardDescription + 1) } }, ''],
      ['no body at all', {}, ''],
      ['unknown fields', { body: { title: 'x', position: 'a0' } }, ''],
    ];
    for (const [label, options, message] of cases) {
      const res = await h.api<{ error: { code: string; message: string } }>('POST', path, options);
      expect(res.status, label).toBe(400);
      expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
      expect(res.body.error.code, label).toBe('INVALID');
      if (message) expect(res.body.error.message, label).toBe(message);
    }
    const oversized = await h.api<{ error: { code: string; message: string } }>('POST', path, { rawBody: JSON.stringify({ title: 'x', description: 'y'.repeat(300 * 1024) }), headers: json });
    expect(oversized.status).toBe(413);
    expect(oversized.body.error).toEqual({ code: 'TOO_LARGE', message: 'Request body is larger than 256 kB' });
    await expectUnchangedAndServing(ctx);
  });

  it('unknown routes are 404 JSON, a wrong method is 405 with Allow, a bad `since` or URL is 400', async () => {
    const ctx = await setup();
    for (const path of ['/api/nope', '/api/boards/x/y/z', '/api/cards']) {
      const res = await h.api('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const wrong: Array<[string, string, string]> = [
      ['PUT', '/api/boards', 'GET, POST'],
      ['DELETE', `/api/boards/${ctx.board.id}`, 'GET, PATCH'],
      ['GET', `/api/cards/${ctx.card.id}/move`, 'POST'],
      ['POST', '/api/health', 'GET'],
    ];
    for (const [method, path, allow] of wrong) {
      const res = await h.api(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.body).toMatchObject({ error: { code: 'INVALID', message: `${method} is not allowed on ${path}` } });
    }
    for (const since of ['-1', 'abc', '1.5', '', '1e3', '99999999999999999999']) {
      const res = await h.api('GET', `/api/boards/${ctx.board.id}/events?since=${encodeURIComponent(since)}`);
      expect(res.status, `since=${since}`).toBe(400);
      expect(res.body).toEqual({ error: { code: 'INVALID', message: 'since must be a whole number of at least 0' } });
    }
    const badUrl = await h.api('GET', '/api/cards/%E0%A4%A/history');
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toMatchObject({ error: { code: 'INVALID' } });
    await expectUnchangedAndServing(ctx);
  });
});
