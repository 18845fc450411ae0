/**
 * Properties of the real store on BOTH engines (a SQLite file and a real PostgreSQL database, migrated
 * schema, one transaction per change) over random sequences of commands (splits included): the WIP limit holds after
 * every change, a refusal changes nothing, the event log folded with applyEvent is exactly the stored
 * state (blocked time and undone moves included), and the flow aggregates (blocked intervals included) equal a full
 * recomputation from the log.
 */
import * as fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import { createTestDatabase, withPostgres, type TestDatabase } from '../services';
import { expectAggregatesOfLog } from '../unit/flow-aggregates';
import { DomainError } from '../../lib/shared/domain/errors';
import { sortByPosition } from '../../lib/shared/domain/ordering';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { canonical, fold, range } from './helpers';

type Cmd =
  | { kind: 'create'; col: number; before: number | null }
  | { kind: 'move'; card: number; col: number; before: number | null; reason: boolean }
  | { kind: 'limit'; col: number; limit: number | null }
  | { kind: 'update'; card: number; blocked: boolean; reason: string }
  | { kind: 'delete'; card: number }
  | { kind: 'split'; card: number; into: number }
  | { kind: 'undo'; latest: boolean };

const before = fc.option(fc.nat(), { nil: null });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), col: fc.nat(), before }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('move' as const), card: fc.nat(), col: fc.nat(), before, reason: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), col: fc.nat(), limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), card: fc.nat(), blocked: fc.boolean(), reason: fc.constantFrom('waiting', 'vendor sandbox') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), card: fc.nat() }) },
  // One card becomes 2 to 4: refused past a limit, as a pull is.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), card: fc.nat(), into: fc.integer({ min: 2, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('undo' as const), latest: fc.boolean() }) },
);

const actor = { name: 'property' };
const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

/** Runs one command, choosing real ids from the current state; throws the store's refusals. */
async function run(store: Store, board: BoardSnapshot, c: Cmd): Promise<void> {
  const column = pick(board.columns, 'col' in c ? c.col : 0);
  const card = pick(board.cards, 'card' in c ? c.card : 0);
  const beforeIn = (columnId: string, n: number | null) => {
    if (n === null) return null;
    return pick(sortByPosition(board.cards.filter((x) => x.columnId === columnId)), n)?.id ?? null;
  };
  switch (c.kind) {
    case 'create':
      if (column) await store.createCard({ boardId: board.id, columnId: column.id, title: 'card', beforeCardId: beforeIn(column.id, c.before) }, actor);
      return;
    case 'move':
      if (column && card) await store.moveCard({ cardId: card.id, toColumnId: column.id, beforeCardId: beforeIn(column.id, c.before), reason: c.reason ? 'defect' : undefined }, actor);
      return;
    case 'limit':
      if (column) await store.updateColumn({ columnId: column.id, wipLimit: c.limit }, actor);
      return;
    case 'update':
      if (card) await store.updateCard({ cardId: card.id, blocked: c.blocked, blockedReason: c.blocked ? c.reason : undefined }, actor);
      return;
    case 'delete':
      if (card) await store.deleteCard({ cardId: card.id }, actor);
      return;
    case 'split':
      if (card) await store.splitCard({ cardId: card.id, titles: Array.from({ length: c.into }, (_, i) => `part ${i + 1}`) }, actor);
      return;
    case 'undo': {
      // The board's last move, or the one before (mostly refused): the store refuses what may not be undone.
      const moves = ((await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? []).filter((e) => e.type === 'card_moved');
      const move = c.latest ? moves.at(-1) : moves.at(-2);
      if (move?.type === 'card_moved') await store.undoMove({ cardId: move.cardId, version: move.version }, actor);
      return;
    }
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
}

const counts = (board: BoardSnapshot) => new Map(board.columns.map((col) => [col.id, board.cards.filter((c) => c.columnId === col.id).length]));

const engines = withPostgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(engines)('the store on %s over any sequence of commands', (kind) => {
  let engine: Engine;
  let database: TestDatabase | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-store-'));
  beforeAll(async () => {
    if (kind === 'postgres') database = await createTestDatabase('store');
    engine = await openEngine({ url: database?.url, sqlitePath: join(dir, 'store.db') });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never lets a column grow past its WIP limit, changes nothing on a refusal, its log folds to its state, its aggregates equal a recomputation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
        let now = Date.UTC(2026, 0, 1);
        const store = createStore(engine, { clock: () => (now += 1_000) });
        const { board: created } = await store.createBoard(
          { name: 'Property', columns: [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 1 }, { name: 'Done' }] },
          actor,
        );
        let board = created;
        for (const c of cmds) {
          const prior = board;
          try {
            await run(store, board, c);
          } catch (error) {
            if (!(error instanceof DomainError) || error.code === 'INTERNAL') throw error;
            expect(await store.getSnapshot(board.id), `refused ${JSON.stringify(c)}`).toStrictEqual(prior);
            continue;
          }
          board = await store.getSnapshot(board.id);
          // A column may only gain cards while under its limit (a lowered limit may leave it over, never more over).
          const was = counts(prior);
          for (const [columnId, n] of counts(board)) {
            const limit = board.columns.find((col) => col.id === columnId)?.wipLimit ?? null;
            if (limit !== null && n > (was.get(columnId) ?? 0)) expect(n, `after ${JSON.stringify(c)}`).toBeLessThanOrEqual(limit);
          }
        }
        const log = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
        expect(log.map((e) => e.version)).toEqual(range(1, board.version));
        const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: board.createdAt, columns: [], lanes: [], cards: [] };
        expect(canonical(fold(empty, log))).toStrictEqual(board);
        await expectAggregatesOfLog(store, board.id, log);
      }),
      { numRuns: kind === 'postgres' ? 25 : 50 },
    );
  }, 120_000);
});
