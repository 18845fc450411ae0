'use client';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo, type KeyboardEvent } from 'react';
import type { CardDTO } from '../../lib/domain/types';
import { isTempId } from '../../lib/client/optimistic';
import type { DragData } from '../../lib/client/useCardDrag';
import { CARD_TYPE_STYLE } from './cardStyle';
import { CardFace } from './CardFace';

interface SortableCardProps {
  card: CardDTO;
  columnId: string;
  movingBy: string | undefined;
  onOpen(cardId: string): void;
}

function describe(card: CardDTO, movingBy: string | undefined): string {
  const parts = [card.title, CARD_TYPE_STYLE[card.type].label];
  if (card.blocked) parts.push(`blocked${card.blockedReason ? `: ${card.blockedReason}` : ''}`);
  if (card.defectCount > 0) parts.push(`sent back ${card.defectCount} ${card.defectCount === 1 ? 'time' : 'times'}`);
  if (movingBy) parts.push(`being moved by ${movingBy}`);
  return parts.join(', ');
}

/**
 * Memoized: a board redraws often (a move, a drag over another work center, a presence change) and
 * holds up to a thousand cards; only the cards whose props changed are drawn again.
 */
export const SortableCard = memo(function SortableCard({ card, columnId, movingBy, onOpen }: SortableCardProps) {
  const data: DragData = { type: 'card', columnId };
  const pending = isTempId(card.id);
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data,
    // A card the server has not created yet has no id to move.
    disabled: pending,
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && !isDragging && !pending) {
      e.preventDefault();
      onOpen(card.id);
      return;
    }
    listeners?.onKeyDown?.(e);
  };

  return (
    <li className="list-none">
      <div
        ref={setNodeRef}
        {...attributes}
        {...listeners}
        onKeyDown={onKeyDown}
        onClick={() => {
          if (!pending) onOpen(card.id);
        }}
        data-testid={`card-${card.id}`}
        data-card-id={card.id}
        data-column-id={columnId}
        aria-label={describe(card, movingBy)}
        style={{ transform: CSS.Translate.toString(transform), transition }}
        className={`relative cursor-grab touch-none rounded-lg outline-none select-none focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:ring-offset-2 ${
          isDragging ? 'opacity-40 [&>*]:border-dashed' : ''
        } ${pending ? 'cursor-progress opacity-70' : ''}`}
      >
        <CardFace card={card} movingBy={movingBy} />
      </div>
    </li>
  );
});
