/**
 * The value stream map as served (lib/server/vsm.ts runValueStream: the worker's code, reading the
 * log from a real SQLite file) equals a straightforward recomputation from the event log, over random
 * histories written through the real store with its clock moving on: moves forward and backward,
 * blocks, deletions, undos, work centers split and joined and moves between their halves, cards
 * split into smaller ones. The recomputation below is written apart from lib/shared/flow/vsm.ts on
 * purpose: it drops each undone move and its undo from the log first, then walks each card's events.
 * Its arrivals and departures also equal the flow aggregates' (the flow page's counters).
 */
import * as fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import { DomainError } from '../../lib/shared/domain/errors';
import type { BoardEvent, BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { computeMetrics } from '../../lib/shared/flow/metrics';
import { DAY_MS, HOUR_MS, addDays, dateOf, formatDate, startOfDate, weekOf } from '../../lib/shared/flow/time';
import type { ValueStreamMap } from '../../lib/shared/flow/vsm';
import { runValueStream } from '../../lib/server/vsm';

type Cmd =
  | { kind: 'create' }
  | { kind: 'move'; card: number; col: number; stage: 'doing' | 'done' | null }
  | { kind: 'split'; col: number; split: boolean }
  | { kind: 'splitCard'; card: number; parts: number }
  | { kind: 'block'; card: number; blocked: boolean }
  | { kind: 'delete'; card: number }
  | { kind: 'undo' }
  | { kind: 'wait'; hours: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'create' as const }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('move' as const), card: fc.nat(), col: fc.nat(), stage: fc.constantFrom('doing' as const, 'done' as const, null) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('split' as const), col: fc.nat(), split: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splitCard' as const), card: fc.nat(), parts: fc.integer({ min: 2, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('block' as const), card: fc.nat(), blocked: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), card: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 60 }) }) },
);
const actor = { name: 'property' };
const pick = <T,>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

