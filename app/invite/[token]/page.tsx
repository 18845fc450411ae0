import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AcceptInvite } from '../../../components/account/AcceptInvite';
import { AuthShell } from '../../../components/account/AuthShell';
import { getServerHandle } from '../../../lib/server/handle';
import { currentUser } from '../../../lib/server/session';

export const metadata: Metadata = { title: 'Invitation' };

/** An invite link: sign in (or up) first, then join with one click; opening the page changes nothing. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  if (!user) redirect(`/sign-up?next=${encodeURIComponent(`/invite/${token}`)}`);
  const invite = await getServerHandle().access.peekInvite(token);
  if (!invite) {
    return (
      <AuthShell title="This link no longer works" intro="It was used already, revoked, or it expired.">
        <p className="text-sm text-slate-600">Ask a board admin for a new link.</p>
        <Link href="/" className="mt-4 inline-block font-medium text-sky-700 hover:underline">
          Your boards
        </Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={`Join “${invite.boardName}”`} intro={`You are invited as ${invite.role === 'admin' ? 'an admin' : `a ${invite.role}`}.`}>
      <AcceptInvite token={token} userName={user.name} />
    </AuthShell>
  );
}
