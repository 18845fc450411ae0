import { describe, expect, it } from 'vitest';
import { BOARD_ROLES, hasRole, isBoardRole } from '../../lib/shared/domain/roles';
import { RateLimiter, TokenBucket } from '../../lib/server/rateLimit';

describe('board roles', () => {
  it('each role includes the ones below it: admin > member > viewer', () => {
    expect(BOARD_ROLES.flatMap((r) => BOARD_ROLES.filter((n) => hasRole(r, n)).map((n) => `${r}≥${n}`))).toEqual([
      'viewer≥viewer',
      'member≥viewer',
      'member≥member',
      'admin≥viewer',
      'admin≥member',
      'admin≥admin',
    ]);
  });

  it('only the three roles are roles', () => {
    expect(['admin', 'member', 'viewer'].every(isBoardRole)).toBe(true);
    expect(['owner', 'Admin', '', null, 1].some(isBoardRole)).toBe(false);
  });
});

describe('write rate limit (token bucket)', () => {
  it('allows a burst, then the rate: a refused write takes nothing from the bucket', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    now = 10_000;
    // Refills up to the burst, never beyond.
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('a rate of 0 turns the limit off', () => {
    const bucket = new TokenBucket({ perSecond: 0, burst: 0 });
    expect(Array.from({ length: 1000 }, () => bucket.take()).every(Boolean)).toBe(true);
  });

  it('keys have their own buckets', () => {
    const now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([true, false, true]);
  });
});
