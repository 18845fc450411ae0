/**
 * The flow endpoints' handlers: parse the range, read FlowData once, project it with the pure
 * functions of lib/shared/flow. Kept apart from api.ts so the router stays a table.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, Store } from '../../db/store';
import { importBoard, type ImportResult } from '../../db/import';
import { checkRange } from '../../db/flow';
import type { FlowProjection, HeavyReader } from './heavyReads';
import { DomainError } from '../shared/domain/errors';
import { LIMITS } from '../shared/domain/limits';
import { CLASSES_OF_SERVICE, type ClassOfService } from '../shared/domain/types';
import type { FlowData, FlowRange } from '../shared/flow/data';
import { planImportAsync, toCsv, type CsvError, type ImportPlan } from '../shared/flow/csv';
import { finishedCardTimes, percentilesOf, cycleTimes, agingWip, bottleneck, MIN_SAMPLE_FOR_AGING } from '../shared/flow/metrics';
import { buildCfd } from '../shared/flow/series';
import { addDays, assertTimeZone, dateOf, formatDate, parseDate, type Interval } from '../shared/flow/time';

/** The flow page's default range: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;

export function parseRange(query: URLSearchParams, now = Date.now(), interval?: Interval): FlowRange {
  const tz = assertTimeZone(query.get('tz') ?? 'UTC');
  const rawInterval = interval ?? query.get('interval') ?? 'day';
  if (rawInterval !== 'day' && rawInterval !== 'hour') throw new DomainError('INVALID', 'interval must be day or hour');
  const toText = query.get('to');
  const to = toText ? parseDate(toText) : dateOf(now, tz);
  if (!to) throw new DomainError('INVALID', 'to must be a date as YYYY-MM-DD');
  const fromText = query.get('from');
  const from = fromText ? parseDate(fromText) : addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (!from) throw new DomainError('INVALID', 'from must be a date as YYYY-MM-DD');
  const lane = query.get('lane');
  const klass = query.get('class');
  if (lane !== null && (lane.length < 1 || lane.length > LIMITS.id)) throw new DomainError('INVALID', 'lane must be a lane id');
  if (klass !== null && !(CLASSES_OF_SERVICE as readonly string[]).includes(klass)) throw new DomainError('INVALID', `class must be one of ${CLASSES_OF_SERVICE.join(', ')}`);
  if (lane !== null && klass !== null) throw new DomainError('INVALID', 'Filter by lane or by class, not both');
  return { from: formatDate(from), to: formatDate(to), interval: rawInterval, tz, ...(lane !== null ? { lane } : {}), ...(klass !== null ? { class: klass as ClassOfService } : {}) };
}

/**
 * A flow read answered by the heavy-read worker (lib/server/heavyReads.ts): the range is checked and
 * the aggregates caught up here, the rows read and projected there.
 */
export async function heavyFlow(store: Store, heavy: HeavyReader, boardId: string, query: URLSearchParams, kind: FlowProjection, interval?: Interval): Promise<ReadableStream<Uint8Array>> {
  const now = Date.now();
  const range = parseRange(query, now, interval);
  checkRange(range);
  await store.flow.settle(boardId);
  return heavy.stream({ kind: 'slices', job: { kind, boardId, range, now } });
}

/**
 * Every viewer of a board asks for its marks a few seconds after each burst of changes: the answer
 * for one board version, zone and day is computed once (in the heavy-read worker: it folds every
 * open card) and shared. Keyed by store so that each app (and each test server) has its own; the
 * few entries per board are dropped as versions move on.
 */
const marksCache = new WeakMap<Store, Map<string, { key: string; marks: Promise<Uint8Array> }>>();

/** What the board page needs for its marks, as JSON: each aging card's level and the bottleneck. */
export async function boardMarks(store: Store, heavy: HeavyReader, boardId: string, query: URLSearchParams): Promise<Uint8Array> {
  const now = Date.now();
  // The board's marks are the whole board's: a lane or class filter is not theirs to take.
  const { lane: _lane, class: _class, ...range } = parseRange(query, now, 'day');
  await store.flow.settle(boardId);
  const key = `${await store.flow.version(boardId)}|${range.tz}|${range.from}|${range.to}`;
  const byBoard = marksCache.get(store) ?? new Map<string, { key: string; marks: Promise<Uint8Array> }>();
  marksCache.set(store, byBoard);
  const hit = byBoard.get(`${boardId}|${range.tz}`);
  if (hit?.key === key) return hit.marks;
  const marks = heavy.run({ kind: 'marks', boardId, range, now }).then((answer) => answer.bytes);
  byBoard.set(`${boardId}|${range.tz}`, { key, marks });
  // A refusal is not kept: the next ask tries again.
  marks.catch(() => byBoard.get(`${boardId}|${range.tz}`)?.marks === marks && byBoard.delete(`${boardId}|${range.tz}`));
  return marks;
}

