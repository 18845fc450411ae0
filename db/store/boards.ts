/** Board writes (create, rename, flow settings) and the reads of a board: snapshot, log, history. */
import { DomainError } from '../../lib/shared/domain/errors';
import { DEFECT_WINDOW_DAYS, VALUE_STREAM_TEMPLATE } from '../../lib/shared/domain/limits';
import type { BoardEvent, BoardSnapshot, BoardSummaryDTO, CardDTO, CardHistoryEntry, WorkingDays } from '../../lib/shared/domain/types';
import type { BoardConfigureInput, BoardCreateInput, BoardRenameInput } from '../../lib/shared/protocol';
import type { Sql, WriteTx } from '../engine';
import { BOARD_FIELDS, CARD_FIELDS, EVENT_FIELDS, eventFromRow, eventJsonFromRow, iso, toCardDTO, toColumnDTO, type BoardRow, type CardRow, type EventRow } from './rows';
import { liveColumns, type Actor, type Commit, type WriteContext } from './tx';
import { insertDefaultLane, liveLanes } from './lanes';
import { defaultKeyPrefix, keyPrefixOf } from '../../lib/shared/domain/keys';

const DAY_MS = 86_400_000;

/** A new board with its work centers; whoever creates it is its first admin, in the same transaction. */
export async function insertBoard(tx: WriteTx, input: BoardCreateInput, actor: Actor, ids: { boardId: string; newId: () => string }, now: number) {
  const { boardId } = ids;
  const template = input.columns ?? VALUE_STREAM_TEMPLATE;
  // The key prefix is frozen at creation: renaming the board leaves its cards' keys as they are.
  await tx.run('insert into boards (id, name, version, created_at, key_prefix) values (?, ?, 0, ?, ?)', [boardId, input.name, now, defaultKeyPrefix(input.name)]);
  const cols = template.map((c, ord) => ({ id: ids.newId(), boardId, name: c.name, ord, wipLimit: c.wipLimit ?? null, createdAt: now, removedAt: null, flowOrd: ord, split: false }));
  for (const c of cols) {
    await tx.run('insert into columns (id, board_id, name, ord, wip_limit, created_at, removed_at, flow_ord) values (?, ?, ?, ?, ?, ?, null, ?)', [
      c.id,
      boardId,
      c.name,
      c.ord,
      c.wipLimit,
      now,
      c.ord,
    ]);
  }
  if (actor.id) await tx.run("insert into board_members (board_id, user_id, role, created_at) values (?, ?, 'admin', ?)", [boardId, actor.id, now]);
  const lane = await insertDefaultLane(tx, boardId, now);
  return { cols, lanes: [lane] };
}

export async function renameBoard({ tx, boardId, append }: WriteContext, input: BoardRenameInput): Promise<Commit> {
  const event = await append({ type: 'board_renamed', name: input.name });
  // A board from before card keys has its prefix derived from its name: the old name's stays (apply.ts does the same).
  const old = await tx.get<{ name: string; keyPrefix: string | null }>('select name, key_prefix as "keyPrefix" from boards where id = ?', [boardId]);
  const keyPrefix = old?.keyPrefix ?? defaultKeyPrefix(old?.name ?? input.name);
  await tx.run('update boards set name = ?, key_prefix = ? where id = ?', [input.name, keyPrefix, boardId]);
  return { boardId, version: event.version, events: [event] };
}

