'use client';
import { useEffect, useRef, useState } from 'react';
import type { Percentiles } from '../shared/flow/metrics';

/** What the standup takes of the board's flow marks (GET /api/boards/:id/marks): the cycle-time percentiles and who is committed since when. */
export interface StandupMarks {
  percentiles: Percentiles;
  sampleSize: number;
  /** Card id → when it crossed the commitment point (ms), for the cards in progress. */
  committedAt: ReadonlyMap<string, number>;
}

interface MarksResponse {
  sampleSize: number;
  cycleTimePercentiles: Percentiles;
  aging: { cardId: string; committedAt: string }[];
}

/** A burst of moves during the standup settles before the marks are read again. */
const REFRESH_AFTER_MS = 3000;

/** The marks once the board is live, read again a few seconds after its version moves. Null until read (or when the read fails). */
export function useStandupMarks(boardId: string, version: number, live: boolean): StandupMarks | null {
  const [marks, setMarks] = useState<StandupMarks | null>(null);
  const loaded = useRef(false);
  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    const timer = setTimeout(
      () => {
        const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
        fetch(`/api/boards/${encodeURIComponent(boardId)}/marks?tz=${encodeURIComponent(tz)}&version=${version}`, { cache: 'no-store' })
          .then((res) => (res.ok ? (res.json() as Promise<MarksResponse>) : null))
          .then((body) => {
            if (cancelled || !body) return;
            setMarks({
              percentiles: body.cycleTimePercentiles,
              sampleSize: body.sampleSize,
              committedAt: new Map(body.aging.map((a) => [a.cardId, Date.parse(a.committedAt)])),
            });
          })
          .catch(() => {
            // A hint: without it each card shows its age alone.
          });
      },
      loaded.current ? REFRESH_AFTER_MS : 0,
    );
    loaded.current = true;
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [boardId, version, live]);
  return marks;
}
