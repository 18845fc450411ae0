import { describe, expect, it } from 'vitest';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import type { FlowData } from '../../lib/shared/flow/data';
import { foldEvent } from '../../lib/shared/flow/live';
import {
  agingLevel,
  agingWip,
  bottleneck,
  bottleneckEvidence,
  BOTTLENECK_RULE,
  judgeBottleneck,
  oneMoveSlope,
  type QueueSeries,
  defectMatrix,
  demand,
  littlesLaw,
  percentile,
  percentilesOf,
  reworkNote,
  reworkRates,
  samplePathLittle,
  throughputPerDay,
  throughputPerWeek,
  wipSeries,
} from '../../lib/shared/flow/metrics';
import { placeInFlowOrder, markRemoved, reachedFromEntries } from '../../lib/shared/flow/order';
import { replayFlow } from '../../lib/shared/flow/replay';
import { buildCfd } from '../../lib/shared/flow/series';
import { HOUR_MS, intervalBoundaries, parseDate, zonedToUtc } from '../../lib/shared/flow/time';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 3); // Monday 3 March 2025, 00:00 UTC

/**
 * The example of docs/metrics.md, through the real store: work centers Todo → Doing → Done, day
 * resolution in UTC over 3–7 March 2025 (Mon–Fri).
 *   A: created Mon 09:00 in Todo, Doing Tue 09:00, Done Thu 09:00 (cycle 2 d, lead 3 d)
 *   B: created Mon 10:00 in Todo, Doing Tue 10:00, back to Todo Wed 10:00 (defect), Doing Thu 10:00
 *   C: created Wed 12:00 in Todo, deleted Thu 12:00
 */
async function example() {
  let now = T0;
  const engine = await openEngine({ sqlitePath: ':memory:' });
  const store = createStore(engine, { clock: () => now });
  const actor = { name: 'ex' };
  const { board } = await store.createBoard({ name: 'Example', columns: [{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }] }, actor);
  const [todo, doing, done] = board.columns.map((c) => c.id) as [string, string, string];
  const at = (day: number, hour: number) => (now = T0 + day * DAY + hour * HOUR_MS);
  at(0, 9);
  const a = (await store.createCard({ boardId: board.id, title: 'A' }, actor)).card.id;
  at(0, 10);
  const b = (await store.createCard({ boardId: board.id, title: 'B' }, actor)).card.id;
  at(1, 9);
  await store.moveCard({ cardId: a, toColumnId: doing }, actor);
  at(1, 10);
  await store.moveCard({ cardId: b, toColumnId: doing }, actor);
  at(2, 10);
  await store.moveCard({ cardId: b, toColumnId: todo, reason: 'Fails review' }, actor);
  at(2, 12);
  const c = (await store.createCard({ boardId: board.id, title: 'C' }, actor)).card.id;
  at(3, 9);
  await store.moveCard({ cardId: a, toColumnId: done }, actor);
  at(3, 10);
  await store.moveCard({ cardId: b, toColumnId: doing }, actor);
  at(3, 12);
  await store.deleteCard({ cardId: c }, actor);
  const data = await store.flow.read(board.id, { from: '2025-03-03', to: '2025-03-07', interval: 'day', tz: 'UTC' }, T0 + 5 * DAY);
  return { store, data, ids: { todo, doing, done, a, b, c }, boardId: board.id, close: () => engine.close(), setNow: (t: number) => (now = t) };
}

describe('percentiles (nearest rank)', () => {
  it('the p-th percentile is the smallest value with at least p% of the values at or below it', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 85)).toBe(9);
    expect(percentile(ten, 95)).toBe(10);
    expect(percentilesOf([2, 4])).toEqual({ p50: 2, p85: 4, p95: 4 });
    expect(percentilesOf([])).toEqual({ p50: null, p85: null, p95: null });
  });
});

