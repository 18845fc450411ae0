import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/account/AuthForm';
import { AuthShell } from '../../components/account/AuthShell';
import { PASSWORD_LIMITS } from '../../lib/shared/domain/limits';
import { getServerHandle } from '../../lib/server/handle';
import { currentUser, safeNext } from '../../lib/server/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentUser()) redirect(next);
  // A new database: there is nobody to sign in as yet.
  if (await getServerHandle().needsFirstAdmin()) redirect('/sign-up');
  return (
    <AuthShell title="Sign in" intro={params.ended === '1' ? <span role="status">Your session ended: sign in again to carry on where you were.</span> : 'Welcome back. Your boards are waiting.'}>
      <AuthForm mode="sign-in" next={next} minPassword={PASSWORD_LIMITS.min} />
    </AuthShell>
  );
}
