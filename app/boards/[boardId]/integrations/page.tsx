import type { Metadata } from 'next';
import { SettingsShell } from '../../../../components/account/SettingsShell';
import { InboundHooks } from '../../../../components/integrations/InboundHooks';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

export const metadata: Metadata = { title: 'Integrations' };

/** The board's integrations: inbound hooks (this page) and, merged in beside them, outgoing webhooks. Board admins only. */
export default async function IntegrationsPage({ params }: { params: Promise<{ boardId: string }> }) {
  const { boardId } = await params;
  const user = await requireUser(`/boards/${boardId}/integrations`);
  const role = await requireMember(user, boardId);
  const { store } = getServerHandle();
  const board = (await store.listBoards()).find((b) => b.id === boardId);
  const shell = (children: React.ReactNode) => (
    <SettingsShell backHref={`/boards/${boardId}`} backLabel={board?.name ?? 'Board'} title="Integrations" userName={user.name}>
      {children}
    </SettingsShell>
  );
  if (role !== 'admin') return shell(<p className="text-sm text-slate-700">Only a board admin can see and change its integrations.</p>);
  const [hooks, hookBoard] = await Promise.all([store.hooks.list(boardId), store.hooks.board(boardId)]);
  return shell(<InboundHooks boardId={boardId} keyPrefix={hookBoard.keyPrefix} columns={hookBoard.columns} lanes={hookBoard.lanes} initialHooks={hooks} initialRules={hookBoard.rules} />);
}
