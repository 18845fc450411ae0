/**
 * Boards for the benchmarks, written into the SQLite file or PostgreSQL database before the server
 * opens it, through the store itself so the rows are exactly what the app would write.
 */
import { createAccess } from '../../db/access';
import { openEngine } from '../../db/open';
import { createStore } from '../../db/store';
import type { AppDatabase } from './types';

export interface BenchBoard {
  boardId: string;
  /** Two work centers without WIP limits: a card goes forward from the first to the second and back. */
  firstColumnId: string;
  secondColumnId: string;
  /** All in the first column. */
  cardIds: string[];
  /**
   * An API token of the account that owns every seeded board (its admin): the clients connect with
   * it. The floors ignore it.
   */
  token: string;
}

export async function seedBoards(db: AppDatabase, boardCount: number, cardsPerBoard: number): Promise<BenchBoard[]> {
  const engine = await openEngine(typeof db === 'string' ? { sqlitePath: db } : { url: db.url, sqlitePath: ':memory:' });
  try {
    const store = createStore(engine);
    const access = createAccess(engine);
    // One service account per seeding (a database may be seeded twice): it creates the boards, so it is their admin.
    const owner = await access.createServiceAccount('bench seed', `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.test`);
    const { secret: token } = await access.createToken(owner.id, 'bench clients');
    const actor = { id: owner.id, name: owner.name };
    const seeded: BenchBoard[] = [];
    for (let b = 1; b <= boardCount; b++) {
      const { board } = await store.createBoard({ name: `Bench board ${b}`, columns: [{ name: 'Ready' }, { name: 'Doing' }] }, actor);
      const [first, second] = board.columns;
      if (!first || !second) throw new Error('seed: the board has no two work centers');
      const cardIds: string[] = [];
      for (let c = 1; c <= cardsPerBoard; c++) {
        cardIds.push((await store.createCard({ boardId: board.id, columnId: first.id, title: `Bench card ${c}` }, actor)).card.id);
      }
      seeded.push({ boardId: board.id, firstColumnId: first.id, secondColumnId: second.id, cardIds, token });
    }
    // The flow aggregates caught up here, not by the server under measurement.
    for (const b of seeded) await store.flow.settle(b.boardId);
    return seeded;
  } finally {
    await engine.close();
  }
}
