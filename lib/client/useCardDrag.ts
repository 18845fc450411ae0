import {
  closestCorners,
  KeyboardCode,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Active,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type KeyboardSensorOptions,
  type PointerSensorOptions,
  type Over,
} from '@dnd-kit/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { isBackwardMove } from '../shared/domain/rules';
import type { BoardSnapshot, CardStage } from '../shared/domain/types';
import { columnName } from './boardView';
import { arrivalAnchor, isLastColumn } from '../shared/domain/doneOrder';
import { cellRefusal, parseCellKey } from './laneView';
import { beforeCardAt, placeCard, placementOf, samePlacement, type ColumnLists, type Placement } from './dragPreview';

/**
 * What the draggables and droppables carry, so a drop can tell a card from a work center. On a
 * board with lanes, `columnId` is a cell's key (laneView.ts cellKey), and so are the lists' keys.
 */
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

/** What the server answered for a move: whether the card moved, and why not. */
export type MoveOutcome = { ok: true } | { ok: false; message: string };

interface Options {
  view: BoardSnapshot;
  lists: ColumnLists;
  /** Sends the move; resolves with the server's answer. */
  move(cardId: string, toColumnId: string, beforeCardId: string | null, reason: string | null, toLaneId?: string, stage?: CardStage): Promise<MoveOutcome>;
  notify(message: string): void;
  announceDrag(cardId: string | null): void;
  /**
   * Says how a drop ended, for a screen reader (the board's drag-status live region): only what is
   * true, so a move is said once the server has answered for it.
   */
  say(message: string): void;
}

function targetOf(over: Over): { columnId: string } | null {
  const data = over.data.current as DragData | undefined;
  return data ? { columnId: data.columnId } : null;
}

/**
 * The work centers are the only droppables: a pointer is over the one it is within, a keyboard
 * drag over the nearest. Where in the list the card goes is read from the screen (`placementAt`),
 * so dnd-kit neither measures nor redraws a thousand cards while one is dragged.
 */
const collisionDetection: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  if (within.length > 0) return within;
  // A keyboard drag has no pointer: the work center (or cell) holding the card's centre. Nearest
  // corners alone chose a short cell in the lane above over the tall one the card was carried into.
  const { collisionRect, droppableRects, droppableContainers } = args;
  const x = collisionRect.left + collisionRect.width / 2;
  const y = collisionRect.top + collisionRect.height / 2;
  const holding = droppableContainers.find((c) => {
    const r = droppableRects.get(c.id);
    return r !== undefined && x >= r.left && x <= r.left + r.width && y >= r.top && y <= r.top + r.height;
  });
  return holding ? [{ id: holding.id, data: { droppableContainer: holding, value: 0 } }] : closestCorners(args);
};

/** One keyboard step up or down a work center: about one card, so each press passes one card. */
const KEYBOARD_STEP_PX = 48;

/**
 * Arrows left and right carry the card to the middle of the next work center at the same height;
 * up and down move it within one. (Sortable's coordinate getter needs every card to be a droppable.)
 */
const keyboardCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const { collisionRect, droppableContainers } = context;
  if (!collisionRect) return undefined;
  const middle = collisionRect.left + collisionRect.width / 2;
  // Measured now, not taken from dnd-kit's droppable rects: those are measured after the pick-up
  // renders, and an arrow pressed right after Space found none and did nothing.
  const all = droppableContainers.getEnabled().flatMap((c) => c.node.current?.getBoundingClientRect() ?? []);
  // On a board with lanes the droppables are cells in rows: left and right stay in the row (lane) of
  // the cell the card is over; up and down step through that cell, then to the cell above or below.
  // A row is what spans the middle of the droppable the card is over: a split work center's halves
  // start below its header, lower than a whole work center, and are in its row all the same.
  const over = context.over ? droppableContainers.get(context.over.id)?.node.current?.getBoundingClientRect() : undefined;
  const level = over ? over.top + over.height / 2 : 0;
  const row = over ? all.filter((r) => r.top <= level && r.bottom >= level) : all;
  const columns = (row.length > 0 ? row : all).toSorted((a, b) => a.left - b.left);
  const toColumn = (rect: { left: number; width: number } | undefined) =>
    rect ? { x: currentCoordinates.x + rect.left + (rect.width - collisionRect.width) / 2 - collisionRect.left, y: currentCoordinates.y } : undefined;
  // The card lands at the top of the cell it steps into.
  const toCell = (rect: DOMRect | undefined) => (rect ? { x: currentCoordinates.x, y: currentCoordinates.y + rect.top + 8 - collisionRect.top } : undefined);
  const sameColumn = (r: DOMRect) => over !== undefined && Math.abs(r.left - over.left) < 2;
  const centre = collisionRect.top + collisionRect.height / 2;
  switch (event.code) {
    case KeyboardCode.Right:
      event.preventDefault();
      return toColumn(columns.find((rect) => rect.left > middle));
    case KeyboardCode.Left:
      event.preventDefault();
      return toColumn(columns.findLast((rect) => rect.left + rect.width < middle));
    case KeyboardCode.Down: {
      event.preventDefault();
      const below = over && centre + KEYBOARD_STEP_PX > over.bottom ? all.filter((r) => sameColumn(r) && r.top >= over.bottom - 1).toSorted((a, b) => a.top - b.top)[0] : undefined;
      return below ? toCell(below) : { x: currentCoordinates.x, y: currentCoordinates.y + KEYBOARD_STEP_PX };
    }
    case KeyboardCode.Up: {
      event.preventDefault();
      const above = over && centre - KEYBOARD_STEP_PX < over.top ? all.filter((r) => sameColumn(r) && r.bottom <= over.top + 1).toSorted((a, b) => b.top - a.top)[0] : undefined;
      return above ? toCell(above) : { x: currentCoordinates.x, y: currentCoordinates.y - KEYBOARD_STEP_PX };
    }
    default:
      return undefined;
  }
};

