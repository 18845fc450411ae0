/**
 * Invitations by email (issue 10, finding 8): inviting an address records an invitation and answers
 * the same whether or not an account uses it; nobody joins a board until the person the invitation
 * is addressed to accepts it from their home page. Accept, decline, withdraw, expiry and the cap.
 */
import { describe, expect, it } from 'vitest';
import type { EmailInviteDTO, ReceivedInviteDTO } from '../../lib/shared/access';
import { EMAIL_INVITE_LIMITS } from '../../db/access';
import { dbRun, startTestServer, type TestUser } from './helpers';

const h = startTestServer({ shareBoards: false });

/** A board whose admin is `admin`, with a name a hostile admin might give it. */
async function boardOf(admin: TestUser, name = 'Payments stream') {
  const { board } = await h.app.store.createBoard({ name, columns: [{ name: 'Todo' }, { name: 'Done' }] }, { id: admin.id, name: admin.name });
  await h.grant(admin, board.id, 'admin');
  return board.id;
}

/** An account that signs up later with a chosen address, with an API token. */
async function accountWithEmail(name: string, email: string): Promise<TestUser> {
  const account = await h.app.access.createServiceAccount(name, email);
  return { id: account.id, name: account.name, email: account.email, password: '', token: (await h.app.access.createToken(account.id, 'tests')).secret };
}

const invite = (boardId: string, email: string, role: string, as: TestUser, path: 'email-invites' | 'members' = 'email-invites') =>
  h.api<{ message?: string; error?: { code: string; message: string } }>('POST', `/api/boards/${boardId}/${path}`, { body: { email, role }, as });
const received = async (as: TestUser) => (await h.api<{ invites: ReceivedInviteDTO[] }>('GET', '/api/email-invites', { as })).body.invites;
const pending = async (boardId: string, as: TestUser) => (await h.api<{ invites: EmailInviteDTO[] }>('GET', `/api/boards/${boardId}/email-invites`, { as })).body.invites;

describe('inviting by email', () => {
  it('answers the same for an address with an account and one without, and adds nobody', async () => {
    const admin = await h.user('probe admin');
    const ben = await h.user('probe ben');
    const boardId = await boardOf(admin);
    const unknown = 'nobody-at-all@test.flowboard';

    for (const path of ['email-invites', 'members'] as const) {
      const known = await invite(boardId, ben.email, 'member', admin, path);
      const stranger = await invite(boardId, unknown, 'member', admin, path);
      expect(known.status).toBe(202);
      expect(stranger.status).toBe(known.status);
      // Byte for byte, once each address is replaced by a placeholder.
      expect(JSON.stringify(stranger.body).replaceAll(unknown, '<email>')).toBe(JSON.stringify(known.body).replaceAll(ben.email, '<email>'));
      expect(known.body.message).toBe(`Invitation recorded: if ${ben.email} has or creates an account, they will see it on their home page`);
    }
    expect(await h.app.access.roleOf(boardId, ben.id)).toBeNull();
    // Both are pending, one each (asking twice renews it), listed alike.
    expect((await pending(boardId, admin)).map((i) => [i.email, i.role, i.invitedBy]).toSorted()).toEqual([
      [unknown, 'member', 'probe admin'],
      [ben.email, 'member', 'probe admin'],
    ]);
  });

  it('tells an admin that a current member is one already (their members list shows it anyway)', async () => {
    const admin = await h.user('member admin');
    const boardId = await boardOf(admin);
    const res = await invite(boardId, admin.email.toUpperCase(), 'viewer', admin);
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('CONFLICT');
    expect(await pending(boardId, admin)).toEqual([]);
  });

  it('only admins invite, list and withdraw; bad input is refused', async () => {
    const admin = await h.user('rights admin');
    const member = await h.user('rights member');
    const outsider = await h.user('rights outsider');
    const boardId = await boardOf(admin);
    await h.grant(member, boardId, 'member');
    expect((await invite(boardId, 'x@test.flowboard', 'viewer', member)).status).toBe(403);
    expect((await invite(boardId, 'x@test.flowboard', 'viewer', outsider)).status).toBe(404);
    expect((await h.api('GET', `/api/boards/${boardId}/email-invites`, { as: member })).status).toBe(403);
    expect((await invite(boardId, 'not an email', 'viewer', admin)).status).toBe(400);
    expect((await invite(boardId, 'x@test.flowboard', 'owner', admin)).status).toBe(400);
    await invite(boardId, 'x@test.flowboard', 'viewer', admin);
    const [made] = await pending(boardId, admin);
    expect((await h.api('DELETE', `/api/boards/${boardId}/email-invites/${made?.id}`, { as: member })).status).toBe(403);
    expect(await pending(boardId, admin)).toHaveLength(1);
  });
});

