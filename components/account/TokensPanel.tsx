'use client';
import { useId, useState, type FormEvent } from 'react';
import type { TokenDTO } from '../../lib/shared/access';
import { LIMITS } from '../../lib/shared/domain/limits';
import { apiCall } from '../../lib/client/api';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Personal API tokens: for a monitoring system or a pipeline acting as you, with your board roles. */
export function TokensPanel({ initialTokens }: { initialTokens: TokenDTO[] }) {
  const id = useId();
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    setBusy(true);
    setError(null);
    const result = await apiCall<{ token: TokenDTO; secret: string }>('POST', '/api/tokens', { name });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setTokens((list) => [...list, result.data.token]);
    setCreated({ name: result.data.token.name, secret: result.data.secret });
    form.reset();
  };

  const revoke = async (token: TokenDTO) => {
    setBusy(true);
    setError(null);
    const result = await apiCall<{ tokens: TokenDTO[] }>('DELETE', `/api/tokens/${token.id}`);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setTokens(result.data.tokens);
    if (created?.name === token.name) setCreated(null);
  };

  return (
    <div className="space-y-6">
      <p className="max-w-2xl text-sm text-slate-600">
        A token lets an integration use the REST API and the socket as you, with your role on each board: send it as{' '}
        <code className="rounded bg-slate-200 px-1 py-0.5 text-xs">Authorization: Bearer &lt;token&gt;</code>. Only a fingerprint is stored, so it is
        shown once. Revoke it as soon as it is no longer needed.
      </p>
      <form onSubmit={(e) => void create(e)} className="flex flex-wrap items-end gap-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="create-token-form">
        <div className="min-w-64 flex-1">
          <Field label="What will use it?" htmlFor={`${id}-name`}>
            <input id={`${id}-name`} name="name" required maxLength={LIMITS.tokenName} placeholder="Deploy pipeline" className={inputClass} />
          </Field>
        </div>
        <Button type="submit" variant="primary" disabled={busy} className="py-2">
          Create token
        </Button>
      </form>
      <FormError message={error} />
      {created ? (
        <div className="space-y-2 rounded-2xl bg-emerald-50 p-5 ring-1 ring-emerald-200" role="status">
          <label htmlFor={`${id}-secret`} className="block text-sm font-semibold text-emerald-900">
            Your new token “{created.name}”: copy it now, it is not shown again
          </label>
          <input id={`${id}-secret`} readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} font-mono`} data-testid="new-token" />
        </div>
      ) : null}
      <section className="rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`} className="border-b border-slate-200 px-5 py-3 font-semibold">
          Your tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-500">No tokens yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="token-list">
            {tokens.map((t) => (
              <li key={t.id} className="flex flex-wrap items-center gap-3 px-5 py-3">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium text-slate-900">{t.name}</p>
                  <p className="text-sm text-slate-500">
                    <code className="text-xs">{t.prefix}…</code> · created {dateFormat.format(new Date(t.createdAt))} ·{' '}
                    {t.lastUsedAt ? `last used ${dateFormat.format(new Date(t.lastUsedAt))}` : 'never used'}
                  </p>
                </div>
                <Button variant="dangerGhost" disabled={busy} onClick={() => void revoke(t)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
