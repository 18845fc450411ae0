import type { Access } from '../../db/access';
import { INVITE_TTL_HOURS } from '../../db/access';
import type { Store } from '../../db/store';
import { DomainError } from '../shared/domain/errors';
import { schemas } from '../shared/protocol';
import { authorize, parseOrFail } from './commands';
import { route, type Result, type Route, type RouteRequest } from './http/routes';

interface AccessRouteDeps {
  store: Store;
  access: Access;
  onMemberRemoved: (userId: string, boardId: string) => void;
  onPeopleChanged?: (boardId: string) => void;
  onTokenRevoked: (tokenId: string) => void;
}

const boardIdOf = ({ params }: RouteRequest) => params.boardId ?? '';

/**
 * Accounts, board members, invitations by email, invite links and API tokens. The router has already checked that the
 * caller is a member of the board in the path (NOT_FOUND otherwise); changing members needs admin.
 * Anyone may remove themselves (leave a board), as long as the board keeps an admin.
 */
export function accessRoutes({ store, access, onMemberRemoved, onPeopleChanged, onTokenRevoked }: AccessRouteDeps): Route[] {
  const requireAdmin = (req: RouteRequest) => authorize(access, req.principal, boardIdOf(req), 'admin');

  /**
   * The same answer whether or not an account uses the address: nothing here tells an admin (or
   * anyone with an admin's token) who has an account, and nobody is put on a board without saying yes.
   */
  const inviteByEmail = async (req: RouteRequest): Promise<Result> => {
    await requireAdmin(req);
    const { email, role } = parseOrFail(schemas.emailInvite, req.body);
    const outcome = await access.inviteByEmail(boardIdOf(req), email, role, req.principal.user.id);
    // The admin's members list already shows who is on the board: saying so leaks nothing new.
    if (outcome === 'member') throw new DomainError('CONFLICT', `${email} is already a member of this board`);
    return { status: 202, body: { message: `Invitation recorded: if ${email} has or creates an account, they will see it on their home page` } };
  };

  return [
    route('GET', '/api/me', ({ principal }) => ({ status: 200, body: { user: principal.user } })),

    route('GET', '/api/boards/:boardId/members', async (req) => {
      const role = await authorize(access, req.principal, boardIdOf(req), 'viewer');
      return { status: 200, body: { role, members: await access.listMembers(boardIdOf(req)) } };
    }),
    // Adding by email records an invitation; the older path answers exactly as the new one.
    route('POST', '/api/boards/:boardId/members', inviteByEmail),
    route('PATCH', '/api/boards/:boardId/members/:userId', async (req) => {
      await requireAdmin(req);
      const { role } = parseOrFail(schemas.memberUpdate, req.body);
      await access.setRole(boardIdOf(req), req.params.userId ?? '', role);
      return { status: 200, body: { members: await access.listMembers(boardIdOf(req)) } };
    }),
    route('DELETE', '/api/boards/:boardId/members/:userId', async (req) => {
      const userId = req.params.userId ?? '';
      if (userId !== req.principal.user.id) await requireAdmin(req);
      await access.removeMember(boardIdOf(req), userId);
      onMemberRemoved(userId, boardIdOf(req));
      return { status: 200, body: { members: userId === req.principal.user.id ? [] : await access.listMembers(boardIdOf(req)) } };
    }),

    route('POST', '/api/boards/:boardId/email-invites', inviteByEmail),
    route('GET', '/api/boards/:boardId/email-invites', async (req) => {
      await requireAdmin(req);
      return { status: 200, body: { invites: await access.listEmailInvites(boardIdOf(req)) } };
    }),
    route('DELETE', '/api/boards/:boardId/email-invites/:inviteId', async (req) => {
      await requireAdmin(req);
      await access.withdrawEmailInvite(boardIdOf(req), req.params.inviteId ?? '');
      return { status: 200, body: { invites: await access.listEmailInvites(boardIdOf(req)) } };
    }),
    // The invitations addressed to the caller's own email address; nobody else's can be named here.
    route('GET', '/api/email-invites', async ({ principal }) => ({ status: 200, body: { invites: await access.receivedInvites(principal.user) } })),
    route('POST', '/api/email-invites/:inviteId/accept', async ({ params, principal }) => {
      const joined = await access.acceptEmailInvite(params.inviteId ?? '', principal.user);
      onPeopleChanged?.(joined.boardId);
      return { status: 200, body: { boardId: joined.boardId, role: joined.role, board: (await store.listBoards()).find((b) => b.id === joined.boardId) ?? null } };
    }),
    route('POST', '/api/email-invites/:inviteId/decline', async ({ params, principal }) => {
      await access.declineEmailInvite(params.inviteId ?? '', principal.user);
      return { status: 200, body: { invites: await access.receivedInvites(principal.user) } };
    }),

    route('GET', '/api/boards/:boardId/invites', async (req) => {
      await requireAdmin(req);
      return { status: 200, body: { invites: await access.listInvites(boardIdOf(req)) } };
    }),
    route('POST', '/api/boards/:boardId/invites', async (req) => {
      await requireAdmin(req);
      const { role, expiresInHours } = parseOrFail(schemas.inviteCreate, req.body ?? {});
      const { secret, invite } = await access.createInvite(boardIdOf(req), role, req.principal.user.id, expiresInHours ?? INVITE_TTL_HOURS.default);
      // The secret is shown once; the page at /invite/<token> explains and accepts it.
      return { status: 201, body: { invite, token: secret, path: `/invite/${secret}` } };
    }),
    route('DELETE', '/api/boards/:boardId/invites/:inviteId', async (req) => {
      await requireAdmin(req);
      await access.revokeInvite(boardIdOf(req), req.params.inviteId ?? '');
      return { status: 200, body: { invites: await access.listInvites(boardIdOf(req)) } };
    }),
    route('POST', '/api/invites/accept', async ({ body, principal }) => {
      const { token } = parseOrFail(schemas.inviteAccept, body);
      const joined = await access.acceptInvite(token, principal.user.id);
      onPeopleChanged?.(joined.boardId);
      return { status: 200, body: { boardId: joined.boardId, role: joined.role, board: (await store.listBoards()).find((b) => b.id === joined.boardId) ?? null } };
    }),

    route('GET', '/api/tokens', async ({ principal }) => ({ status: 200, body: { tokens: await access.listTokens(principal.user.id) } })),
    route('POST', '/api/tokens', async ({ body, principal }) => {
      const { name } = parseOrFail(schemas.tokenCreate, body);
      const { secret, token } = await access.createToken(principal.user.id, name);
      return { status: 201, body: { token, secret } };
    }),
    route('DELETE', '/api/tokens/:tokenId', async ({ params, principal }) => {
      const tokenId = params.tokenId ?? '';
      await access.revokeToken(principal.user.id, tokenId);
      onTokenRevoked(tokenId);
      return { status: 200, body: { tokens: await access.listTokens(principal.user.id) } };
    }),
  ];
}
