import type { Metadata } from 'next';
import Link from 'next/link';
import { TokensPanel } from '../../../components/account/TokensPanel';
import { UserMenu } from '../../../components/account/UserMenu';
import { getServerHandle } from '../../../lib/server/handle';
import { requireUser } from '../../../lib/server/session';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const user = await requireUser('/settings/tokens');
  return (
    <div className="min-h-dvh bg-slate-100">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3 px-6 py-4">
          <Link href="/" className="rounded text-sm text-slate-300 hover:text-white">
            ← All boards
          </Link>
          <h1 className="text-xl font-bold tracking-tight">API tokens</h1>
          <div className="ml-auto">
            <UserMenu name={user.name} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-6 py-8">
        <TokensPanel initialTokens={getServerHandle().access.listTokens(user.id)} />
      </main>
    </div>
  );
}
