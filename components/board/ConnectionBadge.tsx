import type { ConnectionState } from '../../lib/client/useBoardSync';

const LOOK: Record<ConnectionState, { text: string; dot: string; title: string }> = {
  connecting: { text: 'Connecting…', dot: 'bg-slate-400 animate-pulse', title: 'Joining the board' },
  live: { text: 'Live', dot: 'bg-emerald-400', title: 'Changes from everyone appear as they happen' },
  reconnecting: {
    text: 'Reconnecting…',
    dot: 'bg-amber-400 animate-pulse',
    title: 'Connection lost: catching up as soon as it is back. Changes are paused.',
  },
  offline: { text: 'Offline', dot: 'bg-rose-500', title: 'Not connected: what you see may be out of date' },
};

export function ConnectionBadge({ status }: { status: ConnectionState }) {
  const look = LOOK[status];
  return (
    <span
      data-testid="connection-state"
      data-state={status}
      role="status"
      title={look.title}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold ${
        status === 'live' ? 'bg-emerald-950/60 text-emerald-200' : status === 'offline' ? 'bg-rose-950/70 text-rose-100' : 'bg-slate-800 text-slate-100'
      }`}
    >
      <span aria-hidden className={`size-2 rounded-full ${look.dot}`} />
      {look.text}
    </span>
  );
}
