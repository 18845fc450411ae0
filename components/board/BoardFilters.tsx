'use client';
import { createContext, use, useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { cardMatcher, isFiltering, NO_FILTER, UNASSIGNED, urlWithFilter, type BoardFilter } from '../../lib/client/boardFilter';
import { CARD_TYPES, type CardDTO, type CardType, type PersonDTO } from '../../lib/shared/domain/types';
import { useAgingTest } from '../flow/FlowMarks';
import { CARD_TYPE_LABEL } from './cardStyle';

/**
 * The board's filters: kept in the page's URL (a filtered view is a link to share, and survives a
 * reload), applied by each work center to the cards it draws. Counts and WIP limits stay whole.
 */
interface FilterState {
  filter: BoardFilter;
  setFilter(next: BoardFilter): void;
  /** The test a card must pass to be drawn; null when nothing is filtered. */
  match: ((card: CardDTO) => boolean) | null;
}

const FilterContext = createContext<FilterState>({ filter: NO_FILTER, setFilter: () => {}, match: null });

export function BoardFilterProvider({ initial, keyPrefix, children }: { initial: BoardFilter; keyPrefix: string; children: ReactNode }) {
  const [filter, setState] = useState(initial);
  const isAging = useAgingTest();
  const match = useMemo(() => cardMatcher(filter, isAging, keyPrefix), [filter, isAging, keyPrefix]);
  const setFilter = useCallback((next: BoardFilter) => {
    setState(next);
    // Replaced, not pushed: the back button leaves the board rather than stepping through keystrokes.
    window.history.replaceState(null, '', urlWithFilter(window.location.href, next));
  }, []);
  const value = useMemo(() => ({ filter, setFilter, match }), [filter, setFilter, match]);
  return <FilterContext value={value}>{children}</FilterContext>;
}

/** The filter's test for a work center's cards (null: draw them all). */
export function useCardMatch(): ((card: CardDTO) => boolean) | null {
  return use(FilterContext).match;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');

const control =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600';

function Toggle({ label, pressed, onChange, testId }: { label: string; pressed: boolean; onChange(on: boolean): void; testId: string }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={() => onChange(!pressed)}
      data-testid={testId}
      className={`rounded-full px-2.5 py-1 text-sm font-medium ring-1 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600 ${
        pressed ? 'bg-sky-800 text-white ring-sky-800' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'
      }`}
    >
      {pressed ? <span aria-hidden>✓ </span> : null}
      {label}
    </button>
  );
}

/**
 * The filter bar under the header: search (`/` goes there), person, type, blocked, aging, defects,
 * and, while anything is filtered, "N of M shown · Clear filters" (announced as it changes).
 */
export function FilterBar({ cards, total, people }: { cards: readonly CardDTO[]; total: number; people: readonly PersonDTO[] }) {
  const { filter, setFilter, match } = use(FilterContext);
  const search = useRef<HTMLInputElement>(null);
  const ids = { search: useId(), person: useId(), type: useId() };
  const set = (change: Partial<BoardFilter>) => setFilter({ ...filter, ...change });
  const filtering = isFiltering(filter);
  const shown = match ? cards.filter(match).length : total;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      // Not under an open dialog.
      if (document.querySelector('[role="dialog"], dialog[open]')) return;
      e.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const choices = people.filter((p) => p.member);
  const known = filter.person === null || filter.person === UNASSIGNED || people.some((p) => p.id === filter.person);

  return (
    <div role="search" aria-label="Filter cards" data-testid="filter-bar" className="flex flex-wrap items-center gap-x-2 gap-y-1.5 border-b border-slate-200 bg-white px-3 py-1.5">
      <label htmlFor={ids.search} className="sr-only">
        Search card titles and keys
      </label>
      <input
        ref={search}
        id={ids.search}
        type="search"
        value={filter.q}
        maxLength={200}
        placeholder="Search titles, keys ( / )"
        aria-keyshortcuts="/"
        onChange={(e) => set({ q: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter.q) {
            e.preventDefault();
            set({ q: '' });
          }
        }}
        className={`${control} w-56 min-w-0 max-sm:w-full`}
        data-testid="filter-search"
      />
      {/* On a phone the choices keep to one row under the search, scrolled sideways, not three rows over the board. */}
      <div className="flex items-center gap-2 max-sm:w-full max-sm:overflow-x-auto max-sm:p-0.5 [&>*]:shrink-0" data-testid="filter-choices">
        <label htmlFor={ids.person} className="sr-only">
          Person
        </label>
        <select id={ids.person} value={filter.person ?? ''} onChange={(e) => set({ person: e.target.value || null })} className={control} data-testid="filter-person">
          <option value="">Anyone</option>
          <option value={UNASSIGNED}>Unassigned</option>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          {known ? null : <option value={filter.person ?? ''}>Someone not on this board</option>}
        </select>
        <label htmlFor={ids.type} className="sr-only">
          Type
        </label>
        <select id={ids.type} value={filter.type ?? ''} onChange={(e) => set({ type: (e.target.value || null) as CardType | null })} className={control} data-testid="filter-type">
          <option value="">All types</option>
          {CARD_TYPES.map((t) => (
            <option key={t} value={t}>
              {CARD_TYPE_LABEL[t]}
            </option>
          ))}
        </select>
        <Toggle label="Blocked" pressed={filter.blocked} onChange={(blocked) => set({ blocked })} testId="filter-blocked" />
        <Toggle label="Aging" pressed={filter.aging} onChange={(aging) => set({ aging })} testId="filter-aging" />
        <Toggle label="Defects" pressed={filter.defects} onChange={(defects) => set({ defects })} testId="filter-defects" />
      </div>
      <p role="status" className="text-sm text-slate-700 sm:ml-auto" data-testid="filter-summary">
        {filtering ? (
          <>
            <strong className="tabular-nums">{shown}</strong> of <span className="tabular-nums">{total}</span> shown ·{' '}
            <button
              type="button"
              onClick={() => setFilter(NO_FILTER)}
              className="rounded font-semibold text-sky-800 underline underline-offset-2 hover:text-sky-950 focus-visible:outline-2 focus-visible:outline-sky-600"
              data-testid="filter-clear"
            >
              Clear filters
            </button>
          </>
        ) : null}
      </p>
    </div>
  );
}
