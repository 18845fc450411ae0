import type { Metadata } from 'next';
import { connection } from 'next/server';
import { SettingsShell } from '../../../../components/account/SettingsShell';
import { InboundHooks } from '../../../../components/integrations/InboundHooks';
import { OutgoingWebhooks } from '../../../../components/integrations/OutgoingWebhooks';
import { getServerHandle } from '../../../../lib/server/handle';
import { requireMember, requireUser } from '../../../../lib/server/session';

export const metadata: Metadata = { title: 'Integrations' };

/** A board's integrations, for its admins: the tools that tell it (inbound hooks) and those it tells (outgoing webhooks). */
export default async function IntegrationsPage({ params }: { params: Promise<{ boardId: string }> }) {
  await connection();
  const { boardId } = await params;
  const user = await requireUser(`/boards/${boardId}/integrations`);
  const role = await requireMember(user, boardId);
  const { store, webhooks } = getServerHandle();
  const board = (await store.listBoards()).find((b) => b.id === boardId);
  if (role !== 'admin') {
    return (
      <SettingsShell backHref={`/boards/${boardId}`} backLabel={board?.name ?? 'Board'} title="Integrations" userName={user.name}>
        <p className="rounded-2xl bg-white p-5 text-sm text-slate-700 shadow-sm ring-1 ring-slate-200" data-testid="integrations-admins-only">
          Only the board’s admins can see and change its integrations: their secrets sign what the board sends and what it takes in.
        </p>
      </SettingsShell>
    );
  }
  const [hooks, hookBoard, outgoing] = await Promise.all([store.hooks.list(boardId), store.hooks.board(boardId), webhooks.list(boardId)]);
  return (
    <SettingsShell backHref={`/boards/${boardId}`} backLabel={board?.name ?? 'Board'} title="Integrations" userName={user.name}>
      <div className="space-y-10">
        <InboundHooks boardId={boardId} keyPrefix={hookBoard.keyPrefix} columns={hookBoard.columns} lanes={hookBoard.lanes} initialHooks={hooks} initialRules={hookBoard.rules} />
        <OutgoingWebhooks boardId={boardId} initialWebhooks={outgoing} />
      </div>
    </SettingsShell>
  );
}