describe('answering an invitation', () => {
  it('the invited account sees it with the board, inviter and role, and joins only by accepting', async () => {
    const admin = await h.user('accept admin');
    const ben = await h.user('accept ben');
    const carol = await h.user('accept carol');
    const name = 'URGENT: verify your account at http://evil.example <img src=x onerror=alert(1)>';
    const boardId = await boardOf(admin, name);
    await invite(boardId, ` ${ben.email.toUpperCase()} `, 'member', admin);

    const [mine] = await received(ben);
    expect(mine).toMatchObject({ boardId, boardName: name, role: 'member', invitedBy: 'accept admin' });
    expect(await received(carol)).toEqual([]);
    expect((await h.api('GET', '/api/boards', { as: ben })).body).toEqual({ boards: [] });

    // Someone else cannot accept or decline it: the same answer as for an id that never existed.
    const id = mine?.id ?? '';
    const stolen = await h.api('POST', `/api/email-invites/${id}/accept`, { as: carol });
    const madeUp = await h.api('POST', '/api/email-invites/no-such-invitation/accept', { as: carol });
    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual(madeUp.body);
    expect((await h.api('POST', `/api/email-invites/${id}/decline`, { as: carol })).status).toBe(404);
    expect(await h.app.access.roleOf(boardId, carol.id)).toBeNull();
    expect(await h.app.access.roleOf(boardId, ben.id)).toBeNull();

    const accepted = await h.api<{ boardId: string; role: string; board: { name: string } }>('POST', `/api/email-invites/${id}/accept`, { as: ben });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ boardId, role: 'member', board: { name } });
    expect(await h.app.access.roleOf(boardId, ben.id)).toBe('member');
    // Spent: gone from both lists, and a second answer finds nothing.
    expect(await received(ben)).toEqual([]);
    expect(await pending(boardId, admin)).toEqual([]);
    expect((await h.api('POST', `/api/email-invites/${id}/accept`, { as: ben })).status).toBe(404);
  });

  it('declining removes it and adds nobody', async () => {
    const admin = await h.user('decline admin');
    const ben = await h.user('decline ben');
    const boardId = await boardOf(admin);
    await invite(boardId, ben.email, 'admin', admin);
    const [mine] = await received(ben);
    expect((await h.api('POST', `/api/email-invites/${mine?.id}/decline`, { as: ben })).status).toBe(200);
    expect(await received(ben)).toEqual([]);
    expect(await pending(boardId, admin)).toEqual([]);
    expect(await h.app.access.roleOf(boardId, ben.id)).toBeNull();
  });

  it('a withdrawn invitation disappears and cannot be accepted', async () => {
    const admin = await h.user('withdraw admin');
    const ben = await h.user('withdraw ben');
    const boardId = await boardOf(admin);
    await invite(boardId, ben.email, 'member', admin);
    const [sent] = await pending(boardId, admin);
    const withdrawn = await h.api<{ invites: EmailInviteDTO[] }>('DELETE', `/api/boards/${boardId}/email-invites/${sent?.id}`, { as: admin });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.invites).toEqual([]);
    expect(await received(ben)).toEqual([]);
    expect((await h.api('POST', `/api/email-invites/${sent?.id}/accept`, { as: ben })).status).toBe(404);
    expect(await h.app.access.roleOf(boardId, ben.id)).toBeNull();
    expect((await h.api('DELETE', `/api/boards/${boardId}/email-invites/${sent?.id}`, { as: admin })).status).toBe(404);
  });

  it('an expired invitation is neither listed nor accepted', async () => {
    const admin = await h.user('expiry admin');
    const ben = await h.user('expiry ben');
    const boardId = await boardOf(admin);
    await invite(boardId, ben.email, 'member', admin);
    const [mine] = await received(ben);
    expect(Date.parse(mine?.expiresAt ?? '') - Date.parse(mine?.createdAt ?? '')).toBe(EMAIL_INVITE_LIMITS.ttlDays * 86_400_000);
    await dbRun(h.app, 'update board_email_invites set expires_at = ? where id = ?', [Date.now() - 1, mine?.id ?? '']);
    expect(await received(ben)).toEqual([]);
    expect(await pending(boardId, admin)).toEqual([]);
    expect((await h.api('POST', `/api/email-invites/${mine?.id}/accept`, { as: ben })).status).toBe(404);
    expect(await h.app.access.roleOf(boardId, ben.id)).toBeNull();
  });

  it('an account created later with the address sees the invitation', async () => {
    const admin = await h.user('later admin');
    const boardId = await boardOf(admin);
    await invite(boardId, 'Dana.Later@Test.Flowboard', 'viewer', admin);
    const dana = await accountWithEmail('Dana', 'dana.later@test.flowboard');
    const [mine] = await received(dana);
    expect(mine).toMatchObject({ boardId, role: 'viewer' });
    expect((await h.api('POST', `/api/email-invites/${mine?.id}/accept`, { as: dana })).status).toBe(200);
    expect(await h.app.access.roleOf(boardId, dana.id)).toBe('viewer');
  });

  it('a board has a bounded number of pending invitations', async () => {
    const admin = await h.user('cap admin');
    const boardId = await boardOf(admin);
    for (let i = 0; i < EMAIL_INVITE_LIMITS.pendingPerBoard; i++) expect((await invite(boardId, `cap-${i}@test.flowboard`, 'viewer', admin)).status).toBe(202);
    const over = await invite(boardId, 'one-too-many@test.flowboard', 'viewer', admin);
    expect(over.status).toBe(409);
    expect(over.body.error?.message).toContain(`at most ${EMAIL_INVITE_LIMITS.pendingPerBoard} pending invitations`);
    // Renewing one already pending is not a new one.
    expect((await invite(boardId, 'cap-0@test.flowboard', 'member', admin)).status).toBe(202);
    expect(await pending(boardId, admin)).toHaveLength(EMAIL_INVITE_LIMITS.pendingPerBoard);
  });
});
