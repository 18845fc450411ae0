import Link from 'next/link';
import type { BoardSummaryDTO } from '../../lib/shared/domain/types';
import { plural } from '../../lib/client/format';

export function BoardList({ boards }: { boards: BoardSummaryDTO[] }) {
  if (boards.length === 0) {
    return (
      <div data-testid="boards-empty" className="rounded-xl border-2 border-dashed border-slate-300 px-6 py-10 text-center text-slate-600">
        <p className="font-medium text-slate-800">No boards yet.</p>
        <p className="mt-1 text-sm">Create one from the value-stream template, or ask a board’s admin to invite you: invitations appear on this page.</p>
      </div>
    );
  }
  const sorted = boards.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ul className="space-y-2" data-testid="board-list">
      {sorted.map((board) => (
        <li key={board.id}>
          <Link
            href={`/boards/${board.id}`}
            data-testid={`board-link-${board.id}`}
            className="group flex items-center justify-between gap-4 rounded-xl bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200 hover:ring-sky-400 focus-visible:outline-2 focus-visible:outline-sky-600"
          >
            <span className="min-w-0">
              <span className="block truncate font-semibold text-slate-900 group-hover:text-sky-800">{board.name}</span>
              <span className="text-sm text-slate-500">
                {plural(board.cardCount, 'card')} · {plural(board.columnCount, 'work center')}
              </span>
            </span>
            <span aria-hidden className="text-slate-400 group-hover:text-sky-700">
              →
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
