'use client';
import { useId, useState, type FormEvent } from 'react';
import type { EmailInviteDTO, InviteDTO, MemberDTO } from '../../lib/shared/access';
import { BOARD_ROLES, ROLE_LABEL, ROLE_SUMMARY, type BoardRole } from '../../lib/shared/domain/roles';
import { apiCall } from '../../lib/client/api';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';

interface MembersPanelProps {
  boardId: string;
  me: { id: string; role: BoardRole };
  initialMembers: MemberDTO[];
  initialInvites: InviteDTO[];
  initialEmailInvites: EmailInviteDTO[];
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function RolePicker({ id, value, onChange, disabled }: { id: string; value: BoardRole; onChange(role: BoardRole): void; disabled?: boolean }) {
  return (
    <select
      id={id}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as BoardRole)}
      className="rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 disabled:bg-slate-100"
    >
      {BOARD_ROLES.toReversed().map((r) => (
        <option key={r} value={r}>
          {ROLE_LABEL[r]}
        </option>
      ))}
    </select>
  );
}

/**
 * Who is on the board; admins invite people by email (they join when they accept) or by an expiring
 * link, change roles and remove members.
 */
export function MembersPanel({ boardId, me, initialMembers, initialInvites, initialEmailInvites }: MembersPanelProps) {
  const id = useId();
  const admin = me.role === 'admin';
  const [members, setMembers] = useState(initialMembers);
  const [invites, setInvites] = useState(initialInvites);
  const [emailInvites, setEmailInvites] = useState(initialEmailInvites);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [inviteRole, setInviteRole] = useState<BoardRole>('member');
  const [emailRole, setEmailRole] = useState<BoardRole>('member');
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/boards/${encodeURIComponent(boardId)}`;

  const act = async <T,>(call: Promise<import('../../lib/client/api').ApiResult<T>>, then: (data: T) => void) => {
    setBusy(true);
    setError(null);
    const result = await call;
    setBusy(false);
    if (!result.ok) return setError(result.message);
    then(result.data);
  };

  const inviteByEmail = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const email = String(new FormData(form).get('email') ?? '');
    setNotice('');
    void act(apiCall<{ message: string }>('POST', `${base}/email-invites`, { email, role: emailRole }), ({ message }) => {
      setNotice(message);
      form.reset();
      void apiCall<{ invites: EmailInviteDTO[] }>('GET', `${base}/email-invites`).then((r) => r.ok && setEmailInvites(r.data.invites));
    });
  };

  const withdraw = (invite: EmailInviteDTO) =>
    void act(apiCall<{ invites: EmailInviteDTO[] }>('DELETE', `${base}/email-invites/${invite.id}`), (d) => {
      setEmailInvites(d.invites);
      setNotice(`Invitation to ${invite.email} withdrawn`);
    });

  const [copyStatus, setCopyStatus] = useState('');
  /** To the clipboard; where the browser refuses (no permission, an insecure page), the link is selected to copy by hand. */
  const copyLink = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopyStatus('Link copied: paste it into a message to the person you invite.');
    } catch {
      const input = document.getElementById(`${id}-link-out`);
      if (input instanceof HTMLInputElement) {
        input.focus();
        input.select();
      }
      setCopyStatus('Could not copy by itself: the link is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };
  const createLink = () =>
    void act(apiCall<{ invite: InviteDTO; path: string }>('POST', `${base}/invites`, { role: inviteRole }), ({ invite, path }) => {
      setInvites((list) => [...list, invite]);
      setLink(`${window.location.origin}${path}`);
      setCopyStatus('');
    });

  return (
    <div className="space-y-8">
      <FormError message={error} testId="members-error" />
      <section aria-labelledby={`${id}-members`} className="rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
        <h2 id={`${id}-members`} className="border-b border-slate-200 px-5 py-3 font-semibold">
          People on this board
        </h2>
        <ul className="divide-y divide-slate-100" data-testid="member-list">
          {members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center gap-3 px-5 py-3" data-testid={`member-${m.email}`}>
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium text-slate-900">
                  {m.name}
                  {m.userId === me.id ? <span className="ml-2 text-xs font-normal text-slate-500">(you)</span> : null}
                </p>
                <p className="truncate text-sm text-slate-500">{m.email}</p>
              </div>
              {admin ? (
                <>
                  <label className="sr-only" htmlFor={`${id}-role-${m.userId}`}>
                    Role of {m.name}
                  </label>
                  <RolePicker
                    id={`${id}-role-${m.userId}`}
                    value={m.role}
                    disabled={busy}
                    onChange={(role) => void act(apiCall<{ members: MemberDTO[] }>('PATCH', `${base}/members/${m.userId}`, { role }), (d) => setMembers(d.members))}
                  />
                </>
              ) : (
                <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-sm text-slate-700">{ROLE_LABEL[m.role]}</span>
              )}
              {admin || m.userId === me.id ? (
                <Button
                  variant="dangerGhost"
                  disabled={busy}
                  onClick={() =>
                    void act(apiCall<{ members: MemberDTO[] }>('DELETE', `${base}/members/${m.userId}`), (d) => {
                      if (m.userId === me.id) window.location.assign('/');
                      else setMembers(d.members);
                    })
                  }
                >
                  {m.userId === me.id ? 'Leave' : 'Remove'}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <p className="border-t border-slate-100 px-5 py-3 text-xs text-slate-500">
          {BOARD_ROLES.toReversed()
            .map((r) => `${ROLE_LABEL[r]}: ${ROLE_SUMMARY[r]}`)
            .join(' · ')}
        </p>
      </section>

      {admin ? (
        <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
          <section aria-labelledby={`${id}-email`} className="min-w-0 space-y-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id={`${id}-email`} className="font-semibold">
              Invite by email
            </h2>
            <p className="text-sm text-slate-600">They see the invitation on their home page once they sign in with this address, and join when they accept it (within 14 days).</p>
            <form onSubmit={inviteByEmail} className="space-y-3" data-testid="invite-email-form">
              <Field label="Email" htmlFor={`${id}-add-email`}>
                <input id={`${id}-add-email`} name="email" type="email" required autoComplete="off" className={inputClass} placeholder="name@example.com" />
              </Field>
              <div className="flex flex-wrap items-end gap-2">
                <Field label="Role" htmlFor={`${id}-add-role`}>
                  <RolePicker id={`${id}-add-role`} value={emailRole} onChange={setEmailRole} />
                </Field>
                <Button type="submit" variant="primary" disabled={busy} className="py-2">
                  Send invitation
                </Button>
              </div>
            </form>
            <p role="status" className="text-sm text-emerald-800 empty:hidden" data-testid="invite-email-status">
              {notice}
            </p>
            {emailInvites.length > 0 ? (
              <div className="space-y-1">
                <h3 className="text-sm font-medium text-slate-700">Waiting for an answer</h3>
                <ul className="space-y-1 text-sm" data-testid="email-invite-list">
                  {emailInvites.map((inv) => (
                    <li key={inv.id} className="flex items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-1.5" data-testid={`email-invite-${inv.email}`}>
                      <span className="min-w-0">
                        <span className="block font-medium break-all text-slate-800">{inv.email}</span>
                        <span className="text-xs text-slate-500">
                          {ROLE_LABEL[inv.role]} · by {inv.invitedBy} · until {dayFormat.format(new Date(inv.expiresAt))}
                        </span>
                      </span>
                      <Button variant="dangerGhost" disabled={busy} onClick={() => withdraw(inv)} aria-label={`Withdraw the invitation to ${inv.email}`}>
                        Withdraw
                      </Button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>

          <section aria-labelledby={`${id}-link`} className="min-w-0 space-y-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id={`${id}-link`} className="font-semibold">
              Invite by link
            </h2>
            <p className="text-sm text-slate-600">One person can use a link, within 3 days. They sign up first if they have no account.</p>
            <div className="flex items-end gap-2">
              <Field label="Role" htmlFor={`${id}-link-role`}>
                <RolePicker id={`${id}-link-role`} value={inviteRole} onChange={setInviteRole} />
              </Field>
              <Button variant="primary" disabled={busy} onClick={createLink} className="py-2" data-testid="create-invite">
                Create link
              </Button>
            </div>
            {link ? (
              <div className="space-y-1">
                <label htmlFor={`${id}-link-out`} className="text-sm font-medium text-slate-700">
                  Send this link (shown once)
                </label>
                <div className="flex gap-2">
                  <input id={`${id}-link-out`} readOnly value={link} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} min-w-0 flex-1 font-mono text-xs`} data-testid="invite-link" />
                  <Button onClick={() => void copyLink(link)} className="shrink-0 py-2" data-testid="copy-invite-link">
                    Copy link
                  </Button>
                </div>
                <p role="status" className="text-sm text-emerald-800 empty:hidden" data-testid="invite-link-status">
                  {copyStatus}
                </p>
              </div>
            ) : null}
            {invites.length > 0 ? (
              <ul className="space-y-1 text-sm" data-testid="invite-list">
                {invites.map((inv) => (
                  <li key={inv.id} className="flex items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-1.5">
                    <span>
                      {ROLE_LABEL[inv.role]} link, expires {dateFormat.format(new Date(inv.expiresAt))}
                    </span>
                    <Button
                      variant="dangerGhost"
                      disabled={busy}
                      aria-label={`Revoke the ${ROLE_LABEL[inv.role].toLowerCase()} link that expires ${dateFormat.format(new Date(inv.expiresAt))}`}
                      onClick={() => void act(apiCall<{ invites: InviteDTO[] }>('DELETE', `${base}/invites/${inv.id}`), (d) => setInvites(d.invites))}
                    >
                      Revoke
                    </Button>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        </div>
      ) : null}
    </div>
  );
}
