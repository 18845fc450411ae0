import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch: compact, indexable, and exact for flow metrics.

export const boards = sqliteTable('boards', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Goes up by one per event; clients use it to detect gaps. */
  version: integer('version').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  /** The customer's demand in cards per week, set by the product owner; null when not set. */
  demandPerWeek: real('demand_per_week'),
  /** Where cycle time starts; null means the second work center in board order. */
  commitmentColumnId: text('commitment_column_id'),
  /** No longer read (the cursor below replaced it); left for the contract step of a later release. */
  flowReady: integer('flow_ready', { mode: 'boolean' }).notNull().default(false),
  /**
   * The projection cursor: the last version whose flow aggregates are applied. Behind `version` only
   * between a write's commit and its catch-up (db/flow.ts), on whichever process runs first.
   */
  flowVersion: integer('flow_version').notNull().default(0),
  /** True while a CSV import writes the board in slices (db/import.ts): hidden from the board list. */
  importing: integer('importing', { mode: 'boolean' }).notNull().default(false),
  /** Most cards in progress one person may hold (db/store/people.ts); null: no limit. */
  personWipLimit: integer('person_wip_limit'),
  /** Working days for forecasts as JSON ({ weekdays, holidays }); null: every day. */
  workingDays: text('working_days'),
  /** The prefix of the board's card keys (lib/shared/domain/keys.ts); null: derived from the name (frozen at the first rename). */
  keyPrefix: text('key_prefix'),
  /** The inbound hooks' mapping from pipeline happenings to work centers, as JSON (lib/shared/hooks.ts); null: none. */
  hookMapping: text('hook_mapping'),
});

export const columns = sqliteTable(
  'columns',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Left-to-right place in the value stream, 0-based and dense among live columns. */
    ord: integer('ord').notNull(),
    wipLimit: integer('wip_limit'),
    createdAt: integer('created_at').notNull(),
    /** Removed columns stay so that the event log that names them stays readable. */
    removedAt: integer('removed_at'),
    /**
     * Place in the flow order: every work center the board ever had, removed ones included where
     * they stood, dense from 0. The CFD's levels follow it (see lib/shared/flow/order.ts).
     */
    flowOrd: integer('flow_ord').notNull().default(0),
    /** Split into a doing half and a done half (lib/shared/domain/split.ts). */
    split: integer('split', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('columns_board_idx').on(t.boardId, t.ord)],
);

