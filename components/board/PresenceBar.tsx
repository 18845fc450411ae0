import type { Viewer } from '../../lib/shared/protocol';
import { hueOf, initials } from '../../lib/client/format';

/** Most avatars shown before "+N": beyond that a standup screen shows a crowd, not people. */
const MAX_AVATARS = 8;

interface Person {
  name: string;
  tabs: number;
  isSelf: boolean;
}

function people(viewers: readonly Viewer[], selfId: string | null): Person[] {
  const byName = new Map<string, Person>();
  for (const v of viewers) {
    const person = byName.get(v.name) ?? { name: v.name, tabs: 0, isSelf: false };
    person.tabs += 1;
    person.isSelf ||= v.id === selfId;
    byName.set(v.name, person);
  }
  return [...byName.values()].toSorted((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}

export function PresenceBar({ viewers, selfId }: { viewers: readonly Viewer[]; selfId: string | null }) {
  const list = people(viewers, selfId);
  const shown = list.slice(0, MAX_AVATARS);
  const hidden = list.length - shown.length;
  const label = list.length === 0 ? 'Nobody else is viewing' : `Viewing now: ${list.map((p) => p.name).join(', ')}`;
  return (
    <div data-testid="presence" data-count={list.length} aria-label={label} role="group" className="flex items-center">
      <ul className="flex -space-x-1.5">
        {shown.map((p) => (
          <li
            key={p.name}
            data-testid="viewer"
            data-name={p.name}
            title={`${p.name}${p.isSelf ? ' (you)' : ''}${p.tabs > 1 ? ` · ${p.tabs} tabs` : ''}`}
            style={{ backgroundColor: `hsl(${hueOf(p.name)} 55% 42%)` }}
            className={`flex size-8 items-center justify-center rounded-full text-xs font-bold text-white ring-2 ${
              p.isSelf ? 'ring-sky-300' : 'ring-slate-900'
            }`}
          >
            <span aria-hidden>{initials(p.name)}</span>
            <span className="sr-only">{p.name}</span>
          </li>
        ))}
      </ul>
      {hidden > 0 ? <span className="ml-2 text-xs text-slate-300">+{hidden}</span> : null}
    </div>
  );
}
