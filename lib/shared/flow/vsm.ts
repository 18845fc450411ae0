/**
 * The value stream map and flow efficiency, computed from the board's log (definitions and the worked
 * example: docs/metrics.md "Value stream map"). The log is replayed into each card's stays in work
 * centers (its visits), each split into active, waiting and blocked time:
 * - blocked: the card is marked blocked (card_updated changes.blocked), wherever it stands;
 * - waiting: not blocked, in the "done" half of a split work center (waiting to be pulled);
 * - active: not blocked, in "doing" (or in a work center that is not split).
 * Then the visits are summed per work center over a range. Pure, like every flow metric: the server
 * runs it in the heavy-read worker, the tests run it on hand-made logs.
 */
import type { BoardEvent, CardDTO, CardStage } from '../domain/types';
import { cardOfEvent } from './blockers';
import { percentile } from './metrics';
import { resolveCommitment } from './order';
import { createFlowReplay, type ReplayedFlow } from './replay';
import { DAY_MS, addDays, formatDate, intervalBoundaries, parseDate, type CalendarDate } from './time';

/** Where a card stands inside a work center (a split work center has both halves; one that is not, only doing). */
export type Stage = CardStage;

/** How a visit ended: a move to a later work center, a backward move, the card's deletion; null while it lasts. */
export type Departure = 'forward' | 'backward' | 'deleted' | null;

export interface Visit {
  cardId: string;
  columnId: string;
  arrivedAt: number;
  /** Null while the card is still there. */
  leftAt: number | null;
  departure: Departure;
  /** Time there, split three ways (up to `now` for a visit that lasts). */
  activeMs: number;
  waitingMs: number;
  blockedMs: number;
  /** For a forward departure: a later backward move (up to now) sent the card back to this work center or before it. */
  sentBack: boolean;
}

/** One stretch of a card's life in one state. */
interface Segment {
  /** Index of the place change it follows. */
  place: number;
  columnId: string;
  stage: Stage;
  blocked: boolean;
  from: number;
  to: number;
}

/** A place the card was put: its creation, or a move that was not undone. */
interface PlaceChange {
  seq: number;
  version: number;
  at: number;
  columnId: string;
  stage: Stage;
  backward: boolean;
}

interface CardLife {
  id: string;
  title: string;
  places: PlaceChange[];
  blocks: { seq: number; at: number; blocked: boolean }[];
  deletedAt: number | null;
}

export interface ValueStreamReplay {
  /** The flow replay of the same events: work centers, flow order, commitment and done times. */
  flow: ReplayedFlow;
  visits: Visit[];
  /** Each card's active, waiting and blocked time between its commitment and its finish (finished cards only). */
  cycles: Map<string, { committedAt: number; doneAt: number; activeMs: number; waitingMs: number; blockedMs: number }>;
  titles: Map<string, string>;
  /** Cards deleted since: the map names them but cannot link to them. */
  deleted: Set<string>;
  commitmentColumnId: string;
  doneColumnId: string;
  asOf: number;
}

/**
 * Replays a board's log (in version order) into visits. `cards`: only these cards' events count (a
 * lane or class filter, lib/shared/flow/laneFilter.ts); the board's structure always does.
 */
export function replayValueStream(events: Iterable<BoardEvent>, now: number, cards: ReadonlySet<string> | null = null): ValueStreamReplay {
  const replay = createValueStreamReplay(cards);
  for (const e of events) replay.add(e);
  return replay.finish(now);
}

