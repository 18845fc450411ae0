import Link from 'next/link';
import type { Viewer } from '../../lib/realtime/protocol';
import type { ConnectionState } from '../../lib/client/useBoardSync';
import { ConnectionBadge } from './ConnectionBadge';
import { PresenceBar } from './PresenceBar';

interface BoardHeaderProps {
  boardId: string;
  name: string;
  status: ConnectionState;
  viewers: readonly Viewer[];
  selfId: string | null;
  myName: string | null | undefined;
  onOpenSettings(): void;
  onAddColumn(): void;
  onChangeName(): void;
}

export function BoardHeader({ boardId, name, status, viewers, selfId, myName, onOpenSettings, onAddColumn, onChangeName }: BoardHeaderProps) {
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
      <button
        type="button"
        onClick={onOpenSettings}
        className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
        data-testid="board-settings"
      >
        Board settings
      </button>
      <Link
        href={`/boards/${boardId}/flow`}
        className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
        data-testid="open-flow"
      >
        Flow metrics
      </Link>
      <p className="hidden text-xs text-slate-400 lg:block" aria-hidden>
        Work flows left to right →
      </p>
      <div className="ml-auto flex items-center gap-3">
        <PresenceBar viewers={viewers} selfId={selfId} />
        <ConnectionBadge status={status} />
        <button
          type="button"
          onClick={onChangeName}
          className="rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
          data-testid="change-name"
          aria-label={myName ? `You are ${myName}. Change your name` : 'Pick your name'}
        >
          {myName ? <>You: <span className="font-semibold text-white">{myName}</span></> : 'Pick a name'}
        </button>
        <button
          type="button"
          onClick={onAddColumn}
          className="rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white ring-1 ring-slate-700 hover:bg-slate-700"
          data-testid="add-column"
        >
          + Work center
        </button>
      </div>
    </header>
  );
}
