import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { FlowPage } from '../../../../components/flow/FlowPage';
import { isNotFound } from '../../../../lib/server/boardPage';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

interface FlowPageProps {
  params: Promise<{ boardId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const loadBoardName = cache(async (boardId: string): Promise<string> => {
  await connection();
  // Members only, like the board: a board the account is not on does not exist for it (404).
  await requireMember(await requireUser(`/boards/${boardId}/flow`), boardId);
  try {
    // Only the name: the smallest window of the board (a card per work center), not all its cards.
    return (await getServerHandle().store.windowedSnapshot(boardId, 1)).name;
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: FlowPageProps): Promise<Metadata> {
  const { boardId } = await params;
  return { title: `Flow · ${await loadBoardName(boardId)}` };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : undefined);

/** The data itself is fetched in the browser: the range is in the viewer's time zone, which only it knows. */
export default async function BoardFlowPage({ params, searchParams }: FlowPageProps) {
  const { boardId } = await params;
  const name = await loadBoardName(boardId);
  // `?lane=` or `?class=`: the flow of one lane or class of service (lib/shared/flow/laneFilter.ts).
  const query = await searchParams;
  return <FlowPage key={boardId} boardId={boardId} boardName={name} initialFilter={{ lane: one(query.lane), class: one(query.class) }} />;
}
