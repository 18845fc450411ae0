import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/account/AuthForm';
import { AuthShell } from '../../components/account/AuthShell';
import { PASSWORD_LIMITS } from '../../lib/shared/domain/limits';
import { inviteSecretIn, SIGNUP_BY_INVITE } from '../../lib/shared/invite';
import { getServerHandle } from '../../lib/server/handle';
import { currentUser, safeNext } from '../../lib/server/session';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  const handle = getServerHandle();
  const first = await handle.needsFirstAdmin();
  const secret = inviteSecretIn(next);
  // The link's holder may know the board's name: it is what they were sent the link for.
  const invite = secret ? await handle.access.peekInvite(secret) : null;
  if (handle.signup === 'invite' && !first && !invite) {
    return (
      <AuthShell title="Accounts are by invitation" intro={<p data-testid="signup-by-invite">{SIGNUP_BY_INVITE}</p>}>
        <Link href={`/sign-in?next=${encodeURIComponent(next)}`} className="font-medium text-sky-700 hover:underline">
          Sign in with an existing account
        </Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title={first ? 'Create the admin account' : invite ? `Create an account to join “${invite.boardName}”` : 'Create an account'}
      intro={
        invite && !first ? (
          <p data-testid="signup-invite-board">
            You were invited to the board <strong>{invite.boardName}</strong> as {invite.role === 'admin' ? 'an admin' : `a ${invite.role}`}. Create your account, then
            join it with one click.
          </p>
        ) : first ? (
          <p data-testid="first-admin-intro">
            This Flowboard is new. The first account administers it and owns the boards already here; invite your team from each board afterwards.
          </p>
        ) : (
          <p>With an account, a board admin can add you to their board, or you can open the invite link you were sent.</p>
        )
      }
    >
      <AuthForm mode="sign-up" next={next} minPassword={PASSWORD_LIMITS.min} />
    </AuthShell>
  );
}
