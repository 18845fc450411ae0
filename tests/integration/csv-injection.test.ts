/**
 * Spreadsheet formula injection through the real server: a board whose titles, work center, imported
 * IDs and actor's display name are formulas comes out of all four exports with no cell a
 * spreadsheet would run, and importing its items.csv gives the original text back.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/shared/flow/csv';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { startTestServer, type TestUser } from './helpers';

const h = startTestServer();

const FORMULA_START = /^[=+\-@\t\r]/;
/** Numbers we write (toFixed, counts) are read by a spreadsheet as numbers, not formulas. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

const HYPERLINK = '=HYPERLINK("http://x","y")';
const DDE = "+cmd|' /C calc'!A0";
const SUM = '@SUM(1)';
const WORK_CENTER = '=1+2';
const IMPORTED_ID = '=1+1';
const ACTOR = '=HYPERLINK("http://evil","me")';

/** A file as another tool would write it: the formulas as they are. */
const HOSTILE_FILE = [
  `ID,Name,${WORK_CENTER},Doing,Done`,
  `${IMPORTED_ID},"=HYPERLINK(""http://x"",""y"")",2025-01-02,2025-01-03,2025-01-06`,
  // -5: a plain number, which a spreadsheet reads as a number; it stays as it is.
  `-5,"${DDE}",2025-01-02,2025-01-04,2025-01-07`,
  `A-3,${SUM},2025-01-02,,`,
  '',
].join('\r\n');

async function importCsv(as: TestUser, csv: string, name: string): Promise<string> {
  const res = await fetch(`${h.url}/api/import/csv?name=${encodeURIComponent(name)}&tz=UTC`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as.token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const body = (await res.json()) as { boardId?: string; error?: unknown };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.boardId ?? '';
}

async function download(as: TestUser, path: string): Promise<string> {
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${as.token}` } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  return res.text();
}

/** The cells as a spreadsheet sees them (no neutralising quote taken off). */
function cellsOf(csv: string): string[][] {
  const { records, error } = parseCsv(csv);
  expect(error).toBeNull();
  return records.map((r) => r.cells);
}

describe('CSV exports and spreadsheet formulas', () => {
  it('no exported cell starts with a formula character, and importing items.csv gives the original text back', async () => {
    const mallory = await h.user(ACTOR);
    expect(mallory.name).toBe(ACTOR);
    const boardId = await importCsv(mallory, HOSTILE_FILE, 'Hostile');
    const board = (await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${boardId}`, { as: mallory })).body.board;
    const created = await h.api('POST', `/api/boards/${boardId}/cards`, { as: mallory, body: { columnId: board.columns[0]?.id, title: '-2+3+cmd|calc' } });
    expect(created.status).toBe(201);

    const range = 'from=2025-01-01&to=2025-01-10&tz=UTC';
    const exports = {
      items: await download(mallory, `/api/boards/${boardId}/export/items.csv?tz=UTC`),
      events: await download(mallory, `/api/boards/${boardId}/export/events.csv`),
      cfd: await download(mallory, `/api/boards/${boardId}/export/cfd.csv?${range}`),
      cycleTimes: await download(mallory, `/api/boards/${boardId}/export/cycle-times.csv?${range}`),
    };
    for (const [name, csv] of Object.entries(exports)) {
      for (const cell of cellsOf(csv).flat()) if (!PLAIN_NUMBER.test(cell)) expect(cell, `${name}.csv`).not.toMatch(FORMULA_START);
    }

    // The hostile text did reach each export, neutralised.
    const items = cellsOf(exports.items);
    expect(items[0]).toContain(`'${WORK_CENTER}`);
    expect(items.map((r) => r[0])).toEqual(['ID', `'${IMPORTED_ID}`, '-5', 'A-3', expect.any(String)]);
    expect(items.map((r) => r[1])).toEqual(['Name', `'${HYPERLINK}`, `'${DDE}`, `'${SUM}`, "'-2+3+cmd|calc"]);
    const events = cellsOf(exports.events);
    const actorAt = events[0]?.indexOf('actor') ?? -1;
    expect(new Set(events.slice(1).map((r) => r[actorAt]))).toEqual(new Set([`'${ACTOR}`]));
    expect(cellsOf(exports.cfd)[0]).toContain(`'${WORK_CENTER} (cumulative)`);
    expect(cellsOf(exports.cycleTimes).map((r) => r[1])).toEqual(['title', `'${HYPERLINK}`, `'${DDE}`]);

    // Our own export reads back as it was.
    const copyId = await importCsv(mallory, exports.items, 'Copy');
    const copy = (await h.api<{ board: BoardSnapshot }>('GET', `/api/boards/${copyId}`, { as: mallory })).body.board;
    expect(copy.columns.map((c) => c.name)).toEqual([WORK_CENTER, 'Doing', 'Done']);
    expect(copy.cards.map((c) => c.title).toSorted()).toEqual([HYPERLINK, DDE, SUM, '-2+3+cmd|calc'].toSorted());
    const copyItems = cellsOf(await download(mallory, `/api/boards/${copyId}/export/items.csv?tz=UTC`));
    expect(copyItems.slice(1, 4).map((r) => r[0])).toEqual([`'${IMPORTED_ID}`, '-5', 'A-3']);
  });
});
