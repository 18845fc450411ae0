import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { LIMITS } from '../../lib/shared/domain/limits';
import { describeIssues, schemas, unpackJoin } from '../../lib/shared/protocol';

const x = (n: number) => 'x'.repeat(n);

type Schemas = typeof schemas;
type Cases = { [K in keyof Schemas]?: { good: unknown[]; bad: unknown[] } };

const cases: Cases = {
  boardJoin: {
    good: [{ boardId: 'b' }, { boardId: 'b', sinceVersion: 0 }, { boardId: x(LIMITS.id), sinceVersion: 42 }],
    bad: [{}, { boardId: '' }, { boardId: x(LIMITS.id + 1) }, { boardId: 'b', sinceVersion: -1 }, { boardId: 'b', sinceVersion: 1.5 }, { boardId: 'b', sinceVersion: '1' }],
  },
  boardLeave: { good: [{ boardId: 'b' }], bad: [{}, { boardId: 7 }] },
  boardCreate: {
    good: [{ name: 'Payments' }, { name: 'Ops', columns: [{ name: 'Triage', wipLimit: 2 }, { name: 'Fixed', wipLimit: null }, { name: 'Done' }] }],
    bad: [
      { name: '' },
      { name: '   ' },
      { name: x(LIMITS.boardName + 1) },
      { name: 'x', columns: [] },
      { name: 'x', columns: Array.from({ length: LIMITS.columnsPerBoard + 1 }, (_, i) => ({ name: `c${i}` })) },
      { name: 'x', columns: [{ name: 'c', wipLimit: 0 }] },
    ],
  },
  boardRename: { good: [{ boardId: 'b', name: x(LIMITS.boardName) }], bad: [{ boardId: 'b' }, { boardId: 'b', name: x(LIMITS.boardName + 1) }] },
  boardConfigure: {
    good: [{ boardId: 'b', demandPerWeek: 12.5 }, { boardId: 'b', demandPerWeek: null, commitmentColumnId: null }, { boardId: 'b', commitmentColumnId: 'c' }],
    bad: [{ boardId: 'b' }, { boardId: 'b', demandPerWeek: -1 }, { boardId: 'b', demandPerWeek: LIMITS.demandPerWeekMax + 1 }, { boardId: 'b', commitmentColumnId: '' }],
  },
  flowJoin: { good: [{ boardId: 'b' }], bad: [{}, { boardId: '' }] },
  columnAdd: {
    good: [{ boardId: 'b', name: 'Review' }, { boardId: 'b', name: x(LIMITS.columnName), wipLimit: LIMITS.wipLimitMax, index: 0 }],
    bad: [
      { boardId: 'b', name: x(LIMITS.columnName + 1) },
      { boardId: 'b', name: 'R', wipLimit: LIMITS.wipLimitMax + 1 },
      { boardId: 'b', name: 'R', index: -1 },
      { boardId: 'b', name: 'R', index: LIMITS.columnsPerBoard + 1 },
    ],
  },
  columnUpdate: {
    good: [{ columnId: 'c', name: 'QA' }, { columnId: 'c', wipLimit: null }, { columnId: 'c', wipLimit: 1 }],
    bad: [{ columnId: 'c' }, { columnId: 'c', wipLimit: 0 }, { columnId: 'c', wipLimit: 2.5 }, { columnId: 'c', wipLimit: '3' }, { columnId: 'c', name: '' }],
  },
  columnMove: { good: [{ columnId: 'c', toIndex: 0 }], bad: [{ columnId: 'c' }, { columnId: 'c', toIndex: -1 }, { columnId: 'c', toIndex: 0.5 }] },
  laneAdd: {
    good: [{ boardId: 'b', name: 'Expedite', classOfService: 'expedite' }, { boardId: 'b', name: 'Deadlines', classOfService: 'fixed_date', wipLimit: 3, index: 1 }],
    bad: [{ boardId: 'b', name: ' ' }, { boardId: 'b', name: 'X', classOfService: 'urgent' }, { boardId: 'b', name: 'X', wipLimit: 0 }, { boardId: 'b', name: x(LIMITS.columnName + 1) }],
  },
  laneUpdate: {
    good: [{ laneId: 'l', name: 'Now' }, { laneId: 'l', cellLimits: { c: 2, d: null } }, { laneId: 'l', classOfService: 'intangible', wipLimit: null }],
    bad: [{ laneId: 'l' }, { laneId: 'l', cellLimits: { c: 0 } }, { laneId: 'l', cellLimits: { '': 1 } }, { laneId: 'l', classOfService: 'standard', extra: 1 }],
  },
  laneMove: { good: [{ laneId: 'l', toIndex: 2 }], bad: [{ laneId: 'l' }, { laneId: 'l', toIndex: -1 }] },
  laneRemove: { good: [{ laneId: 'l' }], bad: [{}, { laneId: '' }] },
  columnRemove: { good: [{ columnId: 'c', clientMutationId: 'm1' }], bad: [{ columnId: 'c', clientMutationId: '' }, { columnId: 'c', clientMutationId: x(LIMITS.clientMutationId + 1) }] },
  cardCreate: {
    good: [
      { boardId: 'b', title: 'T' },
      { boardId: 'b', columnId: 'c', title: x(LIMITS.cardTitle), description: x(LIMITS.cardDescription), type: 'incident', beforeCardId: null, clientMutationId: 'm' },
    ],
    bad: [
      { boardId: 'b' },
      { boardId: 'b', title: '  ' },
      { boardId: 'b', title: x(LIMITS.cardTitle + 1) },
      { boardId: 'b', title: 'T', description: x(LIMITS.cardDescription + 1) },
      { boardId: 'b', title: 'T', type: 'epic' },
      { boardId: 'b', title: 42 },
    ],
  },
  cardUpdate: {
    good: [{ cardId: 'c', blocked: false }, { cardId: 'c', blockedReason: null }, { cardId: 'c', blocked: true, blockedReason: x(LIMITS.reason) }],
    bad: [{ cardId: 'c' }, { cardId: 'c', blocked: 'yes' }, { cardId: 'c', blockedReason: x(LIMITS.reason + 1) }, { cardId: 'c', title: '' }],
  },
  cardMove: {
    good: [{ cardId: 'c', toColumnId: 't' }, { cardId: 'c', toColumnId: 't', beforeCardId: null, reason: x(LIMITS.reason) }],
    bad: [{ cardId: 'c' }, { toColumnId: 't' }, { cardId: 'c', toColumnId: 't', reason: x(LIMITS.reason + 1) }, { cardId: 'c', toColumnId: 't', beforeCardId: 3 }],
  },
  cardUndoMove: {
    good: [{ cardId: 'c', version: 1 }, { cardId: 'c', version: 42, clientMutationId: 'm' }],
    bad: [{ cardId: 'c' }, { cardId: 'c', version: 0 }, { cardId: 'c', version: 1.5 }, { cardId: 'c', version: '3' }, { cardId: 'c', version: 3, toColumnId: 't' }],
  },
  cardDelete: { good: [{ cardId: 'c' }], bad: [{ cardId: '' }, { cardId: null }] },
  cardSplit: {
    good: [{ cardId: 'c', titles: ['a', 'b'] }, { cardId: 'c', titles: Array.from({ length: 20 }, () => x(LIMITS.cardTitle)), clientMutationId: 'm' }],
    bad: [
      { cardId: 'c', titles: ['a'] },
      { cardId: 'c', titles: Array.from({ length: 21 }, () => 'a') },
      { cardId: 'c', titles: ['a', ' '] },
      { cardId: 'c', titles: ['a', x(LIMITS.cardTitle + 1)] },
      { cardId: 'c', titles: ['a', 'b\u0000'] },
      { cardId: 'c', titles: 'a,b' },
      { cardId: 'c', titles: ['a', 'b'], beforeCardId: 'd' },
      { titles: ['a', 'b'] },
    ],
  },
  cardHistory: { good: [{ cardId: 'c' }], bad: [{}] },
  boardCards: {
    good: [{ boardId: 'b', columnId: 'c' }, { boardId: 'b', columnId: 'c', after: null }, { boardId: 'b', columnId: 'c', after: { position: 'a0', id: 'x' } }],
    bad: [{ boardId: 'b' }, { boardId: 'b', columnId: 'c', after: { position: '', id: 'x' } }, { boardId: 'b', columnId: 'c', after: { position: x(LIMITS.position + 1), id: 'x' } }, { boardId: 'b', columnId: 'c', offset: 3 }],
  },
  presenceDrag: { good: [{ boardId: 'b', cardId: 'c' }, { boardId: 'b', cardId: null }], bad: [{ boardId: 'b' }, { boardId: 'b', cardId: 1 }] },
  handshake: { good: [{}, { token: 'fbt_abc' }, { token: x(LIMITS.apiToken) }], bad: [{ token: '' }, { token: 7 }, { token: x(LIMITS.apiToken + 1) }, { token: null }] },
  emailInvite: {
    good: [{ email: 'ada@example.com', role: 'viewer' }, { email: '  Ada@Example.COM ', role: 'admin' }],
    bad: [{ email: 'ada@example.com' }, { email: 'not an email', role: 'member' }, { email: 'ada@example.com', role: 'owner' }, { email: `${x(LIMITS.email)}@x.io`, role: 'member' }],
  },
  memberUpdate: { good: [{ role: 'member' }], bad: [{}, { role: 'root' }, { role: 'admin', userId: 'u' }] },
  inviteCreate: {
    good: [{ role: 'viewer' }, { role: 'member', expiresInHours: LIMITS.inviteHoursMax }],
    bad: [{}, { role: 'member', expiresInHours: 0 }, { role: 'member', expiresInHours: LIMITS.inviteHoursMax + 1 }, { role: 'member', expiresInHours: 1.5 }],
  },
  inviteAccept: { good: [{ token: 't' }], bad: [{}, { token: '' }, { token: x(LIMITS.apiToken + 1) }] },
  tokenCreate: { good: [{ name: 'CI' }, { name: x(LIMITS.tokenName) }], bad: [{}, { name: '  ' }, { name: x(LIMITS.tokenName + 1) }] },
};

