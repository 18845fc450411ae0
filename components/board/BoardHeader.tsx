import Link from 'next/link';
import type { Viewer } from '../../lib/shared/protocol';
import type { ConnectionState } from '../../lib/client/useBoardSync';
import { ROLE_SUMMARY, type BoardRole } from '../../lib/shared/domain/roles';
import { UserMenu } from '../account/UserMenu';
import { ConnectionBadge } from './ConnectionBadge';
import { PresenceBar } from './PresenceBar';

/** The signed-in account as this board sees it; the socket authenticates with the session cookie. */
export interface BoardMe {
  id: string;
  name: string;
  role: BoardRole;
}

interface BoardHeaderProps {
  boardId: string;
  name: string;
  status: ConnectionState;
  viewers: readonly Viewer[];
  selfId: string | null;
  me: BoardMe;
  onOpenSettings(): void;
  onAddColumn(): void;
}

export function BoardHeader({ boardId, name, status, viewers, selfId, me, onOpenSettings, onAddColumn }: BoardHeaderProps) {
  const admin = me.role === 'admin';
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-2 bg-slate-900 px-4 py-2.5 text-white">
      <Link href="/" className="flex items-center gap-2 rounded text-sm font-semibold text-slate-300 hover:text-white" aria-label="Flowboard: all boards">
        <svg viewBox="0 0 32 32" className="size-6" aria-hidden>
          <path d="M3 8h8l5 8-5 8H3l5-8z" fill="#38bdf8" />
          <path d="M15 8h8l5 8-5 8h-8l5-8z" fill="#e2e8f0" />
        </svg>
        <span className="hidden sm:inline">Flowboard</span>
      </Link>
      <h1 className="min-w-0 max-w-[40vw] truncate text-xl font-bold tracking-tight" data-testid="board-name" title={name}>
        {name}
      </h1>
      {admin ? (
        <button
          type="button"
          onClick={onOpenSettings}
          className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
          data-testid="board-settings"
        >
          Board settings
        </button>
      ) : null}
      <Link
        href={`/boards/${boardId}/members`}
        className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
        data-testid="open-members"
      >
        Members
      </Link>
      <Link
        href={`/boards/${boardId}/flow`}
        className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
        data-testid="open-flow"
      >
        Flow metrics
      </Link>
      <p className="hidden text-xs text-slate-400 2xl:block" aria-hidden>
        Work flows left to right →
      </p>
      <div className="ml-auto flex items-center gap-3">
        <PresenceBar viewers={viewers} selfId={selfId} />
        <ConnectionBadge status={status} />
        {me.role === 'admin' ? null : (
          <span className="rounded-full bg-slate-800 px-2 py-0.5 text-xs text-slate-300 ring-1 ring-slate-700" title={ROLE_SUMMARY[me.role]} data-testid="my-role">
            {me.role === 'viewer' ? 'Viewer: read only' : 'Member'}
          </span>
        )}
        <UserMenu name={me.name} compact />
        {admin ? (
          <button
            type="button"
            onClick={onAddColumn}
            className="rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white ring-1 ring-slate-700 hover:bg-slate-700"
            data-testid="add-column"
          >
            + Work center
          </button>
        ) : null}
      </div>
    </header>
  );
}
