/**
 * Writes a validated CSV import plan (lib/flow/csv.ts) as a new board whose history is the file's:
 * every item's entries become events dated in the past, in time order, and the flow aggregates are
 * computed from those events before the transaction commits. One transaction: nothing is
 * half-imported.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { FlowAggregates } from './flow';
import type { BoardEvent, CardDTO, ColumnDTO } from '../lib/domain/types';
import type { ImportPlan } from '../lib/flow/csv';
import { replayFlow } from '../lib/flow/replay';

export interface ImportResult {
  boardId: string;
  version: number;
  items: number;
  events: number;
}

type Body = Record<string, unknown> & { type: string };
interface Pending {
  at: number;
  cardId: string | null;
  body: Body;
  /** Item order then step, so equal times keep the file's order. */
  seq: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function importBoard(flow: FlowAggregates, plan: ImportPlan, opts: { name: string; actor: string; newId: () => string }): ImportResult {
  const sqlite = flow.sqlite;
  const boardId = opts.newId();
  const start = plan.earliest;
  const columns: ColumnDTO[] = plan.workCenters.map((name) => ({ id: opts.newId(), boardId, name, wipLimit: null, defectsReturned: 0 }));

  // Final places: each card ends in the last work center it entered, in file order there.
  const cardIds = plan.items.map(() => opts.newId());
  const finalColumn = plan.items.map((it) => it.dates.reduce<number>((last, d, i) => (d === null ? last : i), -1));
  const positions = new Map<string, string>();
  columns.forEach((c, ci) => {
    const here = plan.items.map((_, i) => i).filter((i) => finalColumn[i] === ci);
    const keys = generateNKeysBetween(null, null, here.length);
    here.forEach((i, k) => positions.set(cardIds[i] as string, keys[k] as string));
  });

  const pending: Pending[] = [];
  let seq = 0;
  plan.items.forEach((item, i) => {
    const cardId = cardIds[i] as string;
    const steps = item.dates.map((at, ci) => ({ at, ci })).filter((s): s is { at: number; ci: number } => s.at !== null);
    const position = positions.get(cardId) as string;
    steps.forEach((step, k) => {
      const columnId = (columns[step.ci] as ColumnDTO).id;
      if (k === 0) {
        const card: CardDTO = {
          id: cardId,
          boardId,
          columnId,
          position,
          title: item.title,
          description: '',
          type: item.type,
          blocked: false,
          blockedReason: null,
          defectCount: 0,
          createdAt: iso(step.at),
          updatedAt: iso(step.at),
          enteredColumnAt: iso(step.at),
        };
        pending.push({ at: step.at, cardId, body: { type: 'card_created', card }, seq: seq++ });
      } else {
        const from = (columns[(steps[k - 1] as { ci: number }).ci] as ColumnDTO).id;
        pending.push({
          at: step.at,
          cardId,
          body: { type: 'card_moved', cardId, fromColumnId: from, toColumnId: columnId, position, backward: false, reason: null, detectedAtColumnId: null, returnedToColumnId: null },
          seq: seq++,
        });
      }
    });
  });
  pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const all: Pending[] = [{ at: start, cardId: null, body: { type: 'board_created', name: opts.name, columns }, seq: -1 }, ...pending];

  return sqlite.transaction(() => {
    sqlite
      .prepare('insert into boards (id, name, version, created_at, flow_ready) values (?, ?, ?, ?, 1)')
      .run(boardId, opts.name, all.length, start);
    const insertColumn = sqlite.prepare('insert into columns (id, board_id, name, ord, wip_limit, created_at, removed_at, flow_ord) values (?, ?, ?, ?, null, ?, null, ?)');
    columns.forEach((c, i) => insertColumn.run(c.id, boardId, c.name, i, start, i));
    const insertCard = sqlite.prepare(
      `insert into cards (id, board_id, column_id, position, title, description, type, blocked, blocked_reason, defect_count, created_at, updated_at, entered_column_at)
       values (?, ?, ?, ?, ?, '', ?, 0, null, 0, ?, ?, ?)`,
    );
    const insertItem = sqlite.prepare('insert into imported_items (card_id, board_id, external_id, link, attributes) values (?, ?, ?, ?, ?)');
    plan.items.forEach((item, i) => {
      const cardId = cardIds[i] as string;
      const dates = item.dates.filter((d): d is number => d !== null);
      const last = dates.at(-1) as number;
      const column = columns[finalColumn[i] as number] as ColumnDTO;
      insertCard.run(cardId, boardId, column.id, positions.get(cardId), item.title, item.type, dates[0], last, last);
      insertItem.run(cardId, boardId, item.externalId, item.link, JSON.stringify(item.attributes));
    });
    const insertEvent = sqlite.prepare('insert into events (board_id, version, type, actor, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?)');
    const events: BoardEvent[] = all.map((p, i) => {
      const { type, ...data } = p.body;
      insertEvent.run(boardId, i + 1, type, opts.actor, p.at, p.cardId, JSON.stringify(data));
      return { ...p.body, boardId, version: i + 1, actor: opts.actor, at: iso(p.at) } as unknown as BoardEvent;
    });
    flow.writeAggregates(boardId, replayFlow(events));
    return { boardId, version: all.length, items: plan.items.length, events: all.length };
  }).immediate();
}
