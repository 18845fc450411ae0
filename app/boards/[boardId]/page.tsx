import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { Board } from '../../../components/board/Board';
import { parseFilter } from '../../../lib/client/boardFilter';
import { CARD_WINDOW } from '../../../lib/shared/domain/cardWindow';
import type { BoardSnapshot } from '../../../lib/shared/domain/types';
import type { BoardRole } from '../../../lib/shared/domain/roles';
import { getServerHandle } from '../../../lib/server/handle';
import { requireMember, requireUser } from '../../../lib/server/session';

interface BoardPageProps {
  params: Promise<{ boardId: string }>;
  /** The board's filters (lib/client/boardFilter.ts): a shared link opens filtered. */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * The store throws a DomainError for an unknown board. It comes from the custom server's copy of
 * the module, not this one, so `instanceof` would fail here: compare the code instead.
 */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'NOT_FOUND';
}

/** One read per request, shared by the metadata and the page: the viewer, their role, the board. */
const loadBoard = cache(async (boardId: string): Promise<{ board: BoardSnapshot; me: { id: string; name: string; role: BoardRole } }> => {
  // Per request, never at build time.
  await connection();
  const user = await requireUser(`/boards/${boardId}`);
  // Not a member: the board does not exist for this account (404), exactly like an unknown id.
  const role = await requireMember(user, boardId);
  try {
    // A big board as a join sends it: each work center's first cards and the counts, a bounded read
    // and render whatever the board's size (lib/shared/domain/cardWindow.ts).
    const { store } = getServerHandle();
    const [board, people] = await Promise.all([store.windowedSnapshot(boardId, CARD_WINDOW), store.people(boardId)]);
    return { board: { ...board, people }, me: { id: user.id, name: user.name, role } };
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: BoardPageProps): Promise<Metadata> {
  const { boardId } = await params;
  const { board } = await loadBoard(boardId);
  return { title: board.name };
}

// No loading.tsx for this route: a streamed loading shell would commit a 200 status before
// notFound() could answer 404 for an unknown board. The snapshot is one bounded read anyway.
export default async function BoardPage({ params, searchParams }: BoardPageProps) {
  const { boardId } = await params;
  const { board, me } = await loadBoard(boardId);
  // Keyed by board: moving to another board starts a fresh sync instead of mixing two boards.
  return <Board key={board.id} initial={board} me={me} renderedAt={Date.now()} filter={parseFilter(await searchParams)} />;
}
