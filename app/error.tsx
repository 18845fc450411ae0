'use client';
import Link from 'next/link';

/** A page that failed to render: say so plainly and offer the two ways out. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset(): void }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-slate-600">The page could not be shown. Your board is safe on the server.</p>
      <div className="flex gap-2">
        <button type="button" onClick={reset} className="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800">
          Try again
        </button>
        <Link href="/" className="rounded-lg px-4 py-2 font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-white">
          All boards
        </Link>
      </div>
    </main>
  );
}
