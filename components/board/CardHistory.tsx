'use client';
import { useEffect, useState } from 'react';
import type { CardHistoryEntry, ColumnDTO } from '../../lib/shared/domain/types';
import { columnName } from '../../lib/client/boardView';
import { formatDateTime } from '../../lib/client/format';
import { request, type FlowSocket } from '../../lib/client/socket';

/** `revision` is the card's updatedAt the history was loaded for: every change to the card reloads it. */
type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; entries: CardHistoryEntry[]; revision: string };

function describe(entry: CardHistoryEntry, columns: readonly ColumnDTO[]): string {
  const from = columnName(columns, entry.fromColumnId);
  const to = columnName(columns, entry.toColumnId);
  switch (entry.type) {
    case 'card_created':
      return entry.toColumnId ? `Created in ${to}` : 'Created';
    case 'card_moved':
      if (entry.backward) return `Sent back from ${from} to ${to}`;
      return entry.fromColumnId === entry.toColumnId ? `Reordered in ${to}` : `Moved from ${from} to ${to}`;
    case 'card_updated': {
      const changes = entry.changes ?? {};
      const parts: string[] = [];
      if (changes.blocked === true) {
        parts.push(typeof changes.blockedReason === 'string' && changes.blockedReason ? `Blocked: ${changes.blockedReason}` : 'Blocked');
      } else if (changes.blocked === false) {
        parts.push('Unblocked');
      }
      const edited = Object.keys(changes)
        .filter((k) => k !== 'blocked' && !(k === 'blockedReason' && changes.blocked !== undefined))
        .map((k) => (k === 'blockedReason' ? 'blocked reason' : k));
      if (edited.length) parts.push(`${parts.length ? 'edited' : 'Edited'} ${edited.join(', ')}`);
      return parts.join('; ') || 'Edited';
    }
    case 'card_deleted':
      return 'Deleted';
    default:
      return entry.type.replace(/_/g, ' ');
  }
}

/** Every step the card took, newest first, with backward moves and their defects standing out. */
export function CardHistory({ cardId, revision, columns, socket }: { cardId: string; revision: string; columns: readonly ColumnDTO[]; socket: FlowSocket | null }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    if (!socket) return;
    let cancelled = false;
    request(socket, 'card:history', { cardId })
      .then((ack) => {
        if (cancelled) return;
        setLoaded(ack.ok ? { state: 'ready', entries: ack.history, revision } : { state: 'error', message: ack.message });
      })
      .catch(() => {
        if (!cancelled) setLoaded({ state: 'error', message: 'The history did not load: the server did not answer' });
      });
    return () => {
      cancelled = true;
    };
  }, [cardId, revision, socket]);

  if (!socket) return <p className="text-sm text-slate-500">History loads once the board is live.</p>;
  if (loaded.state === 'loading') return <p className="text-sm text-slate-500">Loading history…</p>;
  if (loaded.state === 'error') return <p className="text-sm text-rose-700">{loaded.message}</p>;
  if (loaded.entries.length === 0) return <p className="text-sm text-slate-500">No history yet.</p>;

  const entries = loaded.entries.toSorted((a, b) => b.version - a.version);
  return (
    <ol className="space-y-2" data-testid="card-history">
      {entries.map((entry) => (
        <li
          key={entry.version}
          data-testid="history-entry"
          data-type={entry.type}
          data-backward={entry.backward ? 'true' : undefined}
          className={`rounded-lg px-3 py-2 text-sm ${entry.backward ? 'bg-rose-50 ring-1 ring-rose-300' : 'bg-slate-50'}`}
        >
          <div className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span className={`font-medium ${entry.backward ? 'text-rose-900' : 'text-slate-800'}`}>
              {entry.backward ? '↩ ' : ''}
              {describe(entry, columns)}
            </span>
            <span className="text-xs text-slate-500">
              {entry.actor} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            </span>
          </div>
          {entry.backward && entry.reason ? <p className="mt-1 text-rose-800">Defect: {entry.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
