import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { parseCsv } from '../../lib/shared/flow/csv';
import { canonical, fold, startTestServer } from './helpers';

const h = startTestServer();

interface Imported {
  boardId: string;
  people: { assigned: number; notMembers: string[] };
}

const importCsv = (csv: string, name: string) => h.api<Imported>('POST', `/api/import/csv?name=${encodeURIComponent(name)}&tz=UTC`, { rawBody: csv, headers: { 'content-type': 'text/csv' } });

const exportOf = async (boardId: string) =>
  (await fetch(`${h.url}/api/boards/${boardId}/export/items.csv?tz=UTC`, { headers: { authorization: `Bearer ${(await h.user('api')).token}` } })).text();

async function foldEqualsState(boardId: string): Promise<BoardSnapshot> {
  const state = await h.app.store.getSnapshot(boardId);
  const log = (await h.app.store.eventsSince(boardId, 0, 10_000)) ?? [];
  const empty: BoardSnapshot = { id: boardId, name: '', version: 0, createdAt: '', columns: [], lanes: [], cards: [] };
  expect(canonical(fold(empty, log)).cards).toStrictEqual(state.cards);
  return state;
}

describe('people in CSV import and export', () => {
  it('Owner and Assignee columns assign the importer (matched by name or email, any case); anyone else is kept as text and reported', async () => {
    const api = await h.user('api');
    const csv = [
      'ID,Name,Todo,Doing,Done,Owner,Assignee',
      `A,By name,2025-01-01,2025-01-02,,API,`,
      `B,By email and a stranger,2025-01-01,,,,"${api.email.toUpperCase()}; Zoe Stranger"`,
      'C,Strangers only,2025-01-02,2025-01-03,2025-01-04,"Yann Other, Zoe Stranger",',
      'D,Nobody,2025-01-02,,,,',
      'E,Formula,2025-01-02,,,=HYPERLINK("x"),',
    ].join('\n');
    const imported = await importCsv(csv, 'Owners');
    expect(imported.status).toBe(201);
    expect(imported.body.people).toEqual({ assigned: 2, notMembers: ['Zoe Stranger', 'Yann Other', '=HYPERLINK("x")'] });

    const state = await foldEqualsState(imported.body.boardId);
    const byTitle = new Map(state.cards.map((c) => [c.title, c]));
    expect(byTitle.get('By name')).toMatchObject({ assigneeIds: [api.id], description: '' });
    expect(byTitle.get('By email and a stranger')).toMatchObject({ assigneeIds: [api.id], description: 'Owner (not a member): Zoe Stranger' });
    expect(byTitle.get('Strangers only')).toMatchObject({ assigneeIds: [], description: 'Owner (not a member): Yann Other, Zoe Stranger' });
    expect(byTitle.get('Nobody')).toMatchObject({ assigneeIds: [], description: '' });

    // The export names the assignees in their own column, formulas neutralised as everywhere.
    const exported = await exportOf(imported.body.boardId);
    const rows = parseCsv(exported).records.map((r) => r.cells);
    expect(rows[0]).toEqual(['ID', 'Name', 'Todo', 'Doing', 'Done', 'Owner', 'Assignee', 'Assignees', 'Key', 'Blocked Days', 'Stage']);
    expect(rows.slice(1).map((r) => [r[0], r[7]])).toEqual([
      ['A', 'api'],
      ['B', 'api'],
      ['C', ''],
      ['D', ''],
      ['E', ''],
    ]);
    expect(exported).toContain(`'=HYPERLINK`);

    // And round-trips: imported again, the same people on the same cards, the same file out.
    const again = await importCsv(exported, 'Owners again');
    expect(again.status).toBe(201);
    const second = await foldEqualsState(again.body.boardId);
    expect(second.cards.map((c) => [c.title, c.assigneeIds]).toSorted()).toEqual(state.cards.map((c) => [c.title, c.assigneeIds]).toSorted());
    expect(await exportOf(again.body.boardId)).toBe(exported);
  });

  it('cards assigned on the board come out named, and an Assignees column alone maps back', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const ana = await h.user('Ana Lima');
    const api = await h.user('api');
    const [card] = await board.addCards('Doing', 1, 'Pairing');
    if (!card) throw new Error('seed failed');
    const client = await h.connect('api');
    const ack = await client.request('card:update', { cardId: card.id, assigneeIds: [ana.id, api.id] });
    expect(ack.ok).toBe(true);
    const rows = parseCsv(await exportOf(board.id)).records.map((r) => r.cells);
    expect(rows[0]?.at(-4)).toBe('Assignees');
    expect(rows[1]?.at(-4)).toBe('Ana Lima; api');
  });
});