/** The same replay fed one event at a time: a long log read in pages is never held whole. */
export function createValueStreamReplay(cards: ReadonlySet<string> | null = null): { add(e: BoardEvent): void; finish(now: number): ValueStreamReplay } {
  const flowReplay = createFlowReplay();
  const lives = new Map<string, CardLife>();
  let seq = 0;
  const mine = (id: string) => !cards || cards.has(id);
  function add(e: BoardEvent): void {
    const cardId = cardOfEvent(e);
    // A split names its parent; its children may be in the filter when the parent is not.
    const wanted = cardId === null || mine(cardId) || (e.type === 'card_split' && e.children.some((c) => mine(c.id)));
    if (!wanted) return;
    flowReplay.add(e);
    const at = Date.parse(e.at);
    seq++;
    const arrive = (card: CardDTO) =>
      lives.set(card.id, {
        id: card.id,
        title: card.title,
        places: [{ seq, version: e.version, at, columnId: card.columnId, stage: card.stage ?? 'doing', backward: false }],
        blocks: card.blocked ? [{ seq, at, blocked: true }] : [],
        deletedAt: null,
      });
    switch (e.type) {
      case 'card_created':
        arrive(e.card);
        break;
      case 'card_split': {
        // The parent leaves as a deleted card does (no departure); its children arrive in its place.
        const parent = lives.get(e.cardId);
        if (parent && mine(e.cardId)) parent.deletedAt = at;
        for (const child of e.children) if (mine(child.id)) arrive(child);
        break;
      }
      case 'card_updated': {
        const life = lives.get(e.cardId);
        if (!life) break;
        if (e.changes.title !== undefined) life.title = e.changes.title;
        if (e.changes.blocked !== undefined) life.blocks.push({ seq, at, blocked: e.changes.blocked });
        break;
      }
      case 'card_moved': {
        const life = lives.get(e.cardId);
        if (!life) break;
        if (e.undoes) {
          // An undone move and its undo count as if neither happened: the undone place change goes.
          const undone = e.undoes.version;
          life.places = life.places.filter((p) => p.version !== undone);
          break;
        }
        const last = life.places.at(-1);
        // As apply.ts folds it: the event names the stage only when it changed (old logs: never).
        const stage = e.toStage ?? last?.stage ?? 'doing';
        // A reorder inside one work center is no change of place; a move between its halves is.
        if (e.fromColumnId === e.toColumnId && last?.stage === stage) break;
        life.places.push({ seq, version: e.version, at, columnId: e.toColumnId, stage, backward: e.fromColumnId !== e.toColumnId && e.backward });
        break;
      }
      case 'card_deleted': {
        const life = lives.get(e.cardId);
        if (life) life.deletedAt = at;
        break;
      }
      case 'board_created':
      case 'board_renamed':
      case 'column_added':
      case 'column_renamed':
      case 'column_moved':
      case 'column_removed':
      case 'wip_limit_set':
      // Joining a work center waits for its done half to be empty (lib/shared/domain/split.ts): no card changes half.
      case 'column_split_set':
      case 'lane_added':
      case 'lane_renamed':
      case 'lane_moved':
      case 'lane_removed':
      case 'lane_configured':
      case 'board_settings_changed':
      case 'person_wip_limit_set':
      case 'working_days_set':
      // A key prefix names cards; a refused automated move left the card where it was.
      case 'key_prefix_set':
      case 'card_automation_refused':
        break;
      default: {
        const unreachable: never = e;
        throw new Error(`Unknown event ${(unreachable as { type: string }).type}`);
      }
    }
  }
  return { add, finish: (now: number) => finishReplay(flowReplay.finish(), lives, now) };
}

