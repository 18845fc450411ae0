/**
 * Rows and their wire types. Select lists are derived from the schema (db/sqlite/schema.ts, whose
 * names the PostgreSQL schema repeats), aliased to the row types' field names, so a column added to
 * the schema reaches every query that reads whole rows.
 */
import { getTableColumns, type Table } from 'drizzle-orm';
import { defaultLaneId } from '../../lib/shared/domain/lanes';
import type { AutomationRefusal, BoardEvent, BoardEventBody, CardDTO, CardStage, CardType, ClassOfService, ColumnDTO, LaneDTO, WorkingDays } from '../../lib/shared/domain/types';
import { boards, cards, columns, events, lanes } from '../sqlite/schema';

/** `column_name as "fieldName", …` for every column of a table, optionally qualified by an alias. */
export function selectList(table: Table, alias?: string): string {
  return Object.entries(getTableColumns(table))
    .map(([field, column]) => `${alias ? `${alias}.` : ''}${column.name} as "${field}"`)
    .join(', ');
}

export type BoardRow = typeof boards.$inferSelect;
export type CardRow = typeof cards.$inferSelect;
export type ColumnRow = typeof columns.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type LaneRow = typeof lanes.$inferSelect;

export const BOARD_FIELDS = selectList(boards);
export const CARD_FIELDS = selectList(cards);
export const COLUMN_FIELDS = selectList(columns);
export const EVENT_FIELDS = selectList(events);
export const LANE_FIELDS = selectList(lanes);

/** SQLite keeps booleans as 0 and 1; PostgreSQL returns them as booleans. */
export const cardRowOf = (raw: CardRow): CardRow => ({ ...raw, blocked: Boolean(raw.blocked) });

export const iso = (ms: number) => new Date(ms).toISOString();

export function toCardDTO(row: CardRow): CardDTO {
  return {
    id: row.id,
    boardId: row.boardId,
    columnId: row.columnId,
    laneId: row.laneId ?? defaultLaneId(row.boardId),
    position: row.position,
    title: row.title,
    description: row.description,
    type: row.type as CardType,
    blocked: Boolean(row.blocked),
    blockedReason: row.blockedReason,
    blockedMs: Number(row.blockedMs),
    blockedSince: row.blockedSince === null ? null : iso(Number(row.blockedSince)),
    defectCount: row.defectCount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    enteredColumnAt: iso(row.enteredColumnAt),
    assigneeIds: assigneesOf(row.assigneeIds),
    stage: row.stage === 'done' ? 'done' : ('doing' satisfies CardStage),
    number: Number(row.number ?? 0),
    ...(row.automationRefusal ? { automationRefusal: refusalOf(row.automationRefusal) } : {}),
    parentId: row.parentId ?? null,
  };
}

/** The stored refusal of an automated move (db/store/hooks.ts); unreadable JSON reads as none. */
function refusalOf(json: string): AutomationRefusal | null {
  try {
    return JSON.parse(json) as AutomationRefusal;
  } catch {
    return null;
  }
}

/** The stored JSON array of account ids; anything else reads as no one. */
export function assigneesOf(json: string | null | undefined): string[] {
  if (!json || json === '[]') return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function toColumnDTO(row: ColumnRow, defectsReturned = 0): ColumnDTO {
  // SQLite keeps the flag as 0 or 1.
  return { id: row.id, boardId: row.boardId, name: row.name, wipLimit: row.wipLimit, defectsReturned, split: Boolean(row.split) };
}

export function toLaneDTO(row: LaneRow, cellLimits: Record<string, number> = {}): LaneDTO {
  return { id: row.id, boardId: row.boardId, name: row.name, classOfService: row.classOfService as ClassOfService, wipLimit: row.wipLimit, cellLimits };
}

export function eventFromRow(row: Pick<EventRow, 'type' | 'boardId' | 'version' | 'actor' | 'actorId' | 'at' | 'data'>): BoardEvent {
  const body = JSON.parse(row.data) as Omit<BoardEventBody, 'type'> & { clientMutationId?: string | null };
  return {
    ...body,
    type: row.type,
    boardId: row.boardId,
    version: row.version,
    actor: row.actor,
    actorId: row.actorId ?? null,
    at: iso(row.at),
    clientMutationId: body.clientMutationId ?? null,
  } as BoardEvent;
}

/**
 * The same event as eventFromRow, as JSON text spliced from the stored body without parsing it:
 * GET /events sends 1,000 a page, and parsing then re-encoding them was most of a page's time. The
 * body is JSON.stringify's output (db/store/tx.ts appendEvent), so a key of its own at the top is the
 * only place `"clientMutationId":` can appear unescaped; the row's fields come after the body's, and
 * win over any of the same name, as in eventFromRow.
 */
export function eventJsonFromRow(row: Pick<EventRow, 'type' | 'boardId' | 'version' | 'actor' | 'actorId' | 'at' | 'data'>): string {
  const body = row.data.trim();
  const inner = body.slice(1, -1).trim();
  const mutation = body.includes('"clientMutationId":') ? '' : ',"clientMutationId":null';
  return `{${inner ? `${inner},` : ''}"type":${JSON.stringify(row.type)},"boardId":${JSON.stringify(row.boardId)},"version":${row.version},"actor":${JSON.stringify(row.actor)},"actorId":${row.actorId === null || row.actorId === undefined ? 'null' : JSON.stringify(row.actorId)},"at":"${iso(row.at)}"${mutation}}`;
}

/** A board's working days as stored (null: every day, the default). */
export function parseWorkingDays(stored: string | null | undefined): WorkingDays | null {
  return stored ? (JSON.parse(stored) as WorkingDays) : null;
}
