import type { Metadata } from 'next';
import Link from 'next/link';
import { MembersPanel } from '../../../../components/account/MembersPanel';
import { UserMenu } from '../../../../components/account/UserMenu';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ boardId: string }> }) {
  const { boardId } = await params;
  const user = await requireUser(`/boards/${boardId}/members`);
  const role = requireMember(user, boardId);
  const { store, access } = getServerHandle();
  const board = store.listBoards().find((b) => b.id === boardId);
  return (
    <div className="min-h-dvh bg-slate-100">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3 px-6 py-4">
          <Link href={`/boards/${boardId}`} className="rounded text-sm text-slate-300 hover:text-white">
            ← {board?.name ?? 'Board'}
          </Link>
          <h1 className="text-xl font-bold tracking-tight">Members</h1>
          <div className="ml-auto">
            <UserMenu name={user.name} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-6 py-8">
        <MembersPanel
          boardId={boardId}
          me={{ id: user.id, role }}
          initialMembers={access.listMembers(boardId)}
          initialInvites={role === 'admin' ? access.listInvites(boardId) : []}
        />
      </main>
    </div>
  );
}
