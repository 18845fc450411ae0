import Link from 'next/link';

/**
 * On the board, for its admins: outgoing webhooks the app turned off because they kept failing
 * (db/webhooks.ts record). It stays until an admin turns them on again or removes them.
 */
export function WebhookNotice({ boardId, notices }: { boardId: string; notices: ReadonlyArray<{ id: string; url: string }> }) {
  if (notices.length === 0) return null;
  const one = notices.length === 1;
  return (
    <p className="bg-rose-100 px-4 py-1 text-sm text-rose-950" data-testid="webhook-notice">
      {one ? `The webhook to ${notices[0]?.url} was turned off` : `${notices.length} webhooks were turned off`} because {one ? 'it' : 'they'} kept failing.{' '}
      <Link href={`/boards/${boardId}/integrations`} className="font-medium underline">
        See integrations
      </Link>
    </p>
  );
}
