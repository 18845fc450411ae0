'use client';
import { createContext, use, useEffect, useRef, useState, type ReactNode } from 'react';
import { useNow } from '../../lib/client/useNow';
import { agingLevel, type AgingLevel, type Percentiles } from '../../lib/flow/metrics';
import { DAY_MS } from '../../lib/flow/time';
import { PERCENTILE_COLORS } from './format';

/**
 * Flow marks on the board: an aging mark on every card older than the 50th / 85th / 95th percentile
 * of recent cycle times, and the bottleneck on its work center header. One small read (GET /marks)
 * when the board opens and a few seconds after changes settle; ages then tick in the browser.
 */
interface Marks {
  percentiles: Percentiles;
  sampleSize: number;
  committedAt: Map<string, number>;
  bottleneckId: string | null;
}

const MarksContext = createContext<Marks | null>(null);

/** Changes come in bursts during a standup: wait for them to settle before reading again. */
const REFRESH_AFTER_MS = 3000;

interface MarksResponse {
  sampleSize: number;
  cycleTimePercentiles: Percentiles;
  aging: { cardId: string; committedAt: string }[];
  bottleneck: { columnId: string } | null;
}

export function FlowMarksProvider({ boardId, version, children }: { boardId: string; version: number; children: ReactNode }) {
  const [marks, setMarks] = useState<Marks | null>(null);
  const loaded = useRef(false);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(
      () => {
        const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
        // The version in the URL names the state the marks are for (and defeats any cache).
        fetch(`/api/boards/${encodeURIComponent(boardId)}/marks?tz=${encodeURIComponent(tz)}&version=${version}`, { cache: 'no-store' })
          .then((res) => (res.ok ? (res.json() as Promise<MarksResponse>) : null))
          .then((body) => {
            if (cancelled || !body) return;
            setMarks({
              percentiles: body.cycleTimePercentiles,
              sampleSize: body.sampleSize,
              committedAt: new Map(body.aging.map((a) => [a.cardId, Date.parse(a.committedAt)])),
              bottleneckId: body.bottleneck?.columnId ?? null,
            });
          })
          .catch(() => {
            // Marks are a hint: without them the board works as before.
          });
      },
      loaded.current ? REFRESH_AFTER_MS : 0,
    );
    loaded.current = true;
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [boardId, version]);
  return <MarksContext value={marks}>{children}</MarksContext>;
}

const LABEL: Record<Exclude<AgingLevel, null>, string> = { p50: '50th', p85: '85th', p95: '95th' };

/**
 * The aging mark of one card; nothing when it is young, unstarted, finished, or the sample is small.
 * It reads the clock itself, so the minute tick redraws this mark and not the card around it.
 */
export function AgingMark({ cardId }: { cardId: string }) {
  const marks = use(MarksContext);
  const now = useNow();
  const committedAt = marks?.committedAt.get(cardId);
  if (!marks || committedAt === undefined || now === null) return null;
  const ageDays = (now - committedAt) / DAY_MS;
  const level = agingLevel(ageDays, marks.percentiles, marks.sampleSize);
  if (!level) return null;
  return (
    <span
      data-testid={`aging-mark-${cardId}`}
      data-level={level}
      title={`In progress for ${ageDays.toFixed(1)} days: older than the ${LABEL[level]} percentile of recent cycle times`}
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
  const marks = use(MarksContext);
  if (marks?.bottleneckId !== columnId) return null;
  return (
    <span
      data-testid={`bottleneck-mark-${columnId}`}
      title="Bottleneck: its queue grew fastest over the last 30 days (see the flow page)"
      className="rounded bg-amber-400 px-1.5 py-0.5 text-xs font-bold text-amber-950"
    >
      Bottleneck
    </span>
  );
}