async function run(store: Store, board: BoardSnapshot, c: Cmd, wait: (ms: number) => void): Promise<void> {
  const card = pick(board.cards, 'card' in c ? c.card : 0);
  switch (c.kind) {
    case 'create':
      await store.createCard({ boardId: board.id, columnId: board.columns[0]?.id ?? '', title: 'card' }, actor);
      return;
    case 'move': {
      const column = pick(board.columns, c.col);
      if (column && card) await store.moveCard({ cardId: card.id, toColumnId: column.id, reason: 'defect', ...(c.stage ? { stage: c.stage } : {}) }, actor);
      return;
    }
    case 'split': {
      const column = pick(board.columns, c.col);
      if (column) await store.updateColumn({ columnId: column.id, split: c.split }, actor);
      return;
    }
    case 'splitCard':
      if (card) await store.splitCard({ cardId: card.id, titles: Array.from({ length: c.parts }, (_, i) => `part ${i + 1}`) }, actor);
      return;
    case 'block':
      if (card) await store.updateCard({ cardId: card.id, blocked: c.blocked }, actor);
      return;
    case 'delete':
      if (card) await store.deleteCard({ cardId: card.id }, actor);
      return;
    case 'undo': {
      const moves = ((await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? []).filter((e) => e.type === 'card_moved');
      const move = moves.at(-1);
      if (move?.type === 'card_moved') await store.undoMove({ cardId: move.cardId, version: move.version }, actor);
      return;
    }
    case 'wait':
      wait(c.hours * HOUR_MS);
      return;
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
}

interface PlainVisit {
  cardId: string;
  col: number;
  arrivedAt: number;
  leftAt: number | null;
  how: 'forward' | 'backward' | 'deleted' | null;
  activeMs: number;
  waitingMs: number;
  blockedMs: number;
  leftVersion: number;
}

interface PlainLife {
  visit: PlainVisit;
  /** The state since `since`: blocked or not, and the half of the work center. */
  since: number;
  blocked: boolean;
  stage: 'doing' | 'done';
  entries: Map<number, number>;
  /** Stretches of active time (doing, not blocked), by work center. */
  active: { col: number; from: number; to: number }[];
  gone: boolean;
}

const days = (ms: number | null) => (ms === null ? null : ms / DAY_MS);

/** Nearest rank, by hand. */
const nearestRank = (values: number[], p: number) => {
  if (!values.length) return null;
  const s = values.toSorted((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1] as number;
};

/** The value stream map of the range by its definitions, from the log alone. */
function recompute(log: readonly BoardEvent[], columnIds: string[], from: string, to: string, tz: string, now: number) {
  const undone = new Set(log.flatMap((e) => (e.type === 'card_moved' && e.undoes ? [e.undoes.version] : [])));
  const events = log.filter((e) => !undone.has(e.version) && !(e.type === 'card_moved' && e.undoes));
  // Calendar arithmetic is not what is checked here: the range's instants come from time.ts.
  const start = startOfDate(parseYmd(from), tz);
  const end = startOfDate(addDays(parseYmd(to), 1), tz);
  const inRange = (t: number | null) => t !== null && t >= start && t < end;
  const commit = 1;
  const done = columnIds.length - 1;
  const visits: PlainVisit[] = [];
  const backward: { cardId: string; version: number; to: number }[] = [];
  const life = new Map<string, PlainLife>();
  const newVisit = (cardId: string, col: number, at: number): PlainVisit => {
    const visit = { cardId, col, arrivedAt: at, leftAt: null, how: null, activeMs: 0, waitingMs: 0, blockedMs: 0, leftVersion: 0 };
    visits.push(visit);
    return visit;
  };
  /** The time since the last change goes to the visit, by the state it was in. */
  const flush = (l: PlainLife, at: number) => {
    const ms = at - l.since;
    if (l.blocked) l.visit.blockedMs += ms;
    else if (l.stage === 'done') l.visit.waitingMs += ms;
    else {
      l.visit.activeMs += ms;
      l.active.push({ col: l.visit.col, from: l.since, to: at });
    }
    l.since = at;
  };
  const arrive = (card: CardDTO, at: number) => {
    const col = columnIds.indexOf(card.columnId);
    life.set(card.id, { visit: newVisit(card.id, col, at), since: at, blocked: card.blocked, stage: card.stage ?? 'doing', entries: new Map([[col, at]]), active: [], gone: false });
  };
  for (const e of events) {
    const at = Date.parse(e.at);
    if (e.type === 'card_created') {
      arrive(e.card, at);
      continue;
    }
    if (e.type === 'card_split') {
      // The parent leaves as if deleted; its children arrive where it was.
      const parent = life.get(e.cardId);
      if (parent) {
        flush(parent, at);
        parent.gone = true;
        Object.assign(parent.visit, { leftAt: at, how: 'deleted' });
      }
      for (const child of e.children) arrive(child, at);
      continue;
    }
    const l = life.get('cardId' in e ? e.cardId : '');
    if (!l) continue;
    if (e.type === 'card_updated' && e.changes.blocked !== undefined) {
      flush(l, at);
      l.blocked = e.changes.blocked;
    } else if (e.type === 'card_moved') {
      flush(l, at);
      l.stage = e.toStage ?? l.stage;
      if (e.fromColumnId === e.toColumnId) continue;
      Object.assign(l.visit, { leftAt: at, how: e.backward ? 'backward' : 'forward', leftVersion: e.version });
      const col = columnIds.indexOf(e.toColumnId);
      if (e.backward) backward.push({ cardId: e.cardId, version: e.version, to: col });
      l.visit = newVisit(e.cardId, col, at);
      if (!l.entries.has(col)) l.entries.set(col, at);
    } else if (e.type === 'card_deleted') {
      flush(l, at);
      l.gone = true;
      Object.assign(l.visit, { leftAt: at, how: 'deleted' });
    }
  }
  for (const l of life.values()) if (!l.gone) flush(l, now);

  const weeks: string[] = [];
  for (let d = parseYmd(from); formatDate(d) <= to; d = addDays(d, 1)) {
    const w = formatDate(weekOf(startOfDate(d, tz), tz));
    if (!weeks.includes(w)) weeks.push(w);
  }
  const weekOfAt = (t: number) => formatDate(weekOf(t, tz));
  const rangeDays = Math.round((end - start) / DAY_MS);
  const centers = columnIds.slice(commit, done).map((_, i) => {
    const col = commit + i;
    const mine = visits.filter((v) => v.col === col);
    const left = mine.filter((v) => (v.how === 'forward' || v.how === 'backward') && inRange(v.leftAt));
    const durations = left.map((v) => (v.leftAt as number) - v.arrivedAt);
    const actives = left.map((v) => v.activeMs);
    const total = durations.reduce((a, b) => a + b, 0);
    const sum = (k: 'activeMs' | 'waitingMs' | 'blockedMs') => left.reduce((a, v) => a + v[k], 0);
    const forward = left.filter((v) => v.how === 'forward');
    const sentBack = forward.filter((v) => backward.some((b) => b.cardId === v.cardId && b.version > v.leftVersion && b.to <= col)).length;
    return {
      departed: left.length,
      medianDays: days(nearestRank(durations, 50)),
      p85Days: days(nearestRank(durations, 85)),
      medianActiveDays: days(nearestRank(actives, 50)),
      activeShare: total > 0 ? sum('activeMs') / total : null,
      waitingShare: total > 0 ? sum('waitingMs') / total : null,
      blockedShare: total > 0 ? sum('blockedMs') / total : null,
      arrivals: mine.filter((v) => inRange(v.arrivedAt)).length,
      departures: left.length,
      arrivalsPerWeek: mine.filter((v) => inRange(v.arrivedAt)).length / (rangeDays / 7),
      weekly: weeks.map((w) => ({ week: w, arrivals: mine.filter((v) => inRange(v.arrivedAt) && weekOfAt(v.arrivedAt) === w).length, departures: left.filter((v) => weekOfAt(v.leftAt as number) === w).length })),
      forwardDepartures: forward.length,
      sentBack,
      completeAccurate: forward.length ? (forward.length - sentBack) / forward.length : null,
    };
  });
  const rated = centers.filter((c) => c.completeAccurate !== null);
  const lead = centers.reduce((a, c) => a + (c.medianDays ?? 0), 0);
  const active = centers.reduce((a, c) => a + (c.medianActiveDays ?? 0), 0);
  // Flow efficiency: the finished cards' time in progress, not blocked, between commitment and finish.
  const efficiency: { cardId: string; cycle: number; active: number }[] = [];
  for (const [cardId, l] of life) {
    const firstAtOrAfter = (k: number) => Math.min(...[...l.entries].filter(([c]) => c >= k).map(([, t]) => t));
    const committedAt = firstAtOrAfter(commit);
    const doneAt = firstAtOrAfter(done);
    if (!Number.isFinite(doneAt) || !inRange(doneAt) || doneAt <= committedAt) continue;
    let activeMs = 0;
    for (const a of l.active) if (a.col >= commit && a.col < done) activeMs += Math.max(0, Math.min(a.to, doneAt) - Math.max(a.from, committedAt));
    efficiency.push({ cardId, cycle: (doneAt - committedAt) / DAY_MS, active: activeMs / DAY_MS });
  }
  const ratios = efficiency.map((c) => c.active / c.cycle);
  const cycleSum = efficiency.reduce((a, c) => a + c.cycle, 0);
  return {
    centers,
    summary: { leadTimeDays: lead, activeDays: active, activityRatio: lead > 0 ? active / lead : null, rolledCompleteAccurate: rated.length ? rated.reduce((p, c) => p * (c.completeAccurate as number), 1) : null },
    efficiency: {
      cards: efficiency.toSorted((a, b) => a.cardId.localeCompare(b.cardId)).map((c) => [c.cardId, c.cycle, c.active]),
      median: nearestRank(ratios, 50),
      board: cycleSum > 0 ? efficiency.reduce((a, c) => a + c.active, 0) / cycleSum : null,
    },
  };
}

function parseYmd(text: string) {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year as number, month: month as number, day: day as number };
}
/** Floats to 9 places, so sums taken in another order compare equal. */
const round = (v: unknown): unknown =>
  typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : Array.isArray(v) ? v.map(round) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v;

describe('the value stream map served from the log', () => {
  let engine: Engine;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-vsm-'));
  beforeAll(async () => {
    engine = await openEngine({ sqlitePath: join(dir, 'vsm.db') });
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('equals a straightforward recomputation from the event log, for any history, range and zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd, { minLength: 5, maxLength: 60, size: 'max' }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
        fc.nat({ max: 6 }),
        fc.nat({ max: 6 }),
        async (cmds, tz, skipFirst, skipLast) => {
          let now = Date.UTC(2026, 2, 2, 7);
          const store = createStore(engine, { clock: () => (now += 1_000) });
          const { board: created } = await store.createBoard({ name: 'Property', columns: [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Review' }, { name: 'Test' }, { name: 'Done' }] }, actor);
          // Develop and Review start split, so that most histories have waiting in them.
          for (const column of created.columns.slice(1, 3)) await store.updateColumn({ columnId: column.id, split: true }, actor);
          let board = await store.getSnapshot(created.id);
          for (const c of cmds) {
            try {
              await run(store, board, c, (ms) => (now += ms));
            } catch (error) {
              if (!(error instanceof DomainError) || error.code === 'INTERNAL') throw error;
            }
            board = await store.getSnapshot(board.id);
          }
          const log = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
          const first = dateOf(Date.parse(board.createdAt), tz);
          const last = dateOf(now, tz);
          const from = formatDate(addDays(first, Math.min(skipFirst, Math.max(0, Math.round((now - Date.parse(board.createdAt)) / DAY_MS) - 1))));
          const to = formatDate(addDays(last, -Math.min(skipLast, Math.round((Date.parse(`${formatDate(last)}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS))));
          const range = { from, to, interval: 'day' as const, tz };
          await store.flow.settle(board.id);
          const served = JSON.parse(await runValueStream(store.engine, { kind: 'vsm', boardId: board.id, range, now })) as ValueStreamMap;
          const expected = recompute(log, board.columns.map((c) => c.id), from, to, tz, now);

          expect(
            round(
              served.workCenters.map((w) => ({
                departed: w.departed,
                medianDays: w.medianDays,
                p85Days: w.p85Days,
                medianActiveDays: w.medianActiveDays,
                activeShare: w.activeShare,
                waitingShare: w.waitingShare,
                blockedShare: w.blockedShare,
                arrivals: w.arrivals,
                departures: w.departures,
                arrivalsPerWeek: w.arrivalsPerWeek,
                weekly: w.weekly.map(({ week, arrivals, departures }) => ({ week, arrivals, departures })),
                forwardDepartures: w.forwardDepartures,
                sentBack: w.sentBack,
                completeAccurate: w.completeAccurate,
              })),
            ),
          ).toEqual(round(expected.centers));
          expect(round(served.summary)).toEqual(round(expected.summary));
          expect(
            round({
              cards: served.efficiency.cards.map((c) => [c.cardId, c.cycleTimeDays, c.activeDays]).toSorted((a, b) => String(a[0]).localeCompare(String(b[0]))),
              median: served.efficiency.median,
              board: served.efficiency.board,
            }),
          ).toEqual(round(expected.efficiency));

          // The arrivals and departures are the flow page's, from the stored aggregates.
          const metrics = computeMetrics(await store.flow.read(board.id, range));
          for (const w of served.workCenters) {
            const mine = metrics.arrivalsAndDepartures.filter((r) => r.columnId === w.columnId);
            expect([w.arrivals, w.departures], w.name).toEqual([mine.reduce((s, r) => s + r.arrivals, 0), mine.reduce((s, r) => s + r.departures, 0)]);
          }
        },
      ),
      { numRuns: 80 },
    );
  }, 180_000);
});
