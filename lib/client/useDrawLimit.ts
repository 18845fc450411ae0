'use client';
import { startTransition, useEffect, useState } from 'react';

/** Cards per work center in the page as served and hydrated: more than a standup screen shows at once. */
const FIRST_DRAW = 24;
/** Cards per work center added at each step in the background. */
const STEP = 24;
/** The rest are drawn after the connection is up, or after this long without it. */
const MAX_WAIT_MS = 1500;

/**
 * How many cards of each work center to draw. A big board is served and hydrated with the first
 * FIRST_DRAW cards of each work center (what a screen shows), so it is usable at once; the rest are
 * drawn in the background a step at a time, each step a transition that gives way to input, until
 * the longest work center is whole. Boards smaller than that never see a difference.
 *
 * `connecting`: the board is still opening its connection, which comes first (bounded by
 * MAX_WAIT_MS). `dragging`: nothing is added under a card being dragged.
 */
export function useDrawLimit(longest: number, connecting: boolean, dragging: boolean): number {
  const [limit, setLimit] = useState(FIRST_DRAW);
  const [waitedEnough, setWaitedEnough] = useState(false);
  useEffect(() => {
    if (!connecting) return;
    const timer = window.setTimeout(() => setWaitedEnough(true), MAX_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [connecting]);

  const held = dragging || (connecting && !waitedEnough);
  useEffect(() => {
    if (held || limit >= longest) return;
    // A task per step: the browser paints and handles input between them.
    const timer = window.setTimeout(() => startTransition(() => setLimit((current) => current + STEP)), 0);
    return () => window.clearTimeout(timer);
  }, [limit, longest, held]);
  return limit;
}
