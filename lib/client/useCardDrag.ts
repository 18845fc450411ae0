'use client';
import {
  closestCorners,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type Over,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useCallback, useMemo, useRef, useState } from 'react';
import { isBackwardMove } from '../domain/rules';
import type { BoardSnapshot } from '../domain/types';
import { columnName, pullRefusal } from './boardView';
import { beforeAfterReorder, placeCard, placementOf, samePlacement, type ColumnLists, type Placement } from './dragPreview';

/** What the draggables and droppables carry, so a drop can tell a card from a work center. */
export type DragData = { type: 'card'; columnId: string } | { type: 'column'; columnId: string };

export const columnDropId = (columnId: string) => `column:${columnId}`;

/** A few pixels of travel before a press becomes a drag, so a click still opens the card. */
const POINTER_ACTIVATION_PX = 6;
/** A click that lands right after a drop belongs to the drop, not to the card. */
const CLICK_AFTER_DROP_MS = 250;

interface DragState {
  cardId: string;
  origin: Placement;
  preview: Placement;
  /** The work center under the card, including one that refuses it. */
  overColumnId: string | null;
}

export interface PendingDrop {
  cardId: string;
  fromColumnId: string;
  placement: Placement;
}

interface Options {
  view: BoardSnapshot;
  lists: ColumnLists;
  move(cardId: string, toColumnId: string, beforeCardId: string | null, reason: string | null): void;
  notify(message: string): void;
  announceDrag(cardId: string | null): void;
}

function targetOf(over: Over): { columnId: string; overCardId: string | null } | null {
  const data = over.data.current as DragData | undefined;
  if (!data) return null;
  return { columnId: data.columnId, overCardId: data.type === 'card' ? String(over.id) : null };
}

const dataOf = (container: { data: { current?: unknown } }) => container.data.current as DragData | undefined;

/**
 * Under a pointer, the card it is over beats the column around it; keyboards use the nearest corners.
 * The pointer is tested against the work centers first and then only against the cards of the one
 * it is in: every rect dnd-kit reads walks its scroll ancestors, and testing all cards of a
 * 1,000-card board on each pointer move took hundreds of milliseconds per move.
 */
const collisionDetection: CollisionDetection = (args) => {
  const columns = args.droppableContainers.filter((c) => dataOf(c)?.type === 'column');
  const within = pointerWithin({ ...args, droppableContainers: columns });
  const columnId = within[0] ? dataOf(within[0].data?.droppableContainer ?? { data: {} })?.columnId : undefined;
  if (columnId !== undefined) {
    const cards = args.droppableContainers.filter((c) => {
      const data = dataOf(c);
      return data?.type === 'card' && data.columnId === columnId;
    });
    const overCards = pointerWithin({ ...args, droppableContainers: cards });
    return overCards.length > 0 ? overCards : within;
  }
  return closestCorners(args);
};

/**
 * The one place drag state lives: the placement at drag start, the preview while over other work
 * centers, the restore on cancel or refusal, and exactly one move on drop. A backward drop waits
 * in `pendingDrop` for its defect reason.
 */
