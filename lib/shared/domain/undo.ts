/**
 * Undo of one's own last move: a compensating `card_moved` in the log, never a deletion. The server
 * accepts it only for the asker's own most recent move of that card, within UNDO_WINDOW_MS, when
 * nothing has moved the card since; the card goes back to its place before the move (work center,
 * position, time of entry: `CardPlace`, whole), and an undone backward move is no longer a defect.
 * The fold of the compensating event lives here so that apply.ts, the server and the browser's
 * prediction share it.
 */
import { DomainError } from './errors';
import type { BoardEvent, BoardEventBody, BoardSnapshot, CardDTO, CardPlace } from './types';

/** How long after a move its author may take it back. */
export const UNDO_WINDOW_MS = 10_000;

type Moved = Extract<BoardEvent, { type: 'card_moved' }>;
type MovedBody = Extract<BoardEventBody, { type: 'card_moved' }>;

/** A card's place as an undo restores it. */
export function placeOf(card: CardDTO): CardPlace {
  return { columnId: card.columnId, laneId: card.laneId, position: card.position, enteredColumnAt: card.enteredColumnAt, stage: card.stage };
}

/** Who asks for an undo: the account, or (for changes the app makes itself) only a name. */
export interface UndoAsker {
  id?: string | null;
  name: string;
}

const isOwn = (move: Moved, asker: UndoAsker) => (asker.id ? move.actorId === asker.id : !move.actorId && move.actor === asker.name);

/**
 * Refuses an undo the rules do not allow (throws a DomainError): `move` is the event at the asked
 * version, `latestMove` the card's most recent card_moved, `now` the server's clock.
 */
export function assertUndoable(move: BoardEvent | undefined, cardId: string, latestMove: BoardEvent | undefined, asker: UndoAsker, now: number): asserts move is Moved {
  if (!move || move.type !== 'card_moved' || move.cardId !== cardId) throw new DomainError('NOT_FOUND', 'That move of this card was not found');
  if (move.undoes) throw new DomainError('CONFLICT', 'An undo cannot itself be undone: move the card again instead');
  if (!isOwn(move, asker)) throw new DomainError('FORBIDDEN', 'Only the person who moved a card can undo that move');
  if (latestMove && latestMove.version !== move.version) {
    const undone = latestMove.type === 'card_moved' && latestMove.undoes?.version === move.version;
    throw new DomainError('CONFLICT', undone ? 'That move has already been undone' : 'The card has been moved since: only its last move can be undone');
  }
  if (now - Date.parse(move.at) > UNDO_WINDOW_MS) {
    throw new DomainError('UNDO_EXPIRED', `A move can be undone for ${UNDO_WINDOW_MS / 1000} seconds after it was made: move the card back instead`);
  }
}

/**
 * The compensating event: back from where the undone move put the card to `before`, its place
 * before that move. Never a backward move nor a defect, whatever its direction: no reason is asked.
 */
export function undoMovedEvent(move: Pick<Moved, 'version' | 'at' | 'cardId' | 'toColumnId' | 'backward' | 'returnedToColumnId' | 'toStage'>, before: CardPlace): MovedBody {
  // The undone move changed the stage only if it says so: otherwise the card is still in its stage from before.
  const toStage = before.stage ?? 'doing';
  const fromStage = move.toStage ?? toStage;
  return {
    type: 'card_moved',
    cardId: move.cardId,
    fromColumnId: move.toColumnId,
    toColumnId: before.columnId,
    ...(fromStage !== toStage ? { fromStage, toStage } : {}),
    position: before.position,
    backward: false,
    undoes: {
      version: move.version,
      at: move.at,
      backward: move.backward,
      returnedToColumnId: move.backward ? (move.returnedToColumnId ?? null) : null,
      place: before,
    },
  };
}

/** The fold of a compensating event (apply.ts): the card's place back, an undone defect taken back. */
export function applyUndo(board: BoardSnapshot, event: Moved & { undoes: NonNullable<Moved['undoes']> }): BoardSnapshot {
  const { undoes } = event;
  const cards = board.cards.map((c) =>
    c.id === event.cardId ? { ...c, ...undoes.place, stage: undoes.place.stage ?? 'doing', defectCount: c.defectCount - (undoes.backward ? 1 : 0), updatedAt: event.at } : c,
  );
  const returnedTo = undoes.backward ? undoes.returnedToColumnId : null;
  const columns = returnedTo === null ? board.columns : board.columns.map((c) => (c.id === returnedTo ? { ...c, defectsReturned: c.defectsReturned - 1 } : c));
  return { ...board, cards, columns };
}
