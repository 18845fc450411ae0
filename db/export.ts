/** CSV exports of a board: its items in the import layout, and its raw event log. */
import { blockedTimeOf } from '../lib/shared/domain/blocked';
import { DomainError } from '../lib/shared/domain/errors';
import { formatItemsCsv, toCsv, type ExportItem } from '../lib/shared/flow/csv';
import type { Engine, Sql } from './engine';
import { peopleOf } from './store/people';
import { assigneesOf } from './store/rows';
import { keyPrefixOf } from '../lib/shared/domain/keys';

export function exportItemsCsv(engine: Engine, boardId: string, tz: string, now = Date.now()): Promise<string> {
  return engine.read((sql) => itemsCsvOf(sql, boardId, tz, now));
}

async function itemsCsvOf(sql: Sql, boardId: string, tz: string, now: number): Promise<string> {
  const board = await sql.get<{ name: string; keyPrefix: string | null }>('select name, key_prefix as "keyPrefix" from boards where id = ?', [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const prefix = keyPrefixOf({ name: board.name, keyPrefix: board.keyPrefix ?? undefined });
  const columns = await sql.all<{ id: string; name: string }>('select id, name from columns where board_id = ? and removed_at is null order by ord', [boardId]);
  // Imported items first in file order (rowid), then cards made on the board, oldest first.
  // A split's child names its parent in `Parent` by the ID the parent had in this layout (its imported
  // ID, else its card id): the value an earlier export of the board wrote in the parent's ID column.
  const rows = await sql.values<[string, string, string, string | null, string | null, string | null, number, number | null, string, string | null, string, number | null]>(
    `select c.id, c.title, c.type, i.external_id, i.link, i.attributes, c.blocked_ms, c.blocked_since, c.assignee_ids, coalesce(pi.external_id, c.parent_id), c.stage, c.number from cards c
     left join imported_items i on i.card_id = c.id
     left join imported_items pi on pi.card_id = c.parent_id
     where c.board_id = ? and c.deleted_at is null
     order by case when i.ord is null then 1 else 0 end, i.ord, c.created_at, c.id`,
    [boardId],
  );
  const enteredBy = new Map<string, Map<string, number>>();
  const cardOf = await sql.values<[string, string, number]>('select card_id, column_id, entered_at from card_flow where board_id = ? and entered_at is not null', [boardId]);
  for (const [cardId, columnId, at] of cardOf) {
    const m = enteredBy.get(cardId) ?? new Map<string, number>();
    m.set(columnId, at);
    enteredBy.set(cardId, m);
  }
  const attributeHeaders: string[] = [];
  let withLink = false;
  const names = new Map((await peopleOf(sql, boardId)).map((p) => [p.id, p.name]));
  const items: ExportItem[] = rows.map(([id, title, type, externalId, link, attributesJson, blockedMs, blockedSince, assigneeIds, parent, stage, number]) => {
    const attributes: Record<string, string> = externalId === null ? { Type: type } : (JSON.parse(attributesJson ?? '{}') as Record<string, string>);
    if (parent !== null) attributes.Parent = parent;
    for (const h of Object.keys(attributes)) if (!attributeHeaders.includes(h)) attributeHeaders.push(h);
    if (link) withLink = true;
    const e = enteredBy.get(id);
    const blocked = blockedTimeOf({ blockedMs: Number(blockedMs), blockedSince: blockedSince === null ? null : new Date(Number(blockedSince)).toISOString() }, now);
    const assignees = assigneesOf(assigneeIds).map((a) => names.get(a) ?? 'Former member');
    const key = number ? `${prefix}-${Number(number)}` : '';
    return { externalId: externalId ?? id, link, title, entered: columns.map((c) => e?.get(c.id) ?? null), attributes, blockedMs: blocked, assignees, stage: stage === 'done' ? 'done' : 'doing', key };
  });
  return formatItemsCsv(
    columns.map((c) => c.name),
    attributeHeaders,
    items,
    tz,
    withLink,
  );
}

/** Events a page of events.csv holds: about 1 MB of CSV, a few milliseconds of the worker's time. */
export const EVENTS_CSV_PAGE = 2000;

/**
 * The raw event log as CSV, in pages made one at a time as the reader asks for them: memory stays at
 * a page whatever the log's length. The log as it stood when the export began (events are only ever
 * appended, so reading each page up to that version gives one consistent file).
 */
export async function* eventsCsvPages(engine: Engine, boardId: string, pageSize = EVENTS_CSV_PAGE): AsyncGenerator<string> {
  const board = await engine.read((sql) => sql.get<{ version: number }>('select version from boards where id = ?', [boardId]));
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const last = Number(board.version);
  yield toCsv([['version', 'at', 'type', 'actor', 'cardId', 'data']]);
  let after = 0;
  while (after < last) {
    const rows = await engine.read((sql) =>
      sql.values<[number, number, string, string, string | null, string]>('select version, at, type, actor, card_id, data from events where board_id = ? and version > ? and version <= ? order by version limit ?', [
        boardId,
        after,
        last,
        pageSize,
      ]),
    );
    if (rows.length === 0) return;
    after = Number(rows.at(-1)?.[0]);
    yield toCsv(rows.map(([v, at, type, actor, cardId, data]) => [Number(v), new Date(Number(at)).toISOString(), type, actor, cardId, data]));
  }
}

/** The whole file in one string (tests, and the reference the pages must add up to). */
export async function exportEventsCsv(engine: Engine, boardId: string): Promise<string> {
  let csv = '';
  for await (const page of eventsCsvPages(engine, boardId)) csv += page;
  return csv;
}
