'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { ReceivedInviteDTO } from '../../lib/shared/access';
import { ROLE_LABEL, ROLE_SUMMARY } from '../../lib/shared/domain/roles';
import { apiCall } from '../../lib/client/api';
import { useToasts } from '../../lib/client/useToasts';
import { Button } from '../ui/Button';
import { Toasts } from '../ui/Toasts';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * Invitations by email waiting for this account's answer. Nobody is put on a board without saying
 * yes here. The board's name was typed by someone else: it is shown as text, never as a link.
 */
export function PendingInvites({ initialInvites }: { initialInvites: ReceivedInviteDTO[] }) {
  const router = useRouter();
  const [invites, setInvites] = useState(initialInvites);
  const [busy, setBusy] = useState<string | null>(null);
  const { toasts, notify, dismiss } = useToasts();
  const heading = useRef<HTMLHeadingElement>(null);

  const answer = async (invite: ReceivedInviteDTO, verb: 'accept' | 'decline') => {
    setBusy(invite.id);
    const result = await apiCall<unknown>('POST', `/api/email-invites/${encodeURIComponent(invite.id)}/${verb}`);
    setBusy(null);
    if (!result.ok) {
      notify(result.message, 'error');
      // Withdrawn or expired meanwhile: it is of no use any more.
      if (result.code === 'NOT_FOUND') setInvites((list) => list.filter((i) => i.id !== invite.id));
      return;
    }
    setInvites((list) => list.filter((i) => i.id !== invite.id));
    notify(verb === 'accept' ? `You joined “${invite.boardName}” as ${ROLE_LABEL[invite.role].toLowerCase()}` : `Invitation to “${invite.boardName}” declined`, 'info');
    // The button that had focus is gone: keep the keyboard user in this list.
    heading.current?.focus();
    if (verb === 'accept') router.refresh();
  };

  return (
    <>
      {invites.length > 0 ? (
        <section aria-labelledby="invites-heading" className="rounded-2xl bg-amber-50 p-4 ring-1 ring-amber-200 lg:col-span-2" data-testid="pending-invites">
          <h2 id="invites-heading" ref={heading} tabIndex={-1} className="mb-3 text-lg font-semibold focus-visible:outline-2 focus-visible:outline-sky-600">
            Invitations waiting for you
          </h2>
          <ul className="space-y-2">
            {invites.map((invite) => (
              <li key={invite.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200" data-testid="pending-invite">
                <div className="min-w-0 flex-1 basis-64">
                  <p className="break-words font-semibold text-slate-900" data-testid="pending-invite-board">
                    {invite.boardName}
                  </p>
                  <p className="text-sm text-slate-600">
                    {invite.invitedBy} invited you as <span className="font-medium text-slate-800">{ROLE_LABEL[invite.role]}</span>
                    <span className="text-slate-500"> ({ROLE_SUMMARY[invite.role].toLowerCase()})</span> · until {dateFormat.format(new Date(invite.expiresAt))}
                  </p>
                </div>
                <div className="flex gap-2">
                  <Button variant="primary" disabled={busy !== null} onClick={() => void answer(invite, 'accept')} aria-label={`Accept the invitation to ${invite.boardName}`}>
                    Accept
                  </Button>
                  <Button variant="secondary" disabled={busy !== null} onClick={() => void answer(invite, 'decline')} aria-label={`Decline the invitation to ${invite.boardName}`}>
                    Decline
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </>
  );
}
