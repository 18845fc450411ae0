/**
 * Inbound hooks' storage (lib/server/hooks): the hooks and their secrets, the board's mapping, each
 * hook's log, the delivery ids already handled, and the link from an alert's fingerprint to its card.
 * The board writes a hook makes (a refusal shown on a card, an alert's card and its notes) are here
 * too, each one transaction under the board's lock like every other write.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../lib/shared/domain/errors';
import { keyPrefixOf } from '../../lib/shared/domain/keys';
import { LIMITS } from '../../lib/shared/domain/limits';
import type { AutomationRefusal, CardDTO, CardType, ColumnDTO, LaneDTO } from '../../lib/shared/domain/types';
import type { HookLogEntry, HookOutcome, HookProvider, HookRule, InboundHookDTO } from '../../lib/shared/hooks';
import type { Sql } from '../engine';
import { createCard, cardOn, updateCard } from './cards';
import { liveLanes } from './lanes';
import { iso, toCardDTO, toColumnDTO } from './rows';
import { liveColumns, type Commit, type WriteContext } from './tx';

/** Enough of a hook's history to see what went wrong this week; older lines give way. */
export const HOOK_LOG_KEEP = 500;

export interface HookRow {
  id: string;
  boardId: string;
  name: string;
  provider: HookProvider;
  secret: string;
  createdAt: number;
}

const HOOK_FIELDS = 'id, board_id as "boardId", name, provider, secret, created_at as "createdAt"';

export const hookPath = (id: string) => `/api/hooks/${id}`;
export const toHookDTO = (h: HookRow): InboundHookDTO => ({ id: h.id, boardId: h.boardId, name: h.name, provider: h.provider, createdAt: iso(Number(h.createdAt)), path: hookPath(h.id) });

/** 32 random bytes, URL-safe: pasted into GitHub's and GitLab's secret fields and Alertmanager's bearer. */
export const newHookSecret = () => `fbh_${randomBytes(32).toString('base64url')}`;

export const hookOf = (sql: Sql, hookId: string) => sql.get<HookRow>(`select ${HOOK_FIELDS} from inbound_hooks where id = ?`, [hookId]);
export const hooksOf = (sql: Sql, boardId: string) => sql.all<HookRow>(`select ${HOOK_FIELDS} from inbound_hooks where board_id = ? order by created_at, id`, [boardId]);

/** What a hook needs of its board to act: work centers, lanes, the key prefix, the mapping. */
export async function hookBoardOf(sql: Sql, boardId: string): Promise<{ keyPrefix: string; columns: ColumnDTO[]; lanes: LaneDTO[]; rules: HookRule[] }> {
  const board = await sql.get<{ name: string; keyPrefix: string | null; hookMapping: string | null }>('select name, key_prefix as "keyPrefix", hook_mapping as "hookMapping" from boards where id = ?', [boardId]);
  if (!board) throw new DomainError('NOT_FOUND', 'Board not found');
  const columns = (await liveColumns(sql, boardId)).map((c) => toColumnDTO(c));
  return { keyPrefix: keyPrefixOf({ name: board.name, keyPrefix: board.keyPrefix ?? undefined }), columns, lanes: await liveLanes(sql, boardId), rules: rulesOf(board.hookMapping) };
}

export function rulesOf(stored: string | null): HookRule[] {
  if (!stored) return [];
  try {
    const parsed = JSON.parse(stored) as { rules?: HookRule[] };
    return Array.isArray(parsed.rules) ? parsed.rules : [];
  } catch {
    return [];
  }
}

/** Replaces the board's mapping; every work center and lane it names must be live on the board. */
export async function setMapping(sql: Sql, boardId: string, rules: HookRule[]): Promise<HookRule[]> {
  const columns = new Set((await liveColumns(sql, boardId)).map((c) => c.id));
  const lanes = new Set((await liveLanes(sql, boardId)).map((l) => l.id));
  for (const r of rules) {
    if (!columns.has(r.workCenterId)) throw new DomainError('NOT_FOUND', `Work center ${r.workCenterId} is not on this board`);
    if (r.laneId && !lanes.has(r.laneId)) throw new DomainError('NOT_FOUND', `Lane ${r.laneId} is not on this board`);
  }
  await sql.run('update boards set hook_mapping = ? where id = ?', [JSON.stringify({ rules }), boardId]);
  return rules;
}

export interface LogLine {
  hookId: string;
  boardId: string;
  provider: string;
  happening?: string | null;
  deliveryId?: string | null;
  cardKey?: string | null;
  outcome: HookOutcome;
  code?: string | null;
  message: string;
}

export async function appendLog(sql: Sql, line: LogLine, now: number): Promise<void> {
  await sql.run('insert into inbound_hook_log (hook_id, board_id, at, provider, happening, delivery_id, card_key, outcome, code, message) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    line.hookId,
    line.boardId,
    now,
    line.provider,
    line.happening?.slice(0, 100) ?? null,
    line.deliveryId ?? null,
    line.cardKey ?? null,
    line.outcome,
    line.code ?? null,
    line.message.slice(0, 1000),
  ]);
  // The oldest lines beyond the newest HOOK_LOG_KEEP give way (a flood of bad deliveries cannot fill the disk).
  await sql.run('delete from inbound_hook_log where hook_id = ? and seq <= (select seq from inbound_hook_log where hook_id = ? order by seq desc limit 1 offset ?)', [line.hookId, line.hookId, HOOK_LOG_KEEP]);
}

export async function logOf(sql: Sql, hookId: string, limit: number): Promise<HookLogEntry[]> {
  const rows = await sql.all<Omit<HookLogEntry, 'at'> & { at: number }>(
    `select seq, at, provider, happening, delivery_id as "deliveryId", card_key as "cardKey", outcome, code, message from inbound_hook_log where hook_id = ? order by seq desc limit ?`,
    [hookId, limit],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), at: iso(Number(r.at)) }));
}

