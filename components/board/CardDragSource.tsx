'use client';
import { useDraggable } from '@dnd-kit/core';
import { createContext, useContext, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type SyntheticEvent } from 'react';
import { flushSync } from 'react-dom';
import type { DragData } from '../../lib/client/useCardDrag';

/** What a card needs to be dragged: stable for the life of the board, so no card redraws for it. */
export interface CardDragHandle {
  /** Hands a pointer press or a Space on a card to dnd-kit, which decides whether it starts a drag. */
  start(cardId: string, columnId: string, element: HTMLElement, event: SyntheticEvent): void;
  /** The dragged card's element, again when it moves to another work center mid-drag. */
  bind(element: HTMLElement | null): void;
  /** The id of dnd-kit's hidden instructions, for the cards' aria-describedby. */
  describedById: string;
}

const CardDragContext = createContext<CardDragHandle | null>(null);
export const useCardDragHandle = () => useContext(CardDragContext);

interface Armed {
  cardId: string;
  columnId: string;
}

/**
 * One dnd-kit draggable for the whole board, pointed at the card that is pressed. dnd-kit redraws
 * every useDraggable when a drag starts, enters another work center or ends; with one per card
 * that was 1,000 redraws per change (50-80 ms tasks) and 1,000 hooks to hydrate. The cards are plain
 * elements that hand their press to this one, which takes the card's id before dnd-kit sees the event.
 */
export function CardDragProvider({ describedById, enabled, children }: { describedById: string; enabled: boolean; children: ReactNode }) {
  const [armed, setArmed] = useState<Armed | null>(null);
  const data = useMemo((): DragData => ({ type: 'card', columnId: armed?.columnId ?? '' }), [armed]);
  const { listeners, setNodeRef } = useDraggable({ id: armed?.cardId ?? 'card-drag:none', data, disabled: armed === null });
  const latest = useRef({ listeners, setNodeRef });
  useLayoutEffect(() => {
    latest.current = { listeners, setNodeRef };
  });

  const handle = useMemo(
    (): CardDragHandle | null =>
      enabled
        ? {
            start(cardId, columnId, element, event) {
              // Registered synchronously (flushSync runs the draggable's layout effects), so the
              // activator below finds this card as the draggable it starts.
              flushSync(() => setArmed((prev) => (prev?.cardId === cardId && prev.columnId === columnId ? prev : { cardId, columnId })));
              latest.current.setNodeRef(element);
              const activator = event.type === 'keydown' ? latest.current.listeners?.onKeyDown : latest.current.listeners?.onPointerDown;
              activator?.(event);
            },
            bind(element) {
              if (element) latest.current.setNodeRef(element);
            },
            describedById,
          }
        : null,
    [enabled, describedById],
  );

  return <CardDragContext value={handle}>{children}</CardDragContext>;
}
