import { describe, expect, it } from 'vitest';
import type { StandupAck } from '../../lib/shared/protocol';
import { followState, type FollowerPlace, type StandupStateMessage } from '../../lib/shared/standup';
import { Received, startTestServer, type TestClient } from './helpers';

/** Turned off: the tests say who is a member of what (grant). */
const h = startTestServer({ shareBoards: false });

/** Everything `standup:state` brought a client. */
function statesOf(client: TestClient): Received<StandupStateMessage> {
  const received = new Received<StandupStateMessage>();
  client.socket.on('standup:state', (s) => received.push(s));
  return received;
}

function ok(ack: StandupAck): StandupStateMessage {
  if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
  return ack.state;
}

async function boardWithMembers(roles: Array<'admin' | 'member' | 'viewer'>, prefix: string) {
  const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Review' }, { name: 'Done' }]);
  const clients: TestClient[] = [];
  for (const [i, role] of roles.entries()) {
    const user = await h.user(`${prefix} ${i + 1}`);
    await h.grant(user, board.id, role);
    clients.push(await h.connectAs(user));
  }
  return { board, clients };
}

describe('standup mode', () => {
  it("a presenter's steps reach a follower, and the late joiner lands on the presenter's place", async () => {
    const { board, clients } = await boardWithMembers(['member', 'viewer', 'viewer'], 'walk');
    const [ada, bob, cy] = clients as [TestClient, TestClient, TestClient];
    const bobStates = statesOf(bob);
    ok(await ada.request('standup:join', { boardId: board.id }));
    ok(await bob.request('standup:join', { boardId: board.id }));

    const led = ok(await ada.request('standup:lead', { boardId: board.id }));
    expect(led.presenter).toEqual({ id: ada.socket.id, name: ada.name });
    await bobStates.find('bob: the lead', (s) => s.presenter?.id === ada.socket.id);

    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Develop'), cardId: 'card-7' }));
    const seen = await bobStates.find('bob: the step to Develop', (s) => s.columnId === board.col('Develop'));
    expect(seen).toMatchObject({ boardId: board.id, cardId: 'card-7', presenter: { id: ada.socket.id } });
    // In order: the step to Review came first.
    expect(bobStates.items.map((s) => s.columnId).filter((c) => c !== null)).toEqual([board.col('Review'), board.col('Develop')]);

    const late = ok(await cy.request('standup:join', { boardId: board.id }));
    expect(late).toMatchObject({ columnId: board.col('Develop'), cardId: 'card-7', presenter: { id: ada.socket.id, name: ada.name } });
  });

  it('a follower that stepped out is not moved; stepping back in takes it to the presenter', async () => {
    const { board, clients } = await boardWithMembers(['member', 'viewer'], 'out');
    const [ada, bob] = clients as [TestClient, TestClient];
    const bobStates = statesOf(bob);
    ok(await ada.request('standup:join', { boardId: board.id }));
    ok(await bob.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));

    // Bob's view, as the standup page keeps it: each state is folded through followState.
    let place: FollowerPlace = { following: true, columnId: null, cardId: null };
    const follow = (s: StandupStateMessage) => {
      place = followState(place, s);
    };
    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    (await bobStates.find('step 1', (s) => s.columnId === board.col('Review')) && bobStates.items).forEach(follow);
    expect(place.columnId).toBe(board.col('Review'));

    place = { ...place, following: false, columnId: board.col('Backlog') };
    const before = bobStates.items.length;
    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Develop'), cardId: null }));
    await bobStates.find('step 2', (s) => s.columnId === board.col('Develop'));
    bobStates.items.slice(before).forEach(follow);
    expect(place).toEqual({ following: false, columnId: board.col('Backlog'), cardId: null });

    // Back in: the state it asks for (a join again) puts it where the presenter is.
    place = { ...place, following: true };
    follow(ok(await bob.request('standup:join', { boardId: board.id })));
    expect(place.columnId).toBe(board.col('Develop'));
  });

  it('only a member of the board may lead; a viewer and an outsider may not, and an outsider cannot even watch', async () => {
    const { board, clients } = await boardWithMembers(['member', 'viewer'], 'who');
    const [ada, viewer] = clients as [TestClient, TestClient];
    const outsider = await h.connect('who outsider');
    const outsiderStates = statesOf(outsider);

    const watch = await outsider.request('standup:join', { boardId: board.id });
    expect(watch).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const lead = await outsider.request('standup:lead', { boardId: board.id });
    expect(lead).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    ok(await viewer.request('standup:join', { boardId: board.id }));
    expect(await viewer.request('standup:lead', { boardId: board.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    ok(await ada.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));
    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    // Nobody but the presenter moves the room.
    expect(await viewer.request('standup:step', { boardId: board.id, columnId: board.col('Backlog'), cardId: null })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await viewer.request('standup:timer', { boardId: board.id, action: 'start' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const state = ok(await viewer.request('standup:join', { boardId: board.id }));
    expect(state).toMatchObject({ columnId: board.col('Review'), presenter: { id: ada.socket.id } });
    await outsider.roundTrip();
    expect(outsiderStates.items).toEqual([]);
  });

  it('refuses bad payloads with a code and a message, and changes nothing', async () => {
    const { board, clients } = await boardWithMembers(['member'], 'bad');
    const [ada] = clients as [TestClient];
    ok(await ada.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));
    const good = ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    const bad: unknown[] = [
      { boardId: board.id, columnId: board.col('Develop') },
      { boardId: board.id, columnId: '', cardId: null },
      { boardId: board.id, columnId: 7, cardId: null },
      { boardId: board.id, columnId: board.col('Develop'), cardId: null, extra: true },
      { boardId: board.id, columnId: 'x'.repeat(1000), cardId: null },
      null,
      'step',
    ];
    for (const payload of bad) {
      const ack = (await ada.requestRaw('standup:step', payload)) as StandupAck;
      expect(ack).toMatchObject({ ok: false, code: 'INVALID' });
      if (!ack.ok) expect(ack.message.length).toBeGreaterThan(0);
    }
    expect(await ada.requestRaw('standup:step')).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await ada.requestRaw('standup:timer', { boardId: board.id, action: 'start', timeboxMinutes: 10_000 })).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await ada.requestRaw('standup:join', { boardId: board.id, sneaky: 1 })).toMatchObject({ ok: false, code: 'INVALID' });
    // Nothing moved.
    const after = ok(await ada.request('standup:join', { boardId: board.id }));
    expect(after.columnId).toBe(good.columnId);
    expect(after.seq).toBe(good.seq);
  });

  it("the presenter's disconnect releases the lead, and another member can take it over at any time", async () => {
    const { board, clients } = await boardWithMembers(['member', 'member', 'viewer'], 'release');
    const [ada, bob, cy] = clients as [TestClient, TestClient, TestClient];
    const cyStates = statesOf(cy);
    for (const c of [ada, bob, cy]) ok(await c.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));
    ok(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Develop'), cardId: null }));

    // A takeover carries on from the same place.
    const taken = ok(await bob.request('standup:lead', { boardId: board.id }));
    expect(taken).toMatchObject({ presenter: { id: bob.socket.id }, columnId: board.col('Develop') });
    expect(await ada.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const bobId = bob.socket.id;
    bob.disconnect();
    await cyStates.find('cy: the lead released', (s) => s.seq > taken.seq && s.presenter === null);
    const now = ok(await cy.request('standup:join', { boardId: board.id }));
    expect(now.presenter).toBeNull();
    expect(now.presenter?.id).not.toBe(bobId);
  });

  it('a presenter removed from the board loses the lead and hears nothing more of its standup', async () => {
    const { board, clients } = await boardWithMembers(['admin', 'member'], 'evict');
    const [admin, leaver] = clients as [TestClient, TestClient];
    const adminStates = statesOf(admin);
    const leaverStates = statesOf(leaver);
    for (const c of [admin, leaver]) ok(await c.request('standup:join', { boardId: board.id }));
    const led = ok(await leaver.request('standup:lead', { boardId: board.id }));

    const leaverUser = await h.user('evict 2');
    expect((await h.api('DELETE', `/api/boards/${board.id}/members/${leaverUser.id}`, { as: await h.user('evict 1') })).status).toBe(200);
    await adminStates.find('admin: the lead released', (s) => s.seq > led.seq && s.presenter === null);
    const seenBefore = leaverStates.items.length;
    ok(await admin.request('standup:lead', { boardId: board.id }));
    ok(await admin.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    await leaver.roundTrip();
    expect(leaverStates.items.slice(seenBefore).filter((s) => s.columnId === board.col('Review'))).toEqual([]);
    expect(await leaver.request('standup:step', { boardId: board.id, columnId: board.col('Backlog'), cardId: null })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await leaver.request('standup:join', { boardId: board.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('shares the timer the presenter starts, with the budget per work center', async () => {
    const { board, clients } = await boardWithMembers(['member', 'viewer'], 'timer');
    const [ada, bob] = clients as [TestClient, TestClient];
    const bobStates = statesOf(bob);
    for (const c of [ada, bob]) ok(await c.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));
    const started = ok(await ada.request('standup:timer', { boardId: board.id, action: 'start', timeboxMinutes: 10, columnBudgetMinutes: 3 }));
    expect(started.timer).toMatchObject({ timeboxMs: 600_000, columnBudgetMs: 180_000 });
    expect(started.timer.startedAt).not.toBeNull();
    const seen = await bobStates.find('bob: the timer', (s) => s.timer.startedAt !== null);
    expect(seen.timer).toEqual(started.timer);
    const stopped = ok(await ada.request('standup:timer', { boardId: board.id, action: 'stop' }));
    expect(stopped.timer.startedAt).toBeNull();
  });
});

describe('standup mode, throttled', () => {
  const t = startTestServer({ dragRate: { perSecond: 0.001, burst: 3 } });
  it('refuses steps over the budget with RATE_LIMITED and keeps the last accepted place', async () => {
    const board = await t.seedBoard([{ name: 'A' }, { name: 'B' }, { name: 'Done' }]);
    const ada = await t.connect('throttled');
    ok(await ada.request('standup:join', { boardId: board.id }));
    ok(await ada.request('standup:lead', { boardId: board.id }));
    const acks: StandupAck[] = [];
    for (let i = 0; i < 5; i++) acks.push(await ada.request('standup:step', { boardId: board.id, columnId: i % 2 ? board.col('A') : board.col('B'), cardId: null }));
    const refused = acks.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ code: 'RATE_LIMITED' });
    const lastOk = acks.filter((a): a is Extract<StandupAck, { ok: true }> => a.ok).at(-1);
    const now = ok(await ada.request('standup:join', { boardId: board.id }));
    expect(now.columnId).toBe(lastOk?.state.columnId);
  });
});
