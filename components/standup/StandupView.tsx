'use client';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { cardCount } from '../../lib/shared/domain/cardWindow';
import { hasRole, type BoardRole } from '../../lib/shared/domain/roles';
import {
  assigneesOf,
  doneCards,
  doneColumnOf,
  followState,
  formatAge,
  peopleWalk,
  stepCard,
  stepStop,
  walkOf,
  type AgeStart,
  type FollowerPlace,
  type Person,
} from '../../lib/shared/standup';
import { connectEarly } from '../../lib/client/socket';
import { useBoardActions } from '../../lib/client/useBoardActions';
import { useBoardSync } from '../../lib/client/useBoardSync';
import { useStandup } from '../../lib/client/useStandup';
import { useStandupMarks } from '../../lib/client/useStandupMarks';
import { useToasts } from '../../lib/client/useToasts';
import { useNow } from '../../lib/client/useNow';
import { ConnectionBadge } from '../board/ConnectionBadge';
import { Toasts } from '../ui/Toasts';
import { dialogOpen, isTyping, ShortcutHelp, useHelpKey, type Shortcut } from '../ui/ShortcutHelp';
import { BlockDialog } from './BlockDialog';
import { StandupCard } from './StandupCard';
import { StandupClock } from './StandupClock';

connectEarly();

export const STANDUP_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['→', 'j'], does: 'Next stop of the walk (the next work center to the left, or the next person)' },
  { keys: ['←', 'k'], does: 'Previous stop of the walk' },
  { keys: ['↓', 'n'], does: 'Highlight the next card' },
  { keys: ['↑', 'p'], does: 'Highlight the previous card' },
  { keys: ['b'], does: 'Block the highlighted card (asks what blocks it), or unblock it' },
  { keys: ['a'], does: 'Assign yourself to the highlighted card, or take yourself off it (boards with people)' },
  { keys: ['w'], does: 'Walk the board by work center, or by person' },
  { keys: ['d'], does: 'Open or close the Done work center' },
  { keys: ['f'], does: 'Follow the presenter, or step out to look around on your own' },
  { keys: ['l'], does: 'Take the lead (present); again: stop presenting' },
  { keys: ['t'], does: 'Presenter: start the timer, or stop it' },
  { keys: ['?'], does: 'Show these shortcuts' },
  { keys: ['Escape'], does: 'Close a dialog' },
];

type Mode = 'flow' | 'people';

/** A stop of the walk: a work center, or a person (their id after `person:`; `person:` alone: nobody's cards). */
interface Stop {
  id: string;
  label: string;
  cards: CardDTO[];
  /** A work center's WIP limit and total (a big board sends part of a long one). */
  wipLimit?: number | null;
  total: number;
}

const PERSON = 'person:';
/** The newest cards the opened Done list shows: what finished since the last standup, not the archive. */
const DONE_SHOWN = 12;
const modeOf = (stopId: string | null): Mode | null => (stopId === null ? null : stopId.startsWith(PERSON) ? 'people' : 'flow');

interface StandupViewProps {
  initial: BoardSnapshot;
  me: { id: string; name: string; role: BoardRole };
  renderedAt: number;
}

/**
 * Standup mode: the board walked from right to left, a work center at a time, for a screen across
 * the room. One person presents; everyone else's view follows their stop and highlighted card until
 * they step out. Moves made by anyone show up live (the board's own sync).
 */
