/**
 * Split work centers: a work center may be split into a "doing" half and a "done" half, where
 * finished cards wait for the next work center to pull them. The halves are one work center: the
 * WIP limit counts both (as Kanban practice has it), a move between them is no pull (no WIP check)
 * and never a backward move, and the card's time in the work center keeps running.
 *
 * The first and the last work centers cannot be split: the first is the queue of ideas and the last
 * is outside progress, so "done, waiting to be pulled" means nothing there.
 */
import { DomainError } from './errors';
import type { CardStage } from './types';

interface SplitColumn {
  name: string;
  split: boolean;
}

/** The stage a card has once a move has put it in `target`. */
export function stageAfterMove(target: SplitColumn, requested: CardStage | undefined, sameColumn: boolean, current: CardStage): CardStage {
  if (!target.split) {
    if (requested === 'done') throw new DomainError('INVALID', `${target.name} is not split into doing and done: a card there is doing`);
    return 'doing';
  }
  // A reorder inside a split work center that names no half keeps the card's half; an arrival from
  // another work center starts in doing unless it was dropped on the done half.
  return requested ?? (sameColumn ? current : 'doing');
}

/** Splitting is allowed for a work center in progress only: not the first nor the last. */
export function assertSplittable(column: { name: string }, index: number, columnCount: number): void {
  if (index <= 0 || index >= columnCount - 1) {
    throw new DomainError('INVALID', `${column.name} is the ${index <= 0 ? 'first' : 'last'} work center: only the work centers between the first and the last can be split into doing and done`);
  }
}

/** Joining the halves again would silently move the done half's cards back to doing: refuse while it holds any. */
export function assertDoneHalfEmpty(column: { name: string }, doneCount: number): void {
  if (doneCount > 0) {
    throw new DomainError(
      'CONFLICT',
      `${column.name} still holds ${doneCount} card${doneCount === 1 ? '' : 's'} in its done half: move ${doneCount === 1 ? 'it' : 'them'} on or back to doing before joining the halves`,
    );
  }
}

/**
 * After a work center is moved or removed, none of the split ones may stand first or last: the
 * board's columns in their new order.
 */
export function assertSplitPlaces(ordered: readonly SplitColumn[]): void {
  const first = ordered[0];
  const last = ordered.at(-1);
  for (const [edge, column] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (column?.split && ordered.length > 0) {
      throw new DomainError('CONFLICT', `${column.name} is split into doing and done and would become the ${edge} work center: join its halves first`);
    }
  }
}