/** Records a delivery id; false when it was there already (a replay). */
export async function claimDelivery(sql: Sql, hookId: string, deliveryId: string, now: number): Promise<boolean> {
  return (await sql.run('insert into inbound_deliveries (hook_id, delivery_id, at) values (?, ?, ?) on conflict do nothing', [hookId, deliveryId, now])) === 1;
}

/** A delivery that failed on our side (the database away): its provider's retry must not be taken for a replay. */
export const releaseDelivery = (sql: Sql, hookId: string, deliveryId: string) => sql.run('delete from inbound_deliveries where hook_id = ? and delivery_id = ?', [hookId, deliveryId]);

/** Shows on the card that a hook's move was refused, and why (cleared by the card's next move). */
export async function noteRefusal(ctx: WriteContext, input: { cardId: string; hookName: string; toColumnId: string; code: string; message: string }): Promise<Commit> {
  const { tx, boardId, now, append } = ctx;
  const card = await cardOn(tx, boardId, input.cardId);
  const refusal: AutomationRefusal = { hookName: input.hookName, toColumnId: input.toColumnId, code: input.code, message: input.message, at: iso(now) };
  await tx.run('update cards set automation_refusal = ? where id = ?', [JSON.stringify(refusal), card.id]);
  const event = await append({ type: 'card_automation_refused', cardId: card.id, hookName: input.hookName, toColumnId: input.toColumnId, code: input.code, message: input.message }, card.id);
  return { boardId, version: event.version, events: [event] };
}

export type AlertOutcome = { outcome: 'created' | 'noted' | 'duplicate' | 'ignored'; card: CardDTO | null; message: string };

const withNote = (description: string, note: string) => {
  const next = description ? `${description}\n\n${note}` : note;
  // The newest notes matter most: a description at its limit loses its oldest text.
  return next.length > LIMITS.cardDescription ? next.slice(next.length - LIMITS.cardDescription) : next;
};

async function linkedCard(ctx: WriteContext, fingerprint: string): Promise<{ card: CardDTO; status: string } | null> {
  const link = await ctx.tx.get<{ cardId: string; status: string }>('select card_id as "cardId", status from alert_cards where board_id = ? and fingerprint = ?', [ctx.boardId, fingerprint]);
  if (!link) return null;
  const row = await ctx.tx.get<{ deleted: number | null }>('select deleted_at as deleted from cards where id = ?', [link.cardId]);
  if (!row || row.deleted !== null) return null;
  return { card: toCardDTO(await cardOn(ctx.tx, ctx.boardId, link.cardId)), status: link.status };
}

async function setLink(ctx: WriteContext, fingerprint: string, cardId: string, status: string): Promise<void> {
  await ctx.tx.run(
    'insert into alert_cards (board_id, fingerprint, card_id, status, updated_at) values (?, ?, ?, ?, ?) on conflict (board_id, fingerprint) do update set card_id = excluded.card_id, status = excluded.status, updated_at = excluded.updated_at',
    [ctx.boardId, fingerprint, cardId, status, ctx.now],
  );
}

/**
 * A firing alert: one card per fingerprint per board. The first notification creates it (through the
 * same create as a person's, so the work center's, lane's and cell's limits hold); a repeat while it
 * fires does nothing; firing again after it was resolved is noted on the same card. Under the board's
 * lock, so two notifications at once cannot both create.
 */
export async function alertFired(
  ctx: WriteContext,
  alert: { fingerprint: string; title: string; description: string; type: CardType; columnId: string; laneId: string | null; at: string },
  newId: () => string,
): Promise<Commit & AlertOutcome> {
  const { boardId, version } = ctx;
  const linked = await linkedCard(ctx, alert.fingerprint);
  if (linked && linked.status === 'firing') return { boardId, version, events: [], outcome: 'duplicate', card: linked.card, message: 'Already firing: its card is there' };
  if (linked) {
    const commit = await updateCard(ctx, { cardId: linked.card.id, description: withNote(linked.card.description, `Firing again since ${alert.at || iso(ctx.now)}.`) });
    await setLink(ctx, alert.fingerprint, linked.card.id, 'firing');
    return { ...commit, outcome: 'noted', card: linked.card, message: 'Firing again: noted on its card' };
  }
  const created = await createCard(ctx, { boardId, title: alert.title, description: alert.description, type: alert.type, columnId: alert.columnId, ...(alert.laneId ? { laneId: alert.laneId } : {}) }, newId);
  await setLink(ctx, alert.fingerprint, created.card.id, 'firing');
  return { ...created, outcome: 'created', message: 'Card created for the alert' };
}

/** A resolved alert is noted on its card (the card stays where it is: closing the incident is the team's move). */
export async function alertResolved(ctx: WriteContext, alert: { fingerprint: string; at: string; hookName: string }): Promise<Commit & AlertOutcome> {
  const { boardId, version } = ctx;
  const linked = await linkedCard(ctx, alert.fingerprint);
  if (!linked) return { boardId, version, events: [], outcome: 'ignored', card: null, message: 'Resolved, but no card was made for this alert' };
  if (linked.status === 'resolved') return { boardId, version, events: [], outcome: 'duplicate', card: linked.card, message: 'Already noted as resolved' };
  const commit = await updateCard(ctx, { cardId: linked.card.id, description: withNote(linked.card.description, `Resolved at ${alert.at || iso(ctx.now)} (${alert.hookName}).`) });
  await setLink(ctx, alert.fingerprint, linked.card.id, 'resolved');
  return { ...commit, outcome: 'noted', card: linked.card, message: 'Resolved: noted on its card' };
}
