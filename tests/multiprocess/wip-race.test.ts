/**
 * WIP limits and gapless versions across processes: the database serialises a board's writes, so no
 * process can let a pull past a limit another process's pull just filled.
 */
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../integration/helpers';
import { range } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';

const h = startCluster();
const CLIENTS = 50;
const ROUNDS = 5;
const SHUFFLES = 30;

describe.runIf(withCluster)('WIP limits across three processes', () => {
  it(`${CLIENTS} clients spread over three processes racing for 2 free slots: exactly 2 win, every round, and every client gets every event in version order`, async () => {
    const users = await Promise.all(range(1, CLIENTS).map((i) => h.user(`Racer ${i}`)));
    const clients: TestClient[] = [];
    for (const [i, u] of users.entries()) clients.push(await h.connect(i % 3, u));

    for (let round = 1; round <= ROUNDS; round++) {
      const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test', wipLimit: 2 }], users);
      const cards = await board.addCards('Develop', CLIENTS);
      const joined = await Promise.all(clients.map((c) => c.join(board.id)));
      const from = Math.max(...joined.map((j) => j.version));
      expect(joined.every((j) => j.version === from)).toBe(true);

      const pulls = await Promise.all(clients.map((c, i) => c.request('card:move', { cardId: cards[i]!, toColumnId: board.col('Test') })));
      const won = pulls.flatMap((a, i) => (a.ok ? [i] : []));
      expect(won, `round ${round}`).toHaveLength(2);
      expect(pulls.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.code))).toEqual(Array.from({ length: CLIENTS - 2 }, () => 'WIP_LIMIT'));
      const snapshot = await h.store.getSnapshot(board.id);
      expect(snapshot.cards.filter((c) => c.columnId === board.col('Test')).map((c) => c.id).toSorted()).toEqual(won.map((i) => cards[i]!).toSorted());

      // Then a stream of reorders from clients on every process, all at once.
      const losers = clients.flatMap((c, i) => (won.includes(i) ? [] : [{ c, card: cards[i]! }])).slice(0, SHUFFLES);
      const shuffles = await Promise.all(losers.map(({ c, card }) => c.request('card:move', { cardId: card, toColumnId: board.col('Develop') })));
      expect(shuffles.every((a) => a.ok)).toBe(true);
      const last = (await h.store.getSnapshot(board.id)).version;
      expect(last).toBe(from + 2 + SHUFFLES);

      for (const c of clients) {
        const events = await c.eventsThrough(board.id, last);
        // As received, not sorted: in version order, none missing, none twice.
        expect(events.map((e) => e.version), c.name).toEqual(range(from + 1, last));
      }
      for (const c of clients) c.socket.emit('board:leave', { boardId: board.id });
    }
  });
});
