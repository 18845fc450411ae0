import type { z } from 'zod';
import type { Access } from '../../db/access';
import type { Actor, Commit, Store } from '../../db/store';
import { DomainError, isDomainError } from '../domain/errors';
import { hasRole, type BoardRole } from '../domain/roles';
import type { BoardEvent } from '../domain/types';
import { describeIssues, schemas, type Failure } from '../realtime/protocol';
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
  /** The board that owns what the command touches (null when that does not exist) and what to call it then. */
  board: (store: Store, input: z.infer<S>) => { boardId: string | null; missing: string };
  run: (store: Store, input: z.infer<S>, actor: Actor) => R;
  /** The extra fields of the success ack, beyond `ok` and `version`. */
  reply: (result: R) => object;
}

function command<S extends z.ZodType, R extends Commit>(c: Command<S, R>): Command<S, R> {
  return c;
}

const none = () => ({});
const ofBoard = (_: Store, i: { boardId: string }) => ({ boardId: i.boardId, missing: 'Board not found' });
const ofColumn = (s: Store, i: { columnId: string }) => ({ boardId: s.boardOfColumn(i.columnId), missing: 'Work center not found' });
const ofCard = (s: Store, i: { cardId: string }) => ({ boardId: s.boardOfCard(i.cardId), missing: 'Card not found' });

export const commands = {
  // Admins: the board's settings, its work centers and WIP limits.
  'board:rename': command({ schema: schemas.boardRename, role: 'admin', board: ofBoard, run: (s, i, a) => s.renameBoard(i, a), reply: none }),
  'board:configure': command({ schema: schemas.boardConfigure, role: 'admin', board: ofBoard, run: (s, i, a) => s.configureBoard(i, a), reply: none }),
  'column:add': command({ schema: schemas.columnAdd, role: 'admin', board: ofBoard, run: (s, i, a) => s.addColumn(i, a), reply: (r) => ({ column: r.column }) }),
  'column:update': command({ schema: schemas.columnUpdate, role: 'admin', board: ofColumn, run: (s, i, a) => s.updateColumn(i, a), reply: none }),
  'column:move': command({ schema: schemas.columnMove, role: 'admin', board: ofColumn, run: (s, i, a) => s.moveColumn(i, a), reply: none }),
  'column:remove': command({ schema: schemas.columnRemove, role: 'admin', board: ofColumn, run: (s, i, a) => s.removeColumn(i, a), reply: none }),
  // Members: the cards.
  'card:create': command({ schema: schemas.cardCreate, role: 'member', board: ofBoard, run: (s, i, a) => s.createCard(i, a), reply: (r) => ({ card: r.card }) }),
  'card:update': command({ schema: schemas.cardUpdate, role: 'member', board: ofCard, run: (s, i, a) => s.updateCard(i, a), reply: none }),
  'card:move': command({ schema: schemas.cardMove, role: 'member', board: ofCard, run: (s, i, a) => s.moveCard(i, a), reply: (r) => ({ card: r.card }) }),
  'card:delete': command({ schema: schemas.cardDelete, role: 'member', board: ofCard, run: (s, i, a) => s.deleteCard(i, a), reply: none }),
} as const;

export type CommandName = keyof typeof commands;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export type CommandOutcome = { ok: true; version: number; events: BoardEvent[]; reply: object } | Failure;

/** Turns anything thrown into a failure the client can show; unknown errors are logged, never echoed. */
export function toFailure(error: unknown, logger: Logger, context: string): Failure {
  if (isDomainError(error)) return { ok: false, code: error.code, message: error.message };
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
export function authorize(access: Access, principal: Principal, boardId: string | null, needed: BoardRole, missing = 'Board not found'): BoardRole {
  const role = boardId === null ? null : access.roleOf(boardId, principal.user.id);
  if (!role) throw new DomainError('NOT_FOUND', missing);
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
export function executeCommand(ctx: CommandContext, name: CommandName, payload: unknown, principal: Principal): CommandOutcome {
  const { store, access, logger } = ctx;
  try {
    const cmd = commands[name] as Command<z.ZodType, Commit>;
    const input = parseOrFail(cmd.schema, payload);
    const result = store.atomically(() => {
      const { boardId, missing } = cmd.board(store, input);
      authorize(access, principal, boardId, cmd.role, missing);
      return cmd.run(store, input, actorOf(principal));
    });
    return { ok: true, version: result.version, events: result.events, reply: cmd.reply(result) };
  } catch (error) {
    return toFailure(error, logger, name);
  }
}