function finishReplay(flow: ReplayedFlow, lives: ReadonlyMap<string, CardLife>, now: number): ValueStreamReplay {
  const ids = flow.order.map((o) => o.id);
  const position = new Map(ids.map((id, i) => [id, i]));
  const live = flow.order.filter((o) => o.live);
  const commitmentColumnId = resolveCommitment(live, flow.commitmentSetting);
  const doneColumnId = live.at(-1)?.id ?? '';
  const commitPos = position.get(commitmentColumnId) ?? 0;
  const donePos = position.get(doneColumnId) ?? 0;
  const inProgress = (columnId: string) => {
    const p = position.get(columnId) ?? -1;
    return p >= commitPos && p < donePos;
  };

  const visits: Visit[] = [];
  const cycles: ValueStreamReplay['cycles'] = new Map();
  const titles = new Map<string, string>();
  const deleted = new Set<string>();
  for (const life of lives.values()) {
    titles.set(life.id, life.title);
    if (life.deletedAt !== null) deleted.add(life.id);
    const segments = segmentsOf(life, now);
    // Visits: runs of place changes in one work center; a visit ends where the next one starts.
    const mine: Visit[] = [];
    const visitOfPlace: number[] = [];
    const leftSeq: number[] = [];
    life.places.forEach((p, i) => {
      const v = mine.at(-1);
      if (i > 0 && v && v.columnId === p.columnId) {
        visitOfPlace.push(mine.length - 1);
        return;
      }
      if (v) {
        v.leftAt = p.at;
        v.departure = p.backward ? 'backward' : 'forward';
        leftSeq.push(p.seq);
      }
      mine.push({ cardId: life.id, columnId: p.columnId, arrivedAt: p.at, leftAt: null, departure: null, activeMs: 0, waitingMs: 0, blockedMs: 0, sentBack: false });
      visitOfPlace.push(mine.length - 1);
    });
    const last = mine.at(-1);
    if (last && life.deletedAt !== null) {
      last.leftAt = life.deletedAt;
      last.departure = 'deleted';
    }
    for (const s of segments) {
      const v = mine[visitOfPlace[s.place] ?? -1];
      if (!v) continue;
      const ms = s.to - s.from;
      if (s.blocked) v.blockedMs += ms;
      else if (s.stage === 'done') v.waitingMs += ms;
      else v.activeMs += ms;
    }
    // %C/A: a forward departure fails when a later backward move lands at or before its work center.
    const returns = life.places.filter((p) => p.backward).map((p) => ({ seq: p.seq, to: position.get(p.columnId) ?? -1 }));
    mine.forEach((v, i) => {
      if (v.departure !== 'forward') return;
      const here = position.get(v.columnId) ?? -1;
      const after = leftSeq[i] ?? 0;
      v.sentBack = returns.some((r) => r.seq > after && r.to <= here);
    });
    visits.push(...mine);

    const reached = flow.cards.get(life.id)?.reached;
    const committedAt = reached?.get(commitmentColumnId);
    const doneAt = reached?.get(doneColumnId);
    if (committedAt !== undefined && doneAt !== undefined) {
      const cycle = { committedAt, doneAt, activeMs: 0, waitingMs: 0, blockedMs: 0 };
      for (const s of segments) {
        const ms = Math.max(0, Math.min(s.to, doneAt) - Math.max(s.from, committedAt));
        if (ms === 0) continue;
        // Active only in doing, not blocked, in a work center between the commitment point and the last one.
        if (s.blocked) cycle.blockedMs += ms;
        else if (s.stage === 'doing' && inProgress(s.columnId)) cycle.activeMs += ms;
        else cycle.waitingMs += ms;
      }
      cycles.set(life.id, cycle);
    }
  }
  return { flow, visits, cycles, titles, deleted, commitmentColumnId, doneColumnId, asOf: now };
}

/** A card's life as stretches of one state, from its creation to its deletion (or now). */
function segmentsOf(life: CardLife, now: number): Segment[] {
  const end = life.deletedAt ?? now;
  const out: Segment[] = [];
  let place = life.places[0];
  if (!place) return out;
  let blocked = false;
  let from = place.at;
  let p = 1;
  let b = 0;
  // Merge the two lists of changes in log order.
  for (;;) {
    const nextPlace = life.places[p];
    const nextBlock = life.blocks[b];
    const next = nextPlace && (!nextBlock || nextPlace.seq < nextBlock.seq) ? nextPlace : nextBlock;
    const at = next ? Math.min(next.at, end) : end;
    if (at > from) out.push({ place: p - 1, columnId: place.columnId, stage: place.stage, blocked, from, to: at });
    from = Math.max(from, at);
    if (!next || next.at >= end) break;
    if (next === nextPlace) {
      place = nextPlace;
      p++;
    } else {
      blocked = (nextBlock as { blocked: boolean }).blocked;
      b++;
    }
  }
  return out;
}

