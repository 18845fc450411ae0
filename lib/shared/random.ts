/**
 * A small seeded generator (mulberry32): the same seed gives the same choices, so the demo board's
 * history, a benchmark's data and a fuzz test's script are the same on every run (a failing fuzz
 * run's seed replays its script; timing across sockets still varies).
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T | undefined;
  /** A child generator with its own stream, for one client. */
  fork(): Prng;
}

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => (items.length ? items[int(items.length)] : undefined),
    fork: () => prng(int(4_294_967_296)),
  };
}
