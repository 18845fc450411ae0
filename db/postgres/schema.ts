/**
 * The PostgreSQL schema: the same tables, columns and indexes as db/sqlite/schema.ts (a test holds
 * the two to the same names), in PostgreSQL's types. Times of our own tables are bigint milliseconds,
 * read as numbers (db/postgres/engine.ts); better-auth's tables keep its timestamps.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });
const board = () =>
  text('board_id')
    .notNull()
    .references(() => boards.id, { onDelete: 'cascade' });

export const boards = pgTable('boards', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  version: integer('version').notNull().default(0),
  createdAt: ms('created_at').notNull(),
  demandPerWeek: doublePrecision('demand_per_week'),
  commitmentColumnId: text('commitment_column_id'),
  flowReady: boolean('flow_ready').notNull().default(false),
  importing: boolean('importing').notNull().default(false),
  flowVersion: integer('flow_version').notNull().default(0),
  personWipLimit: integer('person_wip_limit'),
  workingDays: text('working_days'),
  keyPrefix: text('key_prefix'),
  hookMapping: text('hook_mapping'),
});

export const columns = pgTable(
  'columns',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    name: text('name').notNull(),
    ord: integer('ord').notNull(),
    wipLimit: integer('wip_limit'),
    createdAt: ms('created_at').notNull(),
    removedAt: ms('removed_at'),
    flowOrd: integer('flow_ord').notNull().default(0),
    split: boolean('split').notNull().default(false),
  },
  (t) => [index('columns_board_idx').on(t.boardId, t.ord)],
);

export const cards = pgTable(
  'cards',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    columnId: text('column_id')
      .notNull()
      .references(() => columns.id),
    laneId: text('lane_id'),
    position: text('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    type: text('type').notNull().default('feature'),
    blocked: boolean('blocked').notNull().default(false),
    blockedReason: text('blocked_reason'),
    blockedMs: ms('blocked_ms').notNull().default(0),
    blockedSince: ms('blocked_since'),
    defectCount: integer('defect_count').notNull().default(0),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    enteredColumnAt: ms('entered_column_at').notNull(),
    deletedAt: ms('deleted_at'),
    assigneeIds: text('assignee_ids').notNull().default('[]'),
    stage: text('stage').notNull().default('doing'),
    parentId: text('parent_id'),
    number: integer('number'),
    automationRefusal: text('automation_refusal'),
  },
  (t) => [
    uniqueIndex('cards_board_number_idx').on(t.boardId, t.number),
    index('cards_column_idx').on(t.columnId, t.position),
    index('cards_board_live_idx').on(t.boardId, t.columnId, t.deletedAt),
    index('cards_assigned_idx').on(t.boardId).where(sql`assignee_ids <> '[]'`),
    index('cards_lane_idx').on(t.laneId, t.columnId, t.deletedAt),
  ],
);

export const lanes = pgTable(
  'lanes',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    name: text('name').notNull(),
    classOfService: text('class_of_service').notNull().default('standard'),
    wipLimit: integer('wip_limit'),
    ord: integer('ord').notNull(),
    createdAt: ms('created_at').notNull(),
    deletedAt: ms('deleted_at'),
  },
  (t) => [index('lanes_board_idx').on(t.boardId, t.ord)],
);

export const laneColumnLimits = pgTable(
  'lane_column_limits',
  {
    laneId: text('lane_id')
      .notNull()
      .references(() => lanes.id, { onDelete: 'cascade' }),
    columnId: text('column_id').notNull(),
    boardId: board(),
    wipLimit: integer('wip_limit').notNull(),
  },
  (t) => [primaryKey({ columns: [t.laneId, t.columnId] }), index('lane_column_limits_board_idx').on(t.boardId)],
);

export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    boardId: board(),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    actorId: text('actor_id'),
    at: ms('at').notNull(),
    cardId: text('card_id'),
    data: text('data').notNull(),
  },
  (t) => [
    uniqueIndex('events_board_version_idx').on(t.boardId, t.version),
    index('events_card_idx').on(t.cardId),
    index('events_board_at_idx').on(t.boardId, t.at),
  ],
);

export const backwardMoves = pgTable(
  'backward_moves',
  {
    eventSeq: bigint('event_seq', { mode: 'number' })
      .primaryKey()
      .references(() => events.seq, { onDelete: 'cascade' }),
    boardId: board(),
    cardId: text('card_id').notNull(),
    detectedAtColumnId: text('detected_at_column_id').notNull(),
    returnedToColumnId: text('returned_to_column_id').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [
    index('backward_moves_returned_idx').on(t.returnedToColumnId, t.at),
    index('backward_moves_board_at_idx').on(t.boardId, t.at),
  ],
);

export const cardFlow = pgTable(
  'card_flow',
  {
    cardId: text('card_id').notNull(),
    columnId: text('column_id').notNull(),
    boardId: board(),
    enteredAt: ms('entered_at'),
    reachedAt: ms('reached_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cardId, t.columnId] }), index('card_flow_reached_idx').on(t.boardId, t.columnId, t.reachedAt)],
);

const flowCounterColumns = () => ({
  boardId: board(),
  columnId: text('column_id').notNull(),
  bucket: integer('bucket').notNull(),
  reached: integer('reached').notNull().default(0),
  entered: integer('entered').notNull().default(0),
  exited: integer('exited').notNull().default(0),
  deleted: integer('deleted').notNull().default(0),
  abandoned: integer('abandoned').notNull().default(0),
  returned: integer('returned').notNull().default(0),
});

export const flowCountsHourly = pgTable('flow_counts_hourly', flowCounterColumns(), (t) => [
  primaryKey({ columns: [t.boardId, t.bucket, t.columnId] }),
  index('flow_counts_hourly_cover_idx').on(t.boardId, t.bucket, t.columnId, t.reached, t.entered, t.exited, t.deleted, t.abandoned, t.returned),
]);

export const flowCountsDaily = pgTable('flow_counts_daily', flowCounterColumns(), (t) => [primaryKey({ columns: [t.boardId, t.bucket, t.columnId] })]);

export const flowCards = pgTable(
  'flow_cards',
  {
    cardId: text('card_id').primaryKey(),
    boardId: board(),
    title: text('title').notNull(),
    createdAt: ms('created_at').notNull(),
    committedAt: ms('committed_at'),
    doneAt: ms('done_at'),
    furthestId: text('furthest_id').notNull(),
    columnId: text('column_id').notNull(),
    deletedAt: ms('deleted_at'),
    parentId: text('parent_id'),
    splitAt: ms('split_at'),
  },
  (t) => [
    // The children of splits only, covering: the batch-size panel reads them without a scan of every card.
    index('flow_cards_children_idx').on(t.boardId, t.cardId, t.parentId, t.createdAt).where(sql`parent_id is not null`),
    index('flow_cards_done_idx').on(t.boardId, t.doneAt, t.cardId, t.title, t.createdAt, t.committedAt),
    index('flow_cards_open_idx').on(t.boardId, t.deletedAt, t.doneAt),
  ],
);

export const flowBlocks = pgTable(
  'flow_blocks',
  {
    boardId: board(),
    cardId: text('card_id').notNull(),
    openedVersion: integer('opened_version').notNull(),
    columnId: text('column_id').notNull(),
    reason: text('reason'),
    startedAt: ms('started_at').notNull(),
    endedAt: ms('ended_at'),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.cardId, t.openedVersion] }), index('flow_blocks_board_time_idx').on(t.boardId, t.startedAt)],
);

export const importedItems = pgTable('imported_items', {
  cardId: text('card_id').primaryKey(),
  boardId: board(),
  ord: integer('ord').notNull().default(0),
  externalId: text('external_id').notNull(),
  link: text('link'),
  attributes: text('attributes').notNull().default('{}'),
});

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: stamp('created_at').notNull().default(sql`now()`),
  updatedAt: stamp('updated_at').notNull().default(sql`now()`),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: stamp('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: stamp('created_at').notNull().default(sql`now()`),
    updatedAt: stamp('updated_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: stamp('access_token_expires_at'),
    refreshTokenExpiresAt: stamp('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: stamp('created_at').notNull().default(sql`now()`),
    updatedAt: stamp('updated_at').notNull(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: stamp('expires_at').notNull(),
    createdAt: stamp('created_at').notNull().default(sql`now()`),
    updatedAt: stamp('updated_at').notNull().default(sql`now()`),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

export const boardMembers = pgTable(
  'board_members',
  {
    boardId: board(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('board_members_user_idx').on(t.userId)],
);

export const boardInvites = pgTable(
  'board_invites',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('board_invites_board_idx').on(t.boardId)],
);

/** An invitation by email; nobody joins until they accept it (db/sqlite/schema.ts). */
export const boardEmailInvites = pgTable(
  'board_email_invites',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    invitedBy: text('invited_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [uniqueIndex('board_email_invites_board_email_idx').on(t.boardId, t.email), index('board_email_invites_email_idx').on(t.email)],
);

/** A CSV import under way, one per account at a time (db/sqlite/schema.ts). */
export const importLeases = pgTable('import_leases', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  leaseId: text('lease_id').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Facts every process of one deployment must agree on (the session secret's fingerprint). */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Outgoing webhooks of a board (db/sqlite/schema.ts). */
export const webhooks = pgTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    eventTypes: text('event_types').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: ms('disabled_at'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    failingSince: ms('failing_since'),
    createdBy: text('created_by'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('webhooks_board_idx').on(t.boardId)],
);

/**
 * The outbox: a row per event owed to webhooks, written in the event's own transaction when the board
 * has an enabled webhook of its type (db/store/tx.ts appendEvent), so what committed is never lost.
 * The sender turns each into a delivery per webhook after the commit, in batches
 * (lib/server/webhooks/sender.ts), and removes it in the same transaction.
 */
export const webhookOutbox = pgTable(
  'webhook_outbox',
  {
    boardId: board(),
    eventVersion: integer('event_version').notNull(),
    eventType: text('event_type').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.eventVersion] })],
);

