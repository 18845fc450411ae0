/**
 * Standup mode across two app processes on PostgreSQL and Redis: the presenter on one, followers
 * on the other, the state carried by the adapter (serverSideEmit).
 */
import { describe, expect, it } from 'vitest';
import type { StandupAck } from '../../lib/shared/protocol';
import type { StandupStateMessage } from '../../lib/shared/standup';
import { Received, type TestClient } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';

const h = startCluster({ processes: 2 });
const [A, B] = [0, 1];

function statesOf(client: TestClient): Received<StandupStateMessage> {
  const received = new Received<StandupStateMessage>();
  client.socket.on('standup:state', (s) => received.push(s));
  return received;
}

function ok(ack: StandupAck): StandupStateMessage {
  if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
  return ack.state;
}

describe.runIf(withCluster)('standup across two processes', () => {
  it("a presenter's steps on A reach a follower on B; a late joiner on B lands on the presenter's place; a takeover on B is seen on A", async () => {
    const [ada, bob, cy] = await Promise.all([h.user('Ada'), h.user('Bob'), h.user('Cy')]);
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Review' }, { name: 'Done' }], [ada, bob, cy]);
    const presenter = await h.connect(A, ada);
    const follower = await h.connect(B, bob);
    const followerStates = statesOf(follower);
    const presenterStates = statesOf(presenter);
    ok(await presenter.request('standup:join', { boardId: board.id }));
    ok(await follower.request('standup:join', { boardId: board.id }));

    ok(await presenter.request('standup:lead', { boardId: board.id }));
    ok(await presenter.request('standup:step', { boardId: board.id, columnId: board.col('Review'), cardId: null }));
    const last = ok(await presenter.request('standup:step', { boardId: board.id, columnId: board.col('Develop'), cardId: 'card-1' }));
    const seen = await followerStates.find('B: the step to Develop', (s) => s.seq === last.seq);
    expect(seen).toMatchObject({ presenter: { id: presenter.socket.id, name: 'Ada' }, columnId: board.col('Develop'), cardId: 'card-1' });

    const late = await h.connect(B, cy);
    expect(ok(await late.request('standup:join', { boardId: board.id }))).toMatchObject({ seq: last.seq, columnId: board.col('Develop'), cardId: 'card-1' });

    // Bob takes over on B: A's presenter is told, and A refuses its steps.
    const taken = ok(await follower.request('standup:lead', { boardId: board.id }));
    await presenterStates.find('A: the takeover', (s) => s.seq === taken.seq && s.presenter?.id === follower.socket.id);
    expect(await presenter.request('standup:step', { boardId: board.id, columnId: board.col('Backlog'), cardId: null })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    // The presenter on B leaves: the lead is released on A too.
    follower.disconnect();
    await presenterStates.find('A: the lead released', (s) => s.seq > taken.seq && s.presenter === null);
  });

  // Last in this file: it kills process B.
  it('a presenter whose process dies is found gone by the next join on another process, which frees the lead', async () => {
    const [dee, eve, fay] = await Promise.all([h.user('Dee'), h.user('Eve'), h.user('Fay')]);
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Review' }, { name: 'Done' }], [dee, eve, fay]);
    const presenter = await h.connect(B, dee);
    const follower = await h.connect(A, eve);
    const followerStates = statesOf(follower);
    for (const c of [presenter, follower]) ok(await c.request('standup:join', { boardId: board.id }));
    const led = ok(await presenter.request('standup:lead', { boardId: board.id }));
    await followerStates.find('A: the lead', (s) => s.seq === led.seq);

    await h.nodes[B]!.crash();
    const late = await h.connect(A, fay);
    const joined = ok(await late.request('standup:join', { boardId: board.id }));
    expect(joined.presenter).toBeNull();
    await followerStates.find('A: the lead freed', (s) => s.seq > led.seq && s.presenter === null);
  });
});
