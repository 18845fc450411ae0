import type { ReactNode } from 'react';
import { Logo } from './Logo';

/** The frame of the signed-out pages: the product on the left, the form in a card. */
export function AuthShell({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <div className="grid min-h-dvh bg-slate-100 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)]">
      <aside className="keep-palette hidden flex-col justify-between bg-slate-900 p-10 text-white lg:flex">
        <div className="flex items-center gap-3">
          <Logo className="size-9" />
          <span className="text-2xl font-bold tracking-tight">Flowboard</span>
        </div>
        <div className="max-w-md space-y-4">
          <p className="text-3xl leading-tight font-semibold">Work flows one way. WIP is limited. Defects are never passed downstream silently.</p>
          <p className="text-slate-300">A live Kanban board for your value stream, from concept to operate.</p>
        </div>
        <p className="text-sm text-slate-400">Boards are visible to their members only.</p>
      </aside>
      <main className="flex items-center justify-center px-6 py-12">
        <div className="w-full max-w-sm space-y-6">
          <div className="flex items-center gap-2 lg:hidden">
            <Logo className="size-8" />
            <span className="text-xl font-bold tracking-tight">Flowboard</span>
          </div>
          <div className="space-y-1">
            <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
            <div className="text-sm text-slate-600">{intro}</div>
          </div>
          <div className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200">{children}</div>
        </div>
      </main>
    </div>
  );
}