export function StandupView({ initial, me, renderedAt }: StandupViewProps) {
  const { toasts, notify, dismiss } = useToasts();
  const sync = useBoardSync(initial, notify);
  const { view, status } = sync;
  const actions = useBoardActions(view.id, sync.mutate);
  const session = useStandup(sync.socket, view.id, notify);
  const marks = useStandupMarks(view.id, view.version, status === 'live');
  const canWork = hasRole(me.role, 'member');

  // The clock of the ages (a minute tick): the page's render time while hydrating.
  const now = useNow() ?? renderedAt;

  const startOf = useCallback<AgeStart>((card) => marks?.committedAt.get(card.id) ?? Date.parse(card.createdAt), [marks]);
  const people = sync.people;
  const personById = useMemo(() => new Map<string, Person>(people.map((p) => [p.id, p])), [people]);
  const columnNames = useMemo(() => new Map(view.columns.map((c) => [c.id, c.name])), [view.columns]);
  const laneById = useMemo(() => new Map(view.lanes.map((l) => [l.id, l])), [view.lanes]);
  const done = doneColumnOf(view.columns);

  const [mode, setMode] = useState<Mode>('flow');
  const stops = useMemo<Stop[]>(() => {
    if (mode === 'flow') {
      return walkOf(view, startOf).map(({ column, cards }) => ({ id: column.id, label: column.name, cards, wipLimit: column.wipLimit, total: cardCount(view, column.id) }));
    }
    return peopleWalk(view, people, startOf).map(({ person, cards }) => ({
      id: `${PERSON}${person?.id ?? ''}`,
      label: person ? person.name : 'Nobody',
      cards,
      total: cards.length,
    }));
  }, [mode, view, people, startOf]);

  const [place, setPlace] = useState<FollowerPlace>({ following: true, columnId: null, cardId: null });
  const [announcement, setAnnouncement] = useState('');
  const [helpOpen, setHelpOpen] = useState(false);
  const [doneOpen, setDoneOpen] = useState(false);
  const [blocking, setBlocking] = useState<CardDTO | null>(null);
  useHelpKey(() => setHelpOpen(true));

  const { state, presenting } = session;
  const presenter = state?.presenter ?? null;
  const following = place.following && presenter !== null && !presenting;

  // Follow the presenter: each new state moves this view unless it stepped out (or presents).
  // Adjusted while rendering (React's pattern for state that follows a value), once per state.
  const [seen, setSeen] = useState<{ seq: number; presenterId: string | null }>({ seq: 0, presenterId: null });
  if (state && state.seq !== seen.seq) {
    setSeen({ seq: state.seq, presenterId: state.presenter?.id ?? null });
    const next = followState(place, state);
    if ((state.presenter?.id ?? null) !== seen.presenterId && !presenting) {
      setAnnouncement(state.presenter ? `${state.presenter.name} presents now.` : 'Nobody presents now.');
    }
    if (!presenting && next !== place) {
      const nextMode = modeOf(state.columnId);
      if (nextMode && nextMode !== mode) setMode(nextMode);
      setPlace(next);
      // Said once per step, politely, for someone who follows without looking.
      const stopName =
        nextMode === 'people' ? (personById.get(state.columnId?.slice(PERSON.length) ?? '')?.name ?? 'Nobody') : (columnNames.get(state.columnId ?? '') ?? 'a work center');
      const card = view.cards.find((c) => c.id === state.cardId);
      setAnnouncement(`${presenter?.name ?? 'The presenter'} is at ${stopName}${card ? `: ${card.title}` : ''}`);
    }
  }

  // Where this view is: its place, else the first stop; a stop that went away (its work center
  // removed, the person's last card moved on) falls back to the first.
  const current = stops.find((s) => s.id === place.columnId) ?? stops[0] ?? null;
  const highlighted = current?.cards.find((c) => c.id === place.cardId) ?? null;

  /** Goes somewhere: the presenter takes the room along; a follower steps out first. */
  const go = useCallback(
    (stopId: string | null, cardId: string | null) => {
      if (stopId === null) return;
      if (following) {
        setAnnouncement('You stepped out of following the presenter. Press F to follow again.');
      }
      setPlace({ following: following ? false : place.following, columnId: stopId, cardId });
      if (presenting) void session.step(stopId, cardId);
    },
    [following, place.following, presenting, session],
  );

  const toggleFollow = useCallback(() => {
    if (place.following) {
      setPlace({ ...place, following: false });
      setAnnouncement('You stepped out of following the presenter.');
      return;
    }
    const back = state ? followState({ ...place, following: true }, state) : { ...place, following: true };
    const nextMode = modeOf(back.columnId);
    if (nextMode && nextMode !== mode) setMode(nextMode);
    setPlace(back);
    setAnnouncement(presenter ? `Following ${presenter.name} again.` : 'You will follow the presenter once someone leads.');
  }, [place, state, mode, presenter]);

  const switchMode = useCallback(
    (next: Mode) => {
      if (next === mode) return;
      setMode(next);
      const first = next === 'flow' ? (walkOf(view, startOf)[0]?.column.id ?? null) : null;
      const firstPerson = next === 'people' ? peopleWalk(view, people, startOf)[0] : undefined;
      go(first ?? (firstPerson ? `${PERSON}${firstPerson.person?.id ?? ''}` : null), null);
    },
    [mode, view, startOf, people, go],
  );

  const toggleLead = useCallback(() => {
    if (presenting) return void session.release();
    if (!canWork) return notify('A viewer follows the standup; leading it takes a member of the board', 'info');
    void session.lead().then((ack) => {
      // The room starts where this view is.
      if (ack.ok && current) void session.step(current.id, place.cardId);
    });
  }, [presenting, session, canWork, notify, current, place.cardId]);

  const toggleBlocked = useCallback(() => {
    if (!highlighted) return notify('Highlight a card first (↓ or n)', 'info');
    if (!canWork) return notify('A viewer cannot change the board', 'info');
    if (highlighted.blocked) void actions.updateCard(highlighted.id, { blocked: false, blockedReason: null });
    else setBlocking(highlighted);
  }, [highlighted, canWork, actions, notify]);

  const toggleAssign = useCallback(() => {
    if (!highlighted) return notify('Highlight a card first (↓ or n)', 'info');
    if (people.length === 0) return notify('This board has no people to assign yet', 'info');
    if (!canWork) return notify('A viewer cannot change the board', 'info');
    const holders = assigneesOf(highlighted);
    const mine = holders.includes(me.id);
    void actions.updateCard(highlighted.id, { assigneeIds: mine ? holders.filter((id) => id !== me.id) : [...holders, me.id] });
    setAnnouncement(mine ? `You are off ${highlighted.title}.` : `You hold ${highlighted.title}.`);
  }, [highlighted, people.length, canWork, actions, me.id, notify]);

  const toggleTimer = useCallback(() => {
    if (!presenting) return notify('The presenter starts the timer: take the lead first (L)', 'info');
    void (state?.timer.startedAt === null ? session.startTimer() : session.stopTimer());
  }, [presenting, state, session, notify]);

  // The keys of the walk (? is useHelpKey's). Not while typing or while a dialog is open.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  useEffect(() => {
    keys.current = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target) || dialogOpen()) return;
      const stopId = current?.id ?? null;
      const ids = stops.map((s) => s.id);
      const cards = current?.cards ?? [];
      const handlers: Record<string, () => void> = {
        ArrowRight: () => go(stepStop(ids, stopId, 1), null),
        j: () => go(stepStop(ids, stopId, 1), null),
        ArrowLeft: () => go(stepStop(ids, stopId, -1), null),
        k: () => go(stepStop(ids, stopId, -1), null),
        ArrowDown: () => go(stopId, stepCard(cards, place.cardId, 1)),
        n: () => go(stopId, stepCard(cards, place.cardId, 1)),
        ArrowUp: () => go(stopId, stepCard(cards, place.cardId, -1)),
        p: () => go(stopId, stepCard(cards, place.cardId, -1)),
        b: toggleBlocked,
        a: toggleAssign,
        w: () => switchMode(mode === 'flow' ? 'people' : 'flow'),
        d: () => setDoneOpen((o) => !o),
        f: toggleFollow,
        l: toggleLead,
        t: toggleTimer,
      };
      const handler = handlers[e.key.length === 1 ? e.key.toLowerCase() : e.key];
      if (!handler) return;
      // Arrows on a focused button or link would scroll the page otherwise; letters only act here.
      e.preventDefault();
      handler();
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The highlighted card stays in sight on a small screen.
  useEffect(() => {
    if (!place.cardId) return;
    document.querySelector(`[data-standup-card="${CSS.escape(place.cardId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [place.cardId]);

  const doneList = useMemo(() => (done && doneOpen ? doneCards(view.cards.filter((c) => c.columnId === done.id)) : []), [done, doneOpen, view.cards]);
  const doneCount = done ? cardCount(view, done.id) : 0;
  const stopIndex = current ? stops.indexOf(current) : -1;

  return (
    <>
      {/* Dark whatever the theme (a room with the lights down): the palette is kept as it is (app/globals.css). */}
      <div className="keep-palette flex min-h-dvh flex-col bg-slate-950 text-slate-50" data-testid="standup-view">
        <header className="flex flex-wrap items-center gap-x-4 gap-y-2 bg-slate-900 px-3 py-2 sm:px-5 sm:py-3">
          <Link
            href={`/boards/${view.id}`}
            className="rounded-md px-2 py-1 text-sm font-semibold text-slate-200 ring-1 ring-slate-700 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 sm:text-base"
            data-testid="back-to-board"
          >
            ← Board
          </Link>
          <h1 className="min-w-0 truncate text-xl font-bold sm:text-3xl" data-testid="standup-board-name">
            <span className="text-sky-300">Standup</span> · {view.name}
          </h1>
          <div role="group" aria-label="Walk by" className="flex rounded-lg ring-1 ring-slate-600">
            {(['flow', 'people'] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={mode === m}
                onClick={() => switchMode(m)}
                className={`px-3 py-1 text-sm font-semibold first:rounded-l-lg last:rounded-r-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 sm:text-base ${
                  mode === m ? 'bg-sky-300 text-slate-950' : 'text-slate-200 hover:bg-slate-800'
                }`}
                data-testid={`walk-${m}`}
              >
                {m === 'flow' ? 'Work centers' : 'People'}
              </button>
            ))}
          </div>
          <div className="ml-auto flex flex-wrap items-center gap-3">
            <StandupClock state={state} offsetMs={session.offsetMs} />
            <ConnectionBadge status={status} />
            <button
              type="button"
              onClick={() => setHelpOpen(true)}
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
              className="rounded-md px-2.5 py-1 text-base font-bold text-slate-200 ring-1 ring-slate-700 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300"
              data-testid="open-shortcuts"
            >
              ?
            </button>
          </div>
        </header>

        <section aria-label="Presenter" className="flex flex-wrap items-center gap-3 border-b border-slate-800 bg-slate-900/60 px-3 py-2 text-base sm:px-5 sm:text-lg">
          <p data-testid="presenter-status" data-presenting={presenting} data-following={following}>
            {presenting ? (
              <strong className="text-sky-300">You are presenting: everyone following sees your stop.</strong>
            ) : presenter ? (
              <>
                <strong className="text-white">{presenter.name}</strong> presents.{' '}
                {following ? <span className="text-emerald-300">You follow.</span> : <span className="text-amber-200">You stepped out.</span>}
              </>
            ) : (
              <span className="text-slate-300">Nobody presents yet.</span>
            )}
          </p>
          {presenter && !presenting ? (
            <button type="button" onClick={toggleFollow} className={pill} data-testid="follow-toggle">
              {place.following ? 'Step out' : `Follow ${presenter.name}`}
            </button>
          ) : null}
          {canWork ? (
            <button type="button" onClick={toggleLead} className={pill} data-testid="lead-toggle">
              {presenting ? 'Stop presenting' : presenter ? 'Take over' : 'Lead the standup'}
            </button>
          ) : null}
          {presenting ? (
            <button type="button" onClick={toggleTimer} className={pill} data-testid="timer-toggle">
              {state?.timer.startedAt === null ? `Start the ${Math.round((state?.timer.timeboxMs ?? 0) / 60_000)}-minute timer` : 'Stop the timer'}
            </button>
          ) : null}
        </section>

        <p aria-live="polite" className="sr-only" data-testid="standup-announcement">
          {announcement}
        </p>

        <nav aria-label={mode === 'flow' ? 'Work centers, right to left' : 'People'} className="overflow-x-auto border-b border-slate-800 px-3 py-2 sm:px-5">
          <ol className="flex min-w-min items-stretch gap-2">
            {stops.map((stop) => (
              <li key={stop.id}>
                <button
                  type="button"
                  onClick={() => go(stop.id, null)}
                  aria-current={stop === current ? 'step' : undefined}
                  className={`flex h-full items-baseline gap-2 rounded-lg px-3 py-1.5 text-base font-semibold whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 sm:text-lg ${
                    stop === current ? 'bg-sky-300 text-slate-950' : 'bg-slate-800 text-slate-100 hover:bg-slate-700'
                  }`}
                  data-testid={`stop-${stop.id}`}
                >
                  {stop.label}
                  <span className={stop === current ? 'text-slate-800' : 'text-slate-300'}>{stop.total}</span>
                  {stop.cards.some((c) => c.blocked) ? (
                    <span className="rounded bg-rose-600 px-1.5 text-sm font-bold text-white">
                      {stop.cards.filter((c) => c.blocked).length} blocked
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
            {done && mode === 'flow' ? (
              <li className="ml-auto">
                <button
                  type="button"
                  onClick={() => setDoneOpen((o) => !o)}
                  aria-expanded={doneOpen}
                  aria-controls="standup-done"
                  className="h-full rounded-lg bg-emerald-950 px-3 py-1.5 text-base font-semibold whitespace-nowrap text-emerald-100 ring-1 ring-emerald-800 hover:bg-emerald-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 sm:text-lg"
                  data-testid="done-toggle"
                >
                  {done.name} · {doneCount}
                </button>
              </li>
            ) : null}
          </ol>
        </nav>

        <main className="flex-1 px-3 py-3 sm:px-5 sm:py-4" aria-labelledby="standup-stop">
          {current ? (
            <>
              <div className="mb-3 flex flex-wrap items-baseline gap-x-4 gap-y-1">
                <h2 id="standup-stop" className="text-3xl font-bold text-white sm:text-5xl" data-testid="standup-stop" data-stop-id={current.id}>
                  {current.label}
                </h2>
                <p className="text-lg text-slate-300 sm:text-2xl">
                  {current.total} card{current.total === 1 ? '' : 's'}
                  {current.wipLimit ? ` of ${current.wipLimit} (WIP limit)` : ''} · stop {stopIndex + 1} of {stops.length}
                  {mode === 'flow' ? ' from the right' : ''}
                </p>
                <p className="text-lg text-slate-300 sm:text-2xl">
                  {current.cards.some((c) => c.blocked) ? 'What blocks flow here?' : current.cards.length > 0 ? 'What would finish first?' : ''}
                </p>
              </div>
              {current.cards.length === 0 ? (
                <p className="text-2xl text-slate-300">Nothing here.</p>
              ) : (
                <ol className="grid gap-3 xl:grid-cols-2" aria-label={`Cards at ${current.label}: blocked first, then oldest first`}>
                  {current.cards.map((card) => (
                    <StandupCard
                      key={card.id}
                      card={card}
                      highlighted={card.id === place.cardId}
                      now={now}
                      marks={marks}
                      people={personById}
                      lane={laneById.get(card.laneId)}
                      columnName={mode === 'people' ? columnNames.get(card.columnId) : undefined}
                      onSelect={(cardId) => go(current.id, cardId)}
                    />
                  ))}
                </ol>
              )}
              {current.total > current.cards.length && mode === 'flow' ? (
                <p className="mt-3 text-lg text-slate-300">{current.total - current.cards.length} more not loaded: see them on the board.</p>
              ) : null}
            </>
          ) : (
            <p className="text-2xl text-slate-300">{mode === 'people' ? 'Nobody holds a card in progress.' : 'This board has no work centers to walk yet.'}</p>
          )}
          {done && doneOpen && mode === 'flow' ? (
            <section id="standup-done" aria-label={`${done.name}, newest first`} className="mt-6 rounded-xl bg-emerald-950/50 p-4 ring-1 ring-emerald-900" data-testid="done-list">
              <h2 className="text-2xl font-bold text-emerald-100 sm:text-3xl">
                {done.name}: {doneCount}, newest first
              </h2>
              <ol className="mt-2 space-y-1 text-lg sm:text-2xl">
                {doneList.slice(0, DONE_SHOWN).map((card) => (
                  <li key={card.id} className="flex flex-wrap gap-x-3 text-slate-100">
                    <span className="font-semibold">{card.title}</span>
                    <span className="text-emerald-200">{formatAge(now - Date.parse(card.enteredColumnAt))} ago</span>
                  </li>
                ))}
              </ol>
              {doneList.length > DONE_SHOWN ? <p className="mt-2 text-lg text-emerald-200">and {doneList.length - DONE_SHOWN} earlier</p> : null}
            </section>
          ) : null}
        </main>
      </div>

      {/* Outside the kept palette: the toasts and dialogs follow the theme, as everywhere else. */}
      <Toasts toasts={toasts} onDismiss={dismiss} />
      {helpOpen ? (
        <ShortcutHelp
          title="Keyboard shortcuts: standup"
          shortcuts={STANDUP_SHORTCUTS}
          onClose={() => setHelpOpen(false)}
          note="A follower who moves around steps out of following; F follows again."
        />
      ) : null}
      {blocking ? (
        <BlockDialog
          cardTitle={blocking.title}
          onCancel={() => setBlocking(null)}
          onConfirm={(reason) => {
            void actions.updateCard(blocking.id, { blocked: true, blockedReason: reason });
            setBlocking(null);
          }}
        />
      ) : null}
    </>
  );
}

const pill =
  'rounded-lg bg-slate-800 px-3 py-1 text-base font-semibold text-white ring-1 ring-slate-600 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 sm:text-lg';