/**
 * Sensor options are constants: new options make new sensors, new sensors new listeners on every
 * card, and every card of the board was then redrawn on each render of the board.
 */
const POINTER_OPTIONS: PointerSensorOptions = { activationConstraint: { distance: POINTER_ACTIVATION_PX } };
const KEYBOARD_OPTIONS: KeyboardSensorOptions = {
  coordinateGetter: keyboardCoordinates,
  // Enter stays free to open a card; Space picks up and drops.
  keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
};

/** Focuses the card, wherever it is drawn now, if focus fell to the page's body. */
function keepFocusOn(cardId: string): void {
  if (document.activeElement && document.activeElement !== document.body) return;
  document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"]`)?.focus();
}

/** Where the dragged card would land in `columnId`: before the first other card whose middle is below the dragged card's. */
function placementAt(columnId: string, active: Active): Placement {
  const rect = active.rect.current.translated;
  if (!rect) return { columnId, beforeCardId: null };
  // The list items' boxes, not the cards': an off-screen item's box is known without laying out its card.
  const cards = document.querySelectorAll<HTMLElement>(`[data-drop-column="${CSS.escape(columnId)}"] > li > [data-card-id]`);
  const slots = Array.from(cards, (card) => {
    const box = (card.parentElement ?? card).getBoundingClientRect();
    return { id: card.dataset.cardId ?? '', middle: box.top + box.height / 2 };
  });
  return { columnId, beforeCardId: beforeCardAt(slots, String(active.id), rect.top + rect.height / 2) };
}

/**
 * The one place drag state lives: the placement at drag start, the preview while over other work
 * centers, the restore on cancel or refusal, and exactly one move on drop. A backward drop waits
 * in `pendingDrop` for its defect reason.
 */