describe('the reached rule and the flow order', () => {
  it('a card counts at the furthest work center it has reached, and skipping one counts as reaching it', () => {
    const entries = new Map([
      ['todo', 1],
      ['done', 5],
      ['doing', 7], // re-entered after a backward move: reaching is about the first time
    ]);
    expect([...reachedFromEntries(['todo', 'doing', 'review', 'done'], entries)]).toEqual([
      ['done', 5],
      ['review', 5],
      ['doing', 5],
      ['todo', 1],
    ]);
  });

  it('a work center added later goes before the live one that follows it; a removed one keeps its place', () => {
    const order = markRemoved(
      [
        { id: 'a', live: true },
        { id: 'b', live: true },
        { id: 'c', live: true },
      ],
      'b',
    );
    expect(placeInFlowOrder(order, { id: 'n', live: true }, 1).map((e) => e.id)).toEqual(['a', 'b', 'n', 'c']);
    expect(placeInFlowOrder(order, { id: 'n', live: true }, 2).map((e) => e.id)).toEqual(['a', 'b', 'c', 'n']);
    expect(placeInFlowOrder(order, { id: 'a', live: true }, 1).map((e) => e.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('time zones', () => {
  it('a day in the viewer’s zone has 23 hours on the spring DST change and starts at their local midnight', () => {
    const day = parseDate('2025-03-30');
    if (!day) throw new Error('bad date');
    const hours = intervalBoundaries(day, day, 'hour', 'Europe/Berlin');
    expect(hours.length - 1).toBe(23);
    expect(new Date(hours[0] as number).toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(zonedToUtc(2025, 7, 1, 0, 0, 0, 'America/New_York')).toBe(Date.UTC(2025, 6, 1, 4));
  });
});

describe('flow metrics on a hand-computed example', () => {
  it('CFD: lines count cards reached at or beyond each work center; a backward move pulls no line down', async () => {
    const { data, ids, close } = await example();
    try {
      const cfd = buildCfd(data);
      expect(cfd.columns.map((c) => c.name)).toEqual(['Todo', 'Doing', 'Done']);
      const lines = cfd.points.map((p) => [p.cumulative[ids.todo], p.cumulative[ids.doing], p.cumulative[ids.done]]);
      // Mon: A, B arrive. Tue: both reach Doing. Wed: C arrives, B goes back (Doing line stays 2).
      // Thu: A done, C deleted (stays counted as an arrival). Fri: nothing.
      expect(lines).toEqual([
        [2, 0, 0],
        [2, 2, 0],
        [3, 2, 0],
        [3, 2, 1],
        [3, 2, 1],
      ]);
      const inColumn = cfd.points.map((p) => [p.inColumn[ids.todo], p.inColumn[ids.doing], p.inColumn[ids.done]]);
      expect(inColumn).toEqual([
        [2, 0, 0],
        [0, 2, 0],
        [2, 1, 0],
        [0, 1, 1],
        [0, 1, 1],
      ]);
      expect(cfd.defectReturns).toEqual([{ at: '2025-03-06T00:00:00.000Z', columnId: ids.todo, count: 1 }]);
    } finally {
      await close();
    }
  });

  it('cycle and lead time, throughput per day and week, WIP per day', async () => {
    const { data, close } = await example();
    try {
      expect(data.finished).toHaveLength(1);
      const [a] = data.finished;
      expect(((a?.doneAt ?? 0) - (a?.committedAt ?? 0)) / DAY).toBe(2);
      expect(((a?.doneAt ?? 0) - (a?.createdAt ?? 0)) / DAY).toBe(3);
      expect(throughputPerDay(data).map((d) => d.count)).toEqual([0, 0, 0, 1, 0]);
      expect(throughputPerWeek(data)).toEqual([{ date: '2025-03-03', count: 1, days: 5 }]);
      // WIP = reached Doing − reached Done − deleted on the way: B stays committed after going back.
      expect(wipSeries(data).map((p) => p.wip)).toEqual([0, 2, 2, 1, 1]);
    } finally {
      await close();
    }
  });

  it('Little’s law compares average WIP with throughput × average cycle time', async () => {
    const { data, close } = await example();
    try {
      const l = littlesLaw(data);
      expect(l.averageWip).toBeCloseTo(6 / 5, 10); // (0 + 2 + 2 + 1 + 1) / 5
      expect(l.throughputPerDay).toBeCloseTo(1 / 5, 10);
      expect(l.averageCycleTimeDays).toBe(2);
      expect(l.expectedWip).toBeCloseTo(0.4, 10);
      expect(l.deviation).toBeCloseTo(2, 10); // (1.2 − 0.4) / 0.4
      expect(l.reading).toMatch(/piling up/);
    } finally {
      await close();
    }
  });

  it('Little’s law says cards finished in no time, not that none finished', async () => {
    const now = T0 + DAY + 9 * HOUR_MS;
    const engine = await openEngine({ sqlitePath: ':memory:' });
    try {
      const store = createStore(engine, { clock: () => now });
      const actor = { name: 'ex' };
      const { board } = await store.createBoard({ name: 'Instant', columns: [{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }] }, actor);
      const [, doing, done] = board.columns.map((c) => c.id) as [string, string, string];
      for (const title of ['A', 'B']) {
        const id = (await store.createCard({ boardId: board.id, title }, actor)).card.id;
        await store.moveCard({ cardId: id, toColumnId: doing }, actor);
        await store.moveCard({ cardId: id, toColumnId: done }, actor);
      }
      const data = await store.flow.read(board.id, { from: '2025-03-03', to: '2025-03-07', interval: 'day', tz: 'UTC' }, T0 + 5 * DAY);
      const l = littlesLaw(data);
      expect(l.averageCycleTimeDays).toBe(0);
      expect(l.deviation).toBeNull();
      expect(l.reading).not.toMatch(/No card finished/);
      expect(l.reading).toMatch(/The 2 cards that finished .* spent no time in progress/);
    } finally {
      await engine.close();
    }
  });

  it('a rework rate over 100% is explained in plain words; 100% or less needs no note', () => {
    expect(reworkNote({ returns: 3, departures: 2, rate: 1.5 }, 'Build')).toMatch(/^Over 100%: Build got 3 cards back but passed only 2 on/);
    expect(reworkNote({ returns: 2, departures: 2, rate: 1 }, 'Build')).toBeNull();
    expect(reworkNote({ returns: 1, departures: 0, rate: null }, 'Build')).toBeNull();
  });

  it('demand: intake above throughput is work piling up; throughput against the set demand', async () => {
    const { data, close } = await example();
    try {
      // Intake: 2 crossed the commitment point in 5 days = 2.8 a week; throughput 1.4 a week.
      const d = demand({ ...data, demandPerWeek: 1 });
      expect(d.intakePerWeek).toBeCloseTo(2.8, 10);
      expect(d.throughputPerWeek).toBeCloseTo(1.4, 10);
      expect(d).toMatchObject({ pilingUp: true, overproduction: true, belowDemand: false });
      expect(demand({ ...data, demandPerWeek: 3 })).toMatchObject({ overproduction: false, belowDemand: true });
    } finally {
      await close();
    }
  });

  it('defects: the matrix of found-at × returned-to, and rework rate = returns ÷ departures', async () => {
    const { data, ids, close } = await example();
    try {
      expect(defectMatrix(data)).toEqual([{ detectedAtColumnId: ids.doing, returnedToColumnId: ids.todo, count: 1 }]);
      const rates = new Map(reworkRates(data).map((r) => [r.columnId, r]));
      // Todo: 1 return; departures A→Doing, B→Doing, B→Doing again = 3.
      expect(rates.get(ids.todo)).toMatchObject({ returns: 1, departures: 3 });
      expect(rates.get(ids.todo)?.rate).toBeCloseTo(1 / 3, 10);
      expect(rates.get(ids.doing)).toMatchObject({ returns: 0, departures: 2, rate: 0 });
    } finally {
      await close();
    }
  });

  it('bottleneck: five days and a few moves are too little evidence to name one, though Doing’s queue grew fastest', async () => {
    const { data, ids, close } = await example();
    try {
      // Doing holds 0, 2, 1, 1, 1 at the ends of days 1…5: slope Σ(x−3)(y−1) / Σ(x−3)² = 1 / 10 cards a day.
      const evidence = bottleneckEvidence(data);
      expect(evidence.leader?.columnId).toBe(ids.doing);
      expect(evidence.leader?.growthPerDay).toBeCloseTo(0.1, 10);
      expect(evidence.verdict).toBe('short-range');
      expect(evidence.days).toBe(5);
      expect(bottleneck(data)).toBeNull();
    } finally {
      await close();
    }
  });

  it('aging: a started card older than a percentile of cycle times carries that mark (with enough finished cards)', async () => {
    const p = { p50: 2, p85: 5, p95: 8 };
    expect(agingLevel(1, p, 10)).toBeNull();
    expect(agingLevel(3, p, 10)).toBe('p50');
    expect(agingLevel(6, p, 10)).toBe('p85');
    expect(agingLevel(9, p, 10)).toBe('p95');
    expect(agingLevel(9, p, 2)).toBeNull();
    const { data, ids, close } = await example();
    try {
      const aging = agingWip(data);
      // B committed Tue 10:00; read at Sat 00:00: 3 days 14 hours. Too few finished cards for a mark.
      expect(aging).toEqual([expect.objectContaining({ cardId: ids.b, columnId: ids.doing, committedAt: '2025-03-04T10:00:00.000Z', level: null })]);
      expect(aging[0]?.ageDays).toBeCloseTo(3 + 14 / 24, 10);
    } finally {
      await close();
    }
  });
});

describe('Little’s law on a sample path', () => {
  it('λ and W over a finite window count only the time inside it', () => {
    // Window [0, 10): one item 0–4, one 2–12 (leaves after the window), one 11–13 (outside).
    const r = samplePathLittle(
      [
        { arrival: 0, departure: 4 },
        { arrival: 2, departure: 12 },
        { arrival: 11, departure: 13 },
      ],
      0,
      10,
    );
    expect(r).toEqual({ arrivals: 2, lambda: 0.2, w: 6 }); // L = (4 + 8) / 10 = 1.2 = 0.2 × 6
  });
});

describe('live folding', () => {
  it('folding the events after a read gives the same FlowData as reading again', async () => {
    const { store, data, ids, boardId, close, setNow } = await example();
    try {
      setNow(T0 + 4 * DAY + 9 * HOUR_MS);
      const done = await store.moveCard({ cardId: ids.b, toColumnId: ids.done }, { name: 'ex' });
      setNow(T0 + 4 * DAY + 11 * HOUR_MS);
      const created = await store.createCard({ boardId, columnId: ids.doing, title: 'D' }, { name: 'ex' });
      let folded: FlowData = data;
      for (const e of [...done.events, ...created.events]) {
        const r = foldEvent(folded, e);
        if (r.kind !== 'applied') throw new Error(`expected applied, got ${r.kind}`);
        folded = r.data;
      }
      const fresh = await store.flow.read(boardId, data.range, folded.asOf);
      expect(folded.counts).toEqual(fresh.counts);
      expect(folded.start).toEqual(fresh.start);
      expect(folded.finished.map((f) => f.cardId).toSorted()).toEqual(fresh.finished.map((f) => f.cardId).toSorted());
      expect(folded.open.map((o) => [o.cardId, o.columnId, o.committedAt, o.furthestId])).toEqual(
        fresh.open.map((o) => [o.cardId, o.columnId, o.committedAt, o.furthestId]),
      );
      expect(folded.version).toBe(fresh.version);
    } finally {
      await close();
    }
  });

  it('an event past a gap in versions, or one that reorders work centers, asks for a reload', async () => {
    const { store, data, ids, close } = await example();
    try {
      const moved = await store.moveColumn({ columnId: ids.done, toIndex: 0 }, { name: 'ex' });
      expect(foldEvent(data, moved.events[0] as never).kind).toBe('reload');
      expect(foldEvent(data, { ...(moved.events[0] as object), type: 'board_renamed', name: 'x', version: data.version + 2 } as never).kind).toBe('reload');
      expect(foldEvent(data, { ...(moved.events[0] as object), version: data.version } as never).kind).toBe('ignored');
    } finally {
      await close();
    }
  });
});

describe('replay', () => {
  it('the full recomputation counts entries, exits, deletions and returns per work center and hour', async () => {
    const { store, boardId, ids, close } = await example();
    try {
      const flow = replayFlow((await store.eventsSince(boardId, 0, 1000)) ?? []);
      const totals = (columnId: string) =>
        [...flow.hourly].filter(([k]) => k.startsWith(`${columnId}|`)).reduce((acc, [, v]) => acc.map((x, i) => x + (v[i] ?? 0)), [0, 0, 0, 0, 0, 0]);
      // [reached, entered, exited, deleted, abandoned, returned]
      expect(totals(ids.todo)).toEqual([3, 4, 3, 1, 1, 1]);
      expect(totals(ids.doing)).toEqual([2, 3, 2, 0, 0, 0]);
      expect(totals(ids.done)).toEqual([1, 1, 0, 0, 0, 0]);
    } finally {
      await close();
    }
  });
});

describe('history when work centers change', () => {
  it('a renamed work center keeps its history, one added later is not back-filled, a removed one stays readable', async () => {
    let now = T0;
    const engine = await openEngine({ sqlitePath: ':memory:' });
    try {
      const store = createStore(engine, { clock: () => now });
      const actor = { name: 'ex' };
      const { board } = await store.createBoard({ name: 'H', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] }, actor);
      const [a, b, c] = board.columns.map((col) => col.id) as [string, string, string, string];
      now = T0 + 9 * HOUR_MS;
      const x = (await store.createCard({ boardId: board.id, columnId: a, title: 'x' }, actor)).card.id;
      now = T0 + DAY + 9 * HOUR_MS;
      await store.moveCard({ cardId: x, toColumnId: b }, actor);
      now = T0 + 2 * DAY + 9 * HOUR_MS;
      await store.updateColumn({ columnId: b, name: 'B renamed' }, actor);
      now = T0 + 3 * DAY + 9 * HOUR_MS;
      const added = (await store.addColumn({ boardId: board.id, name: 'N', index: 1 }, actor)).column.id;
      now = T0 + 4 * DAY + 9 * HOUR_MS;
      await store.removeColumn({ columnId: c }, actor);

      const week = await store.flow.read(board.id, { from: '2025-03-03', to: '2025-03-07', interval: 'day', tz: 'UTC' }, T0 + 5 * DAY);
      const cfd = buildCfd(week);
      expect(cfd.columns.map((col) => [col.name, col.removed])).toEqual([
        ['A', false],
        ['N', false],
        ['B renamed', false],
        ['C', true],
        ['D', false],
      ]);
      // B keeps its history under its new name; N's line equals B's every day: its band is empty.
      expect(cfd.points.map((p) => p.cumulative[b])).toEqual([0, 1, 1, 1, 1]);
      expect(cfd.points.map((p) => p.cumulative[added])).toEqual(cfd.points.map((p) => p.cumulative[b]));

      // Ranges before N existed do not show it; ranges after C was removed do not either, and the
      // top line still counts every card.
      expect(buildCfd(await store.flow.read(board.id, { from: '2025-03-03', to: '2025-03-04', interval: 'day', tz: 'UTC' }, T0 + 5 * DAY)).columns.map((col) => col.name)).toEqual([
        'A',
        'B renamed',
        'C',
        'D',
      ]);
      const later = buildCfd(await store.flow.read(board.id, { from: '2025-03-10', to: '2025-03-11', interval: 'day', tz: 'UTC' }, T0 + 9 * DAY));
      expect(later.columns.map((col) => col.name)).toEqual(['A', 'N', 'B renamed', 'D']);
      expect(later.points.at(-1)?.cumulative[a]).toBe(1);
    } finally {
      await engine.close();
    }
  });
});

/** One card moved from `from` to `to` at the end of interval k (either may be outside the queues). */
const moved = (queues: readonly QueueSeries[], k: number, from: string | null, to: string | null): QueueSeries[] =>
  queues.map((q) => ({ ...q, counts: q.counts.map((c, i) => c + (i >= k ? (q.columnId === to ? 1 : 0) - (q.columnId === from ? 1 : 0) : 0)) }));

describe('the bottleneck is named only on evidence', () => {
  const days = 30;
  const ends = Array.from({ length: days }, (_, i) => i + 1);
  /** A queue that gains one card every `every` days from `from` counts. */
  const growing = (columnId: string, from: number, every: number): QueueSeries => ({
    columnId,
    name: columnId,
    counts: ends.map((d) => from + Math.floor(d / every)),
  });
  const flat = (columnId: string, count: number): QueueSeries => ({ columnId, name: columnId, counts: ends.map(() => count) });

  it('names the queue that grew steadily by several cards over a month with enough moves', () => {
    const e = judgeBottleneck(ends, [growing('Build', 1, 5), flat('Test', 2), flat('Deploy', 1)], 40, days);
    expect(e.verdict).toBe('named');
    expect(e.leader?.columnId).toBe('Build');
    expect(e.leader?.growthCards).toBeGreaterThanOrEqual(BOTTLENECK_RULE.minGrowthCards);
  });

  it('names none on a range shorter than a week, or with too few arrivals', () => {
    const short = Array.from({ length: 5 }, (_, i) => i + 1);
    expect(judgeBottleneck(short, [{ columnId: 'Build', name: 'Build', counts: [0, 2, 4, 6, 8] }], 40, 5).verdict).toBe('short-range');
    expect(judgeBottleneck(ends, [growing('Build', 1, 5)], BOTTLENECK_RULE.minArrivals - 1, days).verdict).toBe('few-arrivals');
  });

  it('names none when the fastest queue gained less than the minimum growth (a single move, say)', () => {
    const one = moved([flat('Build', 1), flat('Test', 1)], 15, null, 'Test');
    const e = judgeBottleneck(ends, one, 40, days);
    expect(e.leader?.columnId).toBe('Test');
    expect(e.verdict).toBe('no-growth');
  });

  it('names none when two queues grow about as fast: one move could swap them', () => {
    const e = judgeBottleneck(ends, [growing('Build', 0, 5), growing('Test', 0, 6)], 40, days);
    expect(e.verdict).toBe('too-close');
  });

  it('no single move, at any time, between any two work centers, hands the name to another work center', () => {
    const queues = [growing('Build', 0, 4), growing('Test', 0, 10), flat('Deploy', 2)];
    const before = judgeBottleneck(ends, queues, 40, days);
    expect(before.verdict).toBe('named');
    const places = [null, ...queues.map((q) => q.columnId)];
    for (let k = 0; k < ends.length; k++) {
      for (const from of places) {
        for (const to of places) {
          if (from === to) continue;
          const after = judgeBottleneck(ends, moved(queues, k, from, to), 41, days);
          if (after.verdict === 'named') expect(after.leader?.columnId).toBe('Build');
        }
      }
    }
  });

  it('one move’s largest tilt of a slope is what a step of one card at the middle does', () => {
    // Ends 1…4, mean 2.5, Σ(x−x̄)² = 5: a step from the third end on adds (0.5 + 1.5) / 5.
    expect(oneMoveSlope([1, 2, 3, 4])).toBeCloseTo(2 / 5, 10);
  });
});