export function computeMarks(data: FlowData) {
  const ct = cycleTimes(data);
  const b = bottleneck(data);
  return {
    range: data.range,
    sampleSize: ct.length,
    minSample: MIN_SAMPLE_FOR_AGING,
    cycleTimePercentiles: percentilesOf(ct),
    aging: agingWip(data).map((a) => ({ cardId: a.cardId, committedAt: a.committedAt, ageDays: a.ageDays, level: a.level })),
    bottleneck: b,
  };
}

export function cfdCsv(data: FlowData): string {
  const cfd = buildCfd(data);
  const header = ['at', ...cfd.columns.map((c) => `${c.name} (cumulative)`), ...cfd.columns.map((c) => `${c.name} (in column)`)];
  return toCsv([header, ...cfd.points.map((p) => [p.at, ...cfd.columns.map((c) => p.cumulative[c.id] ?? 0), ...cfd.columns.map((c) => p.inColumn[c.id] ?? 0)])]);
}

export function cycleTimesCsv(data: FlowData): string {
  const rows = finishedCardTimes(data);
  return toCsv([
    ['cardId', 'title', 'committedAt', 'doneAt', 'cycleTimeDays', 'leadTimeDays'],
    ...rows.map((r) => [r.cardId, r.title, r.committedAt, r.doneAt, r.cycleTimeDays?.toFixed(3) ?? '', r.leadTimeDays.toFixed(3)]),
  ]);
}

export async function itemsCsv(store: Store, heavy: HeavyReader, boardId: string, query: URLSearchParams): Promise<ReadableStream<Uint8Array>> {
  const tz = assertTimeZone(query.get('tz') ?? 'UTC');
  // The items come from the aggregates: caught up with the last commit first.
  await store.flow.settle(boardId);
  return heavy.stream({ kind: 'slices', job: { kind: 'items.csv', boardId, tz } });
}
/** The raw log, streamed page by page from the heavy-read worker. */
export const eventsCsv = (heavy: HeavyReader, boardId: string): Promise<ReadableStream<Uint8Array>> => heavy.stream({ kind: 'events.csv', boardId });

/** An import refused for reasons in the file: the reasons travel with the error. */
export class ImportRejected extends DomainError {
  readonly details: CsvError[];
  constructor(details: CsvError[]) {
    super('INVALID', `The CSV was not imported: ${details.length} problem${details.length === 1 ? '' : 's'} (first: ${details[0]?.line ? `line ${details[0].line}: ` : ''}${details[0]?.reason ?? ''})`);
    this.details = details;
  }
}

export interface PreparedImport {
  plan: ImportPlan;
  name: string;
}

/**
 * POST /api/import/csv, first half: check the whole file (the CSV as the body, text/csv, with
 * `name`, `tz` and optional `attributes` in the query; or multipart/form-data with fields `file`,
 * `name`, `tz`, `attributes`). Throws ImportRejected with every bad line; nothing is written yet.
 */
export async function prepareImport(fields: ReadonlyMap<string, string>, query: URLSearchParams): Promise<PreparedImport> {
  const field = (k: string) => fields.get(k) ?? query.get(k) ?? undefined;
  const text = fields.get('file');
  if (!text) throw new DomainError('INVALID', 'Send the CSV as the body, or as the `file` field of a form');
  const tz = assertTimeZone(field('tz') ?? 'UTC');
  const name = (field('name') ?? '').trim() || 'Imported board';
  if (name.length > LIMITS.boardName) throw new DomainError('INVALID', `A board name has at most ${LIMITS.boardName} characters`);
  const attributes = (field('attributes') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const planned = await planImportAsync(text, { tz, attributes });
  if (!planned.ok) throw new ImportRejected(planned.errors);
  return { plan: planned.plan, name };
}

/** Second half: write the board in slices, reporting progress (0 to 1). */
export async function runImport(store: Store, prepared: PreparedImport, actor: Actor, onProgress?: (done: number) => void): Promise<ImportResult> {
  return await importBoard(store.engine, prepared.plan, { name: prepared.name, actor: actor.name, actorId: actor.id ?? null, newId: randomUUID, onProgress });
}
