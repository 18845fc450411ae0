/** The card's element as it is now: after a move it was re-rendered, so look it up by id. */
export function cardElement(cardId: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"]`);
}
