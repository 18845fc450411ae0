import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportItemsCsv } from '../../db/export';
import { importBoard } from '../../db/import';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import { MAX_CSV_BYTES, parseCsv, planImport, type PlanResult } from '../../lib/shared/flow/csv';
import { expectAggregatesOfLog } from './flow-aggregates';
import { applyEvent } from '../../lib/shared/domain/apply';
import type { BoardSnapshot } from '../../lib/shared/domain/types';

const NOW = Date.UTC(2025, 5, 1);

const FILE = [
  // The Key column of another board's export: the imported cards keep those keys (prefix and numbers).
  'ID,Link,Name,Backlog,Develop,Test,Done,Type,Assignees,Key,Blocked Days,Stage',
  'FB-1,https://tracker.example/FB-1,"Checkout, one page",2025-01-06,2025-01-07 09:30,2025-01-09 14:00,2025-01-10,feature,,PAY-7,0,doing',
  'FB-2,,Search ignores accents,2025-01-06 08:00,,2025-01-08,,defect,,PAY-3,2,doing',
  'FB-3,https://tracker.example/FB-3,"Say ""hello""",2025-01-07,2025-01-08,,,chore,,PAY-12,0.5,done',
  '',
].join('\r\n');

function errorsOf(result: PlanResult) {
  if (result.ok) throw new Error('expected the plan to be refused');
  return result.errors;
}

/** Cells as text, trimmed: "up to formatting". */
const normalize = (text: string) => parseCsv(text).records.map((r) => r.cells.map((c) => c.trim()));

async function withStore<T>(fn: (store: ReturnType<typeof createStore>) => Promise<T>): Promise<T> {
  const engine = await openEngine({ sqlitePath: ':memory:' });
  try {
    return await fn(createStore(engine));
  } finally {
    await engine.close();
  }
}

describe('CSV parsing', () => {
  it('reads quoted cells with commas, doubled quotes and newlines, and reports the line a record starts on', () => {
    const { records, error } = parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",z\n');
    expect(error).toBeNull();
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', 'z'] },
    ]);
    expect(parseCsv('a\n"open').error).toEqual({ line: 2, reason: expect.stringContaining('never closed') });
  });
});

