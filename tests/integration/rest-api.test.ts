import { describe, expect, it } from 'vitest';
import { VALUE_STREAM_TEMPLATE } from '../../lib/shared/domain/limits';
import type { BoardEvent, BoardSnapshot, BoardSummaryDTO, CardDTO, CardHistoryEntry, ColumnDTO } from '../../lib/shared/domain/types';
import { canonical, fold, range, seedActor, startTestServer } from './helpers';

const h = startTestServer();

type ErrorBody = { error: { code: string; message: string } };

/** Every error response has exactly this shape. */
function expectError(res: { status: number; body: unknown }, status: number, code: string): string {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  return (res.body as ErrorBody).error.message;
}

describe('REST API', () => {
  it('GET /api/health answers 200 with the version', async () => {
    const res = await h.api('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: '0.0.0', database: 'up' });
  });

  it('POST /api/boards creates a board (201) from the value-stream template or given columns; GET lists and reads it', async () => {
    const fromTemplate = await h.api<{ version: number; board: BoardSnapshot }>('POST', '/api/boards', { body: { name: 'Payments' } });
    expect(fromTemplate.status).toBe(201);
    expect(fromTemplate.body.version).toBe(1);
    expect(fromTemplate.body.board.columns.map((c) => [c.name, c.wipLimit])).toEqual(VALUE_STREAM_TEMPLATE.map((c) => [c.name, c.wipLimit]));

    const custom = await h.api<{ board: BoardSnapshot }>('POST', '/api/boards', { body: { name: '  Ops  ', columns: [{ name: 'Triage', wipLimit: 2 }, { name: 'Fixed' }] } });
    expect(custom.status).toBe(201);
    expect(custom.body.board).toMatchObject({ name: 'Ops', version: 1, cards: [] });
    expect(custom.body.board.columns.map((c) => [c.name, c.wipLimit])).toEqual([
      ['Triage', 2],
      ['Fixed', null],
    ]);

    const read = await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${custom.body.board.id}`);
    expect(read.status).toBe(200);
    // A read names the board's people (db/store/people.ts) beside what the create answered.
    const { people, ...readBoard } = read.body.board;
    expect(readBoard).toStrictEqual(custom.body.board);
    expect(people).toEqual([expect.objectContaining({ name: 'api', member: true })]);

    const list = await h.api<{ boards: BoardSummaryDTO[] }>('GET', '/api/boards');
    expect(list.status).toBe(200);
    expect(list.body.boards.find((b) => b.id === custom.body.board.id)).toEqual({
      id: custom.body.board.id,
      name: 'Ops',
      version: 1,
      createdAt: custom.body.board.createdAt,
      cardCount: 0,
      columnCount: 2,
      role: 'admin',
    });

    expectError(await h.api('POST', '/api/boards', { body: { name: '' } }), 400, 'INVALID');
    expectError(await h.api('POST', '/api/boards', { body: { name: 'x', columns: [] } }), 400, 'INVALID');
    expectError(await h.api('GET', '/api/boards/no-such-board'), 404, 'NOT_FOUND');
  });

  it('every change route works with its status code and is broadcast live to the sockets in the room', async () => {
    const board = await h.seedBoard([{ name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 1 }, { name: 'Done' }]);
    const [watcher, outsider] = await h.connectMany(2, 'watcher');
    if (!watcher || !outsider) throw new Error('connect failed');
    const start = await watcher.joinSnapshot(board.id);
    // The actor of a REST change is the owner of the API token it carries.
    const bot = await h.user('ci-bot');

    const created = await h.api<{ version: number; card: CardDTO }>('POST', `/api/boards/${board.id}/cards`, {
      body: { title: 'From the pipeline', type: 'incident', description: 'Alert fired', clientMutationId: 'rest-1' },
      as: bot,
    });
    expect(created.status).toBe(201);
    expect(created.body.card).toMatchObject({ columnId: board.col('Develop'), title: 'From the pipeline', type: 'incident', description: 'Alert fired' });
    const card = created.body.card;

    const second = await h.api<{ card: CardDTO }>('POST', `/api/boards/${board.id}/cards`, { body: { title: 'Second', columnId: board.col('Develop'), beforeCardId: card.id } });
    expect(second.status).toBe(201);

    const full = await h.api('POST', `/api/boards/${board.id}/cards`, { body: { title: 'Third', columnId: board.col('Develop') } });
    expect(expectError(full, 409, 'WIP_LIMIT')).toBe('Develop is at its WIP limit (2 of 2): finish or move a card out first');

    const moved = await h.api<{ version: number; card: CardDTO }>('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Test') } });
    expect(moved.status).toBe(200);
    expect(moved.body.card.columnId).toBe(board.col('Test'));
    expectError(await h.api('POST', `/api/cards/${second.body.card.id}/move`, { body: { toColumnId: board.col('Test') } }), 409, 'WIP_LIMIT');
    expectError(await h.api('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Develop') } }), 422, 'REASON_REQUIRED');
    expectError(await h.api('POST', `/api/cards/no-such-card/move`, { body: { toColumnId: board.col('Develop') } }), 404, 'NOT_FOUND');

    const updated = await h.api<{ version: number }>('PATCH', `/api/cards/${card.id}`, { body: { blocked: true, blockedReason: 'Waiting for ops' } });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(moved.body.version + 1);
    expectError(await h.api('PATCH', `/api/cards/${card.id}`, { body: {} }), 400, 'INVALID');

    const history = await h.api<{ history: CardHistoryEntry[] }>('GET', `/api/cards/${card.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((e) => [e.type, e.actor])).toEqual([
      ['card_created', 'ci-bot'],
      ['card_moved', 'api'],
      ['card_updated', 'api'],
    ]);
    expectError(await h.api('GET', '/api/cards/no-such-card/history'), 404, 'NOT_FOUND');

    const column = await h.api<{ version: number; column: ColumnDTO }>('POST', `/api/boards/${board.id}/columns`, { body: { name: 'Review', wipLimit: 3, index: 1 } });
    expect(column.status).toBe(201);
    expect(column.body.column).toMatchObject({ name: 'Review', wipLimit: 3, defectsReturned: 0 });
    expect((await h.api('PATCH', `/api/columns/${column.body.column.id}`, { body: { name: 'Code review', wipLimit: null } })).status).toBe(200);
    expect((await h.api('POST', `/api/columns/${column.body.column.id}/move`, { body: { toIndex: 2 } })).status).toBe(200);
    expect((await h.api('DELETE', `/api/columns/${column.body.column.id}`)).status).toBe(200);
    expectError(await h.api('DELETE', `/api/columns/${column.body.column.id}`), 404, 'NOT_FOUND');
    const holding = expectError(await h.api('DELETE', `/api/columns/${board.col('Test')}`), 409, 'CONFLICT');
    expect(holding).toBe('Test still holds 1 card: move them out before removing it');
    expectError(await h.api('PATCH', `/api/columns/${board.col('Test')}`, { body: { wipLimit: 0 } }), 400, 'INVALID');

    expect((await h.api('PATCH', `/api/boards/${board.id}`, { body: { name: 'Renamed over REST' } })).status).toBe(200);
    expectError(await h.api('PATCH', '/api/boards/no-such-board', { body: { name: 'x' } }), 404, 'NOT_FOUND');

    const deleted = await h.api<{ version: number }>('DELETE', `/api/cards/${second.body.card.id}`);
    expect(deleted.status).toBe(200);
    expectError(await h.api('DELETE', `/api/cards/${second.body.card.id}`), 404, 'NOT_FOUND');

    // Every REST change reached the socket in the room, in order, and folds into the server state.
    const server = await h.app.store.getSnapshot(board.id);
    expect(deleted.body.version).toBe(server.version);
    const seen = await watcher.eventsThrough(board.id, server.version);
    expect(seen.map((e) => e.version)).toEqual(range(start.version + 1, server.version));
    expect(seen.map((e) => e.type)).toEqual([
      'card_created',
      'card_created',
      'card_moved',
      'card_updated',
      'column_added',
      'column_renamed',
      'wip_limit_set',
      'column_moved',
      'column_removed',
      'board_renamed',
      'card_deleted',
    ]);
    expect(seen[0]).toMatchObject({ actor: 'ci-bot', actorId: bot.id, clientMutationId: 'rest-1' });
    expect(canonical(fold(start, seen))).toStrictEqual(server);

    // A socket that did not join the board was told nothing.
    await outsider.roundTrip();
    expect(outsider.events.items).toEqual([]);
  });

  it('GET /api/boards/:id/events pages the log and folds into the snapshot', async () => {
    const board = await h.seedBoard([{ name: 'Backlog' }]);
    for (let i = 0; i < 1_005; i++) await h.app.store.renameBoard({ boardId: board.id, name: `name ${i}` }, seedActor);
    const version = board.snapshot.version + 1_005;

    type Page = { version: number; events: BoardEvent[]; hasMore: boolean };
    const first = await h.api<Page>('GET', `/api/boards/${board.id}/events`);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(version);
    expect(first.body.hasMore).toBe(true);
    expect(first.body.events.map((e) => e.version)).toEqual(range(1, 1_000));

    const rest = await h.api<Page>('GET', `/api/boards/${board.id}/events?since=1000`);
    expect(rest.body.hasMore).toBe(false);
    expect(rest.body.events.map((e) => e.version)).toEqual(range(1_001, version));

    const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: board.snapshot.createdAt, columns: [], lanes: [], cards: [] };
    expect(canonical(fold(empty, [...first.body.events, ...rest.body.events]))).toStrictEqual(await h.app.store.getSnapshot(board.id));

    const ahead = await h.api<Page>('GET', `/api/boards/${board.id}/events?since=${version + 10}`);
    expect(ahead.body).toEqual({ version, events: [], hasMore: false });
    expectError(await h.api('GET', '/api/boards/no-such-board/events'), 404, 'NOT_FOUND');
  });
});
