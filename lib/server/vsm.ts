/**
 * The value stream map endpoint (docs/api.md "Value stream map", docs/metrics.md "Value stream map
 * and flow efficiency"): the query is checked here, on the main thread, so a refusal carries its code;
 * the board's log is replayed into visits and summed in the heavy-read worker
 * (lib/server/heavyReads.ts), since its cost grows with the board's whole history.
 */
import type { Engine } from '../../db/engine';
import { checkRange, eventPages, matchingCards } from '../../db/flow';
import type { Store } from '../../db/store';
import type { HeavyReader } from './heavyReads';
import { DomainError } from '../shared/domain/errors';
import type { FlowRange } from '../shared/flow/data';
import { filterOf } from '../shared/flow/laneFilter';
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
  // A refusal is not kept: the next ask tries again.
  bytes.catch(() => byQuery.get(key)?.bytes === bytes && byQuery.delete(key));
  return bytes;
}

/** The answer as JSON text. Runs in the worker. */
export async function runValueStream(engine: Engine, job: ValueStreamJob): Promise<string> {
  const { boardId, range } = job;
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
    for await (const page of eventPages(sql, boardId, 0, Number(board.version))) for (const e of page) replay.add(e);
    // The board's lanes, for the page's filter.
    const lanes = (await sql.all<{ id: string; name: string; class_of_service: string }>('select id, name, class_of_service from lanes where board_id = ? and deleted_at is null order by ord, id', [boardId])).map(
      (l) => ({ id: l.id, name: l.name, classOfService: l.class_of_service }),
    );
    return { ...valueStreamMap(replay.finish(job.now), range), boardName: board.name, version: Number(board.version), lanes };
  });
  return JSON.stringify({ ...map, range: { ...map.range, ...filterOf(range) } });
}
