/**
 * The per-person WIP limit across processes: the board's lock serialises every assignment, so two
 * processes cannot both give one person their last place.
 */
import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import type { TestClient } from '../integration/helpers';
import { canonical, fold, range } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';

const h = startCluster({ processes: 2 });
const CLIENTS = 20;

describe.runIf(withCluster)('the per-person WIP limit across two processes', () => {
  it(`${CLIENTS} clients on two processes assigning ${CLIENTS} cards in progress to one person with a limit of 2: exactly 2 win, state = fold of the log`, async () => {
    const users = await Promise.all(range(1, CLIENTS).map((i) => h.user(`Assigner ${i}`)));
    const ana = await h.user('Ana Lima');
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }], [...users, ana]);
    const cards = [...(await board.addCards('Develop', CLIENTS / 2)), ...(await board.addCards('Test', CLIENTS / 2))];
    const clients: TestClient[] = [];
    for (const [i, u] of users.entries()) clients.push(await h.connect(i % 2, u));
    const set = await clients[0]!.request('board:configure', { boardId: board.id, personWipLimit: 2 });
    expect(set.ok).toBe(true);
    await Promise.all(clients.map((c) => c.join(board.id)));

    const acks = await Promise.all(clients.map((c, i) => c.request('card:update', { cardId: cards[i]!, assigneeIds: [ana.id] })));
    expect(acks.filter((a) => a.ok)).toHaveLength(2);
    for (const refused of acks.filter((a) => !a.ok)) expect(refused).toEqual({ ok: false, code: 'WIP_LIMIT', message: 'Ana Lima already holds 2 cards in progress (limit 2)' });

    const state = await h.store.getSnapshot(board.id);
    expect(state.cards.filter((c) => c.assigneeIds.includes(ana.id))).toHaveLength(2);
    const log = (await h.store.eventsSince(board.id, 0, 10_000)) ?? [];
    const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: state.createdAt, columns: [], lanes: [], cards: [] };
    expect(canonical(fold(empty, log))).toStrictEqual(state);
    // Every client on either process saw both assignments, in version order.
    for (const c of clients) expect((await c.eventsThrough(board.id, state.version)).map((e) => e.version).slice(-2)).toEqual([state.version - 1, state.version]);
  });
});
