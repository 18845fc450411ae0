'use client';
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import { normaliseDisplayName } from '../../lib/shared/domain/names';
import { authCall } from '../../lib/client/api';
import { INVITE_HEADER, inviteSecretIn } from '../../lib/shared/invite';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';

interface AuthFormProps {
  mode: 'sign-in' | 'sign-up';
  /** Where to go once signed in (a same-site path). */
  next: string;
  /** The minimum password length the server enforces. */
  minPassword: number;
}

/** Coming from an invite link, a sign-up shows it: where accounts are by invitation, it is the ticket. */
function inviteHeader(next: string): Record<string, string> {
  const secret = inviteSecretIn(next);
  return secret ? { [INVITE_HEADER]: secret } : {};
}

/** Sign-in and sign-up against better-auth's endpoints; a full page load afterwards, so the server reads the new cookie. */
export function AuthForm({ mode, next, minPassword }: AuthFormProps) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    // The server's rule, checked here first: a name of spaces passes the input's `required`.
    const named = mode === 'sign-up' ? normaliseDisplayName(form.get('name') ?? '') : null;
    if (named && !named.ok) return setError(named.message);
    setBusy(true);
    setError(null);
    const result = named
      ? await authCall('/sign-up/email', { email, password, name: named.name }, inviteHeader(next))
      : await authCall('/sign-in/email', { email, password });
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    setError(result.message);
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4" data-testid={`${mode}-form`}>
      {mode === 'sign-up' ? (
        <Field label="Your name" htmlFor={`${id}-name`} hint="Shown to the people on your boards and recorded on every change you make.">
          <input id={`${id}-name`} name="name" required maxLength={LIMITS.actorName} autoComplete="name" className={inputClass} />
        </Field>
      ) : null}
      <Field label="Email" htmlFor={`${id}-email`}>
        <input id={`${id}-email`} name="email" type="email" required maxLength={LIMITS.email} autoComplete="email" className={inputClass} />
      </Field>
      <Field label="Password" htmlFor={`${id}-password`} hint={mode === 'sign-up' ? `At least ${minPassword} characters.` : undefined}>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          required
          minLength={mode === 'sign-up' ? minPassword : undefined}
          autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
          className={inputClass}
        />
      </Field>
      <FormError message={error} testId="auth-error" />
      <Button type="submit" variant="primary" className="w-full py-2" disabled={busy}>
        {mode === 'sign-in' ? (busy ? 'Signing in…' : 'Sign in') : busy ? 'Creating the account…' : 'Create account'}
      </Button>
      <p className="text-center text-sm text-slate-600">
        {mode === 'sign-in' ? (
          <>
            No account yet?{' '}
            <Link className="font-medium text-sky-700 hover:underline" href={`/sign-up?next=${encodeURIComponent(next)}`}>
              Create one
            </Link>
          </>
        ) : (
          <>
            Have an account?{' '}
            <Link className="font-medium text-sky-700 hover:underline" href={`/sign-in?next=${encodeURIComponent(next)}`}>
              Sign in
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
