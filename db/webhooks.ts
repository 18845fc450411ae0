/**
 * Outgoing webhooks in the database: their configuration, the outbox and the deliveries that the
 * sender (lib/server/webhooks/sender.ts) works through. An event owed to webhooks is put in the
 * outbox in its own transaction (`outboxEvent`, called by db/store/tx.ts appendEvent), so an event
 * that committed is delivered, whatever happens to the process afterwards. The sender turns each
 * outbox row into a delivery per subscribed webhook (`expandOutbox`), many at a time, after the commit.
 *
 * One small row per event on the move's path, not a row per webhook with its body: writing five
 * deliveries and their bodies in the move's transaction cost a move 0.7 ms on SQLite (a move without
 * webhooks takes 0.5 ms), one outbox row costs it a few hundredths of that.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../lib/shared/domain/errors';
import type { BoardEvent } from '../lib/shared/domain/types';
import { EVENT_FIELDS, eventFromRow, type EventRow } from './store/rows';
import { WEBHOOK_LIMITS, type DeliveryDTO, type DeliveryStatus, type WebhookCreateInput, type WebhookDTO, type WebhookEventType, type WebhookUpdateInput } from '../lib/shared/webhooks';
import type { Engine, Sql, WriteTx } from './engine';
import { nextAttemptAt, shouldDisable, FAILURES_TO_DISABLE } from '../lib/server/webhooks/backoff';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/**
 * The outbox write of one event: a row when the board has an enabled webhook subscribed to its type,
 * in one statement (a board without webhooks pays one indexed lookup that finds nothing). Returns
 * how many rows it wrote (0 or 1).
 */
export async function outboxEvent(tx: Pick<WriteTx, 'run'>, event: BoardEvent, now: number): Promise<number> {
  return tx.run(
    `insert into webhook_outbox (board_id, event_version, event_type, created_at)
     select cast(? as text), cast(? as integer), cast(? as text), cast(? as bigint)
     where exists (select 1 from webhooks w where w.board_id = ? and w.enabled = ? and w.event_types like ? escape '\\')`,
    [event.boardId, event.version, event.type, now, event.boardId, true, typePattern(event.type)],
  );
}

