'use client';
import { useEffect, useRef, useState } from 'react';
import { readMarks, type BoardMarks } from './marks';

/** What the standup takes of the board's flow marks: the cycle-time percentiles and who is committed since when. */
export type StandupMarks = Pick<BoardMarks, 'percentiles' | 'sampleSize' | 'committedAt'>;

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
        void readMarks(boardId, version).then((read) => {
          if (!cancelled && read) setMarks(read);
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
