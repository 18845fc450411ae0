/**
 * Every role against every operation, on the socket and on REST: allowed ones succeed, refused ones
 * get FORBIDDEN (a viewer, or a member doing an admin's work) or NOT_FOUND (not a member: the board
 * does not exist for them), and change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import type { BoardRole } from '../../lib/shared/domain/roles';
import { startTestServer, type Harness, type TestUser, dbGet, dbAll, dbRun } from './helpers';

const h = startTestServer({ shareBoards: false });

type Who = BoardRole | 'outsider';
const EVERYONE: Who[] = ['admin', 'member', 'viewer', 'outsider'];

interface Target {
  board: BoardSnapshot;
  col: (name: string) => string;
  cards: { toUpdate: string; toMove: string; toDelete: string; toSplit: string };
}

/** A board with one thing to touch per operation, so that all allowed ones can succeed in a row. */
async function seedTarget(harness: Harness, owner: TestUser): Promise<Target> {
  const { store } = harness.app;
  const actor = { id: owner.id, name: owner.name };
  const { board } = await store.createBoard({ name: 'Roles', columns: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'Empty' }] }, actor);
  const col = (name: string) => board.columns.find((c) => c.name === name)?.id ?? '';
  const card = async (title: string) => (await store.createCard({ boardId: board.id, columnId: col('A'), title }, actor)).card.id;
  const cards = { toUpdate: await card('update me'), toMove: await card('move me'), toDelete: await card('delete me'), toSplit: await card('split me') };
  return { board: await store.getSnapshot(board.id), col, cards };
}

interface Operation {
  name: string;
  needs: BoardRole;
  socket: (t: Target) => [string, object];
  rest: (t: Target) => [string, string, object | undefined];
}

/** The rule under test: admins run the board, members work the cards, viewers only look. */
const OPERATIONS: Operation[] = [
  { name: 'board:rename', needs: 'admin', socket: (t) => ['board:rename', { boardId: t.board.id, name: 'Renamed' }], rest: (t) => ['PATCH', `/api/boards/${t.board.id}`, { name: 'Renamed' }] },
  {
    name: 'board:configure',
    needs: 'admin',
    socket: (t) => ['board:configure', { boardId: t.board.id, demandPerWeek: 5 }],
    rest: (t) => ['PATCH', `/api/boards/${t.board.id}/settings`, { demandPerWeek: 5 }],
  },
  { name: 'column:add', needs: 'admin', socket: (t) => ['column:add', { boardId: t.board.id, name: 'New' }], rest: (t) => ['POST', `/api/boards/${t.board.id}/columns`, { name: 'New' }] },
  { name: 'column:update', needs: 'admin', socket: (t) => ['column:update', { columnId: t.col('A'), wipLimit: 9 }], rest: (t) => ['PATCH', `/api/columns/${t.col('A')}`, { wipLimit: 9 }] },
  { name: 'column:move', needs: 'admin', socket: (t) => ['column:move', { columnId: t.col('C'), toIndex: 0 }], rest: (t) => ['POST', `/api/columns/${t.col('C')}/move`, { toIndex: 0 }] },
  { name: 'column:remove', needs: 'admin', socket: (t) => ['column:remove', { columnId: t.col('Empty') }], rest: (t) => ['DELETE', `/api/columns/${t.col('Empty')}`, undefined] },
  { name: 'card:create', needs: 'member', socket: (t) => ['card:create', { boardId: t.board.id, title: 'New card' }], rest: (t) => ['POST', `/api/boards/${t.board.id}/cards`, { title: 'New card' }] },
  { name: 'card:update', needs: 'member', socket: (t) => ['card:update', { cardId: t.cards.toUpdate, title: 'Edited' }], rest: (t) => ['PATCH', `/api/cards/${t.cards.toUpdate}`, { title: 'Edited' }] },
  {
    name: 'card:move',
    needs: 'member',
    socket: (t) => ['card:move', { cardId: t.cards.toMove, toColumnId: t.col('B') }],
    rest: (t) => ['POST', `/api/cards/${t.cards.toMove}/move`, { toColumnId: t.col('B') }],
  },
  { name: 'card:delete', needs: 'member', socket: (t) => ['card:delete', { cardId: t.cards.toDelete }], rest: (t) => ['DELETE', `/api/cards/${t.cards.toDelete}`, undefined] },
  {
    name: 'card:split',
    needs: 'member',
    socket: (t) => ['card:split', { cardId: t.cards.toSplit, titles: ['one', 'two'] }],
    rest: (t) => ['POST', `/api/cards/${t.cards.toSplit}/split`, { titles: ['one', 'two'] }],
  },
];

