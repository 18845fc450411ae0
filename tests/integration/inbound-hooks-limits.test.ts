/** An inbound hook has a budget of deliveries like an account's writes: a runaway pipeline cannot flood the board. */
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers';

const h = startTestServer({ writeRate: { perSecond: 0.01, burst: 3 } });

describe('inbound hooks: rate', () => {
  it('deliveries past the hook\'s burst are refused with 429 RATE_LIMITED and change nothing; another hook has its own budget', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }], 'Limits');
    const made = await h.app.store.hooks.create(board.id, { name: 'Script', provider: 'generic' }, null);
    const other = await h.app.store.hooks.create(board.id, { name: 'Other script', provider: 'generic' }, null);
    const post = (hook: typeof made, body: object) =>
      fetch(`${h.url}${hook.hook.path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${hook.secret}` }, body: JSON.stringify(body) });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(made, { create: { title: `card ${i}` } })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await post(made, { create: { title: 'one too many' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await h.app.store.getSnapshot(board.id)).cards.map((c) => c.title).toSorted()).toEqual(['card 0', 'card 1', 'card 2']);
    expect((await post(other, { create: { title: 'from the other hook' } })).status).toBe(200);
  });
});
