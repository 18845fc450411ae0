/**
 * The board admins' side of inbound hooks (docs/api.md "Inbound hooks"): make one (its secret shown
 * once), rotate its secret, delete it, read its log, and set the board's mapping. Routes of the REST
 * table: the gate has authenticated the asker and the table checked they are a member; admin here.
 */
import type { Access } from '../../../db/access';
import type { Store } from '../../../db/store';
import { DomainError } from '../../shared/domain/errors';
import { HAPPENINGS, hookSchemas } from '../../shared/hooks';
import { authorize, parseOrFail } from '../commands';
import { route, type Route } from '../http/routes';

/** Most log lines one read returns (the newest first). */
const LOG_PAGE = 200;

export function hookRoutes({ store, access }: { store: Store; access: Access }): Route[] {
  const admin = (principal: Parameters<typeof authorize>[1], boardId: string) => authorize(access, principal, boardId, 'admin');
  const hookOfBoard = async (boardId: string, hookId: string) => {
    const hook = await store.hooks.get(hookId);
    if (!hook || hook.boardId !== boardId) throw new DomainError('NOT_FOUND', 'Hook not found');
    return hook;
  };
  return [
    route('GET', '/api/boards/:boardId/hooks', async ({ params, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      const [hooks, board] = await Promise.all([store.hooks.list(boardId), store.hooks.board(boardId)]);
      return { status: 200, body: { hooks, rules: board.rules, happenings: HAPPENINGS, keyPrefix: board.keyPrefix } };
    }),
    route('POST', '/api/boards/:boardId/hooks', async ({ params, body, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      const input = parseOrFail(hookSchemas.hookCreate, body);
      return { status: 201, body: await store.hooks.create(boardId, input, principal.user.id) };
    }),
    route('POST', '/api/boards/:boardId/hooks/:hookId/rotate', async ({ params, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      return { status: 200, body: await store.hooks.rotate(boardId, params.hookId ?? '') };
    }),
    route('DELETE', '/api/boards/:boardId/hooks/:hookId', async ({ params, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      await store.hooks.remove(boardId, params.hookId ?? '');
      return { status: 200, body: { hooks: await store.hooks.list(boardId) } };
    }),
    route('GET', '/api/boards/:boardId/hooks/:hookId/log', async ({ params, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      const hook = await hookOfBoard(boardId, params.hookId ?? '');
      return { status: 200, body: { entries: await store.hooks.logOf(hook.id, LOG_PAGE) } };
    }),
    route('PATCH', '/api/boards/:boardId/hook-mapping', async ({ params, body, principal }) => {
      const boardId = params.boardId ?? '';
      await admin(principal, boardId);
      const { rules } = parseOrFail(hookSchemas.mapping, body);
      return { status: 200, body: { rules: await store.hooks.setMapping(boardId, rules) } };
    }),
  ];
}
