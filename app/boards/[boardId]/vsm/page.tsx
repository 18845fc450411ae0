import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { ValueStreamPage } from '../../../../components/flow/ValueStreamPage';
import { isNotFound } from '../../../../lib/server/boardPage';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

interface VsmPageProps {
  params: Promise<{ boardId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const loadBoardName = cache(async (boardId: string): Promise<string> => {
  await connection();
  // Members only, like the board and its flow page.
  await requireMember(await requireUser(`/boards/${boardId}/vsm`), boardId);
  try {
    return (await getServerHandle().store.windowedSnapshot(boardId, 1)).name;
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: VsmPageProps): Promise<Metadata> {
  const { boardId } = await params;
  return { title: `Value stream · ${await loadBoardName(boardId)}` };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : undefined);

/** The map is fetched in the browser: the range is in the viewer's time zone, which only it knows. */
export default async function BoardValueStreamPage({ params, searchParams }: VsmPageProps) {
  const { boardId } = await params;
  const name = await loadBoardName(boardId);
  const query = await searchParams;
  return <ValueStreamPage key={boardId} boardId={boardId} boardName={name} initialFilter={{ lane: one(query.lane), class: one(query.class) }} />;
}
