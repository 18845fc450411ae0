/** Card writes: create, update, delete, and the move that every pull and backward move is. */
import { DomainError } from '../../lib/shared/domain/errors';
import { positionBefore } from '../../lib/shared/domain/ordering';
import { cardMovedEvent, isBackwardStep, requireReason } from '../../lib/shared/domain/rules';
import { stageAfterMove } from '../../lib/shared/domain/split';
import type { BoardEventBody, CardDTO } from '../../lib/shared/domain/types';
import type { CardCreateInput, CardDeleteInput, CardMoveInput, CardUpdateInput } from '../../lib/shared/protocol';
import type { WriteTx } from '../engine';
import { blockedTimeAfter } from '../../lib/shared/domain/blocked';
import { assigneesOf, CARD_FIELDS, cardRowOf, iso, toCardDTO, type CardRow } from './rows';
import { arrivalAnchor } from '../../lib/shared/domain/doneOrder';
import { sortByPosition } from '../../lib/shared/domain/ordering';
import { columnCountOf, columnOn, liveColumns, type Commit, type WriteContext } from './tx';
import { checkAssignees, checkPeopleOnMove } from './people';
import { assertLanePull, laneForNewCard, liveLanes } from './lanes';

async function laneOf(tx: WriteTx, boardId: string, laneId: string | undefined, fallback: string | null) {
  const lanes = await liveLanes(tx, boardId);
  const wanted = laneId ?? fallback;
  const lane = wanted === null ? laneForNewCard(lanes) : lanes.find((l) => l.id === wanted);
  if (!lane) throw new DomainError('NOT_FOUND', 'Lane not found on this board');
  return lane;
}

export async function cardOn(tx: WriteTx, boardId: string, cardId: string): Promise<CardRow> {
  const row = await tx.get<CardRow>(`select ${CARD_FIELDS} from cards where id = ? and deleted_at is null`, [cardId]);
  if (!row || row.boardId !== boardId) throw new DomainError('NOT_FOUND', 'Card not found');
  return cardRowOf(row);
}

/** The live cards of a work center: their count is what a WIP limit is checked against. */
export const cardsIn = (tx: WriteTx, columnId: string) => tx.all<{ id: string; position: string }>('select id, position from cards where column_id = ? and deleted_at is null', [columnId]);

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export async function createCard({ tx, boardId, now, append }: WriteContext, input: CardCreateInput, newId: () => string): Promise<Commit & { card: CardDTO }> {
  const column = input.columnId ? await columnOn(tx, boardId, input.columnId) : (await liveColumns(tx, boardId))[0];
  if (!column) throw new DomainError('NOT_FOUND', 'Work center not found on this board');
  const inColumn = await cardsIn(tx, column.id);
  const lane = await laneOf(tx, boardId, input.laneId, null);
  // The column's, the lane's and the cell's limits (lib/shared/domain/lanes.ts), after the board's lock.
  // The board's live work centers, counted once: which is last (newest first) and which are in progress.
  const workCenters = await columnCountOf(tx, boardId);
  await assertLanePull(tx, boardId, null, column, lane, inColumn.length, workCenters);
  // The last work center is newest first: a card created there goes on top (a named card must still be there).
  const last = column.ord === workCenters - 1;
  if (last && input.beforeCardId && !inColumn.some((c) => c.id === input.beforeCardId)) throw new DomainError('NOT_FOUND', 'The card to insert before is not in that work center');
  const before = last ? arrivalAnchor(sortByPosition(inColumn), null) : (input.beforeCardId ?? null);
  const position = positionBefore(inColumn, before, null);
  if (position === null) throw new DomainError('NOT_FOUND', 'The card to insert before is not in that work center');
  const assigneeIds = input.assigneeIds ?? [];
  const id = newId();
  await checkAssignees(tx, boardId, { id, columnId: column.id }, assigneeIds, []);
  // After the board's lock: no other create of this board can take the same number. Deleted cards
  // keep theirs (soft delete), so a number is never given twice.
  const number = Number((await tx.get<{ n: number | null }>('select max(number) as n from cards where board_id = ?', [boardId]))?.n ?? 0) + 1;
  const row: CardRow = {
    id,
    boardId,
    columnId: column.id,
    laneId: lane.id,
    position,
    title: input.title,
    description: input.description ?? '',
    type: input.type ?? 'feature',
    blocked: false,
    blockedReason: null,
    blockedMs: 0,
    blockedSince: null,
    defectCount: 0,
    createdAt: now,
    updatedAt: now,
    enteredColumnAt: now,
    deletedAt: null,
    assigneeIds: JSON.stringify(assigneeIds),
    stage: 'doing',
    number,
    automationRefusal: null,
    parentId: null,
  };
  await tx.run(
    `insert into cards (id, board_id, column_id, lane_id, position, title, description, type, blocked, blocked_reason, defect_count, created_at, updated_at, entered_column_at, assignee_ids, number)
     values (?, ?, ?, ?, ?, ?, ?, ?, false, null, 0, ?, ?, ?, ?, ?)`,
    [row.id, boardId, row.columnId, lane.id, position, row.title, row.description, row.type, now, now, now, row.assigneeIds, number],
  );
  const card = toCardDTO(row);
  const event = await append({ type: 'card_created', card }, card.id);
  return { boardId, version: event.version, events: [event], card };
}

