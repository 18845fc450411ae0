import type { z } from 'zod';
import type { Access } from '../../db/access';
import { isConnectionFailure, UnavailableError } from '../../db/engine';
import type { Actor, Commit, Guard, Store } from '../../db/store';
import { DomainError, isDomainError } from '../shared/domain/errors';
import { hasRole, isBoardRole, type BoardRole } from '../shared/domain/roles';
import type { BoardEvent } from '../shared/domain/types';
import { describeIssues, schemas, type Failure } from '../shared/protocol';
import type { Principal } from './auth';
import type { Logger } from './logger';

/**
 * Every write the socket and the REST API accept, in one table: its payload schema and the one
 * store function it calls. Both transports parse with the same schema, run the same function and
 * broadcast the same events, so the rules cannot drift between them.
 */
interface Command<S extends z.ZodType, R extends Commit> {
  schema: S;
  /** The least role on the board this command changes. */
  role: BoardRole;
  /** What to call the thing the command touches when it does not exist (or is not the asker's to see). */
  missing: string;
  run: (store: Store, input: z.infer<S>, actor: Actor, guard: Guard) => Promise<R>;
  /** The extra fields of the success ack, beyond `ok` and `version`. */
  reply: (result: R) => object;
}

function command<S extends z.ZodType, R extends Commit>(c: Command<S, R>): Command<S, R> {
  return c;
}

const none = () => ({});
const ofBoard = 'Board not found';
const ofColumn = 'Work center not found';
const ofCard = 'Card not found';
const ofLane = 'Lane not found';

export const commands = {
  // Admins: the board's settings, its work centers and WIP limits.
  'board:rename': command({ schema: schemas.boardRename, role: 'admin', missing: ofBoard, run: (s, i, a, g) => s.renameBoard(i, a, g), reply: none }),
  'board:configure': command({ schema: schemas.boardConfigure, role: 'admin', missing: ofBoard, run: (s, i, a, g) => s.configureBoard(i, a, g), reply: none }),
  'column:add': command({ schema: schemas.columnAdd, role: 'admin', missing: ofBoard, run: (s, i, a, g) => s.addColumn(i, a, g), reply: (r) => ({ column: r.column }) }),
  'column:update': command({ schema: schemas.columnUpdate, role: 'admin', missing: ofColumn, run: (s, i, a, g) => s.updateColumn(i, a, g), reply: none }),
  'column:move': command({ schema: schemas.columnMove, role: 'admin', missing: ofColumn, run: (s, i, a, g) => s.moveColumn(i, a, g), reply: none }),
  'column:remove': command({ schema: schemas.columnRemove, role: 'admin', missing: ofColumn, run: (s, i, a, g) => s.removeColumn(i, a, g), reply: none }),
  'lane:add': command({ schema: schemas.laneAdd, role: 'admin', missing: ofBoard, run: (s, i, a, g) => s.addLane(i, a, g), reply: (r) => ({ lane: r.lane }) }),
  'lane:update': command({ schema: schemas.laneUpdate, role: 'admin', missing: ofLane, run: (s, i, a, g) => s.updateLane(i, a, g), reply: none }),
  'lane:move': command({ schema: schemas.laneMove, role: 'admin', missing: ofLane, run: (s, i, a, g) => s.moveLane(i, a, g), reply: none }),
  'lane:remove': command({ schema: schemas.laneRemove, role: 'admin', missing: ofLane, run: (s, i, a, g) => s.removeLane(i, a, g), reply: none }),
  // Members: the cards.
  'card:create': command({ schema: schemas.cardCreate, role: 'member', missing: ofBoard, run: (s, i, a, g) => s.createCard(i, a, g), reply: (r) => ({ card: r.card }) }),
  'card:update': command({ schema: schemas.cardUpdate, role: 'member', missing: ofCard, run: (s, i, a, g) => s.updateCard(i, a, g), reply: none }),
  'card:move': command({ schema: schemas.cardMove, role: 'member', missing: ofCard, run: (s, i, a, g) => s.moveCard(i, a, g), reply: (r) => ({ card: r.card }) }),
  'card:undo-move': command({ schema: schemas.cardUndoMove, role: 'member', missing: ofCard, run: (s, i, a, g) => s.undoMove(i, a, g), reply: (r) => ({ card: r.card }) }),
  'card:delete': command({ schema: schemas.cardDelete, role: 'member', missing: ofCard, run: (s, i, a, g) => s.deleteCard(i, a, g), reply: none }),
  'card:split': command({ schema: schemas.cardSplit, role: 'member', missing: ofCard, run: (s, i, a, g) => s.splitCard(i, a, g), reply: (r) => ({ cards: r.cards }) }),
} as const;

