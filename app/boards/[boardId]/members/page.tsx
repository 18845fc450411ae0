import type { Metadata } from 'next';
import { MembersPanel } from '../../../../components/account/MembersPanel';
import { SettingsShell } from '../../../../components/account/SettingsShell';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ boardId: string }> }) {
  const { boardId } = await params;
  const user = await requireUser(`/boards/${boardId}/members`);
  const role = await requireMember(user, boardId);
  const { store, access } = getServerHandle();
  const board = (await store.listBoards()).find((b) => b.id === boardId);
  return (
    <SettingsShell backHref={`/boards/${boardId}`} backLabel={board?.name ?? 'Board'} title="Members" userName={user.name}>
      <MembersPanel
        boardId={boardId}
        me={{ id: user.id, role }}
        initialMembers={await access.listMembers(boardId)}
        initialInvites={role === 'admin' ? await access.listInvites(boardId) : []}
        initialEmailInvites={role === 'admin' ? await access.listEmailInvites(boardId) : []}
      />
    </SettingsShell>
  );
}
