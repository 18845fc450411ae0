import { describe, expect, it } from 'vitest';
import { eventFromRow, eventJsonFromRow } from '../../db/store/rows';

const row = (data: unknown, extra: Partial<{ actorId: string | null; type: string }> = {}) => ({
  type: extra.type ?? 'card_updated',
  boardId: 'b-1',
  version: 42,
  actor: 'Ada "the" Lovelace',
  actorId: extra.actorId === undefined ? 'u-1' : extra.actorId,
  at: Date.parse('2025-03-04T05:06:07.089Z'),
  data: JSON.stringify(data),
});

describe('an event spliced as JSON text', () => {
  it('parses to exactly the event eventFromRow builds, whatever its body holds', () => {
    const cases = [
      row({}, { type: 'board_renamed' }),
      row({ cardId: 'c', changes: { title: 'A "quoted" \\ title with "clientMutationId": inside' } }),
      row({ cardId: 'c', changes: { title: 'x' }, clientMutationId: 'm-7' }),
      row({ name: 'n' }, { actorId: null, type: 'board_renamed' }),
      row({ card: { id: 'c', title: 'Ünïcode ✓', columnId: 'k' } }, { type: 'card_created' }),
    ];
    for (const r of cases) expect(JSON.parse(eventJsonFromRow(r))).toEqual(eventFromRow(r));
  });
});