export async function updateCard({ tx, boardId, version, now, append }: WriteContext, input: CardUpdateInput): Promise<Commit> {
  const card = await cardOn(tx, boardId, input.cardId);
  const changes: Extract<BoardEventBody, { type: 'card_updated' }>['changes'] = {};
  if (input.title !== undefined && input.title !== card.title) changes.title = input.title;
  if (input.description !== undefined && input.description !== card.description) changes.description = input.description;
  if (input.type !== undefined && input.type !== card.type) changes.type = input.type;
  if (input.blocked !== undefined && input.blocked !== card.blocked) changes.blocked = input.blocked;
  const blocked = changes.blocked ?? card.blocked;
  if (!blocked && card.blockedReason !== null) changes.blockedReason = null;
  else if (blocked && input.blockedReason !== undefined) {
    const reason = input.blockedReason?.trim() || null;
    if (reason !== card.blockedReason) changes.blockedReason = reason;
  }
  const current = assigneesOf(card.assigneeIds);
  if (input.assigneeIds !== undefined && !sameList(input.assigneeIds, current)) {
    await checkAssignees(tx, boardId, card, input.assigneeIds, current);
    changes.assigneeIds = input.assigneeIds;
  }
  if (Object.keys(changes).length === 0) return { boardId, version, events: [] };
  const { assigneeIds: nextAssignees, ...fields } = changes;
  const next = { ...card, ...fields, assigneeIds: nextAssignees ? JSON.stringify(nextAssignees) : card.assigneeIds };
  // The same arithmetic as the fold of the log (applyEvent), on the event's time.
  const time = blockedTimeAfter(toCardDTO(card), changes.blocked, iso(now));
  await tx.run('update cards set title = ?, description = ?, type = ?, blocked = ?, blocked_reason = ?, blocked_ms = ?, blocked_since = ?, updated_at = ?, assignee_ids = ? where id = ?', [
    next.title,
    next.description,
    next.type,
    next.blocked,
    next.blockedReason,
    time.blockedMs,
    time.blockedSince === null ? null : Date.parse(time.blockedSince),
    now,
    next.assigneeIds,
    card.id,
  ]);
  const event = await append({ type: 'card_updated', cardId: card.id, changes }, card.id);
  return { boardId, version: event.version, events: [event] };
}

export async function deleteCard({ tx, boardId, now, append }: WriteContext, input: CardDeleteInput): Promise<Commit> {
  const card = await cardOn(tx, boardId, input.cardId);
  await tx.run('update cards set deleted_at = ?, updated_at = ? where id = ?', [now, now, card.id]);
  const event = await append({ type: 'card_deleted', cardId: card.id, columnId: card.columnId }, card.id);
  return { boardId, version: event.version, events: [event] };
}

