'use client';
import Link from 'next/link';
import { useState } from 'react';
import { signOut } from '../../lib/client/api';

/** Who is signed in, their API tokens, and sign-out: in the header of every signed-in page. */
export function UserMenu({ name, tone = 'dark', compact = false }: { name: string; tone?: 'dark' | 'light'; compact?: boolean }) {
  const [leaving, setLeaving] = useState(false);
  const link = tone === 'dark' ? 'text-slate-300 hover:bg-slate-800 hover:text-white' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900';
  return (
    <div className="flex items-center gap-1 text-sm whitespace-nowrap" data-testid="user-menu">
      <span className={`px-2 ${tone === 'dark' ? 'text-slate-300' : 'text-slate-600'}`}>
        <span className="sr-only">Signed in as </span>
        <span className={`font-semibold ${tone === 'dark' ? 'text-white' : 'text-slate-900'}`} data-testid="signed-in-name">
          {name}
        </span>
      </span>
      {compact ? null : (
        <Link href="/settings/tokens" className={`rounded-md px-2 py-1 ${link}`}>
          API tokens
        </Link>
      )}
      <button
        type="button"
        className={`rounded-md px-2 py-1 ${link}`}
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          void signOut();
        }}
        data-testid="sign-out"
      >
        {leaving ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
