'use client';
import type { CardDTO } from '../shared/domain/types';
import type { Ack } from '../shared/protocol';
import { assigneesOf } from '../shared/standup';
import { request, type FlowSocket } from './socket';

/**
 * Puts the signed-in account on a card's assignees, or takes it off. Cards carry assignees once the
 * board has people (`assigneeIds`, set through card:update); the standup offers this only then.
 */
export function assignMyself(socket: FlowSocket, card: CardDTO, meId: string): Promise<Ack> {
  const current = assigneesOf(card);
  const assigneeIds = current.includes(meId) ? current.filter((id) => id !== meId) : [...current, meId];
  // The field joins card:update's payload with people on boards; until then the server refuses it as INVALID.
  const payload = { cardId: card.id, assigneeIds } as unknown as Parameters<typeof request<'card:update'>>[2];
  return request(socket, 'card:update', payload).catch((): Ack => ({ ok: false, code: 'UNAVAILABLE', message: 'The server did not answer in time' }));
}
