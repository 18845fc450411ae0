/**
 * The last work center (Done) lists its cards newest first, by when they entered it. The order is
 * kept in the cards' positions, so every reader (the board, a big board's window, a page of "show
 * more", the fold of the log) reads it as it reads any work center: a card that arrives in the last
 * work center, by a move or created there, is placed before every card in it. A move within it
 * leaves the card where it is: its order is time's, not a person's (and two people pulling the same
 * card into Done at once is no error). An undo puts a card back where it stood, which in Done is its
 * place among the others by time of arrival.
 */

/** Whether `columnId` is the last of the live work centers (`ordered` in board order). */
export function isLastColumn(ordered: readonly { id: string }[], columnId: string): boolean {
  return ordered.length > 0 && ordered.at(-1)?.id === columnId;
}

/** Where an arrival in the last work center goes: before its first card (null: it is empty, so at the end). */
export function arrivalAnchor<T extends { id: string }>(sortedCards: readonly T[], movingId: string | null): string | null {
  return sortedCards.find((c) => c.id !== movingId)?.id ?? null;
}
