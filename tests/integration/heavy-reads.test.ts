import { describe, expect, it } from 'vitest';
import type { BoardEvent, BoardSnapshot } from '../../lib/shared/domain/types';
import { cfdCsv, cycleTimesCsv } from '../../lib/server/flow';
import { exportEventsCsv, EVENTS_CSV_PAGE } from '../../db/export';
import { WORKER_SNAPSHOT_CARDS } from '../../lib/server/heavyReads';
import { windowOf } from '../../lib/shared/domain/cardWindow';
import { buildCfd } from '../../lib/shared/flow/series';
import { unpackJoin } from '../../lib/shared/protocol';
import { canonical, expectOk, startTestServer } from './helpers';

const h = startTestServer();

/** A board bigger than the snapshot threshold, through the CSV import as a member would make it. */
async function importBig(items: number): Promise<string> {
  const rows = ['ID,Name,Todo,Doing,Review,Done'];
  for (let i = 0; i < items; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push(`B-${i},Item ${i},2025-01-${day} 08:00,${i % 3 ? `2025-02-${day} 09:00` : ''},${i % 3 === 2 ? `2025-03-${day} 10:00` : ''},${i % 6 === 5 ? `2025-04-${day}` : ''}`);
  }
  const res = await h.api<{ boardId: string; items: number }>('POST', '/api/import/csv?name=Big&tz=UTC', { rawBody: rows.join('\n'), headers: { 'content-type': 'text/csv' } });
  expect(res.status).toBe(201);
  return res.body.boardId;
}