export const cards = sqliteTable(
  'cards',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    columnId: text('column_id')
      .notNull()
      .references(() => columns.id),
    /** The card's swimlane (lanes below); null only for a row written before lanes, read as its board's default lane. */
    laneId: text('lane_id'),
    position: text('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    type: text('type').notNull().default('feature'),
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    blockedReason: text('blocked_reason'),
    /** Blocked time of the card's closed blocked intervals, ms (lib/shared/domain/blocked.ts). */
    blockedMs: integer('blocked_ms').notNull().default(0),
    /** When the open blocked interval started; null while not blocked. */
    blockedSince: integer('blocked_since'),
    defectCount: integer('defect_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    enteredColumnAt: integer('entered_column_at').notNull(),
    deletedAt: integer('deleted_at'),
    /** The card's assignees: a JSON array of account ids (db/store/people.ts). */
    assigneeIds: text('assignee_ids').notNull().default('[]'),
    /** Its half of a split work center: 'doing' or 'done' (always 'doing' in one not split). */
    stage: text('stage').notNull().default('doing'),
    /** The card this one was split from (db/store/cardSplit.ts); a split parent is off the board (deleted_at set) and the log says it was split. */
    parentId: text('parent_id'),
    /** The card's number on its board (its key is PREFIX-number): max + 1 under the board's lock, never reused. */
    number: integer('number'),
    /** The last automated move refused for this card (JSON AutomationRefusal); cleared by its next move. */
    automationRefusal: text('automation_refusal'),
  },
  (t) => [
    uniqueIndex('cards_board_number_idx').on(t.boardId, t.number),
    index('cards_column_idx').on(t.columnId, t.position),
    index('cards_board_live_idx').on(t.boardId, t.columnId, t.deletedAt),
    // The assigned cards only: a join names their people without reading a big board's every card.
    index('cards_assigned_idx').on(t.boardId).where(sql`assignee_ids <> '[]'`),
    index('cards_lane_idx').on(t.laneId, t.columnId, t.deletedAt),
  ],
);

/**
 * Swimlanes (lib/shared/domain/lanes.ts): rows across the work centers, each with a class of service
 * and an optional limit of its own. Removed lanes stay so that the log that names them stays readable.
 */
export const lanes = sqliteTable(
  'lanes',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** standard, expedite, fixed_date or intangible. */
    classOfService: text('class_of_service').notNull().default('standard'),
    wipLimit: integer('wip_limit'),
    /** Top-to-bottom place, 0-based and dense among live lanes; an expedite lane is 0. */
    ord: integer('ord').notNull(),
    createdAt: integer('created_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('lanes_board_idx').on(t.boardId, t.ord)],
);

/** A limit per cell: one lane in one work center. */
export const laneColumnLimits = sqliteTable(
  'lane_column_limits',
  {
    laneId: text('lane_id')
      .notNull()
      .references(() => lanes.id, { onDelete: 'cascade' }),
    columnId: text('column_id').notNull(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    wipLimit: integer('wip_limit').notNull(),
  },
  (t) => [primaryKey({ columns: [t.laneId, t.columnId] }), index('lane_column_limits_board_idx').on(t.boardId)],
);

/** The append-only event log. Rows are inserted, never updated or deleted. */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    /** The account that made the change; null for the seeded demo board and imports without one. */
    actorId: text('actor_id'),
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
      .references(() => events.seq, { onDelete: 'cascade' }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    cardId: text('card_id').notNull(),
    detectedAtColumnId: text('detected_at_column_id').notNull(),
    returnedToColumnId: text('returned_to_column_id').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    index('backward_moves_returned_idx').on(t.returnedToColumnId, t.at),
    index('backward_moves_board_at_idx').on(t.boardId, t.at),
  ],
);

/*
 * Flow aggregates (lib/shared/flow, db/flow.ts). Kept in the same transaction as each event and equal to a
 * full recomputation from the log (tests/unit/flow-aggregate.property.test.ts).
 */

/**
 * One row per card and work center it has reached. `reachedAt` is when the card first got to this
 * work center or any later one in flow order (the CFD's definition); `enteredAt` is its first entry
 * into this very work center (null when it skipped it). Cycle and lead times read it directly.
 */
export const cardFlow = sqliteTable(
  'card_flow',
  {
    cardId: text('card_id').notNull(),
    columnId: text('column_id').notNull(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    enteredAt: integer('entered_at'),
    reachedAt: integer('reached_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cardId, t.columnId] }), index('card_flow_reached_idx').on(t.boardId, t.columnId, t.reachedAt)],
);

/**
 * Counters per board, work center and hour (`bucket` = whole hours since the epoch, UTC). Hours, not
 * days: a viewer's day starts at a different UTC hour in each time zone. The daily table below holds
 * the same sums per UTC day so that the totals before a range start are a short read.
 */
const flowCounterColumns = {
  boardId: text('board_id')
    .notNull()
    .references(() => boards.id, { onDelete: 'cascade' }),
  columnId: text('column_id').notNull(),
  bucket: integer('bucket').notNull(),
  /** Cards that first reached this work center or a later one. */
  reached: integer('reached').notNull().default(0),
  /** Every entry into this work center (creation in it, moves into it). */
  entered: integer('entered').notNull().default(0),
  /** Every move out of it to another work center. */
  exited: integer('exited').notNull().default(0),
  /** Cards deleted while in it. */
  deleted: integer('deleted').notNull().default(0),
  /** Deleted cards, counted at the furthest work center they had reached (to take them out of WIP). */
  abandoned: integer('abandoned').notNull().default(0),
  /** Backward moves that returned a card to it (defects found downstream). */
  returned: integer('returned').notNull().default(0),
};

export const flowCountsHourly = sqliteTable('flow_counts_hourly', flowCounterColumns, (t) => [
  primaryKey({ columns: [t.boardId, t.bucket, t.columnId] }),
  // Covering: a range read is an index scan without a lookup per row (bench/flow.ts).
  index('flow_counts_hourly_cover_idx').on(t.boardId, t.bucket, t.columnId, t.reached, t.entered, t.exited, t.deleted, t.abandoned, t.returned),
]);

export const flowCountsDaily = sqliteTable('flow_counts_daily', flowCounterColumns, (t) => [
  primaryKey({ columns: [t.boardId, t.bucket, t.columnId] }),
]);

/**
 * One row per card with the times the metrics need, so that the finished cards of a range are one
 * covering index scan rather than three lookups per card. `committedAt` and `doneAt` are the card's
 * reached times at the board's current commitment and last work centers; a settings or work-center
 * change recomputes them for the board.
 */
export const flowCards = sqliteTable(
  'flow_cards',
  {
    cardId: text('card_id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    createdAt: integer('created_at').notNull(),
    committedAt: integer('committed_at'),
    doneAt: integer('done_at'),
    /** The furthest work center (flow order) the card has entered. */
    furthestId: text('furthest_id').notNull(),
    columnId: text('column_id').notNull(),
    deletedAt: integer('deleted_at'),
    /** The card it was split from (a child of a split), for the batch-size panel. */
    parentId: text('parent_id'),
    /** When it was split into smaller cards (then deletedAt is the same time: it left the board unfinished). */
    splitAt: integer('split_at'),
  },
  (t) => [
    // The children of splits only, covering: the batch-size panel reads them without a scan of every card.
    index('flow_cards_children_idx').on(t.boardId, t.cardId, t.parentId, t.createdAt).where(sql`parent_id is not null`),
    index('flow_cards_done_idx').on(t.boardId, t.doneAt, t.cardId, t.title, t.createdAt, t.committedAt),
    index('flow_cards_open_idx').on(t.boardId, t.deletedAt, t.doneAt),
  ],
);

/**
 * One row per blocked interval of a card in one work center with one reason: blocking opens one,
 * unblocking or deleting the card closes it, a move or a new reason while blocked closes it and opens
 * the next. `openedVersion` is the version of the event that opened it. The blocker panel reads the
 * intervals that overlap a range (lib/shared/flow/blockers.ts).
 */
export const flowBlocks = sqliteTable(
  'flow_blocks',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    cardId: text('card_id').notNull(),
    openedVersion: integer('opened_version').notNull(),
    columnId: text('column_id').notNull(),
    reason: text('reason'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.cardId, t.openedVersion] }), index('flow_blocks_board_time_idx').on(t.boardId, t.startedAt)],
);

/** What a CSV import knew about an item that the board does not model, kept so export gives it back. */
export const importedItems = sqliteTable('imported_items', {
  cardId: text('card_id').primaryKey(),
  boardId: text('board_id')
    .notNull()
    .references(() => boards.id, { onDelete: 'cascade' }),
  /** The item's place in the imported file: the export gives items back in that order. */
  ord: integer('ord').notNull().default(0),
  externalId: text('external_id').notNull(),
  link: text('link'),
  /** JSON object of the attribute columns (`Type`, `Blocked Days`, ...) as they were in the file. */
  attributes: text('attributes').notNull().default('{}'),
});

/*
 * Accounts (better-auth, lib/server/auth.ts). The four tables below are the ones its Drizzle adapter
 * reads and writes: the object keys are its field names, so they must not be renamed. better-auth
 * stores times as Date objects, hence `timestamp_ms` here where our own tables use plain integers.
 */
const createdNow = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** The display name: shown in presence and recorded as the actor of every event. */
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
  image: text('image'),
  /** The instance administrator: the first account, or one made with `cli user:create --admin`. */
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accounts = sqliteTable(
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
    accessTokenExpiresAt: integer('access_token_expires_at', { mode: 'timestamp_ms' }),
    refreshTokenExpiresAt: integer('refresh_token_expires_at', { mode: 'timestamp_ms' }),
    scope: text('scope'),
    /** The password hash, written and checked by better-auth only. */
    password: text('password'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

export const verifications = sqliteTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(createdNow),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/** Who may see a board and what they may change: admin > member > viewer (lib/shared/domain/roles.ts). */
export const boardMembers = sqliteTable(
  'board_members',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('board_members_user_idx').on(t.userId)],
);

/** A link that lets whoever holds it join a board once, until it expires. Only the hash is kept. */
export const boardInvites = sqliteTable(
  'board_invites',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('board_invites_board_idx').on(t.boardId)],
);

/**
 * An invitation to a board addressed to an email address. Nobody joins until the person with that
 * address accepts it from their home page; it is kept whether or not an account uses the address yet,
 * so recording one says nothing about who has an account.
 */
export const boardEmailInvites = sqliteTable(
  'board_email_invites',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    /** Trimmed and lower-cased, as accounts store theirs. */
    email: text('email').notNull(),
    role: text('role').notNull(),
    invitedBy: text('invited_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('board_email_invites_board_email_idx').on(t.boardId, t.email), index('board_email_invites_email_idx').on(t.email)],
);

/**
 * A CSV import under way: one per account at a time, on every process. A lease, renewed while the
 * import runs, so a row left by a process that died frees itself when it expires.
 */
export const importLeases = sqliteTable('import_leases', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  leaseId: text('lease_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** Personal API tokens: `Authorization: Bearer <token>` with the owner's board roles. Only the hash is kept. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, shown in the list so its owner can tell tokens apart. */
    prefix: text('prefix').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Facts every process of one deployment must agree on (the session secret's fingerprint). */
export const instanceSettings = sqliteTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Outgoing webhooks of a board (lib/server/webhooks): board configuration, not board state, so never
 * in the event log (the secret must not be in it). `event_types` is a JSON array of event type names.
 */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Signs every delivery (HMAC-SHA256); shown to the admin once, at creation. */
    secret: text('secret').notNull(),
    eventTypes: text('event_types').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** Why the app turned it off (it kept failing): the admins' notice. Null when an admin did. */
    disabledReason: text('disabled_reason'),
    disabledAt: integer('disabled_at'),
    /** Failed attempts in a row, and since when: a webhook that keeps failing is disabled. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    failingSince: integer('failing_since'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhooks_board_idx').on(t.boardId)],
);

/**
 * The outbox: a row per event owed to webhooks, written in the event's own transaction when the board
 * has an enabled webhook of its type (db/store/tx.ts appendEvent), so what committed is never lost.
 * The sender turns each into a delivery per webhook after the commit, in batches
 * (lib/server/webhooks/sender.ts), and removes it in the same transaction.
 */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    eventVersion: integer('event_version').notNull(),
    eventType: text('event_type').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.eventVersion] })],
);

/**
 * A delivery of one event to one webhook. Its id, `<webhook id>.<event version>`, is the delivery id
 * receivers de-duplicate by; its body is made from the event's row in the log at each attempt, the
 * same bytes every time (db/webhooks.ts payloadOf).
 */
export const webhookDeliveries = sqliteTable(
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
    retryFrom: integer('retry_from').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** A sender holds the row until then; a process that died lets it go when it passes. */
    leaseUntil: integer('lease_until'),
    lastAttemptAt: integer('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
    deliveredAt: integer('delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.eventVersion] }), index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);

/** Inbound hooks (lib/server/hooks): one endpoint and secret each; the secret is kept to check HMAC signatures. */
export const inboundHooks = sqliteTable(
  'inbound_hooks',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** What the admin said will call it (github, gitlab, alertmanager, generic); the request's headers decide. */
    provider: text('provider').notNull(),
    secret: text('secret').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [index('inbound_hooks_board_idx').on(t.boardId)],
);

/** What each inbound hook received and what it did (or why it did nothing): for the board's admins. */
export const inboundHookLog = sqliteTable(
  'inbound_hook_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    hookId: text('hook_id')
      .notNull()
      .references(() => inboundHooks.id, { onDelete: 'cascade' }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    provider: text('provider').notNull(),
    happening: text('happening'),
    deliveryId: text('delivery_id'),
    cardKey: text('card_key'),
    /** moved, created, noted, refused, ignored, duplicate, unauthorized, invalid, failed. */
    outcome: text('outcome').notNull(),
    code: text('code'),
    message: text('message').notNull(),
  },
  (t) => [index('inbound_hook_log_hook_idx').on(t.hookId, t.seq)],
);

/** Delivery ids already handled per hook: a replay is answered "already handled" and does nothing. */
export const inboundDeliveries = sqliteTable(
  'inbound_deliveries',
  {
    hookId: text('hook_id')
      .notNull()
      .references(() => inboundHooks.id, { onDelete: 'cascade' }),
    deliveryId: text('delivery_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hookId, t.deliveryId] })],
);

/** One card per alert fingerprint per board: re-firing notifications find it here. */
export const alertCards = sqliteTable(
  'alert_cards',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    cardId: text('card_id').notNull(),
    /** firing or resolved, as the last notification said. */
    status: text('status').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.fingerprint] })],
);
