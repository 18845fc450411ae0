import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/shared/domain/limits';
import { parseNewBoard, parseWipLimit } from '../../lib/client/forms';

describe('forms validate with the protocol’s own rules', () => {
  it('an empty WIP limit means no limit', () => {
    expect(parseWipLimit('  ')).toEqual({ ok: true, value: null });
  });

  it('a WIP limit is a whole number from 1 to the maximum', () => {
    expect(parseWipLimit('3')).toEqual({ ok: true, value: 3 });
    for (const bad of ['0', '-1', '2.5', 'abc', String(LIMITS.wipLimitMax + 1)]) expect(parseWipLimit(bad).ok).toBe(false);
  });

  it('a new board names the offending work center by its place in the stream', () => {
    const result = parseNewBoard('Payments', [
      { name: 'Concept', wipLimit: '' },
      { name: '   ', wipLimit: '2' },
    ]);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Work center 2: /) });
  });

  it('a new board without a name is refused', () => {
    expect(parseNewBoard('  ', [{ name: 'Concept', wipLimit: '' }]).ok).toBe(false);
  });

  it('a valid template becomes the create-board request', () => {
    expect(parseNewBoard(' Payments ', [{ name: ' Design ', wipLimit: '3' }])).toEqual({
      ok: true,
      value: { name: 'Payments', columns: [{ name: 'Design', wipLimit: 3 }] },
    });
  });
});