export type CommandName = keyof typeof commands;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export type CommandOutcome = { ok: true; version: number; events: BoardEvent[]; reply: object } | Failure;

/** Turns anything thrown into a failure the client can show; unknown errors are logged, never echoed. */
export function toFailure(error: unknown, logger: Logger, context: string): Failure {
  if (isDomainError(error)) return { ok: false, code: error.code, message: error.message };
  // Ours (db engines), or a driver's error that reached us through better-auth or drizzle.
  if (isConnectionFailure(error)) {
    const cause = error instanceof UnavailableError ? error.cause : error;
    logger.warn(`${context}: database unavailable`, cause instanceof Error ? cause.message : cause);
    return { ok: false, code: 'UNAVAILABLE', message: 'The database is unavailable right now; nothing was changed. Try again in a moment' };
  }
  logger.error(`${context} failed`, error instanceof Error ? (error.stack ?? error.message) : error);
  return { ok: false, code: 'INTERNAL', message: 'Something went wrong on the server; nothing was changed' };
}

export function parseOrFail<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new DomainError('INVALID', describeIssues(parsed.error));
  return parsed.data;
}

/** The actor recorded on the events of a principal's changes. */
export const actorOf = (principal: Principal): Actor => ({ id: principal.user.id, name: principal.user.name });

/**
 * The role a principal has on a board, at least `needed`. A board the principal is not a member of
 * does not exist for them: NOT_FOUND, with the same message as for a board that does not exist.
 */
export async function authorize(access: Access, principal: Principal, boardId: string | null, needed: BoardRole, missing = 'Board not found'): Promise<BoardRole> {
  const role = boardId === null ? null : await access.roleOf(boardId, principal.user.id);
  return requireRole(role, needed, missing);
}

/** The rule itself, for a role read anywhere (inside a write's transaction: lib/server/commands.ts). */
export function requireRole(role: string | null, needed: BoardRole, missing = 'Board not found'): BoardRole {
  if (!isBoardRole(role)) throw new DomainError('NOT_FOUND', missing);
  if (!hasRole(role, needed)) {
    throw new DomainError('FORBIDDEN', needed === 'admin' ? 'Only a board admin may do this' : 'A viewer cannot change the board');
  }
  return role;
}

export interface CommandContext {
  store: Store;
  access: Access;
  logger: Logger;
}

/**
 * Parse, authorize on the board that owns the target, run the one store function. The check and the
 * write share one transaction, so a member removed meanwhile cannot slip a change in. Never throws.
 */
export async function executeCommand(ctx: CommandContext, name: CommandName, payload: unknown, principal: Principal): Promise<CommandOutcome> {
  const { store, logger } = ctx;
  try {
    const cmd = commands[name] as Command<z.ZodType, Commit>;
    // A card key (PAY-42) is taken wherever a card id is: among the asker's boards (db/store/keys.ts).
    const input = parseOrFail(cmd.schema, await store.withCardIds(payload, { userId: principal.user.id }));
    // The store reads the asker's role after locking the board, in the write's own transaction.
    const result = await cmd.run(store, input, actorOf(principal), (role) => requireRole(role, cmd.role, cmd.missing));
    return { ok: true, version: result.version, events: result.events, reply: cmd.reply(result) };
  } catch (error) {
    return toFailure(error, logger, name);
  }
}