export async function moveCard({ tx, boardId, now, append }: WriteContext, input: CardMoveInput): Promise<Commit & { card: CardDTO }> {
  const card = await cardOn(tx, boardId, input.cardId);
  const target = await columnOn(tx, boardId, input.toColumnId);
  const sameColumn = target.id === card.columnId;
  // Live work centers have dense places (rewriteColumnOrder), so the card's own work center and the
  // target give the direction: the board's whole column order need not be read on a move.
  const source = sameColumn ? target : await columnOn(tx, boardId, card.columnId);
  const backward = !sameColumn && isBackwardStep(source.ord, target.ord);
  const reason = requireReason(backward, input.reason);
  // Between the halves of a split work center is no pull: the same column, whatever the stage.
  const fromStage = toCardDTO(card).stage;
  const stage = stageAfterMove({ name: target.name, split: Boolean(target.split) }, input.stage, sameColumn, fromStage);
  const inTarget = await cardsIn(tx, target.id);
  const fromLaneId = toCardDTO(card).laneId;
  const lane = await laneOf(tx, boardId, input.toLaneId, fromLaneId);
  const sameLane = lane.id === fromLaneId;
  // Counted after the board's lock (boardWrite): no other pull of this board can slip in between.
  // The column's limit, and the lane's and cell's (lib/shared/domain/lanes.ts).
  // The board's live work centers, counted once: which is last (newest first) and which are in progress.
  const workCenters = await columnCountOf(tx, boardId);
  await assertLanePull(tx, boardId, { id: card.id, columnId: card.columnId, laneId: fromLaneId, columnOrd: source.ord }, target, lane, inTarget.length, workCenters);
  // Into progress from the first or last work center: each of the card's people needs room too.
  await checkPeopleOnMove(tx, boardId, card, source, target, workCenters);
  // The last work center is newest first: an arrival goes on top, and a card moved within it stays
  // where it is (its order is time's; two people pulling the same card into it is no error).
  const last = target.ord === workCenters - 1;
  if (last && input.beforeCardId && input.beforeCardId !== card.id && !inTarget.some((c) => c.id === input.beforeCardId)) {
    throw new DomainError('NOT_FOUND', 'The card to place before is not in that work center');
  }
  // "Before itself" within its own column means: stay where it is.
  const keepsPlace = sameColumn && (last || input.beforeCardId === card.id);
  const beforeCardId = last ? arrivalAnchor(sortByPosition(inTarget), card.id) : (input.beforeCardId ?? null);
  const position = keepsPlace ? card.position : positionBefore(inTarget, beforeCardId, card.id);
  if (position === null) throw new DomainError('NOT_FOUND', 'The card to place before is not in that work center');
  const updated: CardRow = {
    ...card,
    automationRefusal: null,
    columnId: target.id,
    laneId: lane.id,
    position,
    defectCount: card.defectCount + (backward ? 1 : 0),
    updatedAt: now,
    enteredColumnAt: sameColumn ? card.enteredColumnAt : now,
    stage,
  };
  // Any move clears an automated move's refusal shown on the card (the fold does the same, apply.ts).
  await tx.run('update cards set column_id = ?, lane_id = ?, position = ?, defect_count = ?, updated_at = ?, entered_column_at = ?, stage = ?, automation_refusal = null where id = ?', [
    updated.columnId,
    lane.id,
    position,
    updated.defectCount,
    now,
    updated.enteredColumnAt,
    stage,
    card.id,
  ]);
  const event = await append(
    cardMovedEvent({ cardId: card.id, fromColumnId: card.columnId, toColumnId: target.id, position, backward, reason, fromStage, toStage: stage, ...(sameLane ? {} : { fromLaneId, toLaneId: lane.id }) }),
    card.id,
  );
  return { boardId, version: event.version, events: [event], card: toCardDTO(updated) };
}