export interface VsmRange {
  from: string;
  to: string;
  tz: string;
}

/** The local days of the range as instants (n + 1 boundaries), with the Monday of each day's week. */
function rangeCalendar(range: VsmRange): { starts: number[]; weekOfDay: string[]; weeks: { week: string; days: number }[]; days: number } {
  const from = parseDate(range.from) as CalendarDate;
  const to = parseDate(range.to) as CalendarDate;
  const starts = intervalBoundaries(from, to, 'day', range.tz);
  const weekOfDay: string[] = [];
  const weeks = new Map<string, number>();
  for (let i = 0; i < starts.length - 1; i++) {
    const d = addDays(from, i);
    const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
    const week = formatDate(addDays(d, -weekday));
    weekOfDay.push(week);
    weeks.set(week, (weeks.get(week) ?? 0) + 1);
  }
  return { starts, weekOfDay, weeks: [...weeks].map(([week, days]) => ({ week, days })), days: starts.length - 1 };
}

/** The week (its Monday) an instant of the range falls in; null outside the range. */
function weekIn(cal: ReturnType<typeof rangeCalendar>, at: number): string | null {
  const { starts } = cal;
  if (at < (starts[0] as number) || at >= (starts.at(-1) as number)) return null;
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return cal.weekOfDay[lo] ?? null;
}

const days = (ms: number) => ms / DAY_MS;

/** How many of a work center's longest visits the map lists when it is opened. */
export const WORST_ITEMS = 10;

export interface VsmItem {
  cardId: string;
  title: string;
  arrivedAt: string;
  leftAt: string;
  days: number;
  activeDays: number;
  waitingDays: number;
  blockedDays: number;
  /** A later backward move sent it back here or before. */
  sentBack: boolean;
  /** The card has been deleted since. */
  deleted: boolean;
}

export interface VsmWorkCenter {
  columnId: string;
  name: string;
  /** Visits that left it (forward or backward) in the range: the sample of the times below. */
  departed: number;
  /** Nearest-rank percentiles of the time each of those visits spent there, days; null without one. */
  medianDays: number | null;
  p85Days: number | null;
  /** The median of the same visits' active time, days. */
  medianActiveDays: number | null;
  /** Of the summed time of those visits: the shares active, waiting and blocked (null: no time). */
  activeShare: number | null;
  waitingShare: number | null;
  blockedShare: number | null;
  /** Entries into it and moves out of it in the range, and per week of the range (a 7-day average). */
  arrivals: number;
  departures: number;
  arrivalsPerWeek: number;
  departuresPerWeek: number;
  weekly: { week: string; days: number; arrivals: number; departures: number }[];
  /** Forward departures in the range, those later sent back to it or before it, and %C/A (null: none left forward). */
  forwardDepartures: number;
  sentBack: number;
  completeAccurate: number | null;
  /** Its longest visits among those that left it in the range, longest first. */
  worst: VsmItem[];
}

export interface VsmSummary {
  /** Σ of the in-progress work centers' median times, days. */
  leadTimeDays: number;
  /** Σ of their median active times, days. */
  activeDays: number;
  /** activeDays / leadTimeDays; null when the lead time is 0. */
  activityRatio: number | null;
  /** The product of their %C/A (work centers nothing left forward from are left out); null when none has one. */
  rolledCompleteAccurate: number | null;
}

export interface FlowEfficiencyCard {
  cardId: string;
  title: string;
  doneAt: string;
  cycleTimeDays: number;
  activeDays: number;
  waitingDays: number;
  blockedDays: number;
  /** activeDays / cycleTimeDays. */
  efficiency: number;
}

/** Histogram buckets of flow efficiency: tenths, the last one closed (100% falls in 90–100%). */
export const EFFICIENCY_BUCKETS = 10;

