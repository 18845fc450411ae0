/**
 * When a failed delivery is tried again, and when the app stops trying (pure, unit-tested).
 *
 * Exponential: 10 s after the first failure, doubling up to an hour between attempts, each delay
 * shaken by ±20 % so that a receiver coming back is not hit by every waiting delivery at the same
 * second. A delivery is retried for a day from its event (or its last redeliver), then it is dead.
 */
export const RETRY_BASE_MS = 10_000;
export const RETRY_MAX_DELAY_MS = 60 * 60_000;
/** A receiver down for a day has lost nothing: an admin can still redeliver from the log. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
const JITTER = 0.2;

/**
 * A webhook is disabled when this many attempts in a row failed over at least FAILING_FOR_MS: one
 * bad minute (a deploy of the receiver) never turns it off, a receiver gone for good does.
 */
export const FAILURES_TO_DISABLE = 20;
export const FAILING_FOR_MS = 60 * 60_000;

/** The delay before attempt `failures + 1`, given `failures` failed attempts so far (at least 1); `random` in [0, 1). */
export function retryDelayMs(failures: number, random: number): number {
  const plain = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_DELAY_MS);
  return Math.round(plain * (1 - JITTER + 2 * JITTER * random));
}

/** The time of the next attempt after a failure at `now`, or null when the day of retries is over. */
export function nextAttemptAt(retryFrom: number, failures: number, now: number, random: number): number | null {
  const at = now + retryDelayMs(failures, random);
  return at > retryFrom + RETRY_WINDOW_MS ? null : at;
}

/** Whether a webhook that has failed `consecutiveFailures` times in a row since `failingSince` is disabled now. */
export function shouldDisable(consecutiveFailures: number, failingSince: number | null, now: number): boolean {
  return consecutiveFailures >= FAILURES_TO_DISABLE && failingSince !== null && now - failingSince >= FAILING_FOR_MS;
}
