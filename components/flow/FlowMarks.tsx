'use client';
import { createContext, use, useCallback, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { readMarks, type BoardMarks } from '../../lib/client/marks';
import { readClock, subscribeClock } from '../../lib/client/useNow';
import { agingLevel, type AgingLevel } from '../../lib/shared/flow/metrics';
import { DAY_MS } from '../../lib/shared/flow/time';
import { PERCENTILE_COLORS } from './format';

/**
 * Flow marks on the board: an aging mark on every card older than the 50th / 85th / 95th percentile
 * of recent cycle times, and the bottleneck on its work center header. One small read (GET /marks)
 * when the board opens and a few seconds after changes settle; ages then tick in the browser.
 */
type Marks = BoardMarks;

/**
 * The marks live outside React state: a new read of /marks changes the mark of a few cards, and
 * each card's mark selects what it shows from here, so only those few are drawn again.
 */
interface MarksStore {
  get(): Marks | null;
  set(marks: Marks): void;
  subscribe(onChange: () => void): () => void;
  /** Marks or the clock: an aging mark depends on both. */
  subscribeWithClock(onChange: () => void): () => void;
}

function createMarksStore(): MarksStore {
  let marks: Marks | null = null;
  const listeners = new Set<() => void>();
  const subscribe = (onChange: () => void) => {
    listeners.add(onChange);
    return () => void listeners.delete(onChange);
  };
  return {
    get: () => marks,
    set(next) {
      marks = next;
      for (const listener of listeners) listener();
    },
    subscribe,
    subscribeWithClock(onChange) {
      const offMarks = subscribe(onChange);
      const offClock = subscribeClock(onChange);
      return () => {
        offMarks();
        offClock();
      };
    },
  };
}

const MarksContext = createContext<MarksStore | null>(null);

/** Changes come in bursts during a standup: wait for them to settle before reading again. */
const REFRESH_AFTER_MS = 3000;


/**
 * The first read waits until the board is live: on a big board the connection and the cards come
 * first, and a mark is a hint. Later reads follow the board's version.
 */
export function FlowMarksProvider({ boardId, version, live, children }: { boardId: string; version: number; live: boolean; children: ReactNode }) {
  const [store] = useState(createMarksStore);
  const loaded = useRef(false);
  const [wanted, setWanted] = useState(live);
  if (live && !wanted) setWanted(true);
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    const timer = setTimeout(
      () => {
        // Marks are a hint: without them (a failed read) the board works as before.
        void readMarks(boardId, version).then((read) => {
          if (!cancelled && read) store.set(read);
        });
      },
      loaded.current ? REFRESH_AFTER_MS : 0,
    );
    loaded.current = true;
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [boardId, version, store, wanted]);
  return <MarksContext value={store}>{children}</MarksContext>;
}

const noSubscription = () => () => {};

const LABEL: Record<Exclude<AgingLevel, null>, string> = { p50: '50th', p85: '85th', p95: '95th' };

/** The finest age a card's face shows (shortAge): a minute. */
const FACE_RESOLUTION_MS = 60_000;

/**
 * What one card's aging mark shows, as one comparable value: "p85 12.3" (level, days) or null.
 * The age is the one the card's face shows, its time in its work center (see CardFace), measured
 * against the whole trip's cycle-time percentiles: a card that has sat in one work center longer
 * than most cards take from commitment to done is stuck, and the mark never contradicts the number
 * beside it. Only cards in progress (past the commitment point, not done) carry one.
 */
function agingOf(marks: Marks | null, cardId: string, since: number, now: number): string | null {
  if (!marks || !marks.committedAt.has(cardId) || !Number.isFinite(since)) return null;
  // The face says "now" for its first minute: a mark beside it would read as a contradiction (cycle
  // times of seconds, from cards scripted through the board, put the percentiles that low).
  if (now - since < FACE_RESOLUTION_MS) return null;
  const ageDays = (now - since) / DAY_MS;
  const level = agingLevel(ageDays, marks.percentiles, marks.sampleSize);
  return level ? `${level} ${ageDays.toFixed(1)}` : null;
}

/**
 * Whether a card carries an aging mark, for the board's aging filter: follows the marks; the clock
 * is read when asked (a filter need not redraw the board every minute).
 */
export function useAgingTest(): (card: { id: string; enteredColumnAt: string }) => boolean {
  const store = use(MarksContext);
  const marks = useSyncExternalStore(store ? store.subscribe : noSubscription, () => store?.get() ?? null, () => null);
  return useCallback((card) => agingOf(marks, card.id, Date.parse(card.enteredColumnAt), readClock()) !== null, [marks]);
}

/**
 * One card's aging, as "p85 12.3" (level and days in its work center since `enteredColumnAt`) or null
 * when it is young, unstarted, finished, or the sample is small. Selected from the marks and the
 * clock, so neither a new read nor a tick redraws a card whose mark stays the same.
 */
export function useAging(cardId: string, enteredColumnAt: string): string | null {
  const store = use(MarksContext);
  const since = Date.parse(enteredColumnAt);
  return useSyncExternalStore(
    store?.subscribeWithClock ?? noSubscription,
    () => (store ? agingOf(store.get(), cardId, since, readClock()) : null),
    () => null,
  );
}

/** When a card in progress crossed the commitment point (ms), or null (not started, done, or marks not read yet). */
export function useCommittedAt(cardId: string): number | null {
  const store = use(MarksContext);
  return useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    () => store?.get()?.committedAt.get(cardId) ?? null,
    () => null,
  );
}

/** The mark for what useAging answered. */
export function agingMark(cardId: string, aging: string | null) {
  if (aging === null) return null;
  const [level, days] = aging.split(' ') as [Exclude<AgingLevel, null>, string];
  return (
    <span
      data-testid={`aging-mark-${cardId}`}
      data-level={level}
      title={`${days} days in this work center: longer than the ${LABEL[level]} percentile of recent cycle times (commitment to done)`}
      className="rounded px-1.5 py-0.5 font-bold whitespace-nowrap text-white"
      style={{ background: PERCENTILE_COLORS[level] }}
    >
      Aging {LABEL[level]}
      <span className="sr-only"> percentile</span>
    </span>
  );
}

/** Marks the work center named the bottleneck on the flow page. */
export function BottleneckMark({ columnId }: { columnId: string }) {
  const store = use(MarksContext);
  const isBottleneck = useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    () => store?.get()?.bottleneckId === columnId,
    () => false,
  );
  if (!isBottleneck) return null;
  return (
    <span
      data-testid={`bottleneck-mark-${columnId}`}
      title="Bottleneck: its queue grew clearly fastest over the last 30 days (see the flow page for the evidence)"
      className="rounded bg-amber-400 px-1.5 py-0.5 text-xs font-bold text-amber-950"
    >
      Bottleneck
    </span>
  );
}
