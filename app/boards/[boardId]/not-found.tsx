import Link from 'next/link';

/** An unknown board and a board this account is not a member of get this same page (and a 404). */
export default function BoardNotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold tracking-wide text-sky-700 uppercase">No access</p>
      <h1 className="text-2xl font-bold" data-testid="board-not-found">
        This board does not exist or you are not a member
      </h1>
      {/* One answer for both: a board's existence is nobody's business but its members'. */}
      <p className="text-slate-600" data-testid="ask-for-access">
        If someone sent you this link, ask its admin for access: they can invite you from the board’s members page.
      </p>
      <Link href="/" className="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800">
        All boards
      </Link>
    </main>
  );
}
