// oxlint-disable-next-line import/no-unassigned-import -- the guard that keeps this module out of client bundles
import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import type { AccountDTO } from '../../db/access';
import type { BoardRole } from '../shared/domain/roles';
import { getServerHandle } from './handle';

/**
 * The signed-in account of a page request, read on the server from the session cookie with
 * better-auth's API (the instance the custom server made, reached through globalThis).
 */
export async function currentUser(): Promise<AccountDTO | null> {
  // Per request, never at build time.
  await connection();
  const { auth, access } = getServerHandle();
  const session = await auth.api.getSession({ headers: await headers() });
  return session ? access.getUser(session.user.id) : null;
}

/** Where a signed-out visitor goes: on a new database, to create the admin account. */
export async function signInPath(next?: string): Promise<string> {
  if (await getServerHandle().needsFirstAdmin()) return '/sign-up';
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

export async function requireUser(next?: string): Promise<AccountDTO> {
  const user = await currentUser();
  if (!user) redirect(await signInPath(next));
  return user;
}

/** The user's role on a board; a board they are not a member of does not exist for them (404). */
export async function requireMember(user: AccountDTO, boardId: string): Promise<BoardRole> {
  const role = await getServerHandle().access.roleOf(boardId, user.id);
  if (!role) notFound();
  return role;
}

/** Only same-site paths: `next` must not send someone to another site after signing in. */
export function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
