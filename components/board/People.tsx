'use client';
import { createContext, use, useMemo, type ReactNode } from 'react';
import { avatarColourOf, initialsOf } from '../../lib/shared/domain/people';
import type { PersonDTO } from '../../lib/shared/domain/types';

/**
 * People on cards: the board's people by id (a join and `board:people` keep them current), the
 * avatars on a card's face and the picker in its dialog.
 */
const PeopleContext = createContext<ReadonlyMap<string, PersonDTO>>(new Map());

export function PeopleProvider({ people, children }: { people: readonly PersonDTO[]; children: ReactNode }) {
  const byId = useMemo(() => new Map(people.map((p) => [p.id, p])), [people]);
  return <PeopleContext value={byId}>{children}</PeopleContext>;
}

export function usePeople(): ReadonlyMap<string, PersonDTO> {
  return use(PeopleContext);
}

/** Someone the board does not know (yet): their card still says someone is on it. */
const unknownPerson = (id: string): PersonDTO => ({ id, name: 'Someone', member: false });

const nameOf = (person: PersonDTO) => (person.member ? person.name : `${person.name} (former member)`);

/** Initials on a colour of the person's own, white text at AA contrast (lib/shared/domain/people.ts). */
export function Avatar({ person, size = 'md' }: { person: PersonDTO; size?: 'md' | 'sm' }) {
  return (
    <span
      aria-hidden
      title={nameOf(person)}
      // The colour is fixed, not a palette step: the dark theme remaps `white` to its dark surface, and
      // the avatars' colours are the same in both themes, so their text must stay white too.
      style={{ backgroundColor: avatarColourOf(person.id), color: '#ffffff' }}
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-bold ${
        size === 'md' ? 'size-7 text-[0.7rem]' : 'size-6 text-[0.65rem]'
      } ${person.member ? '' : 'opacity-70'}`}
    >
      {initialsOf(person.name)}
    </span>
  );
}

const MAX_AVATARS = 3;

/** Up to three avatars, then "+N"; the names as text for screen readers. */
export function CardAvatars({ cardId, ids }: { cardId: string; ids: readonly string[] }) {
  const people = usePeople();
  if (ids.length === 0) return null;
  const assigned = ids.map((id) => people.get(id) ?? unknownPerson(id));
  const shown = assigned.slice(0, MAX_AVATARS);
  const more = assigned.length - shown.length;
  const names = assigned.map(nameOf).join(', ');
  return (
    <span className="flex flex-wrap items-center justify-end gap-1" data-testid={`card-assignees-${cardId}`} title={names}>
      <span className="sr-only">Assigned to {names}</span>
      {shown.map((p) => (
        <Avatar key={p.id} person={p} />
      ))}
      {more > 0 ? (
        <span aria-hidden className="inline-flex size-7 items-center justify-center rounded-full bg-slate-700 text-[0.7rem] font-bold text-white">
          +{more}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Who works on the card: a checkbox per member (Tab to move, Space to tick), in a list that scrolls
 * when the team is big. A former member still on the card shows, ticked, to be taken off.
 */
export function PeoplePicker({ value, onChange, disabled = false }: { value: readonly string[]; onChange(ids: string[]): void; disabled?: boolean }) {
  const people = usePeople();
  const choices = [...people.values()].filter((p) => p.member || value.includes(p.id));
  for (const id of value) if (!people.has(id)) choices.push(unknownPerson(id));
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset data-testid="card-assignees-picker" disabled={disabled}>
      <legend className="mb-1 text-sm font-medium text-slate-700">Assignees</legend>
      {choices.length === 0 ? (
        <p className="text-sm text-slate-500">This board has no members to assign yet.</p>
      ) : (
        <ul className="max-h-44 space-y-0.5 overflow-y-auto rounded-lg bg-white p-1 ring-1 ring-slate-200">
          {choices.map((p) => (
            <li key={p.id}>
              <label className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-800 hover:bg-slate-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600">
                <input
                  type="checkbox"
                  checked={value.includes(p.id)}
                  onChange={(e) => toggle(p.id, e.target.checked)}
                  className="size-4 accent-sky-700"
                  data-testid={`assignee-option-${p.id}`}
                />
                <Avatar person={p} size="sm" />
                <span className="min-w-0 truncate">{nameOf(p)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
