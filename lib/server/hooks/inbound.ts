/**
 * POST /api/hooks/:hookId: deliveries from the pipeline and the monitoring. No session: the hook's
 * secret is the credential (verify.ts). What arrives is read into happenings (providers.ts), the
 * board's mapping says where each goes (lib/shared/hooks.ts), and every move or card goes through the
 * same store writes as a person's, with the hook as the actor: a full work center refuses it with
 * WIP_LIMIT, shown on the card; a move backward is a defect with the pipeline's reason. Each delivery
 * leaves lines in the hook's log, whatever became of it.
 */
import type { Context } from 'hono';
import type { Actor, Store } from '../../../db/store';
import type { HookRow, LogLine } from '../../../db/store/hooks';
import { HTTP_STATUS, isDomainError } from '../../shared/domain/errors';
import { keysIn } from '../../shared/domain/keys';
import { CARD_TYPES, type BoardEvent, type CardType, type ColumnDTO, type LaneDTO } from '../../shared/domain/types';
import { rulesFor, PROVIDER_NAMES, type HookOutcome, type HookProvider } from '../../shared/hooks';
import { toFailure } from '../commands';
import type { Logger } from '../logger';
import type { WriteLimiter } from '../rateLimit';
import { sendJson } from '../http/respond';
import { claimedProvider, readDelivery, type Happening } from './providers';
import { deliveryIdOf, verify, type Headers } from './verify';

export interface InboundDeps {
  store: Store;
  logger: Logger;
  broadcast: (events: readonly BoardEvent[]) => void;
  limiter: WriteLimiter;
}

/** What one happening came to, for the answer and the log. */
interface Result {
  outcome: HookOutcome;
  cardKey: string | null;
  code: string | null;
  message: string;
  happening: string | null;
}

const result = (outcome: HookOutcome, message: string, extra: Partial<Result> = {}): Result => ({ outcome, message, cardKey: null, code: null, happening: null, ...extra });

type HookBoard = Awaited<ReturnType<Store['hooks']['board']>>;

/** A work center by id or by name (any case), as the generic format lets a script name it. */
const workCenterOf = (columns: readonly ColumnDTO[], ref: string) => columns.find((c) => c.id === ref) ?? columns.find((c) => c.name.toLowerCase() === ref.toLowerCase());
const laneOf = (lanes: readonly LaneDTO[], ref: string) => lanes.find((l) => l.id === ref) ?? lanes.find((l) => l.name.toLowerCase() === ref.toLowerCase());
/** An incident is expedite work: in the board's expedite lane when it has one (its own limit still holds). */
const expediteLane = (lanes: readonly LaneDTO[]) => lanes.find((l) => l.classOfService === 'expedite') ?? null;

