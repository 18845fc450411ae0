/**
 * Folds a committed board event into loaded FlowData, in the browser. The server's only work per move
 * for an open flow page is the emit; the page keeps its own per-card state (`open`) to know whether
 * a move reaches a work center for the first time. Changes to the work centers or the settings ask
 * for a reload instead: they reorder history, and they are rare.
 */
import { blockStep, cardOfEvent } from './blockers';
import type { BoardEvent } from '../domain/types';
import { intervalIndex, type FlowData, type OpenCard } from './data';
import { filterStep } from './laneFilter';
import { K, hourBucket } from './replay';
import { HOUR_MS } from './time';

export type FoldResult = { kind: 'applied'; data: FlowData } | { kind: 'ignored' } | { kind: 'reload' };

/** The store counts events per hour; the page places them the same way so both agree to the card. */
const bucketStart = (at: number) => hourBucket(at) * HOUR_MS;

function addCount(counts: number[][][], start: number[][], boundaries: readonly number[], at: number, column: number, kind: number): void {
  const t = bucketStart(at);
  const i = intervalIndex(boundaries, t);
  if (i >= 0) {
    const row = counts[i]?.[column];
    if (row) row[kind] = (row[kind] ?? 0) + 1;
  } else if (t < (boundaries[0] ?? 0)) {
    const row = start[column];
    if (row) row[kind] = (row[kind] ?? 0) + 1;
  }
}

