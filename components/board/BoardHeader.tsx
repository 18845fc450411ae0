'use client';
import Link from 'next/link';
import { useId, useRef, useState } from 'react';
import type { Viewer } from '../../lib/shared/protocol';
import type { ConnectionState } from '../../lib/client/useBoardSync';
import { ROLE_SUMMARY, type BoardRole } from '../../lib/shared/domain/roles';
import { UserMenu } from '../account/UserMenu';
import { BoardShortcuts } from './BoardShortcuts';
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

/**
 * One line on every screen. On a phone the board's name, the connection badge and a Menu button stay
 * in it; the links, who is here and the account fold behind the button and wrap below when it is
 * opened (order-last). From `sm` up everything sits in the line as before.
 */
export function BoardHeader({ boardId, name, status, viewers, selfId, me, onOpenSettings, onAddColumn }: BoardHeaderProps) {
  const admin = me.role === 'admin';
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const folded = open ? 'max-sm:order-last' : 'max-sm:hidden';
  return (
    <header
      id={menuId}
      className="keep-palette flex flex-wrap items-center gap-x-3 gap-y-2 bg-slate-900 px-3 py-2 text-white sm:gap-x-4 sm:px-4 sm:py-2.5"
      data-testid="board-header"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <Link href="/" className="flex shrink-0 items-center gap-2 rounded text-sm font-semibold text-slate-300 hover:text-white" aria-label="Flowboard: all boards">
        <svg viewBox="0 0 32 32" className="size-6" aria-hidden>
          <path d="M3 8h8l5 8-5 8H3l5-8z" fill="#38bdf8" />
          <path d="M15 8h8l5 8-5 8h-8l5-8z" fill="#e2e8f0" />
        </svg>
        <span className="hidden sm:inline">Flowboard</span>
      </Link>
      <h1 className="min-w-0 truncate text-lg font-bold tracking-tight max-sm:flex-1 sm:max-w-[40vw] sm:text-xl" data-testid="board-name" title={name}>
        {name}
      </h1>
      {/* Opened on a phone: the folded items start on a line of their own, below the name. */}
      {open ? <span aria-hidden className="h-0 basis-full max-sm:order-last sm:hidden" /> : null}
      {admin ? (
        <button
          type="button"
          onClick={onOpenSettings}
          className={`rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white ${folded}`}
          data-testid="board-settings"
        >
          Board settings
        </button>
      ) : null}
      <Link
        href={`/boards/${boardId}/members`}
        className={`rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white ${folded}`}
        data-testid="open-members"
      >
        Members
      </Link>

      <Link
        href={`/boards/${boardId}/flow`}
        className={`rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white ${folded}`}
        data-testid="open-flow"
      >
        Flow metrics
      </Link>
      {/* In the phone's menu only: on a laptop and on a standup screen the header is one line without it
          (with it, it wraps at 1280 and at 1920); the flow page, one click away, links to it. */}
      <Link
        href={`/boards/${boardId}/vsm`}
        className={`rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white sm:hidden ${folded}`}
        data-testid="open-vsm"
      >
        Value stream
      </Link>
      <Link
        href={`/boards/${boardId}/standup`}
        className={`rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white ${folded}`}
        data-testid="open-standup"
      >
        Standup
      </Link>
      <BoardShortcuts className={folded} />
      <p className="hidden text-xs text-slate-400 2xl:block" aria-hidden>
        Work flows left to right →
      </p>
      {/* On a phone this group's box goes (contents) and its items join the header's line one by one. */}
      <div className="ml-auto flex items-center gap-3 max-sm:contents">
        <span className={`flex ${folded}`}>
          <PresenceBar viewers={viewers} selfId={selfId} />
        </span>
        <ConnectionBadge status={status} />
        {me.role === 'admin' ? null : (
          <span
            className={`rounded-full bg-slate-800 px-2 py-0.5 text-xs text-slate-300 ring-1 ring-slate-700 ${folded}`}
            title={ROLE_SUMMARY[me.role]}
            data-testid="my-role"
          >
            {me.role === 'viewer' ? 'Viewer: read only' : 'Member'}
          </span>
        )}
        <span className={`flex ${folded}`}>
          <UserMenu name={me.name} compact />
        </span>
        {admin ? (
          <button
            type="button"
            onClick={onAddColumn}
            className={`rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white ring-1 ring-slate-700 hover:bg-slate-700 ${folded}`}
            data-testid="add-column"
          >
            + Work center
          </button>
        ) : null}
        <button
          ref={toggle}
          type="button"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
          className="shrink-0 rounded-md px-2 py-1 text-sm font-medium text-slate-200 ring-1 ring-slate-700 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400 sm:hidden"
          data-testid="header-menu"
        >
          {open ? 'Close' : 'Menu'}
        </button>
      </div>
    </header>
  );
}
