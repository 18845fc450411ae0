import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch: compact, indexable, and exact for flow metrics.

export const boards = sqliteTable('boards', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Goes up by one per event; clients use it to detect gaps. */
  version: integer('version').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

export const columns = sqliteTable(
  'columns',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    name: text('name').notNull(),
    /** Left-to-right place in the value stream, 0-based and dense among live columns. */
    ord: integer('ord').notNull(),
    wipLimit: integer('wip_limit'),
    createdAt: integer('created_at').notNull(),
    /** Removed columns stay so that the event log that names them stays readable. */
    removedAt: integer('removed_at'),
  },
  (t) => [index('columns_board_idx').on(t.boardId, t.ord)],
);

export const cards = sqliteTable(
  'cards',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    columnId: text('column_id')
      .notNull()
      .references(() => columns.id),
    position: text('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    type: text('type').notNull().default('feature'),
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    blockedReason: text('blocked_reason'),
    defectCount: integer('defect_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    enteredColumnAt: integer('entered_column_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('cards_column_idx').on(t.columnId, t.position), index('cards_board_idx').on(t.boardId)],
);

/** The append-only event log. Rows are inserted, never updated or deleted. */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    at: integer('at').notNull(),
    cardId: text('card_id'),
    /** The event body as JSON (everything but board, version, actor and time). */
    data: text('data').notNull(),
  },
  (t) => [
    uniqueIndex('events_board_version_idx').on(t.boardId, t.version),
    index('events_card_idx').on(t.cardId),
    index('events_board_at_idx').on(t.boardId, t.at),
  ],
);

/**
 * One row per backward move: a projection of the log kept in the same transaction as the event,
 * so defect counts per work center need no scan of the log.
 */
export const backwardMoves = sqliteTable(
  'backward_moves',
  {
    eventSeq: integer('event_seq')
      .primaryKey()
      .references(() => events.seq),
    boardId: text('board_id').notNull(),
    cardId: text('card_id').notNull(),
    detectedAtColumnId: text('detected_at_column_id').notNull(),
    returnedToColumnId: text('returned_to_column_id').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('backward_moves_returned_idx').on(t.returnedToColumnId, t.at)],
);
