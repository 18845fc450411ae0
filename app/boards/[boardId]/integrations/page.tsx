import type { Metadata } from 'next';
import { connection } from 'next/server';
import { SettingsShell } from '../../../../components/account/SettingsShell';
import { OutgoingWebhooks } from '../../../../components/integrations/OutgoingWebhooks';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

export const metadata: Metadata = { title: 'Integrations' };

/** A board's integrations, for its admins: the tools it tells about its changes (and, later, the ones that tell it). */
export default async function IntegrationsPage({ params }: { params: Promise<{ boardId: string }> }) {
  await connection();
  const { boardId } = await params;
  const user = await requireUser(`/boards/${boardId}/integrations`);
  const role = await requireMember(user, boardId);
  const { store, webhooks } = getServerHandle();
  const board = (await store.listBoards()).find((b) => b.id === boardId);
  return (
    <SettingsShell backHref={`/boards/${boardId}`} backLabel={board?.name ?? 'Board'} title="Integrations" userName={user.name}>
      {role === 'admin' ? (
        <div className="space-y-10">
          <OutgoingWebhooks boardId={boardId} initialWebhooks={await webhooks.list(boardId)} />
        </div>
      ) : (
        <p className="rounded-2xl bg-white p-5 text-sm text-slate-700 shadow-sm ring-1 ring-slate-200" data-testid="integrations-admins-only">
          Only the board’s admins can see and change its integrations: their secrets sign what the board sends.
        </p>
      )}
    </SettingsShell>
  );
}