export function useCardDrag({ view, lists, move, notify, announceDrag }: Options) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const [pendingDrop, setPendingDrop] = useState<PendingDrop | null>(null);
  const lastDropAt = useRef(0);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: POINTER_ACTIVATION_PX } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      // Enter stays free to open a card; Space picks up and drops.
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const displayLists = useMemo(() => {
    const moving = drag ? { id: drag.cardId, at: drag.preview } : pendingDrop ? { id: pendingDrop.cardId, at: pendingDrop.placement } : null;
    return moving ? placeCard(lists, moving.id, moving.at) : lists;
  }, [lists, drag, pendingDrop]);

  const refusals = useMemo(() => {
    const map = new Map<string, string>();
    if (!drag) return map;
    for (const column of view.columns) {
      const refusal = pullRefusal(view, drag.cardId, column.id);
      if (refusal) map.set(column.id, refusal);
    }
    return map;
  }, [view, drag]);

  const order = useMemo(() => view.columns.map((c) => c.id), [view.columns]);
  const isBackwardTarget = (columnId: string) =>
    drag !== null && order.includes(columnId) && order.includes(drag.origin.columnId) && isBackwardMove(order, drag.origin.columnId, columnId);

  const finish = () => {
    lastDropAt.current = Date.now();
    announceDrag(null);
    setDrag(null);
  };

  const onDragStart = ({ active }: DragStartEvent) => {
    const cardId = String(active.id);
    const origin = placementOf(lists, cardId);
    if (!origin) return;
    setPendingDrop(null);
    setDrag({ cardId, origin, preview: origin, overColumnId: origin.columnId });
    announceDrag(cardId);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!drag || !over) return;
    const target = targetOf(over);
    if (!target) return;
    if (target.columnId !== drag.overColumnId) setDrag({ ...drag, overColumnId: target.columnId });
    // A full work center is not a drop target: the card stays where it was last allowed to be.
    if (refusals.has(target.columnId) || target.columnId === drag.preview.columnId) return;
    let beforeCardId: string | null = target.overCardId;
    if (target.overCardId) {
      const ids = displayLists.get(target.columnId) ?? [];
      const translated = active.rect.current.translated;
      const below = translated !== null && translated.top > over.rect.top + over.rect.height / 2;
      if (below) beforeCardId = ids[ids.indexOf(target.overCardId) + 1] ?? null;
    }
    setDrag({ ...drag, overColumnId: target.columnId, preview: { columnId: target.columnId, beforeCardId } });
  };

  const onDragEnd = ({ over }: DragEndEvent) => {
    const current = drag;
    finish();
    if (!current || !over) return;
    const target = targetOf(over);
    if (!target) return;
    const refusal = refusals.get(target.columnId);
    if (refusal) {
      notify(refusal);
      return;
    }
    let placement = current.preview;
    if (target.columnId !== placement.columnId) {
      placement = { columnId: target.columnId, beforeCardId: target.overCardId };
    } else if (target.overCardId && target.overCardId !== current.cardId) {
      const ids = displayLists.get(placement.columnId) ?? [];
      placement = { columnId: placement.columnId, beforeCardId: beforeAfterReorder(ids, current.cardId, target.overCardId) };
    }
    if (samePlacement(placement, current.origin)) return;
    if (isBackwardMove(order, current.origin.columnId, placement.columnId)) {
      setPendingDrop({ cardId: current.cardId, fromColumnId: current.origin.columnId, placement });
      return;
    }
    move(current.cardId, placement.columnId, placement.beforeCardId, null);
  };

  const onDragCancel = () => finish();
  // Stable, so the cards' click handler (and with it every card) is not new on each render.
  const justDropped = useCallback(() => Date.now() - lastDropAt.current < CLICK_AFTER_DROP_MS, []);

  const confirmBackward = (reason: string) => {
    if (!pendingDrop) return;
    move(pendingDrop.cardId, pendingDrop.placement.columnId, pendingDrop.placement.beforeCardId, reason);
    setPendingDrop(null);
  };
  const cancelBackward = () => setPendingDrop(null);

  const titleOf = (id: string | number) => view.cards.find((c) => c.id === String(id))?.title ?? 'card';
  const whereIs = (over: Over | null) => {
    const target = over ? targetOf(over) : null;
    return target ? columnName(view.columns, target.columnId) : 'no work center';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}. Arrow keys move it, Space drops it, Escape cancels.`,
    onDragOver: ({ active, over }) => {
      const target = over ? targetOf(over) : null;
      const refusal = target ? refusals.get(target.columnId) : undefined;
      return refusal ?? `${titleOf(active.id)} is over ${whereIs(over)}.`;
    },
    onDragEnd: ({ active, over }) => `${titleOf(active.id)} dropped in ${whereIs(over)}.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled. It is back where it was.`,
  };

  return {
    sensors,
    collisionDetection,
    announcements,
    handlers: { onDragStart, onDragOver, onDragEnd, onDragCancel },
    displayLists,
    activeCardId: drag?.cardId ?? null,
    overColumnId: drag?.overColumnId ?? null,
    refusals,
    isBackwardTarget,
    pendingDrop,
    confirmBackward,
    cancelBackward,
    /** True right after a drop, when the browser's click should not open the card. */
    justDropped,
  };
}

export type CardDrag = ReturnType<typeof useCardDrag>;