export function createInboundHandler(deps: InboundDeps) {
  const { store, logger, broadcast, limiter } = deps;

  /** One card moved by a hook: the same store write as a person's drop; a refusal is shown on the card. */
  async function moveByHook(hook: HookRow, actor: Actor, cardId: string, cardKey: string, to: ColumnDTO, reason: string | null, happening: string | null): Promise<Result> {
    try {
      const commit = await store.moveCard({ cardId, toColumnId: to.id, ...(reason ? { reason: reason.slice(0, 500) } : {}) }, actor);
      broadcast(commit.events);
      const moved = commit.events.find((e) => e.type === 'card_moved');
      const backward = moved?.type === 'card_moved' && moved.backward;
      return result('moved', backward ? `${cardKey} sent back to ${to.name}: a defect (${reason ?? 'no reason'})` : `${cardKey} moved to ${to.name}`, { cardKey, happening });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      // The pipeline may not overload a work center silently: the refusal goes on the card and in the log.
      try {
        const noted = await store.hooks.noteRefusal(hook.boardId, { cardId, hookName: hook.name, toColumnId: to.id, code: error.code, message: error.message }, actor);
        broadcast(noted.events);
      } catch (noting) {
        // The card went meanwhile (deleted): the log still says what was refused.
        if (!isDomainError(noting)) throw noting;
      }
      return result('refused', error.message, { cardKey, code: error.code, happening });
    }
  }

  async function apply(hook: HookRow, actor: Actor, board: HookBoard, h: Happening, provider: HookProvider): Promise<Result[]> {
    if (h.kind === 'pipeline') {
      const rules = rulesFor(board.rules, provider, h.happening, h.environment);
      const name = `${PROVIDER_NAMES[provider]} ${h.happening}${h.environment ? ` (${h.environment})` : ''}`;
      if (rules.length === 0) return [result('ignored', `No rule of the board's mapping takes ${name}`, { happening: h.happening })];
      const numbers = keysIn(h.text, board.keyPrefix);
      if (numbers.length === 0) return [result('ignored', `${name} names no card (${board.keyPrefix}-<number>) in its title, branch or commit messages`, { happening: h.happening })];
      const rule = rules[0] as (typeof rules)[number];
      const to = board.columns.find((c) => c.id === rule.workCenterId);
      if (!to) return [result('ignored', 'The mapping names a work center that is no longer on the board', { happening: h.happening })];
      const results: Result[] = [];
      for (const n of numbers.slice(0, 20)) {
        const cardKey = `${board.keyPrefix}-${n}`;
        const where = await cardHere(hook.boardId, cardKey);
        if (where === null) results.push(result('ignored', `${cardKey} is not a card on this board`, { cardKey, happening: h.happening }));
        else if (where.columnId === to.id) results.push(result('ignored', `${cardKey} is in ${to.name} already`, { cardKey, happening: h.happening }));
        else results.push(await moveByHook(hook, actor, where.id, cardKey, to, h.reason, h.happening));
      }
      return results;
    }
    if (h.kind === 'alert') {
      const happening = `alert.${h.status}`;
      if (h.status === 'resolved') {
        const done = await store.hooks.alertResolved(hook.boardId, { fingerprint: h.fingerprint, at: h.at, hookName: hook.name }, actor);
        broadcast(done.events);
        return [result(done.outcome, `${h.title}: ${done.message}`, { cardKey: done.card ? `${board.keyPrefix}-${done.card.number}` : null, happening })];
      }
      const rule = rulesFor(board.rules, 'alertmanager', 'alert.firing', null)[0];
      if (!rule) return [result('ignored', 'No rule of the board\'s mapping creates a card for a firing alert', { happening })];
      const lane = rule.laneId ?? expediteLane(board.lanes)?.id ?? null;
      try {
        const done = await store.hooks.alertFired(hook.boardId, { fingerprint: h.fingerprint, title: h.title, description: h.description, type: rule.cardType ?? 'incident', columnId: rule.workCenterId, laneId: lane, at: h.at }, actor);
        broadcast(done.events);
        return [result(done.outcome, `${h.title}: ${done.message}`, { cardKey: done.card ? `${board.keyPrefix}-${done.card.number}` : null, happening })];
      } catch (error) {
        if (!isDomainError(error)) throw error;
        // No card exists to show it on: the log says it, and the next notification of the alert tries again.
        return [result('refused', `${h.title}: no card created. ${error.message}`, { code: error.code, happening })];
      }
    }
    if (h.kind === 'move') {
      const to = workCenterOf(board.columns, h.toWorkCenter);
      if (!to) return [result('ignored', `No work center ${h.toWorkCenter} on this board`, { happening: 'move' })];
      const where = await cardHere(hook.boardId, h.card);
      if (where === null) return [result('ignored', `${h.card} is not a card on this board`, { happening: 'move' })];
      const cardKey = `${board.keyPrefix}-${where.number}`;
      if (where.columnId === to.id) return [result('ignored', `${cardKey} is in ${to.name} already`, { cardKey, happening: 'move' })];
      return [await moveByHook(hook, actor, where.id, cardKey, to, h.reason, 'move')];
    }
    const column = h.workCenter === null ? board.columns[0] : workCenterOf(board.columns, h.workCenter);
    if (!column) return [result('ignored', `No work center ${h.workCenter ?? ''} on this board`, { happening: 'create' })];
    const lane = h.lane === null ? undefined : laneOf(board.lanes, h.lane);
    if (h.lane !== null && !lane) return [result('ignored', `No lane ${h.lane} on this board`, { happening: 'create' })];
    if (h.type !== null && !(CARD_TYPES as readonly string[]).includes(h.type)) return [result('ignored', `A card's type is one of ${CARD_TYPES.join(', ')}`, { happening: 'create' })];
    try {
      const made = await store.createCard(
        { boardId: hook.boardId, title: h.title, description: h.description, type: (h.type ?? 'feature') as CardType, columnId: column.id, ...(lane ? { laneId: lane.id } : {}) },
        actor,
      );
      broadcast(made.events);
      const cardKey = `${board.keyPrefix}-${made.card.number}`;
      return [result('created', `${cardKey} created in ${column.name}`, { cardKey, happening: 'create' })];
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return [result('refused', `No card created: ${error.message}`, { code: error.code, happening: 'create' })];
    }
  }

  /** A card of the hook's board, by key or id; null when it is not there (or is on another board). */
  async function cardHere(boardId: string, ref: string): Promise<{ id: string; columnId: string; number: number } | null> {
    try {
      const id = await store.cardIdOf(ref, { boardId });
      return await store.hooks.cardOn(boardId, id);
    } catch (error) {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  return async (c: Context): Promise<Response> => {
    const hookId = c.req.param('hookId') ?? '';
    const headers = c.env.incoming.headers as Headers;
    const answer = (status: number, body: object) => sendJson(c, status, body);
    const refuse = (status: number, code: string, message: string) => answer(status, { error: { code, message } });
    if (hookId.length > 64 || hookId.includes('\u0000')) return refuse(404, 'NOT_FOUND', 'No such hook');
    let hook: HookRow | undefined;
    let deliveryId: string | null = null;
    const log = (line: Omit<LogLine, 'hookId' | 'boardId'>) => (hook ? store.hooks.log({ ...line, hookId: hook.id, boardId: hook.boardId, deliveryId: line.deliveryId ?? deliveryId }) : Promise.resolve());
    try {
      hook = await store.hooks.get(hookId);
      if (!hook) return refuse(404, 'NOT_FOUND', 'No such hook');
      // One budget per hook across processes: a runaway pipeline cannot flood the board.
      if (!(await limiter.take(`hook:${hook.id}`))) return sendJson(c, 429, { error: { code: 'RATE_LIMITED', message: 'Too many deliveries at once: slow down and try again' } }, { 'retry-after': '1' });
      const raw = await c.req.text();
      const claimed = claimedProvider(headers);
      const verdict = verify(claimed, headers, hook.secret, raw);
      if (!verdict.ok) {
        // Logged without the body: whoever sent it proved nothing, and it may carry someone's secrets.
        await log({ provider: claimed === 'bearer' ? 'unknown' : claimed, outcome: 'unauthorized', code: 'BAD_SIGNATURE', message: verdict.message, deliveryId: deliveryIdOf(claimed, headers) });
        return refuse(401, 'BAD_SIGNATURE', verdict.message);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        await log({ provider: claimed === 'bearer' ? 'unknown' : claimed, outcome: 'invalid', code: 'INVALID', message: 'The body is not JSON' });
        return refuse(400, 'INVALID', 'The body is not valid JSON (send it as application/json)');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        await log({ provider: claimed === 'bearer' ? 'unknown' : claimed, outcome: 'invalid', code: 'INVALID', message: 'The body is not a JSON object' });
        return refuse(400, 'INVALID', 'The body must be a JSON object');
      }
      const { provider, reading } = readDelivery(headers, body as Record<string, unknown>);
      const genericId = provider === 'generic' ? (body as { id?: unknown }).id : undefined;
      deliveryId = deliveryIdOf(claimed, headers) ?? (typeof genericId === 'string' && genericId !== '' ? genericId.slice(0, 200) : null);
      if (deliveryId !== null && !(await store.hooks.claimDelivery(hook.id, deliveryId))) {
        await log({ provider, outcome: 'duplicate', message: `Delivery ${deliveryId} was handled already: nothing done` });
        return answer(200, { ok: true, outcome: 'duplicate', message: 'Already handled' });
      }
      if ('ignored' in reading) {
        await log({ provider, happening: reading.happening ?? null, outcome: 'ignored', message: reading.ignored });
        return answer(200, { ok: true, results: [{ outcome: 'ignored', message: reading.ignored }] });
      }
      const actor: Actor = { name: hook.name, id: null };
      const board = await store.hooks.board(hook.boardId);
      const results: Result[] = [];
      try {
        for (const h of reading.happenings) results.push(...(await apply(hook, actor, board, h, provider)));
      } catch (error) {
        // Ours, not the sender's (the database away): its retry must be handled, not taken for a replay.
        if (deliveryId !== null) await store.hooks.releaseDelivery(hook.id, deliveryId).catch(() => undefined);
        throw error;
      }
      for (const r of results) await log({ provider, happening: r.happening, cardKey: r.cardKey, outcome: r.outcome, code: r.code, message: r.message });
      return answer(200, { ok: true, results: results.map(({ outcome, cardKey, code, message }) => ({ outcome, cardKey, code, message })) });
    } catch (error) {
      const failure = toFailure(error, logger, 'POST /api/hooks');
      await log({ provider: 'unknown', outcome: 'failed', code: failure.code, message: failure.message }).catch(() => undefined);
      return refuse(HTTP_STATUS[failure.code], failure.code, failure.message);
    }
  };
}

