/**
 * `kill -9` of one of three processes while moves stream in from clients on all three: nothing
 * acknowledged is lost, its clients reconnect to another process and converge, the others never notice.
 */
import { describe, expect, it } from 'vitest';
import { canonical, range } from '../integration/helpers';
import { startCluster, withCluster } from './cluster';
import { Follower } from './follower';

const h = startCluster();
const PER_PROCESS = 4;
const STREAM_MS = 3_000;
const KILL_AT_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(withCluster)('a process killed with -9', () => {
  it('loses no acknowledged move, its clients reconnect to another process and converge, the others never notice', async () => {
    const users = await Promise.all(range(1, 3 * PER_PROCESS).map((i) => h.user(`Mover ${i}`)));
    const board = await h.seedBoard([{ name: 'Develop' }, { name: 'Test' }], users);
    const cards = await board.addCards('Develop', users.length);
    const dead = new Set<number>();
    const followers = users.map((u, i) => {
      let node = i % 3;
      // Like a load balancer: the same process while it lives, then the next live one.
      const pick = () => {
        while (dead.has(node)) node = (node + 1) % 3;
        return h.nodes[node]!.url;
      };
      return new Follower(u.name, u, board.id, pick, (url, user) => h.socket(url, user));
    });
    await Promise.all(followers.map((f) => f.start()));

    const acked: number[] = [];
    const until = Date.now() + STREAM_MS;
    const streams = followers.map(async (f, i) => {
      for (let n = 0; Date.now() < until; n++) {
        const forward = n % 2 === 0;
        const version = await f.move(cards[i]!, board.col(forward ? 'Test' : 'Develop'), forward ? undefined : 'Failed its test');
        if (version === null) await sleep(50);
        else acked.push(version);
      }
    });
    await sleep(KILL_AT_MS);
    dead.add(1);
    await h.nodes[1]!.crash();
    await Promise.all(streams);

    const final = await h.store.getSnapshot(board.id);
    const log = await h.store.eventsSince(board.id, 0, 1_000_000);
    const versions = (log ?? []).map((e) => e.version);
    expect(versions).toEqual(range(versions[0] ?? 1, final.version));
    expect(acked.length).toBeGreaterThan(followers.length);
    for (const v of acked) expect(versions).toContain(v);

    for (const [i, f] of followers.entries()) {
      await f.reach(final.version);
      expect(canonical(f.board!), f.name).toEqual(canonical(final));
      if (i % 3 === 1) expect(f.disconnects, `${f.name} was on the killed process`).toBe(1);
      else expect(f.disconnects, `${f.name} was on a live process`).toBe(0);
    }
    for (const f of followers) f.stop();
  });
});
