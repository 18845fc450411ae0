import { describe, expect, it } from 'vitest';
import type { Cfd } from '../../lib/shared/flow/series';
import type { FlowMetrics } from '../../lib/shared/flow/metrics';
import type { FlowData } from '../../lib/shared/flow/data';
import { foldEvent } from '../../lib/shared/flow/live';
import { expectOk, startTestServer } from './helpers';

const h = startTestServer();

const today = () => new Date().toISOString().slice(0, 10);
const range = (extra = '') => `from=${today()}&to=${today()}&tz=UTC${extra}`;

describe('flow API', () => {
  it('GET /cfd answers columns in board order and one point per interval with cumulative and in-column counts', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const [card] = await board.addCards('Todo', 2);
    await h.app.store.moveCard({ cardId: card?.id ?? '', toColumnId: board.col('Done') }, { name: 'seed' });
    const res = await h.api<Cfd>('GET', `/api/boards/${board.id}/cfd?${range('&interval=hour')}`);
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c) => c.name)).toEqual(['Todo', 'Doing', 'Done']);
    expect(res.body.points).toHaveLength(24);
    const last = res.body.points.at(-1);
    expect(last?.cumulative).toEqual({ [board.col('Todo')]: 2, [board.col('Doing')]: 1, [board.col('Done')]: 1 });
    expect(last?.inColumn).toEqual({ [board.col('Todo')]: 1, [board.col('Doing')]: 0, [board.col('Done')]: 1 });
  });

  it('GET /metrics answers every metric with each finished card’s times and the percentiles', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const [card] = await board.addCards('Todo', 1);
    await h.app.store.moveCard({ cardId: card?.id ?? '', toColumnId: board.col('Doing') }, { name: 'seed' });
    await h.app.store.moveCard({ cardId: card?.id ?? '', toColumnId: board.col('Done') }, { name: 'seed' });
    const res = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${range()}`);
    expect(res.status).toBe(200);
    expect(res.body.finished).toEqual([
      { cardId: card?.id, title: card?.title, committedAt: expect.any(String), doneAt: expect.any(String), cycleTimeDays: expect.any(Number), leadTimeDays: expect.any(Number) },
    ]);
    expect(Object.keys(res.body).toSorted()).toEqual(
      [
        'aging',
        'arrivalsAndDepartures',
        'bottleneck',
        'bottleneckEvidence',
        'commitmentColumnId',
        'cycleTimePercentiles',
        'defects',
        'demand',
        'doneColumnId',
        'finished',
        'leadTimePercentiles',
        'littlesLaw',
        'range',
        'throughputPerDay',
        'throughputPerWeek',
        'wipPerInterval',
      ].toSorted(),
    );
    expect(res.body.commitmentColumnId).toBe(board.col('Doing'));
  });

  it('bad ranges and unknown boards are refused with the usual error shape', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Done' }]);
    for (const q of ['from=2025-13-01', 'tz=Mars/Olympus', 'interval=minute', 'from=2025-01-10&to=2025-01-01']) {
      const res = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/cfd?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
    // One read covers at most 731 days, or 62 days by the hour: every flow read and export says so.
    for (const path of ['cfd?from=2020-01-01&to=2025-01-01&interval=hour', 'flow?from=2024-01-01&to=2024-03-03&interval=hour', 'metrics?from=2023-01-01&to=2025-01-01', 'export/cfd.csv?from=2023-01-01&to=2025-01-01', 'export/cycle-times.csv?from=2023-01-01&to=2025-01-02']) {
      const res = await h.api<{ error: { code: string; message: string } }>('GET', `/api/boards/${board.id}/${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('RANGE_TOO_LARGE');
      expect(res.body.error.message, path).toMatch(/at most (731|62) days/);
    }
    // The longest ranges themselves are answered.
    for (const path of ['metrics?from=2023-01-01&to=2024-12-31', 'cfd?from=2024-01-01&to=2024-03-02&interval=hour']) {
      expect((await h.api('GET', `/api/boards/${board.id}/${path}`)).status, path).toBe(200);
    }
    expect((await h.api('GET', `/api/boards/nope/metrics?${range()}`)).status).toBe(404);
  });

  it('PATCH /settings sets the demand and the commitment point, as an event on the board', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const watcher = await h.connect('watcher');
    expectOk(await watcher.request('flow:join', { boardId: board.id }));
    const res = await h.api('PATCH', `/api/boards/${board.id}/settings`, { body: { demandPerWeek: 12, commitmentColumnId: board.col('Todo') } });
    expect(res.status).toBe(200);
    const event = await watcher.events.find('settings event', (e) => e.type === 'board_settings_changed');
    expect(event).toMatchObject({ demandPerWeek: 12, commitmentColumnId: board.col('Todo') });
    const data = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    expect(data.body).toMatchObject({ demandPerWeek: 12, commitmentColumnId: board.col('Todo') });
    const bad = await h.api('PATCH', `/api/boards/${board.id}/settings`, { body: { commitmentColumnId: 'elsewhere' } });
    expect(bad.status).toBe(404);
  });

  it('a move anywhere on the board reaches an open flow page, which folds it into the CFD it loaded', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const [card] = await board.addCards('Todo', 1);
    const page = await h.connect('flow page');
    const loaded = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    const join = expectOk(await page.request('flow:join', { boardId: board.id }));
    expect(join.version).toBe(loaded.body.version);
    const mover = await h.connect('mover');
    await mover.join(board.id);
    expectOk(await mover.request('card:move', { cardId: card?.id ?? '', toColumnId: board.col('Done') }));
    const event = await page.events.find('the move', (e) => e.type === 'card_moved');
    const folded = foldEvent(loaded.body, event);
    if (folded.kind !== 'applied') throw new Error(`not applied: ${folded.kind}`);
    const fresh = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range()}`);
    expect(folded.data.counts).toEqual(fresh.body.counts);
    // The page is not a viewer of the board.
    expect(page.viewers.items.some((v) => v.boardId === board.id)).toBe(false);
  });

  it('POST /api/import/csv creates a board from a text body or a form, and refuses a bad file with every line and nothing created', async () => {
    const csv = 'ID,Name,Todo,Done\nA,First,2025-01-01,2025-01-03\nB,Second,2025-01-02,\n';
    const text = await h.api<{ boardId: string; items: number }>('POST', '/api/import/csv?name=History&tz=UTC', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(text.status).toBe(201);
    expect(text.body.items).toBe(2);
    expect((await h.app.store.getSnapshot(text.body.boardId)).name).toBe('History');

    const importer = await h.user('importer');
    const auth = { authorization: `Bearer ${importer.token}` };
    const form = new FormData();
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'history.csv');
    form.set('name', 'From a form');
    form.set('tz', 'Europe/Berlin');
    const res = await fetch(`${h.url}/api/import/csv`, { method: 'POST', body: form, headers: auth });
    expect(res.status).toBe(201);
    const { boardId } = (await res.json()) as { boardId: string };
    expect((await h.app.store.getSnapshot(boardId)).name).toBe('From a form');

    const boards = (await h.app.store.listBoards()).length;
    const bad = await h.api<{ error: { code: string; details: { line: number; reason: string }[] } }>('POST', '/api/import/csv?tz=UTC', {
      rawBody: 'ID,Todo,Done\nA,2025-01-05,2025-01-01\nA,2025-01-01,\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.line)).toEqual([2, 3]);
    expect((await h.app.store.listBoards()).length).toBe(boards);

    const exported = await fetch(`${h.url}/api/boards/${text.body.boardId}/export/items.csv?tz=UTC`, { headers: { authorization: `Bearer ${(await h.user('api')).token}` } });
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(await exported.text()).toBe('ID,Name,Todo,Done,Assignees,Key,Blocked Days,Stage\r\nA,First,2025-01-01,2025-01-03,,HIS-1,0,doing\r\nB,Second,2025-01-02,,,HIS-2,0,doing\r\n');
  });

  it('a large import streams its progress and leaves the server answering others while it writes', async () => {
    const rows = ['ID,Todo,Doing,Done'];
    for (let i = 0; i < 3000; i++) rows.push(`L-${i},2025-01-0${1 + (i % 5)} 08:00,2025-01-07 ${String(i % 24).padStart(2, '0')}:00,2025-01-08`);
    const res = await fetch(`${h.url}/api/import/csv?name=Large&tz=UTC`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', accept: 'application/x-ndjson', authorization: `Bearer ${(await h.user('api')).token}` },
      body: rows.join('\n'),
    });
    expect(res.status).toBe(201);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    let answeredMidway = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      // While progress lines arrive, another request gets its answer.
      if (!answeredMidway && text.includes('"progress"') && !text.includes('"done"')) {
        answeredMidway = (await h.api('GET', '/api/health')).status === 200 && !text.includes('"done"');
      }
    }
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { progress?: number; done?: { boardId: string; items: number } });
    const progress = lines.flatMap((l) => (l.progress === undefined ? [] : [l.progress]));
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual(progress.toSorted((a, b) => a - b));
    expect(lines.at(-1)?.done?.items).toBe(3000);
    expect(answeredMidway).toBe(true);
    const boards = await h.app.store.listBoards();
    expect(boards.some((b) => b.id === lines.at(-1)?.done?.boardId)).toBe(true);
  });

  it('a board’s flow is for its members only: the API and the live room refuse others, and an importer owns the board it imported', async () => {
    const owner = await h.user('owner');
    const made = await h.api<{ board: { id: string } }>('POST', '/api/boards', { body: { name: 'Private' }, as: owner });
    const board = { id: made.body.board.id };
    const outsider = await h.user('outsider');
    const cfd = await h.api('GET', `/api/boards/${board.id}/cfd?${range()}`, { as: outsider });
    expect([403, 404]).toContain(cfd.status);
    const client = await h.connectAs(outsider);
    const join = await client.request('flow:join', { boardId: board.id });
    expect(join.ok).toBe(false);

    const imported = await h.api<{ boardId: string }>('POST', '/api/import/csv?tz=UTC', {
      rawBody: 'ID,Todo,Done\nA,2025-01-01,2025-01-02\n',
      headers: { 'content-type': 'text/csv' },
      as: outsider,
    });
    expect(imported.status).toBe(201);
    const mine = await h.api('GET', `/api/boards/${imported.body.boardId}/metrics?${range()}`, { as: outsider });
    expect(mine.status).toBe(200);
  });
});