export interface FlowEfficiency {
  /** Cards finished in the range with a cycle time above zero, by finish time. */
  cards: FlowEfficiencyCard[];
  /** The nearest-rank median of the cards' efficiencies. */
  median: number | null;
  /** Σ active / Σ cycle time over the same cards: the board's flow efficiency. */
  board: number | null;
  histogram: { from: number; to: number; count: number }[];
  /** Per week of the range (by finish time): cards, their median and the board's ratio. */
  weekly: { week: string; days: number; cards: number; median: number | null; board: number | null }[];
}

export interface ValueStreamMap {
  range: VsmRange & { lane?: string; class?: string };
  asOf: string;
  commitmentColumnId: string;
  doneColumnId: string;
  /** The in-progress work centers (the commitment point up to, not including, the last one), in flow order. */
  workCenters: VsmWorkCenter[];
  summary: VsmSummary;
  efficiency: FlowEfficiency;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function valueStreamMap(replay: ValueStreamReplay, range: VsmRange): ValueStreamMap {
  const cal = rangeCalendar(range);
  const start = cal.starts[0] as number;
  const end = cal.starts.at(-1) as number;
  const inRange = (at: number | null) => at !== null && at >= start && at < end;
  const rangeWeeks = cal.days / 7;
  const { flow, commitmentColumnId, doneColumnId } = replay;
  const live = flow.order.filter((o) => o.live).map((o) => o.id);
  const commitIdx = Math.max(0, live.indexOf(commitmentColumnId));
  const doneIdx = live.indexOf(doneColumnId);
  const centerIds = live.slice(commitIdx, Math.max(commitIdx, doneIdx));
  const byCenter = new Map<string, Visit[]>(centerIds.map((id) => [id, []]));
  for (const v of replay.visits) byCenter.get(v.columnId)?.push(v);

  const workCenters: VsmWorkCenter[] = centerIds.map((columnId) => {
    const all = byCenter.get(columnId) ?? [];
    const left = all.filter((v) => (v.departure === 'forward' || v.departure === 'backward') && inRange(v.leftAt));
    const durations = left.map((v) => (v.leftAt as number) - v.arrivedAt);
    const total = durations.reduce((s, d) => s + d, 0);
    const sum = (k: 'activeMs' | 'waitingMs' | 'blockedMs') => left.reduce((s, v) => s + v[k], 0);
    const weekly = cal.weeks.map((w) => ({ week: w.week, days: w.days, arrivals: 0, departures: 0 }));
    const weekRow = new Map(weekly.map((w) => [w.week, w]));
    let arrivals = 0;
    for (const v of all) {
      const arrivedWeek = weekIn(cal, v.arrivedAt);
      if (arrivedWeek !== null) {
        arrivals++;
        (weekRow.get(arrivedWeek) as { arrivals: number }).arrivals++;
      }
    }
    for (const v of left) (weekRow.get(weekIn(cal, v.leftAt as number) ?? '') as { departures: number }).departures++;
    const forward = left.filter((v) => v.departure === 'forward');
    const sentBack = forward.filter((v) => v.sentBack).length;
    const pct = (p: number) => {
      const value = percentile(durations, p);
      return value === null ? null : days(value);
    };
    const medianActive = percentile(left.map((v) => v.activeMs), 50);
    const worst = left
      .toSorted((a, b) => (b.leftAt as number) - b.arrivedAt - ((a.leftAt as number) - a.arrivedAt) || a.cardId.localeCompare(b.cardId))
      .slice(0, WORST_ITEMS)
      .map((v) => ({
        cardId: v.cardId,
        title: replay.titles.get(v.cardId) ?? '',
        arrivedAt: new Date(v.arrivedAt).toISOString(),
        leftAt: new Date(v.leftAt as number).toISOString(),
        days: days((v.leftAt as number) - v.arrivedAt),
        activeDays: days(v.activeMs),
        waitingDays: days(v.waitingMs),
        blockedDays: days(v.blockedMs),
        sentBack: v.sentBack,
        deleted: replay.deleted.has(v.cardId),
      }));
    return {
      columnId,
      name: flow.columns.get(columnId)?.name ?? '',
      departed: left.length,
      medianDays: pct(50),
      p85Days: pct(85),
      medianActiveDays: medianActive === null ? null : days(medianActive),
      activeShare: share(sum('activeMs'), total),
      waitingShare: share(sum('waitingMs'), total),
      blockedShare: share(sum('blockedMs'), total),
      arrivals,
      departures: left.length,
      arrivalsPerWeek: rangeWeeks > 0 ? arrivals / rangeWeeks : 0,
      departuresPerWeek: rangeWeeks > 0 ? left.length / rangeWeeks : 0,
      weekly,
      forwardDepartures: forward.length,
      sentBack,
      completeAccurate: forward.length > 0 ? (forward.length - sentBack) / forward.length : null,
      worst,
    };
  });

  const leadTimeDays = workCenters.reduce((s, w) => s + (w.medianDays ?? 0), 0);
  const activeDays = workCenters.reduce((s, w) => s + (w.medianActiveDays ?? 0), 0);
  const rated = workCenters.filter((w) => w.completeAccurate !== null);
  const summary: VsmSummary = {
    leadTimeDays,
    activeDays,
    activityRatio: leadTimeDays > 0 ? activeDays / leadTimeDays : null,
    rolledCompleteAccurate: rated.length ? rated.reduce((p, w) => p * (w.completeAccurate as number), 1) : null,
  };
  return {
    range: { from: range.from, to: range.to, tz: range.tz },
    asOf: new Date(replay.asOf).toISOString(),
    commitmentColumnId,
    doneColumnId,
    workCenters,
    summary,
    efficiency: flowEfficiency(replay, cal, inRange),
  };
}

function flowEfficiency(replay: ValueStreamReplay, cal: ReturnType<typeof rangeCalendar>, inRange: (at: number) => boolean): FlowEfficiency {
  const cards: FlowEfficiencyCard[] = [];
  for (const [cardId, c] of replay.cycles) {
    const cycle = c.doneAt - c.committedAt;
    if (!inRange(c.doneAt) || cycle <= 0) continue;
    cards.push({
      cardId,
      title: replay.titles.get(cardId) ?? '',
      doneAt: new Date(c.doneAt).toISOString(),
      cycleTimeDays: days(cycle),
      activeDays: days(c.activeMs),
      waitingDays: days(c.waitingMs),
      blockedDays: days(c.blockedMs),
      efficiency: c.activeMs / cycle,
    });
  }
  cards.sort((a, b) => a.doneAt.localeCompare(b.doneAt) || a.cardId.localeCompare(b.cardId));
  const ratioOf = (list: FlowEfficiencyCard[]) => {
    const cycle = list.reduce((s, c) => s + c.cycleTimeDays, 0);
    return cycle > 0 ? list.reduce((s, c) => s + c.activeDays, 0) / cycle : null;
  };
  const histogram = Array.from({ length: EFFICIENCY_BUCKETS }, (_, i) => ({ from: i / EFFICIENCY_BUCKETS, to: (i + 1) / EFFICIENCY_BUCKETS, count: 0 }));
  for (const c of cards) {
    const bucket = histogram[Math.min(EFFICIENCY_BUCKETS - 1, Math.floor(c.efficiency * EFFICIENCY_BUCKETS))];
    if (bucket) bucket.count++;
  }
  const weekly = cal.weeks.map((w) => {
    const mine = cards.filter((c) => weekIn(cal, Date.parse(c.doneAt)) === w.week);
    return { week: w.week, days: w.days, cards: mine.length, median: percentile(mine.map((c) => c.efficiency), 50), board: ratioOf(mine) };
  });
  return { cards, median: percentile(cards.map((c) => c.efficiency), 50), board: ratioOf(cards), histogram, weekly };
}

/** GET /api/boards/:boardId/flow/vsm's answer: the map, and what the page shows around it. */
export interface ValueStreamAnswer extends ValueStreamMap {
  boardName: string;
  /** The board version the answer was computed at. */
  version: number;
  lanes: { id: string; name: string; classOfService: string }[];
}
