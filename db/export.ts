/** CSV exports of a board: its items in the import layout, and its raw event log. */
import { blockedTimeOf } from '../lib/shared/domain/blocked';
import { DomainError } from '../lib/shared/domain/errors';
import { formatItemsCsv, toCsv, type ExportItem } from '../lib/shared/flow/csv';
import type { Engine, Sql } from './engine';

export function exportItemsCsv(engine: Engine, boardId: string, tz: string, now = Date.now()): Promise<string> {
  return engine.read((sql) => itemsCsvOf(sql, boardId, tz, now));
}

async function itemsCsvOf(sql: Sql, boardId: string, tz: string, now: number): Promise<string> {
  if (!(await sql.get('select 1 from boards where id = ?', [boardId]))) throw new DomainError('NOT_FOUND', 'Board not found');
  const columns = await sql.all<{ id: string; name: string }>('select id, name from columns where board_id = ? and removed_at is null order by ord', [boardId]);
  // Imported items first in file order (rowid), then cards made on the board, oldest first.
  const rows = await sql.values<[string, string, string, string | null, string | null, string | null, number, number | null]>(
    `select c.id, c.title, c.type, i.external_id, i.link, i.attributes, c.blocked_ms, c.blocked_since from cards c
     left join imported_items i on i.card_id = c.id
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
  const items: ExportItem[] = rows.map(([id, title, type, externalId, link, attributesJson, blockedMs, blockedSince]) => {
    const attributes = externalId === null ? { Type: type } : (JSON.parse(attributesJson ?? '{}') as Record<string, string>);
    for (const h of Object.keys(attributes)) if (!attributeHeaders.includes(h)) attributeHeaders.push(h);
    if (link) withLink = true;
    const e = enteredBy.get(id);
    const blocked = blockedTimeOf({ blockedMs: Number(blockedMs), blockedSince: blockedSince === null ? null : new Date(Number(blockedSince)).toISOString() }, now);
    return { externalId: externalId ?? id, link, title, entered: columns.map((c) => e?.get(c.id) ?? null), attributes, blockedMs: blocked };
  });
  return formatItemsCsv(
    columns.map((c) => c.name),
    attributeHeaders,
    items,
    tz,
    withLink,
  );
}

export async function exportEventsCsv(engine: Engine, boardId: string): Promise<string> {
  const rows = await engine.read(async (sql) => {
    if (!(await sql.get('select 1 from boards where id = ?', [boardId]))) throw new DomainError('NOT_FOUND', 'Board not found');
    return sql.values<[number, number, string, string, string | null, string]>('select version, at, type, actor, card_id, data from events where board_id = ? order by version', [boardId]);
  });
  return toCsv([['version', 'at', 'type', 'actor', 'cardId', 'data'], ...rows.map(([v, at, type, actor, cardId, data]) => [v, new Date(at).toISOString(), type, actor, cardId, data])]);
}
