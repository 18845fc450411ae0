import Link from 'next/link';
import { connection } from 'next/server';
import { UserMenu } from '../../components/account/UserMenu';
import { BoardList } from '../../components/home/BoardList';
import { CreateBoardForm } from '../../components/home/CreateBoardForm';
import { PendingInvites } from '../../components/home/PendingInvites';
import { getServerHandle } from '../../lib/server/handle';
import { requireUser } from '../../lib/server/session';

export default async function HomePage() {
  // Read per request: the list changes whenever someone creates a board.
  await connection();
  const user = await requireUser('/');
  const { store, access } = getServerHandle();
  // Only the boards this account is a member of: the others do not exist for it.
  const [roles, all, invites] = await Promise.all([access.boardRoles(user.id), store.listBoards(), access.receivedInvites(user)]);
  const boards = all.filter((b) => roles.has(b.id));
  return (
    <div className="min-h-dvh">
      <header className="keep-palette bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-4 sm:px-6 sm:py-5">
          <svg viewBox="0 0 32 32" className="size-9 shrink-0" aria-hidden>
            <path d="M3 8h8l5 8-5 8H3l5-8z" fill="#38bdf8" />
            <path d="M15 8h8l5 8-5 8h-8l5-8z" fill="#e2e8f0" />
          </svg>
          <div>
            <h1 className="text-2xl font-bold tracking-tight">Flowboard</h1>
            <p className="hidden text-sm text-slate-300 sm:block">Work flows one way. WIP is limited. Defects are never passed downstream silently.</p>
          </div>
          <div className="ml-auto">
            <UserMenu name={user.name} />
          </div>
        </div>
      </header>
      <main className="mx-auto grid max-w-6xl gap-8 px-4 py-6 sm:px-6 sm:py-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.15fr)]">
        <PendingInvites initialInvites={invites} />
        <section aria-labelledby="boards-heading">
          <h2 id="boards-heading" className="mb-3 text-lg font-semibold">
            Boards
          </h2>
          <BoardList boards={boards} />
        </section>
        <section aria-labelledby="create-heading">
          <div className="mb-3 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h2 id="create-heading" className="text-lg font-semibold">
              Start a value stream
            </h2>
            {/* Teams rarely start from nothing: their history elsewhere becomes a board with its flow metrics right from day one. */}
            <Link
              href="/import"
              className="rounded text-sm font-medium text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
              data-testid="open-import"
            >
              Or import a CSV history →
            </Link>
          </div>
          <CreateBoardForm />
        </section>
      </main>
    </div>
  );
}
