/**
 * Three app processes on one database and one Redis: an account's write budget and its socket cap
 * hold across all of them, and the sockets of a process killed with -9 stop counting (issue #10,
 * finding 7).
 */
import { describe, expect, it } from 'vitest';
import { connectOutcome, type TestUser } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';

const BURST = 10;
const CAP = 4;
/** Longer than a dead process's lease (15 s, lib/server/cluster/connections.ts), with room for a busy machine. */
const LEASE_WAIT_MS = 40_000;
const h = startCluster({ writeRate: { perSecond: 0.01, burst: BURST }, env: { FLOWBOARD_SOCKETS_PER_ACCOUNT: String(CAP) } });
const [A, B, C] = [0, 1, 2];

/** The same account with another API token of its own. */
async function secondToken(user: TestUser): Promise<TestUser> {
  return { ...user, token: (await h.access.createToken(user.id, 'second integration')).secret };
}

const connectOn = (node: number, user: TestUser) => connectOutcome(h.socket(h.nodes[node]!.url, user));

/** Connects on `node` until the cap lets it (the count of a closed or dead socket reaches Redis a moment later). */
async function connectOnceRoom(node: number, user: TestUser, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const outcome = await connectOn(node, user);
    if (outcome !== 'TOO_MANY_CONNECTIONS' || Date.now() > deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.runIf(withCluster)('limits per account across three processes', () => {
  it('two tokens of one account, on sockets and REST on three processes, share one write budget', async () => {
    const rae = await h.user('Rae');
    const other = await secondToken(rae);
    const board = await h.seedBoard([{ name: 'Develop' }], [rae]);
    const sockets = [await h.connect(A, rae), await h.connect(B, other), await h.connect(C, other)];
    const extra = 8;
    const outcomes = await Promise.all(
      Array.from({ length: BURST + extra }, (_, i) => {
        const node = i % 3;
        if (i % 4 === 3) {
          return h.api(node, 'POST', `/api/boards/${board.id}/cards`, { body: { title: `rest ${i}` }, as: i % 8 === 3 ? rae : other }).then((r) => (r.status === 201 ? 'ok' : (r.body as { error: { code: string } }).error.code));
        }
        return sockets[node]!.request('card:create', { boardId: board.id, title: `socket ${i}` }).then((a) => (a.ok ? 'ok' : a.code));
      }),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(BURST);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array.from({ length: extra }, () => 'RATE_LIMITED'));
    // Another account has its own budget.
    const sam = await h.user('Sam');
    await h.grant(sam, board.id, 'member');
    const samOnA = await h.connect(A, sam);
    expect(await samOnA.request('card:create', { boardId: board.id, title: 'Sam writes' })).toMatchObject({ ok: true });
  });

  it('the socket cap counts the sockets of every process; a closed one makes room on another process', async () => {
    const tia = await h.user('Tia');
    const held = [await h.connect(A, tia), await h.connect(A, tia), await h.connect(B, tia), await h.connect(C, tia)];
    for (const node of [A, B, C]) expect(await connectOn(node, tia), `process ${node}`).toBe('TOO_MANY_CONNECTIONS');
    expect(await connectOn(B, await h.user('Uma'))).toBe('connected');
    held[0]!.disconnect();
    expect(await connectOnceRoom(C, tia, 10_000)).toBe('connected');
    expect(await connectOn(B, tia)).toBe('TOO_MANY_CONNECTIONS');
  });

  it('the sockets of a process killed with -9 stop counting once its lease runs out; the cap still holds after', async () => {
    const val = await h.user('Val');
    for (let i = 0; i < CAP - 1; i++) await h.connect(C, val);
    await h.connect(A, val);
    expect(await connectOn(B, val)).toBe('TOO_MANY_CONNECTIONS');
    await h.nodes[C]!.crash();
    // One socket on A is left: room for three more, and not a fourth.
    expect(await connectOnceRoom(B, val, LEASE_WAIT_MS)).toBe('connected');
    expect(await connectOn(B, val)).toBe('connected');
    expect(await connectOn(A, val)).toBe('connected');
    expect(await connectOn(A, val)).toBe('TOO_MANY_CONNECTIONS');
  }, LEASE_WAIT_MS + 20_000);
});