const RANK: Record<Who, number> = { outsider: -1, viewer: 0, member: 1, admin: 2 };
const allowed = (who: Who, needs: BoardRole) => RANK[who] >= RANK[needs];
const refusalOf = (who: Who) => (who === 'outsider' ? 'NOT_FOUND' : 'FORBIDDEN');

/** The board as the database has it, and how many events it logged. */
async function stateOf(boardId: string) {
  return { snapshot: await h.app.store.getSnapshot(boardId), events: (await h.app.store.eventsSince(boardId, 0, Number.MAX_SAFE_INTEGER))?.length };
}

async function setup(who: Who): Promise<{ target: Target; user: TestUser }> {
  const owner = await h.user(`owner of ${who}`);
  const user = await h.user(`a ${who}`);
  const target = await seedTarget(h, owner);
  if (who !== 'outsider') await h.grant(user, target.board.id, who);
  return { target, user };
}

describe.each(EVERYONE)('as %s', (who) => {
  it(`on the socket: ${who === 'admin' ? 'everything' : who === 'member' ? 'card operations only' : 'nothing'} succeeds, the rest is refused and changes nothing`, async () => {
    const { target, user } = await setup(who);
    const client = await h.connectAs(user);
    for (const op of OPERATIONS) {
      const before = await stateOf(target.board.id);
      const [event, payload] = op.socket(target);
      const ack = (await client.requestRaw(event, payload)) as { ok: boolean; code?: string };
      if (allowed(who, op.needs)) {
        expect(ack, `${who} ${op.name}`).toMatchObject({ ok: true });
      } else {
        expect(ack, `${who} ${op.name}`).toMatchObject({ ok: false, code: refusalOf(who) });
        expect(await stateOf(target.board.id), `${who} ${op.name} changed nothing`).toEqual(before);
      }
    }
  });

  it(`over REST: the same rule, with 403 for FORBIDDEN and 404 for NOT_FOUND`, async () => {
    const { target, user } = await setup(who);
    for (const op of OPERATIONS) {
      const before = await stateOf(target.board.id);
      const [method, path, body] = op.rest(target);
      const res = await h.api<{ error?: { code: string } }>(method, path, { body, as: user });
      if (allowed(who, op.needs)) {
        expect(res.status, `${who} ${op.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      } else {
        expect(res.status, `${who} ${op.name}`).toBe(who === 'outsider' ? 404 : 403);
        expect(res.body.error?.code).toBe(refusalOf(who));
        expect(await stateOf(target.board.id), `${who} ${op.name} changed nothing`).toEqual(before);
      }
    }
  });

  it(`reads: members of any role see the board, its events and card histories; an outsider finds nothing`, async () => {
    const { target, user } = await setup(who);
    const client = await h.connectAs(user);
    const join = (await client.requestRaw('board:join', { boardId: target.board.id })) as { ok: boolean; code?: string; message?: string };
    const history = (await client.requestRaw('card:history', { cardId: target.cards.toUpdate })) as { ok: boolean; code?: string };
    const reads = await Promise.all(
      [`/api/boards/${target.board.id}`, `/api/boards/${target.board.id}/events`, `/api/cards/${target.cards.toUpdate}/history`, `/api/boards/${target.board.id}/members`].map((p) =>
        h.api<{ error?: { code: string; message: string } }>('GET', p, { as: user }),
      ),
    );
    const listed = await h.api<{ boards: { id: string }[] }>('GET', '/api/boards', { as: user });
    if (who === 'outsider') {
      // Exactly what an unknown id answers: nothing tells the board exists.
      const unknown = (await client.requestRaw('board:join', { boardId: 'no-such-board' })) as { message?: string };
      expect(join).toMatchObject({ ok: false, code: 'NOT_FOUND', message: unknown.message });
      expect(history).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      for (const res of reads) expect(res.status).toBe(404);
      expect(listed.body.boards.map((b) => b.id)).not.toContain(target.board.id);
    } else {
      expect(join).toMatchObject({ ok: true });
      expect(history).toMatchObject({ ok: true });
      for (const res of reads) expect(res.status).toBe(200);
      expect(listed.body.boards.map((b) => b.id)).toContain(target.board.id);
    }
  });
});

describe('who sees the events', () => {
  it('a socket that is not a member gets no event of the board, even when it asks to join', async () => {
    const owner = await h.user('events owner');
    const target = await seedTarget(h, owner);
    await h.grant(owner, target.board.id, 'admin');
    const stranger = await h.connectAs(await h.user('stranger'));
    const member = await h.connectAs(owner);
    await member.join(target.board.id);
    expect(await stranger.requestRaw('board:join', { boardId: target.board.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const ack = await member.request('card:move', { cardId: target.cards.toMove, toColumnId: target.col('B') });
    expect(ack.ok).toBe(true);
    await member.events.find('the move', (e) => e.type === 'card_moved');
    await stranger.roundTrip();
    expect(stranger.events.items).toEqual([]);
  });

  it('a member removed from the board leaves its room at once: told so, no later event, no more reads or writes', async () => {
    const admin = await h.user('remover');
    const target = await seedTarget(h, admin);
    await h.grant(admin, target.board.id, 'admin');
    const leaver = await h.user('leaver');
    await h.grant(leaver, target.board.id, 'member');
    const adminClient = await h.connectAs(admin);
    const [tab1, tab2] = [await h.connectAs(leaver), await h.connectAs(leaver)];
    await adminClient.join(target.board.id);
    for (const tab of [tab1, tab2]) await tab.join(target.board.id);
    await adminClient.viewers.find('three viewers', (v) => v.boardId === target.board.id && v.viewers.length === 3);

    const removedNotice = new Promise<unknown>((resolve) => tab1.socket.once('board:removed' as never, resolve as never));
    const res = await h.api('DELETE', `/api/boards/${target.board.id}/members/${leaver.id}`, { as: admin });
    expect(res.status).toBe(200);
    // The very next change is not sent to either of the removed user's tabs.
    expect((await adminClient.request('card:move', { cardId: target.cards.toMove, toColumnId: target.col('B') })).ok).toBe(true);
    expect(await removedNotice).toEqual({ boardId: target.board.id });
    for (const tab of [tab1, tab2]) {
      await tab.roundTrip();
      expect(tab.events.items.filter((e) => e.type === 'card_moved')).toEqual([]);
      expect(await tab.requestRaw('board:join', { boardId: target.board.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await tab.requestRaw('card:update', { cardId: target.cards.toUpdate, title: 'sneaky' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
    await adminClient.viewers.find('one viewer left', (v) => v.boardId === target.board.id && v.viewers.length === 1);
    expect((await h.api('GET', `/api/boards/${target.board.id}`, { as: leaver })).status).toBe(404);
  });
});

describe('members', () => {
  it('admins invite by email, change roles and remove; members and viewers cannot; a board always keeps an admin', async () => {
    const admin = await h.user('members admin');
    const target = await seedTarget(h, admin);
    const boardId = target.board.id;
    await h.grant(admin, boardId, 'admin');
    const bob = await h.user('members bob');
    const carol = await h.user('members carol');
    const path = `/api/boards/${boardId}/members`;

    // Adding by email records an invitation (tests/integration/email-invites.test.ts); bob joins by accepting it.
    const added = await h.api('POST', path, { body: { email: bob.email.toUpperCase(), role: 'member' }, as: admin });
    expect(added.status).toBe(202);
    expect(await h.app.access.roleOf(boardId, bob.id)).toBeNull();
    const [invitation] = (await h.api<{ invites: { id: string }[] }>('GET', '/api/email-invites', { as: bob })).body.invites;
    expect((await h.api('POST', `/api/email-invites/${invitation?.id}/accept`, { as: bob })).status).toBe(200);
    expect(await h.app.access.roleOf(boardId, bob.id)).toBe('member');
    expect((await h.api('POST', path, { body: { email: bob.email, role: 'viewer' }, as: admin })).body).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await h.api('POST', path, { body: { email: 'nobody@nowhere.test', role: 'viewer' }, as: admin })).status).toBe(202);
    expect((await h.api('POST', path, { body: { email: 'not an email', role: 'viewer' }, as: admin })).status).toBe(400);
    expect((await h.api('POST', path, { body: { email: carol.email, role: 'owner' }, as: admin })).status).toBe(400);

    // A member may not manage members.
    expect((await h.api('POST', path, { body: { email: carol.email, role: 'admin' }, as: bob })).body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await h.api('PATCH', `${path}/${bob.id}`, { body: { role: 'admin' }, as: bob })).status).toBe(403);
    expect((await h.api('DELETE', `${path}/${admin.id}`, { as: bob })).status).toBe(403);
    expect(await h.app.access.roleOf(boardId, bob.id)).toBe('member');

    // The only admin cannot step down or leave.
    expect((await h.api('PATCH', `${path}/${admin.id}`, { body: { role: 'member' }, as: admin })).body).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await h.api('DELETE', `${path}/${admin.id}`, { as: admin })).body).toMatchObject({ error: { code: 'CONFLICT' } });
    // With a second admin, they can.
    expect((await h.api('PATCH', `${path}/${bob.id}`, { body: { role: 'admin' }, as: admin })).status).toBe(200);
    expect((await h.api('DELETE', `${path}/${admin.id}`, { as: admin })).status).toBe(200);
    expect(await h.app.access.roleOf(boardId, admin.id)).toBeNull();
    expect((await h.app.access.listMembers(boardId)).map((m) => [m.name, m.role])).toEqual([['members bob', 'admin']]);
  });

  it('an invite link lets one person join with its role until it expires; it is stored only as a hash', async () => {
    const admin = await h.user('inviter');
    const target = await seedTarget(h, admin);
    const boardId = target.board.id;
    await h.grant(admin, boardId, 'admin');
    const dave = await h.user('invitee dave');
    const erin = await h.user('invitee erin');

    const viewerBob = await h.user('invite viewer');
    await h.grant(viewerBob, boardId, 'viewer');
    expect((await h.api('POST', `/api/boards/${boardId}/invites`, { body: { role: 'admin' }, as: viewerBob })).status).toBe(403);

    const made = await h.api<{ token: string; path: string; invite: { id: string } }>('POST', `/api/boards/${boardId}/invites`, { body: { role: 'viewer' }, as: admin });
    expect(made.status).toBe(201);
    expect(made.body.path).toBe(`/invite/${made.body.token}`);
    const stored = (await dbGet(h.app, 'select token_hash from board_invites where id = ?', [made.body.invite.id])) as { token_hash: string };
    expect(stored.token_hash).not.toContain(made.body.token);
    expect(JSON.stringify((await dbAll(h.app, 'select * from board_invites', [])))).not.toContain(made.body.token);

    const accepted = await h.api('POST', '/api/invites/accept', { body: { token: made.body.token }, as: dave });
    expect(accepted.status).toBe(200);
    expect(await h.app.access.roleOf(boardId, dave.id)).toBe('viewer');
    // Used once: nobody else gets in with it.
    expect((await h.api('POST', '/api/invites/accept', { body: { token: made.body.token }, as: erin })).status).toBe(404);

    const late = await h.api<{ token: string; invite: { id: string } }>('POST', `/api/boards/${boardId}/invites`, { body: { role: 'member', expiresInHours: 1 }, as: admin });
    (await dbRun(h.app, 'update board_invites set expires_at = ? where id = ?', [Date.now() - 1, late.body.invite.id]));
    expect((await h.api('POST', '/api/invites/accept', { body: { token: late.body.token }, as: erin })).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await h.app.access.roleOf(boardId, erin.id)).toBeNull();

    const revoked = await h.api<{ token: string; invite: { id: string } }>('POST', `/api/boards/${boardId}/invites`, { body: { role: 'member' }, as: admin });
    expect((await h.api('DELETE', `/api/boards/${boardId}/invites/${revoked.body.invite.id}`, { as: admin })).status).toBe(200);
    expect((await h.api('POST', '/api/invites/accept', { body: { token: revoked.body.token }, as: erin })).status).toBe(404);
  });
});
