/** Undo of one's own last move (lib/shared/domain/undo.ts): a compensating card_moved, in the board's write. */
import { applyEvent } from '../../lib/shared/domain/apply';
import { DomainError } from '../../lib/shared/domain/errors';
import type { BoardEvent, BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { assertUndoable, placeOf, undoMovedEvent } from '../../lib/shared/domain/undo';
import type { CardUndoMoveInput } from '../../lib/shared/protocol';
import type { WriteTx } from '../engine';
import { cardOn, cardsIn } from './cards';
import { EVENT_FIELDS, eventFromRow, toCardDTO, type EventRow } from './rows';
import { assertLanePull, liveLanes } from './lanes';
import { checkPeopleOnMove } from './people';
import { columnCountOf, columnOn, type Commit, type WriteContext } from './tx';

const eventAt = async (tx: WriteTx, boardId: string, version: number): Promise<BoardEvent | undefined> => {
  const row = await tx.get<EventRow>(`select ${EVENT_FIELDS} from events where board_id = ? and version = ?`, [boardId, version]);
  return row ? eventFromRow(row) : undefined;
};

/** The card as it was just before `version`: the fold of its own events before it (the same fold as every client's). */
async function cardBefore(tx: WriteTx, boardId: string, cardId: string, version: number): Promise<CardDTO | undefined> {
  const rows = await tx.all<EventRow>(`select ${EVENT_FIELDS} from events where card_id = ? and board_id = ? and version < ? order by version`, [cardId, boardId, version]);
  let board: BoardSnapshot = { id: boardId, name: '', version: 0, createdAt: '', columns: [], lanes: [], cards: [] };
  for (const row of rows) board = applyEvent(board, eventFromRow(row));
  return board.cards.find((c) => c.id === cardId);
}

export async function undoMove({ tx, boardId, now, actor, append }: WriteContext, input: CardUndoMoveInput): Promise<Commit & { card: CardDTO }> {
  const card = await cardOn(tx, boardId, input.cardId);
  const move = await eventAt(tx, boardId, input.version);
  const latest = await tx.get<{ v: number }>("select max(version) as v from events where card_id = ? and board_id = ? and type = 'card_moved'", [card.id, boardId]);
  const latestMove = latest?.v ? await eventAt(tx, boardId, Number(latest.v)) : undefined;
  assertUndoable(move, card.id, latestMove, actor, now);
  const before = await cardBefore(tx, boardId, card.id, move.version);
  if (!before) throw new DomainError('NOT_FOUND', 'Where the card stood before that move is not known');
  const place = placeOf(before);
  const target = await tx.get<{ id: string; name: string; wipLimit: number | null; ord: number; removedAt: number | null; split: boolean | number }>(
    'select id, name, wip_limit as "wipLimit", ord, removed_at as "removedAt", split from columns where id = ? and board_id = ?',
    [place.columnId, boardId],
  );
  if (!target || target.removedAt !== null) throw new DomainError('CONFLICT', 'The work center the card came from has been removed: it cannot go back there');
  const fromLaneId = toCardDTO(card).laneId;
  const lane = (await liveLanes(tx, boardId)).find((l) => l.id === (place.laneId ?? fromLaneId));
  if (!lane) throw new DomainError('CONFLICT', 'The lane the card came from has been removed: it cannot go back there');
  // Hard WIP: going back is a pull like any other, for the work center, the lane, the cell and the card's people.
  if (target.id !== card.columnId || lane.id !== fromLaneId) {
    const source = await columnOn(tx, boardId, card.columnId);
    const into = await columnOn(tx, boardId, target.id);
    const workCenters = await columnCountOf(tx, boardId);
    await assertLanePull(tx, boardId, { id: card.id, columnId: card.columnId, laneId: fromLaneId, columnOrd: source.ord }, into, lane, (await cardsIn(tx, target.id)).length, workCenters);
    if (target.id !== card.columnId) await checkPeopleOnMove(tx, boardId, card, source, into, workCenters);
  }
  const body = undoMovedEvent(move, place);
  const undone = body.undoes?.backward ? 1 : 0;
  const defectCount = card.defectCount - undone;
  // The stage comes back too; a work center joined again since holds its cards in doing (an unsplit
  // one never has a done half).
  const stage = place.stage === 'done' && Boolean(target.split) ? 'done' : 'doing';
  if (place.stage === 'done' && stage !== 'done') throw new DomainError('CONFLICT', 'The work center the card came from is no longer split into doing and done: move the card instead');
  await tx.run('update cards set column_id = ?, lane_id = ?, position = ?, defect_count = ?, updated_at = ?, entered_column_at = ?, stage = ?, automation_refusal = null where id = ?', [
    place.columnId,
    lane.id,
    place.position,
    defectCount,
    now,
    Date.parse(place.enteredColumnAt),
    stage,
    card.id,
  ]);
  // The defect no longer stands: its row leaves the projection (the log keeps both events).
  if (undone) await tx.run('delete from backward_moves where board_id = ? and event_seq = (select seq from events where board_id = ? and version = ?)', [boardId, boardId, move.version]);
  const event = await append(body, card.id);
  const updated = toCardDTO({ ...card, automationRefusal: null, columnId: place.columnId, laneId: lane.id, position: place.position, defectCount, updatedAt: now, enteredColumnAt: Date.parse(place.enteredColumnAt), stage });
  return { boardId, version: event.version, events: [event], card: updated };
}