const notObjects = [null, undefined, 42, 'text', true, [], [{}]];

describe('protocol schemas', () => {
  for (const [name, { good, bad }] of Object.entries(cases) as [keyof Schemas, { good: unknown[]; bad: unknown[] }][]) {
    const schema = schemas[name] as z.ZodType;

    it(`${name} accepts well-formed payloads`, () => {
      for (const payload of good) expect(schema.safeParse(payload).success, JSON.stringify(payload)?.slice(0, 80)).toBe(true);
    });

    it(`${name} refuses malformed payloads and anything that is not an object`, () => {
      for (const payload of [...bad, ...notObjects]) expect(schema.safeParse(payload).success, JSON.stringify(payload)?.slice(0, 80)).toBe(false);
    });
  }

  it('every schema has cases here', () => {
    expect(Object.keys(cases).toSorted()).toEqual(Object.keys(schemas).toSorted());
  });

  it('request payloads refuse unknown fields instead of dropping them', () => {
    expect(schemas.cardMove.safeParse({ cardId: 'c', toColumnId: 't', beforeCardID: 'd' }).success).toBe(false);
    expect(schemas.boardCreate.safeParse({ name: 'B', columns: [{ name: 'C', limit: 3 }] }).success).toBe(false);
    expect(schemas.cardUpdate.safeParse({ cardId: 'c', title: 'T', defectCount: 0 }).success).toBe(false);
  });

  it('the handshake reads only the token: a name a client claims is dropped (the account names it)', () => {
    expect(schemas.handshake.parse({ name: 'Impostor', token: 'fbt_x' })).toEqual({ token: 'fbt_x' });
  });

  it('an email to invite is trimmed and lower-cased, as accounts store it', () => {
    expect(schemas.emailInvite.parse({ email: '  Ada@Example.COM ', role: 'member' }).email).toBe('ada@example.com');
  });

  it('names and titles are trimmed; descriptions and reasons are kept as typed', () => {
    expect(schemas.cardCreate.parse({ boardId: 'b', title: '  Fix login  ', description: '  keep  ' })).toMatchObject({ title: 'Fix login', description: '  keep  ' });
    expect(schemas.columnAdd.parse({ boardId: 'b', name: ' Review ' }).name).toBe('Review');
  });

  it('an INVALID message names the field and the problem', () => {
    const parsed = schemas.cardCreate.safeParse({ boardId: 'b', title: '   ' });
    if (parsed.success) throw new Error('expected a refusal');
    expect(describeIssues(parsed.error)).toBe('title: A card needs a title');
    const nothing = schemas.columnUpdate.safeParse({ columnId: 'c' });
    if (nothing.success) throw new Error('expected a refusal');
    expect(describeIssues(nothing.error)).toBe('Nothing to change');
  });
});

describe('a big board’s packed snapshot', () => {
  it('unpacks to the same board from the bytes a browser (ArrayBuffer) or Node (Buffer) receives', () => {
    const snapshot = { id: 'b', name: 'Big — “quoted”', version: 7, createdAt: '2025-01-01T00:00:00.000Z', columns: [], cards: [] };
    const bytes = new TextEncoder().encode(JSON.stringify(snapshot));
    for (const packed of [bytes.buffer, Buffer.from(bytes)]) {
      expect(unpackJoin({ ok: true, version: 7, packedSnapshot: packed })).toEqual({ version: 7, snapshot });
    }
    const events = { ok: true as const, version: 3, events: [] };
    expect(unpackJoin(events)).toBe(events);
  });
});