describe('CSV import plan', () => {
  it('finds ID, Link, Name, the work centers in order and the attributes; dates are read in the given zone', () => {
    const result = planImport(FILE, { tz: 'Europe/Berlin', now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { plan } = result;
    expect(plan.workCenters).toEqual(['Backlog', 'Develop', 'Test', 'Done']);
    // Blocked Days is the card's blocked time, not a kept attribute.
    expect(plan.attributeHeaders).toEqual(['Type', 'Assignees', 'Key']);
    expect(plan.items.map((i) => i.blockedMs / 86_400_000)).toEqual([0, 2, 0.5]);
    expect(plan.items.map((i) => [i.externalId, i.title, i.type])).toEqual([
      ['FB-1', 'Checkout, one page', 'feature'],
      ['FB-2', 'Search ignores accents', 'defect'],
      ['FB-3', 'Say "hello"', 'chore'],
    ]);
    expect(plan.items[0]?.dates[1]).toBe(Date.UTC(2025, 0, 7, 8, 30)); // 09:30 in Berlin (UTC+1)
    expect(plan.items[1]?.dates).toEqual([Date.UTC(2025, 0, 6, 7), null, Date.UTC(2025, 0, 7, 23), null]);
  });

  it('a Blocked Days cell that is not a number of days is refused with its line', () => {
    expect(errorsOf(planImport('ID,Todo,Done,Blocked Days\nA,2025-01-01,,two\nB,2025-01-01,,-1\nC,2025-01-01,,1.25\n', { tz: 'UTC', now: NOW }))).toEqual([
      { line: 2, reason: expect.stringContaining('"two" under "Blocked Days" is not a number of days') },
      { line: 3, reason: expect.stringContaining('"-1" under "Blocked Days"') },
    ]);
  });

  it('a file without an ID column is refused', () => {
    expect(errorsOf(planImport('Name,Todo,Done\nx,2025-01-01,\n', { tz: 'UTC', now: NOW }))).toEqual([
      { line: 1, reason: expect.stringContaining('must be the item ID') },
    ]);
  });

  it('dates going backward in the workflow, unparseable dates, duplicate ids and ragged rows are each reported by line', () => {
    const bad = [
      'ID,Name,Todo,Doing,Done',
      'A,ok,2025-01-01,2025-01-02,2025-01-03',
      'B,backward,2025-01-05,2025-01-04,',
      'C,not a date,2025-01-01,yesterday,',
      'A,duplicate,2025-01-01,,',
      'D,ragged,2025-01-01',
      'E,impossible,2025-02-30,,',
    ].join('\n');
    expect(errorsOf(planImport(bad, { tz: 'UTC', now: NOW }))).toEqual([
      { line: 3, reason: expect.stringContaining('Dates go backward in the workflow') },
      { line: 4, reason: expect.stringContaining('"yesterday" under "Doing" is not a date') },
      { line: 5, reason: 'Duplicate ID "A" (first on line 2)' },
      { line: 6, reason: 'Has 3 fields; the header has 5' },
      { line: 7, reason: expect.stringContaining('"2025-02-30" under "Todo" is not a date') },
    ]);
  });

  it('a 50 MB file is refused before it is parsed', () => {
    const huge = 'ID,Todo\n' + 'x'.repeat(50 * 1024 * 1024);
    expect(huge.length).toBeGreaterThan(MAX_CSV_BYTES);
    expect(errorsOf(planImport(huge, { tz: 'UTC', now: NOW }))).toEqual([{ line: 0, reason: 'The file is larger than 32 MB' }]);
  });

  it('a refused file creates nothing', async () => {
    await withStore(async (store) => {
      const before = (await store.listBoards()).length;
      const result = planImport('ID,Todo\nA,not-a-date\n', { tz: 'UTC', now: NOW });
      expect(result.ok).toBe(false);
      expect((await store.listBoards()).length).toBe(before);
    });
  });
});

describe('the Stage column', () => {
  it('is optional; an unknown stage, or done in the first or last work center, is refused with its line', () => {
    const without = planImport('ID,Todo,Doing,Done\nA,2025-01-01,,\n', { tz: 'UTC', now: NOW });
    expect(without.ok && without.plan.items[0]?.stage).toBe('doing');
    expect(errorsOf(planImport('ID,Todo,Doing,Done,Stage\nA,2025-01-01,2025-01-02,,waiting\nB,2025-01-01,,,done\nC,2025-01-01,2025-01-02,2025-01-03,Done\n', { tz: 'UTC', now: NOW }))).toEqual([
      { line: 2, reason: '"waiting" under "Stage" is not a stage: write doing or done, or leave it empty' },
      { line: 3, reason: '"done" under "Stage": the item is in Todo, the first work center, which cannot be split into doing and done' },
      { line: 4, reason: '"Done" under "Stage": the item is in Done, the last work center, which cannot be split into doing and done' },
    ]);
    const read = planImport('ID,Todo,Doing,Done,Stage\nA,2025-01-01,2025-01-02,, DONE \nB,2025-01-01,,,\n', { tz: 'UTC', now: NOW });
    expect(read.ok && read.plan.items.map((i) => i.stage)).toEqual(['done', 'doing']);
    expect(read.ok && read.plan.attributeHeaders).toEqual([]);
  });
});

describe('import then export', () => {
  it('gives back the same file, up to formatting', async () => {
    await withStore(async (store) => {
      const result = planImport(FILE, { tz: 'Europe/Berlin', now: NOW });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const imported = await importBoard(store.engine, result.plan, { name: 'Imported', actor: 'import', newId: randomUUID });
      const exported = await exportItemsCsv(store.engine, imported.boardId, 'Europe/Berlin');
      expect(normalize(exported)).toEqual(normalize(FILE));
    });
  });

  it('the imported board has the history at once: cards where they ended, CFD and cycle times', async () => {
    await withStore(async (store) => {
      const result = planImport(FILE, { tz: 'UTC', now: NOW });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const { boardId } = await importBoard(store.engine, result.plan, { name: 'Imported', actor: 'import', newId: randomUUID });
      const board = await store.getSnapshot(boardId);
      const where = new Map(board.columns.map((c) => [c.id, c.name]));
      expect(board.cards.map((c) => [c.title, where.get(c.columnId), c.stage]).toSorted()).toEqual([
        ['Checkout, one page', 'Done', 'doing'],
        ['Say "hello"', 'Develop', 'done'],
        ['Search ignores accents', 'Test', 'doing'],
      ]);
      // A work center holding an item that waits in its done half comes split; the others do not.
      expect(board.columns.map((c) => [c.name, c.split])).toEqual([
        ['Backlog', false],
        ['Develop', true],
        ['Test', false],
        ['Done', false],
      ]);
      const data = await store.flow.read(boardId, { from: '2025-01-06', to: '2025-01-10', interval: 'day', tz: 'UTC' }, NOW);
      expect(data.finished).toEqual([
        expect.objectContaining({ title: 'Checkout, one page', committedAt: Date.UTC(2025, 0, 7, 9, 30), doneAt: Date.UTC(2025, 0, 10) }),
      ]);
      // The board's event log replays to the same board: versions are dense and in time order, and the
      // aggregates written straight from the file equal a full recomputation from that log.
      const events = (await store.eventsSince(boardId, 0, 100)) ?? [];
      await expectAggregatesOfLog(store, boardId, events);
      const empty: BoardSnapshot = { id: boardId, name: '', version: 0, createdAt: board.createdAt, columns: [], lanes: [], cards: [] };
      const folded = events.reduce(applyEvent, empty);
      expect(folded.cards.map((c) => [c.id, c.stage]).toSorted()).toEqual(board.cards.map((c) => [c.id, c.stage]).toSorted());
      expect(folded.columns.map((c) => c.split)).toEqual(board.columns.map((c) => c.split));
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
      expect(events.map((e) => Date.parse(e.at))).toEqual(events.map((e) => Date.parse(e.at)).toSorted((a, b) => a - b));
    });
  });
});
