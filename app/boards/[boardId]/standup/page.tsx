import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { StandupView } from '../../../../components/standup/StandupView';
import { CARD_WINDOW } from '../../../../lib/shared/domain/cardWindow';
import type { BoardSnapshot } from '../../../../lib/shared/domain/types';
import type { BoardRole } from '../../../../lib/shared/domain/roles';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

interface StandupPageProps {
  params: Promise<{ boardId: string }>;
}

/** The store's DomainError comes from the custom server's copy of the module: compare the code. */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'NOT_FOUND';
}

/** The board as its page reads it (members only; a board the account is not on is a 404). */
const loadBoard = cache(async (boardId: string): Promise<{ board: BoardSnapshot; me: { id: string; name: string; role: BoardRole } }> => {
  await connection();
  const user = await requireUser(`/boards/${boardId}/standup`);
  const role = await requireMember(user, boardId);
  try {
    // The board's people with it, as the board page reads them: the people walk and "assign myself" need them.
    const { store } = getServerHandle();
    const [board, people] = await Promise.all([store.windowedSnapshot(boardId, CARD_WINDOW), store.people(boardId)]);
    return { board: { ...board, people }, me: { id: user.id, name: user.name, role } };
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: StandupPageProps): Promise<Metadata> {
  const { boardId } = await params;
  const { board } = await loadBoard(boardId);
  return { title: `Standup · ${board.name}` };
}

/** The standup view: the board's live sync, walked right to left, led by one presenter. */
export default async function StandupPage({ params }: StandupPageProps) {
  const { boardId } = await params;
  const { board, me } = await loadBoard(boardId);
  return <StandupView key={board.id} initial={board} me={me} renderedAt={Date.now()} />;
}
