/**
 * Blocked time through the real server: block and unblock events make it, every viewer's card folds
 * to the server's, the flow API's blocker panel adds it up, and Blocked Days survive export and import.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, blockedDays } from '../../lib/shared/domain/blocked';
import { blockerSummary } from '../../lib/shared/flow/blockers';
import type { FlowData } from '../../lib/shared/flow/data';
import { parseCsv } from '../../lib/shared/flow/csv';
import { canonical, expectOk, fold, startTestServer } from './helpers';

const h = startTestServer();

const today = () => new Date().toISOString().slice(0, 10);

describe('blocked time', () => {
  it('accrues through block and unblock events: both viewers fold to the server’s card, and the flow panel sums it by work center and reason', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Develop' }, { name: 'Done' }]);
    const [card] = await board.addCards('Develop', 1, 'checkout');
    if (!card) throw new Error('seed failed');
    const [ada, bob] = await h.connectMany(2, 'blocker');
    if (!ada || !bob) throw new Error('connect failed');
    const start = await bob.joinSnapshot(board.id);

    const blocked = expectOk(await ada.request('card:update', { cardId: card.id, blocked: true, blockedReason: 'Waiting for the vendor sandbox' }));
    await ada.roundTrip();
    const unblocked = expectOk(await ada.request('card:update', { cardId: card.id, blocked: false }));
    const again = expectOk(await ada.request('card:update', { cardId: card.id, blocked: true, blockedReason: 'Waiting for review' }));
    const events = await bob.eventsThrough(board.id, again.version);
    const at = (version: number) => Date.parse(events.find((e) => e.version === version)?.at ?? '');

    const server = (await h.app.store.getSnapshot(board.id)).cards.find((c) => c.id === card.id);
    // The closed interval is exactly the time between the two events; the open one starts at the third.
    expect(server?.blockedMs).toBe(at(unblocked.version) - at(blocked.version));
    expect(server?.blockedSince).toBe(new Date(at(again.version)).toISOString());
    expect(canonical(fold(start, events))).toStrictEqual(await h.app.store.getSnapshot(board.id));

    const flow = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?from=${today()}&to=${today()}&interval=day&tz=UTC`);
    expect(flow.status).toBe(200);
    expect(flow.body.blocks.map((b) => [b.columnId, b.reason, b.startedAt, b.endedAt])).toEqual([
      [board.col('Develop'), 'Waiting for the vendor sandbox', at(blocked.version), at(unblocked.version)],
      [board.col('Develop'), 'Waiting for review', at(again.version), null],
    ]);
    const now = at(again.version) + 60_000;
    const summary = blockerSummary(flow.body, now);
    expect(summary.byColumn).toEqual([{ columnId: board.col('Develop'), name: 'Develop', ms: (server?.blockedMs ?? 0) + 60_000 }]);
    expect(summary.byReason.map((r) => r.reason).toSorted()).toEqual(['Waiting for review', 'Waiting for the vendor sandbox']);
  });

  it('Blocked Days of an import become the card’s blocked time, come back in the export, and survive a second import', async () => {
    const csv = 'ID,Name,Todo,Doing,Done,Type,Blocked Days\nA,First,2025-01-01,2025-01-02,2025-01-09,feature,2.5\nB,Second,2025-01-02,2025-01-03,,defect,\n';
    const first = await h.api<{ boardId: string }>('POST', '/api/import/csv?name=Blocked&tz=UTC', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(first.status).toBe(201);
    const cards = (await h.app.store.getSnapshot(first.body.boardId)).cards.toSorted((a, b) => a.title.localeCompare(b.title));
    expect(cards.map((c) => [c.title, c.blockedMs, c.blockedSince])).toEqual([
      ['First', 2.5 * DAY_MS, null],
      ['Second', 0, null],
    ]);
    // The imported log folds to the same cards, blocked time included.
    const log = (await h.app.store.eventsSince(first.body.boardId, 0, 1000)) ?? [];
    const empty = { id: first.body.boardId, name: '', version: 0, createdAt: '', columns: [], lanes: [], cards: [] };
    expect(canonical(fold(empty, log)).cards).toStrictEqual((await h.app.store.getSnapshot(first.body.boardId)).cards);

    const exportOf = async (boardId: string) => (await fetch(`${h.url}/api/boards/${boardId}/export/items.csv?tz=UTC`, { headers: { authorization: `Bearer ${(await h.user('api')).token}` } })).text();
    const exported = await exportOf(first.body.boardId);
    const rows = parseCsv(exported).records.map((r) => r.cells);
    expect(rows[0]).toEqual(['ID', 'Name', 'Todo', 'Doing', 'Done', 'Type', 'Assignees', 'Key', 'Blocked Days', 'Stage']);
    expect(rows.slice(1).map((r) => [r[0], r.at(-2)])).toEqual([
      ['A', String(blockedDays(2.5 * DAY_MS))],
      ['B', '0'],
    ]);

    const second = await h.api<{ boardId: string }>('POST', '/api/import/csv?name=Again&tz=UTC', { rawBody: exported, headers: { 'content-type': 'text/csv' } });
    expect(second.status).toBe(201);
    expect(await exportOf(second.body.boardId)).toBe(exported);
  });
});
