/**
 * Boards for the benchmarks, written into the SQLite file before the server opens it, through the
 * store itself so the rows are exactly what the app would write.
 */
import { createAccess } from '../../db/access';
import { openDatabase } from '../../db/client';
import { createStore } from '../../db/store';

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

export function seedBoards(dbPath: string, boardCount: number, cardsPerBoard: number): BenchBoard[] {
  const { sqlite, db } = openDatabase(dbPath);
  try {
    const store = createStore(db);
    const access = createAccess(db);
    // One service account per seeding (a database may be seeded twice): it creates the boards, so it is their admin.
    const owner = access.createServiceAccount('bench seed', `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.test`);
    const { secret: token } = access.createToken(owner.id, 'bench clients');
    const actor = { id: owner.id, name: owner.name };
    const seeded: BenchBoard[] = [];
    for (let b = 1; b <= boardCount; b++) {
      const { board } = store.createBoard({ name: `Bench board ${b}`, columns: [{ name: 'Ready' }, { name: 'Doing' }] }, actor);
      const [first, second] = board.columns;
      if (!first || !second) throw new Error('seed: the board has no two work centers');
      const cardIds: string[] = [];
      for (let c = 1; c <= cardsPerBoard; c++) {
        cardIds.push(store.createCard({ boardId: board.id, columnId: first.id, title: `Bench card ${c}` }, actor).card.id);
      }
      seeded.push({ boardId: board.id, firstColumnId: first.id, secondColumnId: second.id, cardIds, token });
    }
    return seeded;
  } finally {
    sqlite.close();
  }
}
