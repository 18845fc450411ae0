/** Test helpers: a board's stored flow aggregates, and the same computed from its log. */
import { expect } from 'vitest';
import { resolveCommitment } from '../../db/flow';
import type { Store } from '../../db/store';
import { furthestEntered } from '../../lib/shared/flow/order';
import type { BoardEvent } from '../../lib/shared/domain/types';
import { blockKey, counterKey, dailyFromHourly, replayFlow, type ReplayedFlow } from '../../lib/shared/flow/replay';

export async function storedAggregates(store: Store, boardId: string) {
  await store.flow.settle(boardId);
  return store.engine.read(async (sql) => {
    const rows = async (table: string) => {
      const out = new Map<string, number[]>();
      for (const r of await sql.values<[string, number, ...number[]]>(
        `select column_id, bucket, reached, entered, exited, deleted, abandoned, returned from ${table} where board_id = ?`,
        [boardId],
      )) {
        const [columnId, bucket, ...values] = r;
        if (values.some((v) => v !== 0)) out.set(counterKey(columnId, bucket), values);
      }
      return out;
    };
    const cardFlow = new Map<string, [number | null, number]>();
    for (const [cardId, columnId, entered, reached] of await sql.values<[string, string, number | null, number]>(
      'select card_id, column_id, entered_at, reached_at from card_flow where board_id = ?',
      [boardId],
    )) {
      cardFlow.set(`${cardId}|${columnId}`, [entered, reached]);
    }
    const order = (await sql.values<[string]>('select id from columns where board_id = ? order by flow_ord', [boardId])).map((r) => r[0]);
    const cards = new Map(
      (await sql.values<[string, ...unknown[]]>('select card_id, title, created_at, committed_at, done_at, furthest_id, column_id, deleted_at, parent_id, split_at from flow_cards where board_id = ?', [boardId])).map(
        ([id, ...rest]) => [id, rest],
      ),
    );
    const blocks = new Map(
      (await sql.values<[string, number, string, string | null, number, number | null]>(
        'select card_id, opened_version, column_id, reason, started_at, ended_at from flow_blocks where board_id = ?',
        [boardId],
      )).map(([cardId, v, columnId, reason, startedAt, endedAt]) => [blockKey(cardId, Number(v)), [columnId, reason, Number(startedAt), endedAt === null ? null : Number(endedAt)]]),
    );
    return { hourly: await rows('flow_counts_hourly'), daily: await rows('flow_counts_daily'), cardFlow, order, cards, blocks };
  });
}

export function expectedAggregates(flow: ReplayedFlow) {
  const cardFlow = new Map<string, [number | null, number]>();
  for (const card of flow.cards.values()) {
    for (const [columnId, reached] of card.reached) cardFlow.set(`${card.id}|${columnId}`, [card.entries.get(columnId) ?? null, reached]);
  }
  const ids = flow.order.map((o) => o.id);
  const live = flow.order.filter((o) => o.live);
  const commit = resolveCommitment(live, flow.commitmentSetting);
  const done = live.at(-1)?.id ?? '';
  const cards = new Map(
    [...flow.cards.values()].map((c) => [
      c.id,
      [c.title, c.createdAt, c.reached.get(commit) ?? null, c.reached.get(done) ?? null, furthestEntered(ids, c.entries), c.columnId, c.deletedAt, c.parentId, c.splitAt],
    ]),
  );
  const blocks = new Map([...flow.blocks].map(([key, b]) => [key, [b.columnId, b.reason, b.startedAt, b.endedAt]]));
  return { hourly: flow.hourly, daily: dailyFromHourly(flow.hourly), cardFlow, order: ids, cards, blocks };
}

export const sorted = <V>(m: Map<string, V>) => [...m.entries()].toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));


/** The board's stored aggregates equal a full recomputation from `events`, its whole log. */
export async function expectAggregatesOfLog(store: Store, boardId: string, events: readonly BoardEvent[]): Promise<void> {
  const stored = await storedAggregates(store, boardId);
  const expected = expectedAggregates(replayFlow([...events]));
  expect(stored.order).toEqual(expected.order);
  expect(sorted(stored.cardFlow)).toEqual(sorted(expected.cardFlow));
  expect(sorted(stored.hourly)).toEqual(sorted(expected.hourly));
  expect(sorted(stored.daily)).toEqual(sorted(expected.daily));
  expect(sorted(stored.cards)).toEqual(sorted(expected.cards));
  expect(sorted(stored.blocks)).toEqual(sorted(expected.blocks));
}
