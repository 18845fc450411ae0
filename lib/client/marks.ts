/** The board's flow marks as the browser reads them (GET /api/boards/:id/marks), for the board and the standup. */
import type { Percentiles } from '../shared/flow/metrics';

export interface BoardMarks {
  percentiles: Percentiles;
  sampleSize: number;
  /** Card id → when it crossed the commitment point (ms), for the cards in progress. */
  committedAt: ReadonlyMap<string, number>;
  bottleneckId: string | null;
}

interface MarksResponse {
  sampleSize: number;
  cycleTimePercentiles: Percentiles;
  aging: { cardId: string; committedAt: string }[];
  bottleneck: { columnId: string } | null;
}

/**
 * The marks for the board at `version`, in the browser's time zone (the version in the URL names the
 * state they are for, and defeats any cache). Null when the read fails: a mark is a hint.
 */
export async function readMarks(boardId: string, version: number): Promise<BoardMarks | null> {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  try {
    const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/marks?tz=${encodeURIComponent(tz)}&version=${version}`, { cache: 'no-store' });
    if (!res.ok) return null;
    const body = (await res.json()) as MarksResponse;
    return {
      percentiles: body.cycleTimePercentiles,
      sampleSize: body.sampleSize,
      committedAt: new Map(body.aging.map((a) => [a.cardId, Date.parse(a.committedAt)])),
      bottleneckId: body.bottleneck?.columnId ?? null,
    };
  } catch {
    return null;
  }
}
