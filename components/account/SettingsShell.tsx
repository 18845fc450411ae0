import Link from 'next/link';
import type { ReactNode } from 'react';
import { UserMenu } from './UserMenu';

/** The frame of the account and board-administration pages: a way back, the title, who is signed in. */
export function SettingsShell(props: { backHref: string; backLabel: string; title: string; userName: string; children: ReactNode }) {
  return (
    <div className="min-h-dvh bg-slate-100">
      <header className="keep-palette bg-slate-900 text-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3 px-6 py-4">
          <Link href={props.backHref} className="rounded text-sm text-slate-300 hover:text-white">
            ← {props.backLabel}
          </Link>
          <h1 className="text-xl font-bold tracking-tight">{props.title}</h1>
          <div className="ml-auto">
            <UserMenu name={props.userName} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-6 py-8">{props.children}</main>
    </div>
  );
}