/** Flow settings: the customer's demand (cards per week) and the commitment work center. */
export async function configureBoard({ tx, boardId, append }: WriteContext, input: BoardConfigureInput): Promise<Commit> {
  const board = await tx.get<BoardRow>(`select ${BOARD_FIELDS} from boards where id = ?`, [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const demandPerWeek = input.demandPerWeek === undefined ? board.demandPerWeek : input.demandPerWeek;
  const commitmentColumnId = input.commitmentColumnId === undefined ? board.commitmentColumnId : input.commitmentColumnId;
  if (commitmentColumnId !== null && !(await liveColumns(tx, boardId)).some((c) => c.id === commitmentColumnId)) {
    throw new DomainError('NOT_FOUND', 'The commitment work center is not on this board');
  }
  const events: BoardEvent[] = [];
  if (demandPerWeek !== board.demandPerWeek || commitmentColumnId !== board.commitmentColumnId) {
    await tx.run('update boards set demand_per_week = ?, commitment_column_id = ? where id = ?', [demandPerWeek, commitmentColumnId, boardId]);
    events.push(await append({ type: 'board_settings_changed', demandPerWeek, commitmentColumnId }));
  }
  // The per-person WIP limit (db/store/people.ts): its own event, so the flow settings' readers are not disturbed.
  if (input.personWipLimit !== undefined && input.personWipLimit !== board.personWipLimit) {
    await tx.run('update boards set person_wip_limit = ? where id = ?', [input.personWipLimit, boardId]);
    events.push(await append({ type: 'person_wip_limit_set', personWipLimit: input.personWipLimit }));
  }
  // The card keys' prefix: its own event; the numbers stay, so PAY-42 reads PAYM-42 from now on.
  if (input.keyPrefix !== undefined && input.keyPrefix !== keyPrefixOf({ name: board.name, keyPrefix: board.keyPrefix ?? undefined })) {
    await tx.run('update boards set key_prefix = ? where id = ?', [input.keyPrefix, boardId]);
    events.push(await append({ type: 'key_prefix_set', keyPrefix: input.keyPrefix }));
  }
  // Working days for forecasts: their own event too, kept in a canonical order so that "no change" is seen.
  if (input.workingDays !== undefined) {
    const workingDays = canonicalWorkingDays(input.workingDays);
    const stored = workingDays === null ? null : JSON.stringify(workingDays);
    if (stored !== board.workingDays) {
      await tx.run('update boards set working_days = ? where id = ?', [stored, boardId]);
      events.push(await append({ type: 'working_days_set', workingDays }));
    }
  }
  return { boardId, version: events.at(-1)?.version ?? board.version, events };
}

/** Weekdays and holidays sorted and each once; every weekday and no holiday is the default (null). */
export function canonicalWorkingDays(input: { weekdays: number[]; holidays?: string[] } | null): WorkingDays | null {
  if (input === null) return null;
  const weekdays = [...new Set(input.weekdays)].toSorted((a, b) => a - b);
  const holidays = [...new Set(input.holidays ?? [])].toSorted();
  return weekdays.length === 7 && holidays.length === 0 ? null : { weekdays, holidays };
}

export async function listBoards(sql: Sql): Promise<BoardSummaryDTO[]> {
  const rows = await sql.all<{ id: string; name: string; version: number; createdAt: number; cardCount: number; columnCount: number }>(
    `select b.id, b.name, b.version, b.created_at as "createdAt",
       (select count(*) from cards c where c.board_id = b.id and c.deleted_at is null) as "cardCount",
       (select count(*) from columns k where k.board_id = b.id and k.removed_at is null) as "columnCount"
     from boards b where b.importing = false order by b.created_at, b.id`,
  );
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

/** The board and its work centers, without cards. */
async function boardHead(sql: Sql, boardId: string, now: number): Promise<Omit<BoardSnapshot, 'cards'>> {
  const board = await sql.get<BoardRow>(`select ${BOARD_FIELDS} from boards where id = ?`, [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const defects = await sql.all<{ columnId: string; n: number }>(
    'select returned_to_column_id as "columnId", count(*) as n from backward_moves where board_id = ? and at >= ? group by returned_to_column_id',
    [boardId, now - DEFECT_WINDOW_DAYS * DAY_MS],
  );
  const returned = new Map(defects.map((d) => [d.columnId, d.n]));
  const columns = (await liveColumns(sql, boardId)).map((c) => toColumnDTO(c, returned.get(c.id) ?? 0));
  const lanes = await liveLanes(sql, boardId);
  const keyPrefix = keyPrefixOf({ name: board.name, keyPrefix: board.keyPrefix ?? undefined });
  const head = { id: board.id, name: board.name, version: board.version, createdAt: iso(board.createdAt), columns, lanes, keyPrefix };
  return board.personWipLimit === null ? head : { ...head, personWipLimit: board.personWipLimit };
}

export async function snapshotOf(sql: Sql, boardId: string, now: number): Promise<BoardSnapshot> {
  const head = await boardHead(sql, boardId, now);
  const cards = await sql.all<CardRow>(`select ${CARD_FIELDS} from cards where board_id = ? and deleted_at is null order by column_id, position, id`, [boardId]);
  return { ...head, cards: cards.map(toCardDTO) };
}

/** Cards of a work center in board order, after `after` (a card's position and id) when given. */
async function cardsInOrder(sql: Sql, binary: (column: string) => string, columnId: string, after: { position: string; id: string } | null, limit: number): Promise<CardDTO[]> {
  const [position, id] = [binary('position'), binary('id')];
  // After a card: a range on the position (an index range), less the ties up to that card.
  const rows = await sql.all<CardRow>(
    `select ${CARD_FIELDS} from cards where column_id = ? and deleted_at is null${after ? ` and ${position} >= ? and not (position = ? and ${id} <= ?)` : ''} order by ${position}, ${id} limit ?`,
    after ? [columnId, after.position, after.position, after.id, limit] : [columnId, limit],
  );
  return rows.map(toCardDTO);
}

/** Live cards per work center of a board, from the index on (board_id, column_id, deleted_at). */
async function cardTotals(sql: Sql, boardId: string): Promise<Map<string, number>> {
  const rows = await sql.all<{ columnId: string; n: number }>('select column_id as "columnId", count(*) as n from cards where board_id = ? and deleted_at is null group by column_id', [boardId]);
  return new Map(rows.map((r) => [r.columnId, Number(r.n)]));
}

/**
 * The board as a join sends it (lib/shared/domain/cardWindow.ts): each work center's first
 * `perColumn` cards in board order, and the count of every longer one. Reads a page per work center,
 * whatever the board's size.
 */
export async function windowedSnapshotOf(sql: Sql, binary: (column: string) => string, boardId: string, now: number, perColumn: number): Promise<BoardSnapshot> {
  const head = await boardHead(sql, boardId, now);
  const totals = await cardTotals(sql, boardId);
  const cards: CardDTO[] = [];
  const partial: Record<string, number> = {};
  for (const column of head.columns) {
    const total = totals.get(column.id) ?? 0;
    if (total === 0) continue;
    cards.push(...(await cardsInOrder(sql, binary, column.id, null, perColumn)));
    if (total > perColumn) partial[column.id] = total;
  }
  return Object.keys(partial).length > 0 ? { ...head, cards, window: { totals: partial } } : { ...head, cards };
}

/** The next page of a work center for a window: its cards after `after`, its count, the board's version. */
export async function cardPageOf(
  sql: Sql,
  binary: (column: string) => string,
  boardId: string,
  columnId: string,
  after: { position: string; id: string } | null,
  limit: number,
): Promise<{ version: number; cards: CardDTO[]; total: number }> {
  const board = await sql.get<{ version: number }>('select version from boards where id = ?', [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const column = await sql.get('select 1 from columns where id = ? and board_id = ? and removed_at is null', [columnId, boardId]);
  if (!column) throw new DomainError('NOT_FOUND', 'Work center not found');
  const total = await sql.get<{ n: number }>('select count(*) as n from cards where board_id = ? and column_id = ? and deleted_at is null', [boardId, columnId]);
  return { version: Number(board.version), cards: await cardsInOrder(sql, binary, columnId, after, limit), total: Number(total?.n ?? 0) };
}

/** Events after `sinceVersion`, at most `limit` of them, in version order. */
export async function eventsAfter(sql: Sql, boardId: string, sinceVersion: number, limit: number): Promise<BoardEvent[]> {
  const rows = await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and version > ? order by version limit ?`, [boardId, sinceVersion, limit]);
  return rows.map(eventFromRow);
}

/** The same page as JSON texts, one per event (rows.ts eventJsonFromRow). */
export async function eventJsonsAfter(sql: Sql, boardId: string, sinceVersion: number, limit: number): Promise<string[]> {
  const rows = await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and version > ? order by version limit ?`, [boardId, sinceVersion, limit]);
  return rows.map(eventJsonFromRow);
}

export async function historyOf(sql: Sql, cardId: string): Promise<CardHistoryEntry[]> {
  const card = await sql.get<{ parentId: string | null }>('select parent_id as "parentId" from cards where id = ?', [cardId]);
  if (!card) throw new DomainError('NOT_FOUND', 'Card not found');
  // A child of a split begins with its parent's split (logged under the parent's id), naming the parent.
  const parent = card.parentId ? await sql.get<{ title: string }>('select title from cards where id = ?', [card.parentId]) : undefined;
  const split = card.parentId
    ? await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where card_id = ? and type = 'card_split' order by seq`, [card.parentId])
    : [];
  const rows = await sql.all<EventRow>(`select ${EVENT_FIELDS} from events where card_id = ? order by seq`, [cardId]);
  return [...split, ...rows].map((row) => {
    const e = eventFromRow(row);
    const entry: CardHistoryEntry = { version: e.version, type: e.type, actor: e.actor, at: e.at };
    if (e.type === 'card_split') {
      if (e.cardId === cardId) Object.assign(entry, { toColumnId: e.columnId, childIds: e.children.map((c) => c.id) });
      else Object.assign(entry, { toColumnId: e.columnId, parentId: e.cardId, parentTitle: parent?.title ?? 'a card' });
    }
    if (e.type === 'card_moved')
      Object.assign(entry, {
        fromColumnId: e.fromColumnId,
        toColumnId: e.toColumnId,
        backward: e.backward,
        reason: e.reason,
        ...(e.undoes ? { undoes: e.undoes.version } : {}),
        ...(e.toLaneId ? { fromLaneId: e.fromLaneId, toLaneId: e.toLaneId } : {}),
        ...(e.toStage ? { fromStage: e.fromStage, toStage: e.toStage } : {}),
      });
    else if (e.type === 'card_created') Object.assign(entry, { toColumnId: e.card.columnId });
    else if (e.type === 'card_updated') Object.assign(entry, { changes: e.changes });
    return entry;
  });
}
