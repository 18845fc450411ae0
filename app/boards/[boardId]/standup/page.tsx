import type { Metadata } from 'next';
import { cache } from 'react';
import { StandupView } from '../../../../components/standup/StandupView';
import { readBoardPage } from '../../../../lib/server/boardPage';

interface StandupPageProps {
  params: Promise<{ boardId: string }>;
}

/** The board as its page reads it (members only; a board the account is not on is a 404). */
const loadBoard = cache((boardId: string) => readBoardPage(boardId, `/boards/${boardId}/standup`));

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
