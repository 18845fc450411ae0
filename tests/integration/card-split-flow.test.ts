/**
 * The batch-size panel's numbers on a history worked out by hand (docs/metrics.md "Batch size"), read
 * through the API with the store's clock set, and the aggregates equal to a recomputation from the log.
 */
import { describe, expect, it } from 'vitest';
import type { BatchSize } from '../../lib/shared/flow/batch';
import type { FlowData, SplitRecord } from '../../lib/shared/flow/data';
import type { FlowMetrics } from '../../lib/shared/flow/metrics';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { seedActor, startTestServer } from './helpers';

type BatchAnswer = BatchSize & { splitItems: SplitRecord[] };

const DAY = 86_400_000;
/** Monday 3 March 2025, 00:00 UTC. */
const T0 = Date.UTC(2025, 2, 3);
let now = T0;
const h = startTestServer({ clock: () => now });
const at = (day: number, hour = 9) => (now = T0 + day * DAY + hour * 3_600_000);

describe('batch size on a hand-worked history', () => {
  it('counts two splits into five cards; split items finished in a median of 1 day, unsplit ones in 3 days', async () => {
    at(0);
    const board = await h.seedBoard([{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const { store } = h.app;
    const create = async (title: string) => (await store.createCard({ boardId: board.id, columnId: board.col('Backlog'), title }, seedActor)).card.id;
    const move = (cardId: string, column: string) => store.moveCard({ cardId, toColumnId: board.col(column) }, seedActor);
    const a = await create('A');
    const b = await create('B');
    await create('C');
    const p = await create('P');
    const q = await create('Q');
    // P is split in the backlog, before anyone starts it: its children start their cycle time when pulled.
    const [p1, p2] = (await store.splitCard({ cardId: p, titles: ['P1', 'P2', 'P3'] }, seedActor)).cards.map((c) => c.id);
    at(1);
    await move(p1 ?? '', 'Develop');
    await move(p2 ?? '', 'Develop');
    await move(a, 'Develop');
    await move(q, 'Develop');
    at(2);
    await move(p1 ?? '', 'Done'); // 1 day
    await move(b, 'Develop');
    // Q is split after commitment: its children start their own cycle time at the split.
    const [q1] = (await store.splitCard({ cardId: q, titles: ['Q1', 'Q2'] }, seedActor)).cards.map((c) => c.id);
    at(3);
    await move(p2 ?? '', 'Done'); // 2 days
    await move(q1 ?? '', 'Done'); // 1 day
    at(5);
    await move(b, 'Done'); // 3 days
    at(6);
    await move(a, 'Done'); // 5 days
    at(7);

    const range = 'from=2025-03-03&to=2025-03-09&tz=UTC';
    const batch = await h.api<BatchAnswer>('GET', `/api/boards/${board.id}/flow/batch?${range}`);
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ splits: 2, children: 5, split: { count: 3, p50: 1, p85: 2 }, unsplit: { count: 2, p50: 3, p85: 5 } });
    expect(batch.body.splitItems).toEqual([
      { cardId: p, at: T0 + 9 * 3_600_000, children: 3 },
      { cardId: q, at: T0 + 2 * DAY + 9 * 3_600_000, children: 2 },
    ]);
    expect(batch.body.sentence).toBe('Split items finished in a median of 1.0 day, unsplit ones in 3.0 days.');
    expect(batch.body.warning).toMatch(/^Small samples: 3 split items and 2 unsplit items/);

    // A split parent is no finished item: throughput counts the five that reached Done.
    const metrics = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${range}`);
    expect(metrics.body.finished.map((f) => f.title).toSorted()).toEqual(['A', 'B', 'P1', 'P2', 'Q1']);
    // Nor hidden: the parents' histories still read, and the flow data names the split children.
    expect((await store.cardHistory(p)).at(-1)?.type).toBe('card_split');
    const data = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${range}`);
    expect(data.body.finished.filter((f) => f.parentId).map((f) => f.title).toSorted()).toEqual(['P1', 'P2', 'Q1']);
    // Work in progress at the end: Q2 in Develop (Q left it at the split).
    expect(metrics.body.wipPerInterval.at(-1)?.wip).toBe(1);

    // A class none of the board's cards is in: no split, no finished item.
    const lane = await h.api<BatchAnswer>('GET', `/api/boards/${board.id}/flow/batch?${range}&class=expedite`);
    expect(lane.body).toMatchObject({ splits: 0, children: 0, split: { count: 0 }, unsplit: { count: 0 } });

    await expectAggregatesOfLog(store, board.id, (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? []);
  });
});
