import Link from 'next/link';

export default function BoardNotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold tracking-wide text-sky-700 uppercase">Board not found</p>
      <h1 className="text-2xl font-bold" data-testid="board-not-found">
        There is no board here
      </h1>
      <p className="text-slate-600">The link may be wrong, or the board was never created on this server.</p>
      <Link href="/" className="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800">
        All boards
      </Link>
    </main>
  );
}
