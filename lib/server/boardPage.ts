/**
 * What a board's pages read before they render (the board and its standup view): the viewer, their
 * role and the board as a join sends it. Pages wrap it in React's `cache`, so their metadata and their
 * body share one read per request.
 */
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { CARD_WINDOW } from '../shared/domain/cardWindow';
import type { BoardRole } from '../shared/domain/roles';
import type { BoardSnapshot } from '../shared/domain/types';
import { getServerHandle } from './handle';
import { requireMember, requireUser } from './session';

/**
 * The store throws a DomainError for an unknown board. It comes from the custom server's copy of
 * the module, not the page's, so `instanceof` would fail there: compare the code instead.
 */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'NOT_FOUND';
}

export interface BoardPageData {
  board: BoardSnapshot;
  me: { id: string; name: string; role: BoardRole };
}

/** `path`: where sign-in sends the viewer back to. Not a member: a 404, exactly like an unknown id. */
export async function readBoardPage(boardId: string, path: string): Promise<BoardPageData> {
  // Per request, never at build time.
  await connection();
  const user = await requireUser(path);
  const role = await requireMember(user, boardId);
  try {
    // A big board as a join sends it: each work center's first cards and the counts, a bounded read
    // and render whatever the board's size (lib/shared/domain/cardWindow.ts); with the board's people.
    const { store } = getServerHandle();
    const [board, people] = await Promise.all([store.windowedSnapshot(boardId, CARD_WINDOW), store.people(boardId)]);
    return { board: { ...board, people }, me: { id: user.id, name: user.name, role } };
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
}
