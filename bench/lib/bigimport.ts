/**
 * A board as big as the largest a member can import: 50,000 items over two years in 8 work centers,
 * about 175,000 events, written by the CSV import itself (planImport + importBoard), so its rows are
 * exactly what POST /api/import/csv writes. Its owner is a service account with an API token.
 */
import { randomUUID } from 'node:crypto';
import { createAccess } from '../../db/access';
import { importBoard } from '../../db/import';
import { openEngine } from '../../db/open';
import { planImport } from '../../lib/shared/flow/csv';
import { prng } from '../../lib/shared/random';

export const BIG_WORK_CENTERS = ['Backlog', 'Analysis', 'Design', 'Develop', 'Review', 'Test', 'Deploy', 'Done'];
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/**
 * The import file: each item enters Backlog on a day of the last two years, then goes on through a
 * random number of work centers (about 2.5 on average, so about 3.5 events per item).
 */
export function bigBoardCsv(items: number, now = Date.now()): string {
  const rnd = prng(7).next;
  const lines = [['ID', 'Name', ...BIG_WORK_CENTERS, 'Type'].join(',')];
  const start = now - 730 * DAY_MS;
  for (let n = 0; n < items; n++) {
    let at = start + Math.floor(rnd() * 720 * DAY_MS);
    const steps = Math.min(BIG_WORK_CENTERS.length - 1, Math.floor(rnd() * rnd() * 12));
    const cells = [stamp(at)];
    for (let k = 1; k < BIG_WORK_CENTERS.length; k++) {
      if (k <= steps && at < now - 2 * DAY_MS) {
        at = Math.min(now - DAY_MS, at + Math.floor((0.1 + rnd() * 3) * DAY_MS));
        cells.push(stamp(at));
      } else cells.push('');
    }
    lines.push([`ITEM-${n + 1}`, `Item ${n + 1}: rotate the deploy keys of service ${n % 97}`, ...cells, n % 5 === 0 ? 'defect' : 'feature'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface BigBoard {
  boardId: string;
  items: number;
  events: number;
  /** An API token of the board's admin. */
  token: string;
}

/** Imports the big board into a database (a SQLite file, or PostgreSQL with `url`). */
export async function seedBigBoard(choice: { sqlitePath: string; url?: string }, items = 50_000): Promise<BigBoard> {
  const engine = await openEngine(choice);
  try {
    const access = createAccess(engine);
    const owner = await access.createServiceAccount('bench importer', `bench-${randomUUID()}@bench.test`);
    const { secret: token } = await access.createToken(owner.id, 'bench reads');
    const planned = planImport(bigBoardCsv(items), { tz: 'UTC' });
    if (!planned.ok) throw new Error(`the big board's CSV was refused: ${planned.errors[0]?.reason}`);
    const result = await importBoard(engine, planned.plan, { name: `Imported: ${items.toLocaleString('en')} items`, actor: owner.name, actorId: owner.id, newId: randomUUID });
    return { boardId: result.boardId, items: result.items, events: result.events, token };
  } finally {
    await engine.close();
  }
}
