import { defaultLane } from '../../lib/shared/domain/lanes';
import type { BoardEvent, BoardEventBody, BoardSnapshot, CardDTO, ColumnDTO } from '../../lib/shared/domain/types';

const AT = '2025-01-01T00:00:00.000Z';

export function column(id: string, wipLimit: number | null = null): ColumnDTO {
  return { id, boardId: 'b1', name: id[0]!.toUpperCase() + id.slice(1), wipLimit, defectsReturned: 0, split: false };
}

/** A card with every field at a plain default: a test names only what it is about. */
export function cardOf(fields: Partial<CardDTO> & Pick<CardDTO, 'id' | 'columnId'>): CardDTO {
  return {
    boardId: 'b1',
    laneId: 'lane-b1',
    position: 'a0',
    title: `Card ${fields.id}`,
    description: '',
    type: 'feature',
    blocked: false,
    blockedReason: null,
    blockedMs: 0,
    blockedSince: null,
    defectCount: 0,
    createdAt: AT,
    updatedAt: AT,
    enteredColumnAt: AT,
    assigneeIds: [],
    stage: 'doing',
    number: 1,
    parentId: null,
    ...fields,
  };
}

export function card(id: string, columnId: string, position: string): CardDTO {
  return cardOf({ id, columnId, position });
}

/** Design (limit 2) → Develop (limit 2) → Test (no limit). */
export function board(version = 5): BoardSnapshot {
  return {
    id: 'b1',
    name: 'Board',
    version,
    createdAt: AT,
    columns: [column('design', 2), column('develop', 2), column('test')],
    lanes: [defaultLane('b1')],
    cards: [card('c1', 'design', 'a0'), card('c2', 'develop', 'a0'), card('c3', 'develop', 'a1'), card('c4', 'test', 'a0')],
  };
}

export function event(version: number, body: BoardEventBody, clientMutationId: string | null = null): BoardEvent {
  return { boardId: 'b1', version, actor: 'someone', at: AT, clientMutationId, ...body };
}

export const cardIn = (b: BoardSnapshot, id: string) => b.cards.find((c) => c.id === id);