describe('heavy reads', () => {
  let big: string | undefined;
  const bigBoard = async () => (big ??= await importBig(WORKER_SNAPSHOT_CARDS + 500));

  it('GET /events pages the whole log: bounded pages that concatenate to the full log in order', async () => {
    const boardId = await bigBoard();
    const log: BoardEvent[] = [];
    let since = 0;
    let pages = 0;
    for (;;) {
      const page = await h.api<{ version: number; events: BoardEvent[]; hasMore: boolean }>('GET', `/api/boards/${boardId}/events?since=${since}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(1000);
      log.push(...page.body.events);
      pages++;
      since = page.body.events.at(-1)?.version ?? since;
      if (!page.body.hasMore) {
        expect(since).toBe(page.body.version);
        break;
      }
      expect(page.body.events.length).toBe(1000);
    }
    expect(pages).toBeGreaterThan(1);
    expect(log.map((e) => e.version)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    const whole = await h.app.store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER);
    expect(log).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it('flow reads made in the heavy-read worker answer exactly what the app computes from the same aggregates', async () => {
    const boardId = await bigBoard();
    const range = { from: '2024-06-01', to: '2025-05-31', interval: 'day' as const, tz: 'Europe/Berlin' };
    const query = `from=${range.from}&to=${range.to}&tz=${range.tz}`;
    const data = await h.app.store.flow.read(boardId, range);
    const flow = await h.api<Record<string, unknown>>('GET', `/api/boards/${boardId}/flow?${query}`);
    expect({ ...flow.body, asOf: 0 }).toEqual(JSON.parse(JSON.stringify({ ...data, asOf: 0 })));
    const cfd = await h.api('GET', `/api/boards/${boardId}/cfd?${query}`);
    expect(cfd.body).toEqual(JSON.parse(JSON.stringify(buildCfd(data))));
    const token = (await h.user('api')).token;
    const text = async (path: string) => (await fetch(`${h.url}/api/boards/${boardId}/${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(await text(`export/cfd.csv?${query}`)).toBe(cfdCsv(data));
    expect(await text(`export/cycle-times.csv?${query}`)).toBe(cycleTimesCsv(data));
    const marks = await h.api<{ aging: unknown[]; bottleneck: unknown }>('GET', `/api/boards/${boardId}/marks?tz=UTC`);
    expect(marks.status).toBe(200);
    expect(marks.body.aging.length).toBeGreaterThan(0);
  });

  it('a join of a big board gives its window to every joiner, and its REST snapshot the whole, correct board', async () => {
    const boardId = await bigBoard();
    const whole = await h.app.store.getSnapshot(boardId);
    const expected = canonical(whole);
    expect(expected.cards.length).toBe(WORKER_SNAPSHOT_CARDS + 500);
    // Each work center's first cards in board order and the counts (lib/shared/domain/cardWindow.ts).
    const window = canonical(windowOf(whole));
    expect(window.window).toBeDefined();
    const [a, b] = [await h.connect('joiner a'), await h.connect('joiner b')];
    for (const client of [a, b]) await h.grant(await h.user(client === a ? 'joiner a' : 'joiner b'), boardId, 'viewer');
    const joins = await Promise.all([a, b].map((c) => c.request('board:join', { boardId })));
    for (const join of joins) {
      const ok = expectOk(join);
      // Sent as bytes the server did not have to build into objects and encode again.
      expect('packedSnapshot' in ok).toBe(true);
      const unpacked = unpackJoin(ok);
      expect('snapshot' in unpacked && canonical(unpacked.snapshot)).toEqual(window);
      expect(ok.version).toBe(expected.version);
    }
    const rest = await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${boardId}`);
    // The REST read names the board's people beside the board (db/store/people.ts).
    expect(canonical(rest.body.board)).toEqual({ ...expected, people: await h.app.store.people(boardId) });
  });

  it('events.csv is made in pages only as the reader takes them, and holds the log as it stood when the export began', async () => {
    const boardId = await bigBoard();
    const events = (await h.app.store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER)) ?? [];
    const whole = await exportEventsCsv(h.app.engine, boardId);
    const body = await h.app.heavy.stream({ kind: 'events.csv', boardId });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('version,at,type,actor,cardId,data\r\n');
    // A change committed while the export is under way: not in the file, which ends where the log stood.
    const board = await h.app.store.getSnapshot(boardId);
    await h.app.store.renameBoard({ boardId, name: 'Renamed while exporting' }, { name: 'seed' });
    let csv = decoder.decode(first.value, { stream: true });
    let pages = 0;
    for (;;) {
      const page = await reader.read();
      if (page.done) break;
      pages++;
      const text = decoder.decode(page.value, { stream: true });
      expect(text.split('\r\n').filter(Boolean).length).toBeLessThanOrEqual(EVENTS_CSV_PAGE);
      csv += text;
    }
    expect(pages).toBe(Math.ceil(board.version / EVENTS_CSV_PAGE));
    expect(csv).toBe(whole);
    expect(csv.split('\r\n').filter(Boolean).length).toBe(events.length + 1);
    // Over REST: the same file.
    const token = (await h.user('api')).token;
    const rest = await fetch(`${h.url}/api/boards/${boardId}/export/events.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await rest.text()).startsWith(whole)).toBe(true);
    // A reader that goes away after one page frees the worker for the next read.
    const dropped = await h.app.heavy.stream({ kind: 'events.csv', boardId });
    await dropped.getReader().cancel();
    const missing = await fetch(`${h.url}/api/boards/nope/export/events.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
  });

  it('a big answer made in the worker is handed over in slices of at most 1 MB, which add up to it', async () => {
    const boardId = await bigBoard();
    const whole = JSON.stringify({ board: { ...(await h.app.store.getSnapshot(boardId)), people: await h.app.store.people(boardId) } });
    const body = await h.app.heavy.stream({ kind: 'slices', job: { kind: 'board', boardId, now: h.app.store.clock() } });
    const reader = body.getReader();
    const slices: Uint8Array[] = [];
    for (let page = await reader.read(); !page.done; page = await reader.read()) slices.push(page.value);
    const bytes = Buffer.concat(slices);
    expect(slices.length).toBe(Math.ceil(bytes.byteLength / (1024 * 1024)));
    expect(slices.every((slice) => slice.byteLength <= 1024 * 1024)).toBe(true);
    expect(bytes.toString('utf8')).toBe(whole);
  });

  it('/api/health keeps answering while a heavy read of a long log is in progress', async () => {
    // A log of 60,000 renames, written in one statement: exporting it takes a while on any machine.
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Done' }], 'Long log');
    const FILLER = 60_000;
    await h.app.store.engine.write(async (tx) => {
      await tx.run(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into events (board_id, version, type, actor, actor_id, at, card_id, data)
         select ?, i + 1, 'board_renamed', 'seed', null, ?, null, '{"name":"Long log ' || i || '"}' from n`,
        [FILLER, board.id, Date.parse('2025-01-01T00:00:00Z')],
      );
      await tx.run('update boards set version = ?, flow_version = ? where id = ?', [FILLER + 1, FILLER + 1, board.id]);
    });
    const download = { done: false };
    const exporting = fetch(`${h.url}/api/boards/${board.id}/export/events.csv`, { headers: { authorization: `Bearer ${(await h.user('api')).token}` } }).then(async (res) => {
      expect(res.status).toBe(200);
      const body = await res.text();
      download.done = true;
      return body;
    });
    // Health checks one after the other: several are answered before the export is done. A read that
    // held the event loop (or the app's one SQLite connection) for the whole log would let none through.
    let answered = 0;
    while (!download.done && answered < 5) {
      const health = await fetch(`${h.url}/api/health`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      if (!download.done) answered++;
    }
    expect(answered, 'health checks answered while the export ran').toBe(5);
    expect((await exporting).split('\r\n').filter(Boolean).length).toBe(FILLER + 2);
  });
});
