import type { Metadata } from 'next';
import { cache } from 'react';
import { Board } from '../../../components/board/Board';
import { parseFilter } from '../../../lib/client/boardFilter';
import { readBoardPage } from '../../../lib/server/boardPage';
import { getServerHandle } from '../../../lib/server/handle';
import { WebhookNotice } from '../../../components/integrations/WebhookNotice';

interface BoardPageProps {
  params: Promise<{ boardId: string }>;
  /** The board's filters (lib/client/boardFilter.ts): a shared link opens filtered. */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One read per request, shared by the metadata and the page: the viewer, their role, the board. */
const loadBoard = cache((boardId: string) => readBoardPage(boardId, `/boards/${boardId}`));

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
  // Admins are told of webhooks the app turned off (lib/server/webhooks): one indexed read, admins only.
  const notices = me.role === 'admin' ? await getServerHandle().webhooks.disabledNotices(board.id) : [];
  // Keyed by board: moving to another board starts a fresh sync instead of mixing two boards.
  return (
    <Board
      key={board.id}
      initial={board}
      me={me}
      renderedAt={Date.now()}
      filter={parseFilter(await searchParams)}
      notice={notices.length > 0 ? <WebhookNotice boardId={board.id} notices={notices} /> : undefined}
    />
  );
}