/** The type as a JSON string inside the stored array, with LIKE's wildcard `_` escaped: an exact match. */
const typePattern = (type: string) => `%${JSON.stringify(type).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A delivery's id: receivers de-duplicate by it; the same on every attempt and redeliver. */
export const deliveryIdOf = (webhookId: string, version: number) => `${webhookId}.${version}`;

/**
 * The body of a delivery, made from the event's row in the log: the same bytes at every attempt (the
 * log never changes), signed as they are sent. What the board's viewers receive, without the
 * request id of whoever made the change.
 */
export function payloadOf(row: Pick<EventRow, 'type' | 'boardId' | 'version' | 'actor' | 'actorId' | 'at' | 'data'>): string {
  const { clientMutationId: _ignored, ...event } = eventFromRow(row);
  return JSON.stringify({ type: event.type, boardId: event.boardId, version: event.version, at: event.at, actor: event.actor, event });
}

interface WebhookRow {
  id: string;
  boardId: string;
  url: string;
  secret: string;
  eventTypes: string;
  enabled: number | boolean;
  disabledReason: string | null;
  disabledAt: number | null;
  consecutiveFailures: number;
  failingSince: number | null;
  createdAt: number;
  pending?: number;
}

const WEBHOOK_FIELDS = `w.id, w.board_id as "boardId", w.url, w.secret, w.event_types as "eventTypes", w.enabled, w.disabled_reason as "disabledReason",
  w.disabled_at as "disabledAt", w.consecutive_failures as "consecutiveFailures", w.failing_since as "failingSince", w.created_at as "createdAt"`;

/** The last characters of a secret: enough to tell two apart, useless to sign with. */
const hintOf = (secret: string) => `…${secret.slice(-4)}`;

function toWebhookDTO(row: WebhookRow): WebhookDTO {
  return {
    id: row.id,
    boardId: row.boardId,
    url: row.url,
    secretHint: hintOf(row.secret),
    eventTypes: JSON.parse(row.eventTypes) as WebhookEventType[],
    enabled: Boolean(row.enabled),
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    consecutiveFailures: Number(row.consecutiveFailures),
    createdAt: iso(row.createdAt) as string,
    pending: Number(row.pending ?? 0),
  };
}

interface DeliveryRow {
  webhookId: string;
  eventVersion: number;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

const DELIVERY_FIELDS = `webhook_id as "webhookId", event_version as "eventVersion", event_type as "eventType", status, attempts, next_attempt_at as "nextAttemptAt",
  last_attempt_at as "lastAttemptAt", last_status_code as "lastStatusCode", last_error as "lastError", last_duration_ms as "lastDurationMs",
  delivered_at as "deliveredAt", created_at as "createdAt"`;

const toDeliveryDTO = (r: DeliveryRow): DeliveryDTO => ({
  id: deliveryIdOf(r.webhookId, Number(r.eventVersion)),
  webhookId: r.webhookId,
  eventVersion: Number(r.eventVersion),
  eventType: r.eventType,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
  lastAttemptAt: iso(r.lastAttemptAt),
  lastStatusCode: r.lastStatusCode === null ? null : Number(r.lastStatusCode),
  lastError: r.lastError,
  lastDurationMs: r.lastDurationMs === null ? null : Number(r.lastDurationMs),
  deliveredAt: iso(r.deliveredAt),
  createdAt: iso(r.createdAt) as string,
});

/** A delivery a sender holds: everything it needs to send it and record what happened. */
export interface ClaimedDelivery {
  /** The delivery id (deliveryIdOf). */
  id: string;
  webhookId: string;
  eventVersion: number;
  eventType: string;
  payload: string;
  attempts: number;
  retryFrom: number;
  url: string;
  secret: string;
  /** The lease this sender holds; a result is recorded only while it still holds it. */
  leaseUntil: number;
}

/** What one attempt came to. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Delivered and dead deliveries are kept this long for the log, then pruned. */
export const DELIVERY_LOG_DAYS = 14;
const LOG_PAGE = 50;

async function webhookOn(sql: Sql, boardId: string, webhookId: string): Promise<WebhookRow> {
  const row = await sql.get<WebhookRow>(`select ${WEBHOOK_FIELDS} from webhooks w where w.id = ? and w.board_id = ?`, [webhookId, boardId]);
  if (!row) throw new DomainError('NOT_FOUND', 'Webhook not found on this board');
  return row;
}

const listOf = (sql: Sql, boardId: string) =>
  sql.all<WebhookRow>(
    `select ${WEBHOOK_FIELDS}, (select count(*) from webhook_deliveries d where d.webhook_id = w.id and d.status = 'pending') as pending
     from webhooks w where w.board_id = ? order by w.created_at, w.id`,
    [boardId],
  );

async function recordAttempt(tx: WriteTx, delivery: ClaimedDelivery, result: AttemptResult, now: number, random: number): Promise<{ disabled: boolean }> {
  const attempts = delivery.attempts + 1;
  const last = [now, result.statusCode, result.error === null ? null : result.error.slice(0, 500), Math.round(result.durationMs)] as const;
  if (result.ok) {
    const changed = await tx.run(
      `update webhook_deliveries set status = 'delivered', attempts = ?, lease_until = null, delivered_at = ?,
         last_attempt_at = ?, last_status_code = ?, last_error = ?, last_duration_ms = ? where webhook_id = ? and event_version = ? and lease_until = ?`,
      [attempts, now, ...last, delivery.webhookId, delivery.eventVersion, delivery.leaseUntil],
    );
    if (changed > 0) await tx.run('update webhooks set consecutive_failures = 0, failing_since = null where id = ? and consecutive_failures > 0', [delivery.webhookId]);
    return { disabled: false };
  }
  const next = nextAttemptAt(delivery.retryFrom, attempts, now, random);
  const changed = await tx.run(
    `update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, lease_until = null,
       last_attempt_at = ?, last_status_code = ?, last_error = ?, last_duration_ms = ? where webhook_id = ? and event_version = ? and lease_until = ?`,
    [next === null ? 'dead' : 'pending', attempts, next ?? now, ...last, delivery.webhookId, delivery.eventVersion, delivery.leaseUntil],
  );
  if (changed === 0) return { disabled: false };
  const hook = await tx.get<{ failures: number; since: number }>(
    `update webhooks set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ?)
     where id = ? and enabled = ? returning consecutive_failures as failures, failing_since as since`,
    [now, delivery.webhookId, true],
  );
  if (!hook || !shouldDisable(Number(hook.failures), Number(hook.since), now)) return { disabled: false };
  const hours = Math.round((now - Number(hook.since)) / 3_600_000);
  const reason = `Disabled after ${hook.failures} failed attempts in a row over ${hours < 1 ? 'about an hour' : `${hours} hour${hours === 1 ? '' : 's'}`} (at least ${FAILURES_TO_DISABLE}); last error: ${result.error ?? 'none'}`;
  await tx.run('update webhooks set enabled = ?, disabled_reason = ?, disabled_at = ?, updated_at = ? where id = ?', [false, reason.slice(0, 500), now, now, delivery.webhookId]);
  return { disabled: true };
}

export function createWebhooks(engine: Engine, clock: () => number = Date.now) {
  return {
    list: async (boardId: string): Promise<WebhookDTO[]> => (await engine.read((sql) => listOf(sql, boardId))).map(toWebhookDTO),

    /** Registers a webhook; the URL has been checked by the caller (lib/server/webhooks/ssrf.ts). Answers the secret once. */
    async create(boardId: string, input: WebhookCreateInput, userId: string | null): Promise<{ webhook: WebhookDTO; secret: string }> {
      const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
      const id = `wh_${randomUUID()}`;
      const now = clock();
      const row = await engine.write(async (tx) => {
        const count = await tx.get<{ n: number }>('select count(*) as n from webhooks where board_id = ?', [boardId]);
        if (Number(count?.n ?? 0) >= WEBHOOK_LIMITS.perBoard) throw new DomainError('CONFLICT', `A board has at most ${WEBHOOK_LIMITS.perBoard} webhooks: remove one first`);
        await tx.run(
          'insert into webhooks (id, board_id, url, secret, event_types, enabled, consecutive_failures, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
          [id, boardId, input.url, secret, JSON.stringify(input.eventTypes), true, userId, now, now],
        );
        return webhookOn(tx, boardId, id);
      });
      return { webhook: toWebhookDTO(row), secret };
    },

    /** Changes a webhook. Enabling it again clears the failure count and the notice. */
    async update(boardId: string, webhookId: string, patch: WebhookUpdateInput): Promise<WebhookDTO> {
      const now = clock();
      const row = await engine.write(async (tx) => {
        const before = await webhookOn(tx, boardId, webhookId);
        const enabled = patch.enabled ?? Boolean(before.enabled);
        const reenabled = enabled && !before.enabled;
        await tx.run(
          `update webhooks set url = ?, secret = ?, event_types = ?, enabled = ?, updated_at = ?,
             disabled_reason = ?, disabled_at = ?, consecutive_failures = ?, failing_since = ? where id = ?`,
          [
            patch.url ?? before.url,
            patch.secret ?? before.secret,
            patch.eventTypes ? JSON.stringify(patch.eventTypes) : before.eventTypes,
            enabled,
            now,
            enabled ? null : (before.disabledReason ?? null),
            enabled ? null : (before.disabledAt ?? now),
            reenabled ? 0 : Number(before.consecutiveFailures),
            reenabled ? null : before.failingSince,
            webhookId,
          ],
        );
        // Deliveries that waited while it was off are sent now, not after their old backoff.
        if (reenabled) await tx.run("update webhook_deliveries set next_attempt_at = ? where webhook_id = ? and status = 'pending' and next_attempt_at > ?", [now, webhookId, now]);
        return webhookOn(tx, boardId, webhookId);
      });
      return toWebhookDTO(row);
    },

    /** Removes a webhook and its delivery log (pending deliveries are never sent). */
    async remove(boardId: string, webhookId: string): Promise<void> {
      await engine.write(async (tx) => {
        await webhookOn(tx, boardId, webhookId);
        await tx.run('delete from webhook_deliveries where webhook_id = ?', [webhookId]);
        await tx.run('delete from webhooks where id = ?', [webhookId]);
      });
    },

    /** The URL of a webhook, for the SSRF check of a changed URL. */
    get: async (boardId: string, webhookId: string): Promise<WebhookDTO> => toWebhookDTO(await engine.read((sql) => webhookOn(sql, boardId, webhookId))),

    /** The delivery log: its latest LOG_PAGE deliveries, newest first (optionally of one status). */
    async deliveries(boardId: string, webhookId: string, status?: DeliveryStatus): Promise<DeliveryDTO[]> {
      return engine.read(async (sql) => {
        await webhookOn(sql, boardId, webhookId);
        const rows = await sql.all<DeliveryRow>(
          `select ${DELIVERY_FIELDS} from webhook_deliveries where webhook_id = ? ${status ? 'and status = ?' : ''} order by created_at desc, event_version desc limit ?`,
          status ? [webhookId, status, LOG_PAGE] : [webhookId, LOG_PAGE],
        );
        return rows.map(toDeliveryDTO);
      });
    },

    /**
     * Sends a delivery again, with its id unchanged (receivers de-duplicate by it), and a fresh day of
     * retries. Refused while an attempt of it is under way, or while the webhook is disabled.
     */
    async redeliver(boardId: string, webhookId: string, deliveryId: string): Promise<DeliveryDTO> {
      const now = clock();
      return engine.write(async (tx) => {
        const hook = await webhookOn(tx, boardId, webhookId);
        if (!hook.enabled) throw new DomainError('CONFLICT', 'The webhook is disabled: enable it first');
        // The id is `<webhook id>.<event version>` (deliveryIdOf).
        const dot = deliveryId.lastIndexOf('.');
        const version = Number(deliveryId.slice(dot + 1));
        if (dot < 0 || deliveryId.slice(0, dot) !== webhookId || !Number.isSafeInteger(version)) throw new DomainError('NOT_FOUND', 'Delivery not found for this webhook');
        const key = [webhookId, version] as const;
        const row = await tx.get<{ leaseUntil: number | null }>('select lease_until as "leaseUntil" from webhook_deliveries where webhook_id = ? and event_version = ?', key);
        if (!row) throw new DomainError('NOT_FOUND', 'Delivery not found for this webhook');
        if (row.leaseUntil !== null && Number(row.leaseUntil) > now) throw new DomainError('CONFLICT', 'This delivery is being sent right now');
        await tx.run("update webhook_deliveries set status = 'pending', attempts = 0, retry_from = ?, next_attempt_at = ?, lease_until = null where webhook_id = ? and event_version = ?", [now, now, ...key]);
        return toDeliveryDTO((await tx.get<DeliveryRow>(`select ${DELIVERY_FIELDS} from webhook_deliveries where webhook_id = ? and event_version = ?`, key)) as DeliveryRow);
      });
    },

    /** Webhooks the app disabled because they kept failing: the notice the board's admins see. */
    disabledNotices: (boardId: string): Promise<Array<{ id: string; url: string; reason: string; at: string }>> =>
      engine.read(async (sql) =>
        (
          await sql.all<{ id: string; url: string; reason: string; at: number }>(
            'select id, url, disabled_reason as reason, disabled_at as at from webhooks where board_id = ? and enabled = ? and disabled_reason is not null order by disabled_at',
            [boardId, false],
          )
        ).map((r) => ({ ...r, at: iso(r.at) as string })),
      ),

    /**
     * Takes up to `limit` due deliveries of enabled webhooks for one sender, leased until
     * `now + leaseMs` (a sender that dies lets them go then). On PostgreSQL several processes claim at
     * once without waiting on each other's rows (SKIP LOCKED); SQLite's write lock makes it one at a time.
     */
    async claim(limit: number, leaseMs: number, skipWebhooks: readonly string[]): Promise<ClaimedDelivery[]> {
      if (limit <= 0) return [];
      const now = clock();
      const leaseUntil = now + leaseMs;
      const skip = skipWebhooks.length > 0 ? `and d2.webhook_id not in (${skipWebhooks.map(() => '?').join(', ')})` : '';
      const lock = engine.kind === 'postgres' ? 'for update of d2 skip locked' : '';
      return engine.write(async (tx) => {
        const rows = await tx.all<{ webhookId: string; eventVersion: number; boardId: string; eventType: string; attempts: number; retryFrom: number }>(
          `update webhook_deliveries set lease_until = ?
           where (webhook_id, event_version) in (
             select d2.webhook_id, d2.event_version from webhook_deliveries d2 join webhooks w on w.id = d2.webhook_id
             where d2.status = 'pending' and d2.next_attempt_at <= ? and (d2.lease_until is null or d2.lease_until <= ?) and w.enabled = ? ${skip}
             order by d2.next_attempt_at limit ? ${lock})
           returning webhook_id as "webhookId", event_version as "eventVersion", board_id as "boardId", event_type as "eventType", attempts, retry_from as "retryFrom"`,
          [leaseUntil, now, now, true, ...skipWebhooks, limit],
        );
        if (rows.length === 0) return [];
        const ids = [...new Set(rows.map((r) => r.webhookId))];
        const hooks = new Map(
          (await tx.all<{ id: string; url: string; secret: string }>(`select id, url, secret from webhooks where id in (${ids.map(() => '?').join(', ')})`, ids)).map((h) => [h.id, h]),
        );
        // The bodies, from the log: one read per board.
        const bodies = new Map<string, string>();
        const byBoard = groupBy(rows, (r) => r.boardId);
        for (const [boardId, of] of byBoard) {
          const versions = [...new Set(of.map((r) => Number(r.eventVersion)))];
          const events = await tx.all<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and version in (${versions.map(() => '?').join(', ')})`, [boardId, ...versions]);
          for (const e of events) bodies.set(`${boardId} ${e.version}`, payloadOf(e));
        }
        return rows.flatMap((r) => {
          const hook = hooks.get(r.webhookId);
          const payload = bodies.get(`${r.boardId} ${r.eventVersion}`);
          if (!hook || payload === undefined) return [];
          const eventVersion = Number(r.eventVersion);
          return [{ id: deliveryIdOf(r.webhookId, eventVersion), webhookId: r.webhookId, eventVersion, eventType: r.eventType, payload, attempts: Number(r.attempts), retryFrom: Number(r.retryFrom), url: hook.url, secret: hook.secret, leaseUntil }];
        });
      });
    },

    /**
     * Turns outbox rows into deliveries, a delivery per webhook of the board that is enabled,
     * subscribed to the event's type and was registered before the event, and removes them, in one
     * transaction (a second turn of the same rows finds them gone; a delivery written twice is kept
     * once). Returns how many outbox rows it took.
     */
    async expandOutbox(limit: number): Promise<number> {
      const lock = engine.kind === 'postgres' ? 'for update skip locked' : '';
      return engine.write(async (tx) => {
        const rows = await tx.all<{ boardId: string; eventVersion: number; eventType: string; createdAt: number }>(
          `select board_id as "boardId", event_version as "eventVersion", event_type as "eventType", created_at as "createdAt" from webhook_outbox order by created_at limit ? ${lock}`,
          [limit],
        );
        if (rows.length === 0) return 0;
        for (const [boardId, of] of groupBy(rows, (r) => r.boardId)) {
          const hooks = (await tx.all<{ id: string; eventTypes: string; createdAt: number }>('select id, event_types as "eventTypes", created_at as "createdAt" from webhooks where board_id = ? and enabled = ?', [boardId, true])).map(
            (h) => ({ id: h.id, types: new Set(JSON.parse(h.eventTypes) as string[]), createdAt: Number(h.createdAt) }),
          );
          const values: Array<string | number> = [];
          for (const r of of) {
            const at = Number(r.createdAt);
            for (const h of hooks) if (h.types.has(r.eventType) && h.createdAt <= at) values.push(h.id, Number(r.eventVersion), boardId, r.eventType, at, at, at);
          }
          for (let i = 0; i < values.length; i += 7 * 100) {
            const chunk = values.slice(i, i + 7 * 100);
            await tx.run(
              `insert into webhook_deliveries (webhook_id, event_version, board_id, event_type, retry_from, next_attempt_at, created_at)
               values ${Array.from({ length: chunk.length / 7 }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} on conflict do nothing`,
              chunk,
            );
          }
          const versions = of.map((r) => Number(r.eventVersion));
          await tx.run(`delete from webhook_outbox where board_id = ? and event_version in (${versions.map(() => '?').join(', ')})`, [boardId, ...versions]);
        }
        return rows.length;
      });
    },

    /**
     * Records an attempt, if this sender still holds the delivery's lease. A failure schedules the next
     * attempt (or gives up after a day) and counts against the webhook, which is disabled with a reason
     * for its admins when it keeps failing. Returns whether that happened now.
     */
    record: (delivery: ClaimedDelivery, result: AttemptResult, random: number = Math.random()): Promise<{ disabled: boolean }> =>
      engine.write((tx) => recordAttempt(tx, delivery, result, clock(), random)),

    /** Several attempts in one transaction (the sender records what finished in the same moment together). */
    recordAll: (attempts: ReadonlyArray<{ delivery: ClaimedDelivery; result: AttemptResult }>): Promise<Array<{ disabled: boolean }>> =>
      engine.write(async (tx) => {
        const now = clock();
        const outcomes: Array<{ disabled: boolean }> = [];
        for (const { delivery, result } of attempts) outcomes.push(await recordAttempt(tx, delivery, result, now, Math.random()));
        return outcomes;
      }),

    /** Gives back leases this sender holds without an attempt (a clean shutdown): sent again at once elsewhere. */
    async release(deliveries: readonly ClaimedDelivery[]): Promise<void> {
      if (deliveries.length === 0) return;
      await engine.write(async (tx) => {
        for (const d of deliveries) await tx.run('update webhook_deliveries set lease_until = null where webhook_id = ? and event_version = ? and lease_until = ?', [d.webhookId, d.eventVersion, d.leaseUntil]);
      });
    },

    /** When the next delivery is due (null: none waiting), so the sender sleeps until then. */
    nextDue: async (): Promise<number | null> => {
      // An outbox row waiting is due at once (its time is in the past).
      const row = await engine.read((sql) =>
        sql.get<{ at: number | null }>(
          `select min(at) as at from (
             select (select d.next_attempt_at from webhook_deliveries d join webhooks w on w.id = d.webhook_id
                     where d.status = 'pending' and w.enabled = ? order by d.next_attempt_at limit 1) as at
             union all select min(created_at) as at from webhook_outbox) t`,
          [true],
        ),
      );
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },

    /** Removes delivered and dead deliveries older than DELIVERY_LOG_DAYS. */
    prune: async (): Promise<number> =>
      engine.write((tx) => tx.run("delete from webhook_deliveries where status <> 'pending' and created_at < ?", [clock() - DELIVERY_LOG_DAYS * 86_400_000])),
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
