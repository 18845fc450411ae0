'use client';
import { useEffect, useRef, useState } from 'react';
import type { CardDTO, CardHistoryEntry, ColumnDTO, LaneDTO, PersonDTO } from '../../lib/shared/domain/types';
import { blockedTimeOf, formatBlockedTime } from '../../lib/shared/domain/blocked';
import { useClock } from '../../lib/client/useNow';
import { columnName } from '../../lib/client/boardView';
import { formatDateTime } from '../../lib/client/format';
import { request, type FlowSocket } from '../../lib/client/socket';
import { usePeople } from './People';

/** `revision` is the card's updatedAt the history was loaded for: every change to the card reloads it. */
type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; entries: CardHistoryEntry[]; revision: string };

function describe(entry: CardHistoryEntry, columns: readonly ColumnDTO[], blockedFor: ReadonlyMap<number, number>, lanes: readonly LaneDTO[], people: ReadonlyMap<string, PersonDTO> = new Map()): string {
  const from = columnName(columns, entry.fromColumnId);
  const to = columnName(columns, entry.toColumnId);
  switch (entry.type) {
    case 'card_created':
      return entry.toColumnId ? `Created in ${to}` : 'Created';
    case 'card_moved':
      if (entry.undoes !== undefined) return `Undid the move: back from ${from} to ${to}`;
      if (entry.backward) return `Sent back from ${from} to ${to}`;
      if (entry.toLaneId) {
        const lane = `the ${lanes.find((l) => l.id === entry.toLaneId)?.name ?? 'removed'} lane`;
        return entry.fromColumnId === entry.toColumnId ? `Moved to ${lane} in ${to}` : `Moved from ${from} to ${to}, into ${lane}`;
      }
      return entry.fromColumnId === entry.toColumnId ? `Reordered in ${to}` : `Moved from ${from} to ${to}`;
    case 'card_updated': {
      const changes = entry.changes ?? {};
      const parts: string[] = [];
      if (changes.blocked === true) {
        parts.push(typeof changes.blockedReason === 'string' && changes.blockedReason ? `Blocked: ${changes.blockedReason}` : 'Blocked');
      } else if (changes.blocked === false) {
        const after = blockedFor.get(entry.version);
        parts.push(after === undefined ? 'Unblocked' : `Unblocked after ${formatBlockedTime(after)}`);
      }
      if (Array.isArray(changes.assigneeIds)) parts.push(assignedText(changes.assigneeIds as unknown[], people, parts.length > 0));
      const edited = Object.keys(changes)
        .filter((k) => k !== 'blocked' && k !== 'assigneeIds' && !(k === 'blockedReason' && changes.blocked !== undefined))
        .map((k) => (k === 'blockedReason' ? 'blocked reason' : k));
      if (edited.length) parts.push(`${parts.length ? 'edited' : 'Edited'} ${edited.join(', ')}`);
      return parts.join('; ') || 'Edited';
    }
    case 'card_deleted':
      return 'Deleted';
    case 'card_split':
      // The parent's history says what it became; a child's begins with where it came from.
      if (entry.parentId) return `Split from “${entry.parentTitle ?? 'a card'}” in ${to}`;
      return `Split into ${entry.childIds?.length ?? 'smaller'} cards in ${to}`;
    default:
      return entry.type.replace(/_/g, ' ');
  }
}

/** An assignment in words: who the card is assigned to after it ("Assigned to Ana Lima and Ben Okafor"). */
function assignedText(ids: readonly unknown[], people: ReadonlyMap<string, PersonDTO>, after: boolean): string {
  const names = ids.map((id) => (typeof id === 'string' ? (people.get(id)?.name ?? 'someone') : 'someone'));
  if (names.length === 0) return after ? 'assigned to nobody' : 'Assigned to nobody';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${after ? 'assigned' : 'Assigned'} to ${list}`;
}

/** For each unblocking entry: how long the block it ends lasted (from the block before it). */
function blockDurations(entries: readonly CardHistoryEntry[]): Map<number, number> {
  const out = new Map<number, number>();
  let since: number | null = null;
  for (const e of entries.toSorted((a, b) => a.version - b.version)) {
    if (e.type !== 'card_updated') continue;
    if (e.changes?.blocked === true) since = Date.parse(e.at);
    else if (e.changes?.blocked === false && since !== null) {
      out.set(e.version, Date.parse(e.at) - since);
      since = null;
    }
  }
  return out;
}

/** The card's blocked time in total, live (an imported card brings its blocked days without history). */
function BlockedTotal({ card }: { card: Pick<CardDTO, 'blockedMs' | 'blockedSince'> }) {
  const text = useClock((now) => formatBlockedTime(blockedTimeOf(card, now)));
  if (text === null || (card.blockedSince === null && card.blockedMs === 0)) return null;
  return (
    <p data-testid="history-blocked-total" className="mb-2 text-sm text-slate-700">
      Blocked <strong>{text}</strong> in total{card.blockedSince ? ', still blocked' : ''}.
    </p>
  );
}

/** Every step the card took, newest first, with backward moves and their defects standing out. */
export function CardHistory({
  cardId,
  revision,
  columns,
  socket,
  blocked,
  lanes = [],
  onLoaded,
}: {
  cardId: string;
  revision: string;
  columns: readonly ColumnDTO[];
  socket: FlowSocket | null;
  /** The card's blocked time (CardDTO's fields), summed above the list. */
  blocked?: Pick<CardDTO, 'blockedMs' | 'blockedSince'>;
  /** The board's lanes, to name those a card moved into. */
  lanes?: readonly LaneDTO[];
  /** Told the entries once loaded (the dialog names a split card's parent from them). */
  onLoaded?(entries: CardHistoryEntry[]): void;
}) {
  const onLoadedRef = useRef(onLoaded);
  useEffect(() => {
    onLoadedRef.current = onLoaded;
  });
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const people = usePeople();

  useEffect(() => {
    if (!socket) return;
    let cancelled = false;
    request(socket, 'card:history', { cardId })
      .then((ack) => {
        if (cancelled) return;
        setLoaded(ack.ok ? { state: 'ready', entries: ack.history, revision } : { state: 'error', message: ack.message });
        if (ack.ok) onLoadedRef.current?.(ack.history);
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
  const blockedFor = blockDurations(entries);
  // An undone move stays in the history, marked; an undone backward move is no longer a defect.
  const undone = new Set(entries.flatMap((e) => (e.undoes === undefined ? [] : [e.undoes])));
  const defect = (entry: CardHistoryEntry) => entry.backward === true && !undone.has(entry.version);
  return (
    <>
      {blocked ? <BlockedTotal card={blocked} /> : null}
      <ol className="space-y-2" data-testid="card-history">
        {entries.map((entry) => (
          <li
            key={entry.version}
            data-testid="history-entry"
            data-type={entry.type}
            data-backward={defect(entry) ? 'true' : undefined}
            data-undone={undone.has(entry.version) ? 'true' : undefined}
            className={`rounded-lg px-3 py-2 text-sm ${defect(entry) ? 'bg-rose-50 ring-1 ring-rose-300' : 'bg-slate-50'}`}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className={`font-medium ${defect(entry) ? 'text-rose-900' : 'text-slate-800'}`}>
                {defect(entry) ? '↩ ' : ''}
                {describe(entry, columns, blockedFor, lanes, people)}
                {undone.has(entry.version) ? ' (undone)' : ''}
              </span>
              <span className="text-xs text-slate-600">
                {entry.actor} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              </span>
            </div>
            {defect(entry) && entry.reason ? <p className="mt-1 text-rose-800">Defect: {entry.reason}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
