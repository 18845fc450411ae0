import { blockedTimeAfter } from './blocked';
import { followWindow } from './cardWindow';
import { applyLaneEvent, createdLanes, defaultLaneId } from './lanes';
import type { BoardEvent, BoardSnapshot, CardDTO, ColumnDTO } from './types';
import { applyUndo } from './undo';
import { defaultKeyPrefix, keyPrefixOf } from './keys';

/**
 * Applies one committed event to a board snapshot and returns the next snapshot, leaving the input
 * untouched. The client folds live events through it; the tests use it to prove that a client that
 * catches up from the log ends in exactly the server's state.
 */
export function applyEvent(board: BoardSnapshot, event: BoardEvent): BoardSnapshot {
  // A big board's window (cardWindow.ts) keeps its counts and its sent part true.
  const next = board.window ? followWindow(board, event, applyBody(board, event)) : applyBody(board, event);
  return { ...next, version: event.version };
}

function mapCard(board: BoardSnapshot, cardId: string, fn: (c: CardDTO) => CardDTO): CardDTO[] {
  return board.cards.map((c) => (c.id === cardId ? fn(c) : c));
}

function mapColumn(board: BoardSnapshot, columnId: string, fn: (c: ColumnDTO) => ColumnDTO): ColumnDTO[] {
  return board.columns.map((c) => (c.id === columnId ? fn(c) : c));
}

/** A work center of a log written before split work centers is not split. */
const withSplit = (c: ColumnDTO): ColumnDTO => ({ ...c, split: c.split ?? false });

/** A snapshot names the limit only while there is one. */
function withPersonWipLimit(board: BoardSnapshot, limit: number | null): BoardSnapshot {
  const { personWipLimit: _old, ...rest } = board;
  return limit === null ? rest : { ...rest, personWipLimit: limit };
}

/** The card without a refusal shown: the field is left out, as the server's snapshot leaves it out. */
function withoutRefusal(card: CardDTO): CardDTO {
  const { automationRefusal: _cleared, ...rest } = card;
  return rest;
}

function clearRefusal(board: BoardSnapshot, cardId: string): BoardSnapshot {
  return { ...board, cards: mapCard(board, cardId, withoutRefusal) };
}

function applyBody(board: BoardSnapshot, event: BoardEvent): BoardSnapshot {
  switch (event.type) {
    case 'board_created':
      return { ...board, name: event.name, columns: event.columns.map(withSplit), lanes: createdLanes(event.boardId, event.lanes), keyPrefix: event.keyPrefix ?? defaultKeyPrefix(event.name) };
    case 'board_renamed':
      // The key prefix derived from the old name stays: keys do not change with a rename (db/store/boards.ts).
      return { ...board, name: event.name, keyPrefix: keyPrefixOf(board) };
    case 'key_prefix_set':
      return { ...board, keyPrefix: event.keyPrefix };
    case 'column_added': {
      const columns = board.columns.filter((c) => c.id !== event.column.id);
      columns.splice(event.index, 0, withSplit(event.column));
      return { ...board, columns };
    }
    case 'column_renamed':
      return { ...board, columns: mapColumn(board, event.columnId, (c) => ({ ...c, name: event.name })) };
    case 'column_moved': {
      const moving = board.columns.find((c) => c.id === event.columnId);
      if (!moving) return board;
      const columns = board.columns.filter((c) => c.id !== event.columnId);
      columns.splice(event.toIndex, 0, moving);
      return { ...board, columns };
    }
    case 'column_removed':
      return { ...board, columns: board.columns.filter((c) => c.id !== event.columnId) };
    case 'wip_limit_set':
      return { ...board, columns: mapColumn(board, event.columnId, (c) => ({ ...c, wipLimit: event.wipLimit })) };
    case 'column_split_set':
      return { ...board, columns: mapColumn(board, event.columnId, (c) => ({ ...c, split: event.split })) };
    case 'board_settings_changed':
      // Flow settings live outside the snapshot: the flow page reloads its data on this event.
      return board;
    case 'person_wip_limit_set':
      return withPersonWipLimit(board, event.personWipLimit);
    case 'lane_added':
    case 'lane_renamed':
    case 'lane_moved':
    case 'lane_removed':
    case 'lane_configured':
      return applyLaneEvent(board, event);
    case 'card_created': {
      // A card of a log written before lanes is in the board's default lane; one from before assignees has none.
      // One from before card keys has no number (the migration gave the log's numbers; a log from elsewhere may lack them).
      const card = { ...event.card, laneId: event.card.laneId || defaultLaneId(event.boardId), assigneeIds: event.card.assigneeIds ?? [], stage: event.card.stage ?? 'doing', parentId: event.card.parentId ?? null, number: event.card.number ?? 0 };
      return { ...board, cards: [...board.cards.filter((c) => c.id !== card.id), card] };
    }
    case 'working_days_set':
      // Like the flow settings, outside the snapshot: the flow page reloads its data on it.
      return board;
    case 'card_updated':
      return {
        ...board,
        cards: mapCard(board, event.cardId, (c) => ({ ...c, ...event.changes, ...blockedTimeAfter(c, event.changes.blocked, event.at), updatedAt: event.at })),
      };
    case 'card_deleted':
      return { ...board, cards: board.cards.filter((c) => c.id !== event.cardId) };
    case 'card_automation_refused':
      return {
        ...board,
        cards: mapCard(board, event.cardId, (c) => ({
          ...c,
          automationRefusal: { hookName: event.hookName, toColumnId: event.toColumnId, code: event.code, message: event.message, at: event.at },
        })),
      };
    case 'card_split': {
      // The parent leaves, its children take its place (a replay of the same event changes nothing).
      const ids = new Set([event.cardId, ...event.children.map((c) => c.id)]);
      return { ...board, cards: [...board.cards.filter((c) => !ids.has(c.id)), ...event.children] };
    }
    case 'card_moved': {
      // Any move of the card, an undo too, clears an automated move's refusal shown on it (the store does the same).
      if (event.undoes) return clearRefusal(applyUndo(board, { ...event, undoes: event.undoes }), event.cardId);
      const cards = mapCard(board, event.cardId, (c) => ({
        ...withoutRefusal(c),
        columnId: event.toColumnId,
        laneId: event.toLaneId ?? c.laneId,
        position: event.position,
        // The event names the stage only when it changed (a log written before split work centers: never).
        stage: event.toStage ?? c.stage,
        defectCount: c.defectCount + (event.backward ? 1 : 0),
        updatedAt: event.at,
        enteredColumnAt: event.fromColumnId === event.toColumnId ? c.enteredColumnAt : event.at,
      }));
      const columns =
        event.backward && event.returnedToColumnId
          ? mapColumn(board, event.returnedToColumnId, (c) => ({ ...c, defectsReturned: c.defectsReturned + 1 }))
          : board.columns;
      return { ...board, cards, columns };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
