'use client';
import { memo, type KeyboardEvent } from 'react';
import type { CardDTO } from '../../lib/shared/domain/types';
import { isTempId } from '../../lib/client/optimistic';
import { useCardDragHandle } from './CardDragSource';
import { cardClass, cardContent } from './CardFace';

interface DraggableCardProps {
  card: CardDTO;
  columnId: string;
  movingBy: string | undefined;
  /** This card is the one being dragged: it stays as a dimmed placeholder where it would land. */
  dragging: boolean;
  onOpen(cardId: string): void;
}

const ARROWS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/**
 * dnd-kit's keyboard sensor starts listening for arrows one task after the pick-up, but the card
 * shows itself lifted at once: an arrow pressed in between was lost. The sensor marks the arrows it
 * handles (preventDefault); one it did not hear is sent to it again once it listens.
 */
function replayIfUnheard(event: globalThis.KeyboardEvent): void {
  setTimeout(() => {
    if (!event.defaultPrevented) document.dispatchEvent(new KeyboardEvent('keydown', { code: event.code, key: event.key, bubbles: true, cancelable: true }));
  });
}

/**
 * A card is no dnd-kit draggable of its own: it hands a press to the board's one draggable
 * (CardDragSource), so dnd-kit has nothing per card to redraw or hydrate, and the work centers are
 * the drop targets. Its accessible name is its visible text (type, age, title, blocked, people), read
 * in the order it is shown, so what a voice-control user reads off the card is what they can say.
 * Memoized: a board redraws often and holds up to a thousand cards; only the
 * cards whose props changed are drawn again.
 */
export const DraggableCard = memo(function DraggableCard({ card, columnId, movingBy, dragging, onOpen }: DraggableCardProps) {
  const drag = useCardDragHandle();
  const pending = isTempId(card.id);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && !dragging && !pending) {
      e.preventDefault();
      onOpen(card.id);
      return;
    }
    if (e.code === 'Space' && !pending) drag?.start(card.id, columnId, e.currentTarget, e);
    else if (dragging && ARROWS.has(e.code)) replayIfUnheard(e.nativeEvent);
  };

  // No transform: the drag overlay follows the pointer; this stays as the placeholder where the card would land.
  // The list item is what a drag measures (useCardDrag's placementAt): off screen, its box is known
  // without laying out the card in it (content-visibility, see .card-slot).
  let handleClass = `card-handle ${cardClass(card, movingBy)}`;
  if (dragging) handleClass += ' is-placeholder';
  if (pending) handleClass += ' is-pending';
  return (
    <li className="card-slot">
      <div
        ref={dragging ? drag?.bind : undefined}
        role="button"
        tabIndex={0}
        aria-disabled={pending || undefined}
        aria-pressed={dragging ? true : undefined}
        aria-roledescription="draggable"
        aria-describedby={drag?.describedById}
        onPointerDown={(e) => {
          if (!pending) drag?.start(card.id, columnId, e.currentTarget, e);
        }}
        onKeyDown={onKeyDown}
        onClick={() => {
          if (!pending) onOpen(card.id);
        }}
        data-testid={`card-${card.id}`}
        data-card-id={card.id}
        data-column-id={columnId}
        data-card-type={card.type}
        className={handleClass}
      >
        {cardContent(card, movingBy)}
      </div>
    </li>
  );
});
