/**
 * People on cards over random sequences of commands, on the real store of both engines: nobody ever
 * gains a card in progress past the per-person limit, only members are assigned, a refusal changes
 * nothing, and the log folds to the stored state.
 */
import * as fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import { DomainError } from '../../lib/shared/domain/errors';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { createTestDatabase, withPostgres, type TestDatabase } from '../services';
import { canonical, fold } from './helpers';

type Cmd =
  | { kind: 'create'; col: number; people: number[] }
  | { kind: 'move'; card: number; col: number }
  | { kind: 'assign'; card: number; people: number[] }
  | { kind: 'limit'; limit: number | null };

/** Indexes into the accounts: 0 to 2 are members, 3 is not (named now and then). */
const people = fc.oneof(
  { weight: 9, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) },
);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), col: fc.nat(), people }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('move' as const), card: fc.nat(), col: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('assign' as const), card: fc.nat(), people }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }) }) },
);

const engines = withPostgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

/** Cards in progress (not in the first or last work center) each person holds. */
function held(board: BoardSnapshot): Map<string, number> {
  const middle = new Set(board.columns.slice(1, -1).map((c) => c.id));
  const counts = new Map<string, number>();
  for (const card of board.cards) if (middle.has(card.columnId)) for (const p of card.assigneeIds) counts.set(p, (counts.get(p) ?? 0) + 1);
  return counts;
}

describe.each(engines)('people on the store on %s over any sequence of commands', (kind) => {
  let engine: Engine;
  let database: TestDatabase | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-people-'));
  beforeAll(async () => {
    if (kind === 'postgres') database = await createTestDatabase('people');
    engine = await openEngine({ url: database?.url, sqlitePath: join(dir, 'people.db') });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never lets a person gain a card in progress past the limit, assigns members only, changes nothing on a refusal, folds to its state', async () => {
    const access = createAccess(engine);
    let made = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 }), fc.array(cmd, { minLength: 5, maxLength: 30, size: 'max' }), async (initialLimit, cmds) => {
        let now = Date.UTC(2026, 0, 1);
        const store = createStore(engine, { clock: () => (now += 1_000) });
        const actor = { name: 'property' };
        const { board: created } = await store.createBoard({ name: 'People', columns: [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }] }, actor);
        const accounts: { id: string }[] = [];
        for (let i = 0; i < 4; i++) accounts.push(await access.createServiceAccount(`Person ${i}`, `person-${made++}@property.test`));
        for (const a of accounts.slice(0, 3)) await access.addMember(created.id, a.id, 'member');
        const outsider = accounts[3]?.id;
        const ids = (ns: readonly number[]) => ns.map((n) => accounts[n]?.id as string);
        await store.configureBoard({ boardId: created.id, personWipLimit: initialLimit }, actor);
        let limit: number | null = initialLimit;
        let board = await store.getSnapshot(created.id);
        for (const c of cmds) {
          const prior = board;
          const card = 'card' in c ? pick(board.cards, c.card) : undefined;
          try {
            if (c.kind === 'create') await store.createCard({ boardId: board.id, columnId: pick(board.columns, c.col)?.id, title: 'card', assigneeIds: ids(c.people) }, actor);
            else if (c.kind === 'move' && card) await store.moveCard({ cardId: card.id, toColumnId: pick(board.columns, c.col)?.id ?? '', reason: 'defect' }, actor);
            else if (c.kind === 'assign' && card) await store.updateCard({ cardId: card.id, assigneeIds: ids(c.people) }, actor);
            else if (c.kind === 'limit') {
              await store.configureBoard({ boardId: board.id, personWipLimit: c.limit }, actor);
              limit = c.limit;
            }
          } catch (error) {
            if (!(error instanceof DomainError) || error.code === 'INTERNAL') throw error;
            expect(await store.getSnapshot(board.id), `refused ${JSON.stringify(c)}`).toStrictEqual(prior);
            continue;
          }
          board = await store.getSnapshot(board.id);
          // Only members are ever newly assigned (the outsider was never a member).
          expect(board.cards.some((x) => outsider !== undefined && x.assigneeIds.includes(outsider)), JSON.stringify(c)).toBe(false);
          // Nobody's count in progress grows past the limit (a lowered limit may leave someone over, never more over).
          if (limit !== null) {
            const was = held(prior);
            for (const [person, n] of held(board)) if (n > (was.get(person) ?? 0)) expect(n, `${person} after ${JSON.stringify(c)}`).toBeLessThanOrEqual(limit);
          }
        }
        const log = (await store.eventsSince(board.id, 0, Number.MAX_SAFE_INTEGER)) ?? [];
        const empty: BoardSnapshot = { id: board.id, name: '', version: 0, createdAt: board.createdAt, columns: [], lanes: [], cards: [] };
        expect(canonical(fold(empty, log))).toStrictEqual(board);
      }),
      { numRuns: kind === 'postgres' ? 30 : 50 },
    );
  }, 120_000);
});
