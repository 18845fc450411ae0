import type { Metadata } from 'next';
import { TokensPanel } from '../../../components/account/TokensPanel';
import { SettingsShell } from '../../../components/account/SettingsShell';
import { getServerHandle } from '../../../lib/server/handle';
import { requireUser } from '../../../lib/server/session';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const user = await requireUser('/settings/tokens');
  return (
    <SettingsShell backHref="/" backLabel="All boards" title="API tokens" userName={user.name}>
      <TokensPanel initialTokens={await getServerHandle().access.listTokens(user.id)} />
    </SettingsShell>
  );
}
