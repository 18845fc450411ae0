/**
 * The sync fuzz across processes: clients spread over three app processes on one PostgreSQL database
 * make random changes with random delays, lost connections and reconnects, and every one of them
 * converges to the server's board. Events of one board are committed by whichever process took the
 * write and reach the others through Redis, so they may arrive out of order: the clients must cope.
 */
import { describe, expect, it } from 'vitest';
import { runSyncFuzz } from '../integration/fuzz/syncFuzz';
import { startCluster, withCluster } from './cluster';

const h = startCluster();

describe.runIf(withCluster)('many clients on three processes converge to the server’s board', () => {
  for (const seed of [11, 12]) {
    it(`seed ${seed}: pulls, backward moves, creates, updates and deletes from clients spread over three processes`, async () => {
      const users = await Promise.all(['fuzz a', 'fuzz b', 'fuzz c'].map((name) => h.user(name)));
      const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 2 }, { name: 'Done' }], users);
      await board.addCards('Backlog', 6);
      await board.addCards('Develop', 2);
      const result = await runSyncFuzz({ urls: h.nodes.map((n) => n.url), tokens: users.map((u) => u.token), boardId: board.id, seed, clients: 6, observers: 3, steps: 25 });
      expect(result.accepted).toBeGreaterThan(15);
      expect(result.refused.WIP_LIMIT ?? 0).toBeGreaterThan(0);
    }, 120_000);
  }
});
