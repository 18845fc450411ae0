import type { Store } from '../../db/store';
import type { BoardSnapshot, CardType } from '../shared/domain/types';

const DEMO_CARDS: ReadonlyArray<{ title: string; type: CardType; column: number }> = [
  { title: 'Self-service password reset', type: 'feature', column: 0 },
  { title: 'Export invoices as CSV', type: 'feedback', column: 0 },
  { title: 'Dark mode for the status page', type: 'feature', column: 0 },
  { title: 'Checkout flow: one-page layout', type: 'feature', column: 1 },
  { title: 'Audit log retention policy', type: 'chore', column: 1 },
  { title: 'Rate limiting on the public API', type: 'feature', column: 2 },
  { title: 'Upgrade the payment SDK', type: 'chore', column: 2 },
  { title: 'Search results ignore accents', type: 'defect', column: 2 },
  { title: 'Webhook retries with backoff', type: 'feature', column: 3 },
  { title: 'Slow dashboard on large accounts', type: 'defect', column: 3 },
  { title: 'Blue/green deploy for the API', type: 'chore', column: 4 },
  { title: 'Disk alerts on the queue hosts', type: 'incident', column: 5 },
  { title: 'Two-factor sign-in', type: 'feature', column: 6 },
  { title: 'Faster cold start', type: 'feature', column: 6 },
];

/** A board a newcomer can play with at once: every work center has work, one card went backward. */
export async function seedDemoBoard(store: Store): Promise<BoardSnapshot> {
  const actor = { name: 'Flowboard demo' };
  const { board } = await store.createBoard({ name: 'Payments value stream' }, actor);
  const columnIds = board.columns.map((c) => c.id);
  const created = [];
  for (const c of DEMO_CARDS) {
    const columnId = columnIds[c.column] ?? columnIds[0];
    created.push((await store.createCard({ boardId: board.id, columnId, title: c.title, type: c.type }, actor)).card);
  }
  const slow = created.find((c) => c.title.startsWith('Slow dashboard'));
  const develop = columnIds[2];
  if (slow && develop) {
    await store.moveCard({ cardId: slow.id, toColumnId: develop, reason: 'Fails the load test at 10k accounts' }, actor);
  }
  const blocked = created.find((c) => c.title.startsWith('Upgrade the payment SDK'));
  if (blocked) await store.updateCard({ cardId: blocked.id, blocked: true, blockedReason: 'Waiting for the vendor sandbox' }, actor);
  return store.getSnapshot(board.id);
}
