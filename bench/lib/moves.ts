import type { CardMoveInput } from '../../lib/shared/protocol';
import type { BenchBoard } from './seed';

/** A backward move needs a reason; giving one means no move of the benchmarks is ever refused. */
export const BACKWARD_REASON = 'Bench: sent back for another pass';

/** A move as the app's protocol has it, or with the board added for the floors (see `Route`). */
export type BenchMove = CardMoveInput | (CardMoveInput & { boardId: string });

/**
 * How a move reaches its room. The app finds the board from the card; the floors keep no card
 * table, so their moves carry `boardId` (the app's strict schema would refuse that extra field).
 */
export type Route = 'by-card' | 'by-board';

/** A card that shuttles between the two work centers of a bench board: forward, then back with a reason. */
export class ShuttleCard {
  private inFirst = true;
  constructor(
    private readonly board: BenchBoard,
    readonly cardId: string,
    private readonly route: Route,
  ) {}

  nextMove(clientMutationId: string): BenchMove {
    const forward = this.inFirst;
    const move: CardMoveInput = {
      cardId: this.cardId,
      toColumnId: forward ? this.board.secondColumnId : this.board.firstColumnId,
      ...(forward ? {} : { reason: BACKWARD_REASON }),
      clientMutationId,
    };
    return this.route === 'by-board' ? { ...move, boardId: this.board.boardId } : move;
  }

  /** Call once the move was accepted. */
  moved(): void {
    this.inFirst = !this.inFirst;
  }
}