export function foldEvent(data: FlowData, event: BoardEvent): FoldResult {
  if (event.boardId !== data.boardId || event.version <= data.version) return { kind: 'ignored' };
  if (event.version !== data.version + 1) return { kind: 'reload' };
  const at = Date.parse(event.at);
  // A page of one lane or class (laneFilter.ts): another lane's card only moves the version on.
  const filtered = filterStep(data, event);
  if (filtered === 'reload') return { kind: 'reload' };
  if (filtered === 'skip') return { kind: 'applied', data: { ...data, version: event.version, asOf: Math.max(data.asOf, at) } };
  const filterCards =
    event.type === 'card_created' && data.filterCards
      ? [...data.filterCards, event.card.id]
      : event.type === 'card_split' && data.filterCards
        ? [...data.filterCards, ...event.children.map((c) => c.id)]
        : data.filterCards;
  const pos = (id: string) => data.columns.findIndex((c) => c.id === id);
  const commit = pos(data.commitmentColumnId);
  const done = pos(data.doneColumnId);
  // Copy what changes; intervals are copied shallowly except the rows that get a count.
  const counts = data.counts.map((interval) => interval.map((row) => [...row]));
  const start = data.start.map((row) => [...row]);
  let open = data.open;
  let finished = data.finished;
  let defects = data.defects;
  let splits = data.splits;
  const inRange = (t: number) => t >= (data.boundaries[0] ?? 0) && t < (data.boundaries.at(-1) ?? 0);
  let columns = data.columns;
  let boardName = data.boardName;
  const count = (columnId: string, kind: number) => {
    const c = pos(columnId);
    if (c >= 0) addCount(counts, start, data.boundaries, at, c, kind);
  };
  const reach = (card: OpenCard, columnId: string): OpenCard | null => {
    const from = pos(card.furthestId);
    const to = pos(columnId);
    if (to <= from) return card;
    for (let c = from + 1; c <= to; c++) addCount(counts, start, data.boundaries, at, c, K.reached);
    const committedAt = card.committedAt ?? (to >= commit ? at : null);
    if (to >= done) {
      if (at >= (data.boundaries[0] ?? 0) && at < (data.boundaries.at(-1) ?? 0)) {
        finished = [...finished, { cardId: card.cardId, title: card.title, createdAt: card.createdAt, committedAt, doneAt: at, ...(card.parentId ? { parentId: card.parentId } : {}) }];
      }
      return null;
    }
    return { ...card, furthestId: columnId, committedAt, columnId };
  };

  /** A new card in its work center (created, or a child of a split); false when the page does not know the work center. */
  const arrive = (card: { id: string; title: string; columnId: string; parentId?: string | null }): boolean => {
    const c = pos(card.columnId);
    if (c < 0) return false;
    for (let k = 0; k <= c; k++) addCount(counts, start, data.boundaries, at, k, K.reached);
    count(card.columnId, K.entered);
    const parent = card.parentId ? { parentId: card.parentId } : {};
    if (c >= done) {
      if (inRange(at)) finished = [...finished, { cardId: card.id, title: card.title, createdAt: at, committedAt: at, doneAt: at, ...parent }];
    } else open = [...open, { cardId: card.id, title: card.title, columnId: card.columnId, createdAt: at, committedAt: c >= commit ? at : null, furthestId: card.columnId, ...parent }];
    return true;
  };

  // Blocked intervals first: a move's interval closes in the work center the card leaves.
  let blocks = data.blocks;
  const blockedCard = cardOfEvent(event);
  if (blockedCard !== null) {
    const current = blocks.find((b) => b.cardId === blockedCard && b.endedAt === null) ?? null;
    const columnId = open.find((c) => c.cardId === blockedCard)?.columnId ?? (finished.some((c) => c.cardId === blockedCard) ? data.doneColumnId : null);
    const step = blockStep(event, current, columnId);
    if (step?.close && current) blocks = blocks.map((b) => (b === current ? { ...b, endedAt: at } : b));
    if (step?.open) blocks = [...blocks, { cardId: blockedCard, openedVersion: event.version, columnId: step.open.columnId, reason: step.open.reason, startedAt: at, endedAt: null }];
  }

  switch (event.type) {
    case 'board_created':
    case 'column_added':
    case 'column_moved':
    case 'column_removed':
    case 'board_settings_changed':
    // A page filtered by class reads again when a lane's class changes or a lane goes.
    case 'lane_configured':
    case 'lane_removed':
    case 'working_days_set':
      return { kind: 'reload' };
    case 'lane_added':
      // A filtered page learns the new lane's class from a fresh read.
      if (data.filterCards) return { kind: 'reload' };
      break;
    case 'lane_renamed':
    case 'lane_moved':
      break;
    case 'board_renamed':
      boardName = event.name;
      break;
    case 'column_renamed':
      columns = columns.map((c) => (c.id === event.columnId ? { ...c, name: event.name } : c));
      break;
    case 'wip_limit_set':
    case 'person_wip_limit_set':
    // A split work center is still one work center: its halves share one band of the CFD.
    case 'column_split_set':
    case 'key_prefix_set':
    case 'card_automation_refused':
      break;
    case 'card_created':
      if (!arrive(event.card)) return { kind: 'reload' };
      break;
    case 'card_split': {
      // The parent leaves as a deleted card does (no finished item), its children arrive in its place.
      count(event.columnId, K.deleted);
      const parent = open.find((c) => c.cardId === event.cardId);
      count(parent?.furthestId ?? event.columnId, K.abandoned);
      open = open.filter((c) => c.cardId !== event.cardId);
      if (inRange(at)) splits = [...(splits ?? []), { cardId: event.cardId, at, children: event.children.length }];
      for (const child of event.children) if (!arrive(child)) return { kind: 'reload' };
      break;
    }
    case 'card_updated': {
      const title = event.changes.title;
      if (title !== undefined) {
        open = open.map((c) => (c.cardId === event.cardId ? { ...c, title } : c));
        finished = finished.map((c) => (c.cardId === event.cardId ? { ...c, title } : c));
      }
      break;
    }
    case 'card_moved': {
      if (event.fromColumnId === event.toColumnId) break;
      // An undo rewrites the undone move's counts at its own time: rare, so the page reloads.
      if (event.undoes) return { kind: 'reload' };
      count(event.fromColumnId, K.exited);
      count(event.toColumnId, K.entered);
      if (event.backward) {
        count(event.toColumnId, K.returned);
        if (at >= (data.boundaries[0] ?? 0) && at < (data.boundaries.at(-1) ?? 0) && event.detectedAtColumnId && event.returnedToColumnId) {
          defects = [...defects, { at, cardId: event.cardId, detectedAtColumnId: event.detectedAtColumnId, returnedToColumnId: event.returnedToColumnId }];
        }
      }
      const card = open.find((c) => c.cardId === event.cardId);
      if (card) {
        const next = reach(card, event.toColumnId);
        open = next ? open.map((c) => (c.cardId === card.cardId ? { ...next, columnId: event.toColumnId } : c)) : open.filter((c) => c.cardId !== card.cardId);
      }
      break;
    }
    case 'card_deleted': {
      count(event.columnId, K.deleted);
      const card = open.find((c) => c.cardId === event.cardId);
      if (card) {
        count(card.furthestId, K.abandoned);
        open = open.filter((c) => c.cardId !== event.cardId);
      } else {
        // Not open means finished: its furthest work center is the last one (WIP does not change).
        count(data.doneColumnId, K.abandoned);
      }
      break;
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
  return {
    kind: 'applied',
    data: { ...data, version: event.version, asOf: Math.max(data.asOf, at), boardName, columns, counts, start, open, finished, defects, blocks, ...(splits ? { splits } : {}), ...(filterCards ? { filterCards } : {}) },
  };
}
