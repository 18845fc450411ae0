import type { z } from 'zod';
import type { Actor, Commit, Store } from '../../db/store';
import { DomainError, isDomainError } from '../domain/errors';
import type { BoardEvent } from '../domain/types';
import { describeIssues, schemas, type Failure } from '../realtime/protocol';
import type { Logger } from './logger';

/**
 * Every write the socket and the REST API accept, in one table: its payload schema and the one
 * store function it calls. Both transports parse with the same schema, run the same function and
 * broadcast the same events, so the rules cannot drift between them.
 */
interface Command<S extends z.ZodType, R extends Commit> {
  schema: S;
  run: (store: Store, input: z.infer<S>, actor: Actor) => R;
  /** The extra fields of the success ack, beyond `ok` and `version`. */
  reply: (result: R) => object;
}

function command<S extends z.ZodType, R extends Commit>(c: Command<S, R>): Command<S, R> {
  return c;
}

const none = () => ({});

export const commands = {
  'board:rename': command({ schema: schemas.boardRename, run: (s, i, a) => s.renameBoard(i, a), reply: none }),
  'board:configure': command({ schema: schemas.boardConfigure, run: (s, i, a) => s.configureBoard(i, a), reply: none }),
  'column:add': command({ schema: schemas.columnAdd, run: (s, i, a) => s.addColumn(i, a), reply: (r) => ({ column: r.column }) }),
  'column:update': command({ schema: schemas.columnUpdate, run: (s, i, a) => s.updateColumn(i, a), reply: none }),
  'column:move': command({ schema: schemas.columnMove, run: (s, i, a) => s.moveColumn(i, a), reply: none }),
  'column:remove': command({ schema: schemas.columnRemove, run: (s, i, a) => s.removeColumn(i, a), reply: none }),
  'card:create': command({ schema: schemas.cardCreate, run: (s, i, a) => s.createCard(i, a), reply: (r) => ({ card: r.card }) }),
  'card:update': command({ schema: schemas.cardUpdate, run: (s, i, a) => s.updateCard(i, a), reply: none }),
  'card:move': command({ schema: schemas.cardMove, run: (s, i, a) => s.moveCard(i, a), reply: (r) => ({ card: r.card }) }),
  'card:delete': command({ schema: schemas.cardDelete, run: (s, i, a) => s.deleteCard(i, a), reply: none }),
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

export function executeCommand(
  store: Store,
  logger: Logger,
  name: CommandName,
  payload: unknown,
  actor: Actor,
): CommandOutcome {
  try {
    const cmd = commands[name] as Command<z.ZodType, Commit>;
    const input = parseOrFail(cmd.schema, payload);
    const result = cmd.run(store, input, actor);
    return { ok: true, version: result.version, events: result.events, reply: cmd.reply(result) };
  } catch (error) {
    return toFailure(error, logger, name);
  }
}
