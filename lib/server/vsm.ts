/**
 * The value stream map endpoint (docs/api.md "Value stream map", docs/metrics.md "Value stream map
 * and flow efficiency"): the query is checked here, on the main thread, so a refusal carries its code;
 * the board's log is replayed into visits and summed in the heavy-read worker
 * (lib/server/heavyReads.ts), since its cost grows with the board's whole history.
 */
import type { Engine, Sql } from '../../db/engine';
import { checkRange, matchingCards } from '../../db/flow';
import { EVENT_FIELDS, eventFromRow, type EventRow } from '../../db/store/rows';
import type { Store } from '../../db/store';
import type { HeavyReader } from './heavyReads';
import type { BoardEvent } from '../shared/domain/types';
import { DomainError } from '../shared/domain/errors';
import type { FlowRange } from '../shared/flow/data';
import { filterOf } from '../shared/flow/laneFilter';
import { addDays, parseDate, startOfDate, type CalendarDate } from '../shared/flow/time';
import { createValueStreamReplay, valueStreamMap } from '../shared/flow/vsm';
import { parseRange } from './flow';

export interface ValueStreamJob {
  kind: 'vsm';
  boardId: string;
  range: FlowRange;
  now: number;
}

const KNOWN = new Set(['from', 'to', 'tz', 'lane', 'class']);

export function parseValueStream(boardId: string, query: URLSearchParams, now: number): ValueStreamJob {
  for (const key of query.keys()) {
    if (!KNOWN.has(key)) throw new DomainError('INVALID', `Unknown parameter ${key}: the value stream map takes ${[...KNOWN].join(', ')}`);
  }
  const range = parseRange(query, now, 'day');
  checkRange(range);
  return { kind: 'vsm', boardId, range, now };
}

/**
 * Every open value stream page asks again after each burst of moves: one answer per board version
 * and query is computed once and shared (the replay reads the whole log). Keyed by store, as the
 * board's marks are (lib/server/flow.ts), and dropped when the version moves on.
 */
/** Answers kept at most, across boards and ranges (each is a few kilobytes). */
const MAX_KEPT = 100;
const answers = new WeakMap<Store, Map<string, { version: number; bytes: Promise<Uint8Array> }>>();

export async function valueStream(store: Store, heavy: HeavyReader, job: ValueStreamJob): Promise<Uint8Array> {
  await store.flow.settle(job.boardId);
  const version = await store.flow.version(job.boardId);
  const { range } = job;
  // "Now" moves the open visits only, which the answer does not show; the day it falls on is in `to`.
  const key = `${job.boardId}|${range.from}|${range.to}|${range.tz}|${range.lane ?? ''}|${range.class ?? ''}`;
  const byQuery = answers.get(store) ?? new Map<string, { version: number; bytes: Promise<Uint8Array> }>();
  answers.set(store, byQuery);
  const hit = byQuery.get(key);
  if (hit && hit.version === version) return hit.bytes;
  for (const [k, v] of byQuery) if (k.startsWith(`${job.boardId}|`) && v.version !== version) byQuery.delete(k);
  const bytes = heavy.run(job).then((answer) => answer.bytes);
  byQuery.set(key, { version, bytes });
  // Boards nobody looks at any more do not keep their answers: the oldest go first.
  for (const k of byQuery.keys()) {
    if (byQuery.size <= MAX_KEPT) break;
    byQuery.delete(k);
  }
  // A refusal is not kept: the next ask tries again.
  bytes.catch(() => byQuery.get(key)?.bytes === bytes && byQuery.delete(key));
  return bytes;
}

/** Cards whose histories one query reads: well under every engine's limit of bound parameters. */
const CHUNK = 500;

/**
 * The events the map of a range needs, in log order: the board's own (work centers, settings: no
 * card) and the whole history of every card with an event inside the range (of `only`, with a lane
 * filter). A card with none there neither arrived, left, nor finished in the range, so it changes no
 * number of the map; leaving it out keeps a 90-day map of a two-year board from reading (and
 * parsing) the whole log. events_board_at_idx finds the range's cards, events_card_idx their histories.
 */
async function rangeEvents(sql: Sql, boardId: string, start: number, end: number, through: number, only: ReadonlySet<string> | null): Promise<BoardEvent[]> {
  const ids = new Set(
    (await sql.values<[string]>('select distinct card_id from events where board_id = ? and at >= ? and at < ? and card_id is not null', [boardId, start, end]))
      .map((r) => r[0])
      .filter((id) => !only || only.has(id)),
  );
  // A card split from another arrived in its parent's card_split event: the parents' histories too, up the line.
  for (let children = [...ids]; children.length; ) {
    const parents: string[] = [];
    for (let i = 0; i < children.length; i += CHUNK) {
      const chunk = children.slice(i, i + CHUNK);
      for (const [parent] of await sql.values<[string]>(`select distinct parent_id from cards where id in (${chunk.map(() => '?').join(', ')}) and parent_id is not null`, chunk)) {
        if (!ids.has(parent)) parents.push(parent);
      }
    }
    for (const p of parents) ids.add(p);
    children = parents;
  }
  const rows = await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and card_id is null and version <= ?`, [boardId, through]);
  const list = [...ids];
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    rows.push(...(await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where card_id in (${chunk.map(() => '?').join(', ')}) and board_id = ? and version <= ?`, [...chunk, boardId, through])));
  }
  return rows.toSorted((a, b) => a.version - b.version).map(eventFromRow);
}

/** The answer as JSON text. Runs in the worker. */
export async function runValueStream(engine: Engine, job: ValueStreamJob): Promise<string> {
  const { boardId, range } = job;
  const from = parseDate(range.from) as CalendarDate;
  const to = parseDate(range.to) as CalendarDate;
  const map = await engine.read(async (sql) => {
    const board = await sql.get<{ version: number; name: string }>('select version, name from boards where id = ?', [boardId]);
    if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
    const filter = filterOf(range);
    if (filter?.lane) {
      const lane = await sql.get<{ id: string }>('select id from lanes where board_id = ? and id = ? and deleted_at is null', [boardId, filter.lane]);
      if (!lane) throw new DomainError('INVALID', `Unknown lane ${filter.lane}: lane must be the id of one of this board's lanes`);
    }
    const cards = filter ? await matchingCards(sql, boardId, filter) : null;
    const replay = createValueStreamReplay(cards);
    for (const e of await rangeEvents(sql, boardId, startOfDate(from, range.tz), startOfDate(addDays(to, 1), range.tz), Number(board.version), cards)) replay.add(e);
    // The board's lanes, for the page's filter.
    const lanes = (await sql.all<{ id: string; name: string; class_of_service: string }>('select id, name, class_of_service from lanes where board_id = ? and deleted_at is null order by ord, id', [boardId])).map(
      (l) => ({ id: l.id, name: l.name, classOfService: l.class_of_service }),
    );
    return { ...valueStreamMap(replay.finish(job.now), range), boardName: board.name, version: Number(board.version), lanes };
  });
  return JSON.stringify({ ...map, range: { ...map.range, ...filterOf(range) } });
}