export function useCardDrag({ view, lists, move, notify, announceDrag, say }: Options) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const [pendingDrop, setPendingDrop] = useState<PendingDrop | null>(null);
  const lastDropAt = useRef(0);
  /** The work center the drag's announcements last named (see onDragOver below). */
  const announcedOver = useRef<string | null>(null);

  const sensors = useSensors(useSensor(PointerSensor, POINTER_OPTIONS), useSensor(KeyboardSensor, KEYBOARD_OPTIONS));

  const displayLists = useMemo(() => {
    const moving = drag ? { id: drag.cardId, at: drag.preview } : pendingDrop ? { id: pendingDrop.cardId, at: pendingDrop.placement } : null;
    return moving ? placeCard(lists, moving.id, moving.at) : lists;
  }, [lists, drag, pendingDrop]);

  // Computed once per drag (and per change to the board), not per pointer move.
  const draggedId = drag?.cardId ?? null;
  const refusals = useMemo(() => {
    const map = new Map<string, string>();
    if (!draggedId) return map;
    for (const key of lists.keys()) {
      const refusal = cellRefusal(view, draggedId, key);
      if (refusal) map.set(key, refusal);
    }
    return map;
  }, [view, draggedId, lists]);

  const order = useMemo(() => view.columns.map((c) => c.id), [view.columns]);
  /**
   * Where the card would land in cell `key`: the last work center is newest first (doneOrder.ts), so
   * an arrival there goes on top and its own cards stay where they are; elsewhere, where the pointer is.
   */
  const landing = (key: string, active: Active, origin: Placement): Placement => {
    if (!isLastColumn(view.columns, parseCellKey(key).columnId)) return placementAt(key, active);
    if (key === origin.columnId) return origin;
    return { columnId: key, beforeCardId: arrivalAnchor((lists.get(key) ?? []).map((id) => ({ id })), String(active.id)) };
  };
  const isBackwardTarget = (key: string) => {
    if (drag === null) return false;
    const to = parseCellKey(key).columnId;
    const from = parseCellKey(drag.origin.columnId).columnId;
    return order.includes(to) && order.includes(from) && isBackwardMove(order, from, to);
  };

  const finish = () => {
    lastDropAt.current = Date.now();
    announceDrag(null);
    const cardId = drag?.cardId;
    setDrag(null);
    // A card dropped in another work center is drawn anew there: focus follows it, not left on the page.
    if (cardId) requestAnimationFrame(() => keepFocusOn(cardId));
  };

  function titleOf(id: string | number): string {
    return view.cards.find((c) => c.id === String(id))?.title ?? 'card';
  }
  /** A work center by name, with its half when split and its lane on a board with lanes ("Develop, done, Mobile lane"). */
  function placeName(cellKey: string): string {
    const { columnId, laneId, stage } = parseCellKey(cellKey);
    const lane = laneId === null ? undefined : view.lanes.find((l) => l.id === laneId);
    const split = view.columns.find((c) => c.id === columnId)?.split ?? false;
    const name = `${columnName(view.columns, columnId)}${split ? `, ${stage}` : ''}`;
    return lane ? `${name}, ${lane.name} lane` : name;
  }

  const onDragStart = ({ active }: DragStartEvent) => {
    const cardId = String(active.id);
    const origin = placementOf(lists, cardId);
    if (!origin) return;
    setPendingDrop(null);
    announcedOver.current = origin.columnId;
    setDrag({ cardId, origin, preview: origin, overColumnId: origin.columnId });
    announceDrag(cardId);
  };

  /** On every move (pointer or key): which work center the card is over and where it would land there. */
  const onDragMove = ({ active, over }: DragMoveEvent) => {
    if (!drag || !over) return;
    const target = targetOf(over);
    if (!target) return;
    // A full work center is not a drop target: the card stays where it was last allowed to be.
    const preview = refusals.has(target.columnId) ? drag.preview : landing(target.columnId, active, drag.origin);
    if (target.columnId === drag.overColumnId && samePlacement(preview, drag.preview)) return;
    setDrag({ ...drag, overColumnId: target.columnId, preview });
  };

  /** Sends a move and says, once the server has answered, whether the card went. */
  const moveAndSay = (cardId: string, placement: Placement, reason: string | null) => {
    const title = titleOf(cardId);
    const where = placeName(placement.columnId);
    const to = parseCellKey(placement.columnId);
    const split = view.columns.find((c) => c.id === to.columnId)?.split ?? false;
    void move(cardId, to.columnId, placement.beforeCardId, reason, to.laneId ?? undefined, split ? to.stage : undefined).then((outcome) => {
      if (!outcome.ok) say(`Not moved: ${outcome.message}`);
      else if (reason) say(`${title} sent back to ${where}, with its defect.`);
      else say(`${title} moved to ${where}.`);
    });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const current = drag;
    finish();
    if (!current) return;
    const title = titleOf(current.cardId);
    const from = placeName(current.origin.columnId);
    const target = over ? targetOf(over) : null;
    if (!target) {
      say(`Not moved: ${title} was not over a work center. It stays in ${from}.`);
      return;
    }
    const refusal = refusals.get(target.columnId);
    if (refusal) {
      say(`Not moved: ${refusal}`);
      notify(refusal);
      return;
    }
    const placement = target.columnId === current.preview.columnId ? current.preview : landing(target.columnId, active, current.origin);
    if (samePlacement(placement, current.origin)) {
      say(`${title} stays where it was, in ${from}.`);
      return;
    }
    const fromColumnId = parseCellKey(current.origin.columnId).columnId;
    const to = parseCellKey(placement.columnId);
    if (isBackwardMove(order, fromColumnId, to.columnId)) {
      say(`Not moved yet: sending ${title} back to ${placeName(placement.columnId)} needs a reason. Name the defect, or cancel to keep it in ${from}.`);
      setPendingDrop({ cardId: current.cardId, fromColumnId, placement });
      return;
    }
    moveAndSay(current.cardId, placement, null);
  };

  const onDragCancel = () => finish();
  // Stable, so the cards' click handler (and with it every card) is not new on each render.
  const justDropped = useCallback(() => Date.now() - lastDropAt.current < CLICK_AFTER_DROP_MS, []);

  const confirmBackward = (reason: string) => {
    if (!pendingDrop) return;
    moveAndSay(pendingDrop.cardId, pendingDrop.placement, reason);
    setPendingDrop(null);
  };
  const cancelBackward = () => {
    if (pendingDrop) say(`Not moved: ${titleOf(pendingDrop.cardId)} stays in ${columnName(view.columns, pendingDrop.fromColumnId)}, not sent back.`);
    setPendingDrop(null);
  };

  const whereIs = (over: Over | null) => {
    const target = over ? targetOf(over) : null;
    return target ? placeName(target.columnId) : 'no work center';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}. Arrow keys move it, Space drops it, Escape cancels.`,
    onDragOver: ({ active, over }) => {
      const target = over ? targetOf(over) : null;
      // The pick-up lands over the card's own work center: saying so would replace "Picked up" unheard.
      const where = target?.columnId ?? null;
      if (where === announcedOver.current) return undefined;
      announcedOver.current = where;
      const refusal = target ? refusals.get(target.columnId) : undefined;
      return refusal ?? `${titleOf(active.id)} is over ${whereIs(over)}.`;
    },
    // Said by the board's drag status once the drop's outcome is known (onDragEnd above, moveAndSay).
    onDragEnd: () => undefined,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled. It is back where it was.`,
  };

  return {
    sensors,
    collisionDetection,
    announcements,
    handlers: { onDragStart, onDragMove, onDragOver: onDragMove, onDragEnd, onDragCancel },
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