/**
 * A delivery of one event to one webhook. Its id, `<webhook id>.<event version>`, is the delivery id
 * receivers de-duplicate by; its body is made from the event's row in the log at each attempt, the
 * same bytes every time (db/webhooks.ts payloadOf).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventVersion: integer('event_version').notNull(),
    /** No reference of its own: the webhook's goes with the board. */
    boardId: text('board_id').notNull(),
    eventType: text('event_type').notNull(),
    /** pending, delivered or dead (retried for a day without success). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the day of retries started: the event's commit, or the last redeliver. */
    retryFrom: ms('retry_from').notNull(),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    /** A sender holds the row until then; a process that died lets it go when it passes. */
    leaseUntil: ms('lease_until'),
    lastAttemptAt: ms('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
    deliveredAt: ms('delivered_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.eventVersion] }), index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);

export const inboundHooks = pgTable(
  'inbound_hooks',
  {
    id: text('id').primaryKey(),
    boardId: board(),
    name: text('name').notNull(),
    provider: text('provider').notNull(),
    secret: text('secret').notNull(),
    createdAt: ms('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [index('inbound_hooks_board_idx').on(t.boardId)],
);

export const inboundHookLog = pgTable(
  'inbound_hook_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    hookId: text('hook_id')
      .notNull()
      .references(() => inboundHooks.id, { onDelete: 'cascade' }),
    boardId: board(),
    at: ms('at').notNull(),
    provider: text('provider').notNull(),
    happening: text('happening'),
    deliveryId: text('delivery_id'),
    cardKey: text('card_key'),
    outcome: text('outcome').notNull(),
    code: text('code'),
    message: text('message').notNull(),
  },
  (t) => [index('inbound_hook_log_hook_idx').on(t.hookId, t.seq)],
);

export const inboundDeliveries = pgTable(
  'inbound_deliveries',
  {
    hookId: text('hook_id')
      .notNull()
      .references(() => inboundHooks.id, { onDelete: 'cascade' }),
    deliveryId: text('delivery_id').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hookId, t.deliveryId] })],
);

export const alertCards = pgTable(
  'alert_cards',
  {
    boardId: board(),
    fingerprint: text('fingerprint').notNull(),
    cardId: text('card_id').notNull(),
    status: text('status').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.fingerprint] })],
);
