/**
 * Wire types (DTOs) shared by server, client, REST and tests. Dates travel as
 * ISO strings because that is what survives JSON and Socket.IO unchanged.
 */

export const CARD_TYPES = ['feature', 'defect', 'incident', 'feedback', 'chore'] as const;
export type CardType = (typeof CARD_TYPES)[number];

/**
 * Where a card stands inside a split work center (lib/shared/domain/split.ts): 'doing' is being
 * worked on, 'done' is finished there and waiting for the next work center to pull it. A card in a
 * work center that is not split is always 'doing'.
 */
export const CARD_STAGES = ['doing', 'done'] as const;
export type CardStage = (typeof CARD_STAGES)[number];

export interface ColumnDTO {
  id: string;
  boardId: string;
  name: string;
  /** Null means no WIP limit. */
  wipLimit: number | null;
  /** Backward moves that returned cards to this work center in the last DEFECT_WINDOW_DAYS. */
  defectsReturned: number;
  /** Split into a doing half and a done half (cards waiting to be pulled); absent in old logs: false. */
  split: boolean;
}

export interface CardDTO {
  id: string;
  boardId: string;
  columnId: string;
  /** The card's lane (lanes.ts): a card of a log written before lanes is in its board's default lane. */
  laneId: string;
  /** Order key within the column; compare as plain strings, ties broken by id. */
  position: string;
  title: string;
  description: string;
  type: CardType;
  blocked: boolean;
  blockedReason: string | null;
  /** Blocked time of the card's closed blocked intervals, ms; the open one is added by blockedTimeOf. */
  blockedMs: number;
  /** When the card's open blocked interval started; null while it is not blocked. */
  blockedSince: string | null;
  /** How many times this card has been moved backward (a defect passed downstream). */
  defectCount: number;
  createdAt: string;
  updatedAt: string;
  /** When the card last entered its current column (a move between the halves of a split one keeps it). */
  enteredColumnAt: string;
  /** Its half of a split work center; always 'doing' in one that is not split. Absent in old events: 'doing'. */
  stage: CardStage;
  /** The people the card is assigned to (account ids, in the order they were given). */
  assigneeIds: string[];
  /** The card this one was split from (card_split); null for a card made whole (and in logs from before splits). */
  parentId: string | null;
  /**
   * The card's number on its board: its key is `<board's keyPrefix>-<number>` (lib/shared/domain/keys.ts).
   * Given by the server at creation, never reused; 0 only on an optimistic card not yet answered.
   */
  number: number;
  /** The last automated move of this card that the rules refused (an inbound hook's); cleared by its next move. */
  automationRefusal?: AutomationRefusal | null;
}

/** An inbound hook's move refused by the board's rules (a full work center, say): shown on the card. */
export interface AutomationRefusal {
  hookName: string;
  toColumnId: string;
  code: string;
  message: string;
  at: string;
}

/** Someone a board's cards can name: a member, or a former member still assigned to a card. */
export interface PersonDTO {
  id: string;
  name: string;
  /** False for someone no longer on the board who is still assigned to one of its cards. */
  member: boolean;
}

export const CLASSES_OF_SERVICE = ['standard', 'expedite', 'fixed_date', 'intangible'] as const;
export type ClassOfService = (typeof CLASSES_OF_SERVICE)[number];

/** A horizontal swimlane across the work centers, with its class of service (lib/shared/domain/lanes.ts). */
export interface LaneDTO {
  id: string;
  boardId: string;
  name: string;
  classOfService: ClassOfService;
  /** The lane's own limit over its cards in progress (not in the first or last work center); null: none. */
  wipLimit: number | null;
  /** Limits per cell (this lane × a work center), by work center id; a work center not named has none. */
  cellLimits: Record<string, number>;
}

export interface BoardSummaryDTO {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  cardCount: number;
  columnCount: number;
}

export interface BoardSnapshot {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  /** Columns in value-stream order, left to right. */
  columns: ColumnDTO[];
  /** Swimlanes top to bottom (an expedite lane first); at least one (lib/shared/domain/lanes.ts). */
  lanes: LaneDTO[];
  /** All live cards; order inside a column is by (position, id). With `window`: see CardWindow. */
  cards: CardDTO[];
  /** Present when some work centers hold more cards than a join sends (lib/shared/domain/cardWindow.ts). */
  window?: CardWindow;
  /**
   * Most cards in progress (outside the first and last work centers) one person may hold; absent
   * means no limit. Folded from `person_wip_limit_set`.
   */
  personWipLimit?: number;
  /**
   * Who the cards can name: the members, and former members still assigned (sent by a join and the
   * REST board read, kept live by `board:people`). Not part of the log: the fold leaves it as it is.
   */
  people?: PersonDTO[];
  /** The prefix of the board's card keys (lib/shared/domain/keys.ts); absent: derived from the name (keyPrefixOf). */
  keyPrefix?: string;
}

/**
 * A big board as a join sends it: every work center's first cards in board order, with each long
 * one's count. For every work center named in `totals`, `cards` holds a prefix of its cards in
 * (position, id) order and `totals` their true number; the others are whole. The rest of a work
 * center loads a page at a time (`board:cards`).
 */
export interface CardWindow {
  /** Live cards of each work center sent in part, counting those not sent. */
  totals: Record<string, number>;
  /** An event moved a card that was not sent into the part that was: join again for a fresh window. */
  stale?: boolean;
}

/**
 * Where a card stands on the board: what an undo puts back, whole. The fold spreads it onto the card
 * (lib/shared/domain/undo.ts applyUndo), so a field a move sets that joins it (a lane, say) comes
 * back with the undo once it is added here, to placeOf, and to the store's update (db/store/undo.ts).
 */
export interface CardPlace {
  columnId: string;
  /** Absent in undos recorded before lanes: the card stays in its lane. */
  laneId?: string;
  position: string;
  enteredColumnAt: string;
  /** Absent in undos recorded before split work centers: 'doing'. */
  stage?: CardStage;
}

/** The move an undo takes back (lib/shared/domain/undo.ts). */
export interface UndoneMove {
  /** The version of the undone card_moved event. */
  version: number;
  /** When the undone move happened: the flow projection takes its counts back at that time. */
  at: string;
  /** The undone move was backward: its defect is taken back too. */
  backward: boolean;
  /** For an undone backward move: the work center its defect was counted against. */
  returnedToColumnId: string | null;
  /** The card's place before the undone move: where the undo puts it. */
  place: CardPlace;
}

/**
 * Which days a board's team works, for forecasts: ISO weekdays (1 = Monday … 7 = Sunday), ascending,
 * and holiday dates (YYYY-MM-DD), ascending. A board without the setting works every day.
 */
export interface WorkingDays {
  weekdays: number[];
  holidays: string[];
}

interface EventBase {
  boardId: string;
  version: number;
  /** The display name of who made the change, as it was then. */
  actor: string;
  /** Their account id; null for changes the app made itself (the demo board). */
  actorId?: string | null;
  at: string;
  /** Echoed from the request that caused it, so the author can match its pending change. */
  clientMutationId?: string | null;
}

export type BoardEventBody =
  /** `lanes` is absent from logs written before lanes: the board then has its one default lane. */
  | { type: 'board_created'; name: string; columns: ColumnDTO[]; lanes?: LaneDTO[]; /** Absent before card keys: derived from the name. */ keyPrefix?: string }
  | { type: 'board_renamed'; name: string }
  | { type: 'column_added'; column: ColumnDTO; index: number }
  | { type: 'column_renamed'; columnId: string; name: string }
  | { type: 'column_moved'; columnId: string; toIndex: number }
  | { type: 'column_removed'; columnId: string }
  | { type: 'wip_limit_set'; columnId: string; wipLimit: number | null }
  /** A work center split into doing and done, or joined again (lib/shared/domain/split.ts). */
  | { type: 'column_split_set'; columnId: string; split: boolean }
  | { type: 'lane_added'; lane: LaneDTO; index: number }
  | { type: 'lane_renamed'; laneId: string; name: string }
  | { type: 'lane_moved'; laneId: string; toIndex: number }
  | { type: 'lane_removed'; laneId: string }
  /** The lane's class and limits as they are after the change (all of them, not a patch). */
  | { type: 'lane_configured'; laneId: string; classOfService: ClassOfService; wipLimit: number | null; cellLimits: Record<string, number> }
  /** Flow settings (lib/shared/flow): the customer's demand in cards per week, and where cycle time starts. */
  | { type: 'board_settings_changed'; demandPerWeek: number | null; commitmentColumnId: string | null }
  /** The most cards in progress one person may hold on this board (null: no limit). */
  | { type: 'person_wip_limit_set'; personWipLimit: number | null }
  /** The board's working days, for forecasts (lib/shared/flow/forecast.ts); null: every day (the default). */
  | { type: 'working_days_set'; workingDays: WorkingDays | null }
  /** The prefix of the board's card keys (admins); the numbers stay. */
  | { type: 'key_prefix_set'; keyPrefix: string }
  | { type: 'card_created'; card: CardDTO }
  /** An inbound hook asked to move the card and the rules refused (the actor is the hook, by name). */
  | { type: 'card_automation_refused'; cardId: string; hookName: string; toColumnId: string; code: string; message: string }
  | {
      type: 'card_updated';
      cardId: string;
      changes: Partial<Pick<CardDTO, 'title' | 'description' | 'type' | 'blocked' | 'blockedReason' | 'assigneeIds'>>;
    }
  | { type: 'card_deleted'; cardId: string; columnId: string }
  /**
   * A card replaced by smaller ones (lib/shared/domain/cardSplit.ts): the parent leaves the board, split
   * rather than deleted, and its children (2..SPLIT_MAX_CHILDREN, each with `parentId`) take its place.
   */
  | { type: 'card_split'; cardId: string; columnId: string; children: CardDTO[] }
  | {
      type: 'card_moved';
      cardId: string;
      fromColumnId: string;
      toColumnId: string;
      position: string;
      /** Present when the move changed the card's lane. */
      fromLaneId?: string;
      toLaneId?: string;
      /** Present when the move changed the card's stage (its half of a split work center). */
      fromStage?: CardStage;
      toStage?: CardStage;
      /** True when the card went to a work center left of the one it was in. */
      backward: boolean;
      /** A backward move's defect (required for one). Left out of a forward move's event. */
      reason?: string | null;
      /** For a backward move: the work center that detected the defect (the one it left). */
      detectedAtColumnId?: string | null;
      /** For a backward move: the work center it returned to. */
      returnedToColumnId?: string | null;
      /** Present on an undo (lib/shared/domain/undo.ts): the move it takes back, and where the card stood before it. */
      undoes?: UndoneMove;
    };

export type BoardEvent = EventBase & BoardEventBody;
export type BoardEventType = BoardEvent['type'];

export interface CardHistoryEntry {
  version: number;
  type: BoardEventType;
  actor: string;
  at: string;
  fromColumnId?: string;
  toColumnId?: string;
  fromLaneId?: string;
  toLaneId?: string;
  /** Present when the move changed the card's half of a split work center. */
  fromStage?: CardStage;
  toStage?: CardStage;
  backward?: boolean;
  reason?: string | null;
  changes?: Record<string, unknown>;
  /** On an undo: the version of the move it took back. */
  undoes?: number;
  /** On a split, in the parent's history: the cards it was split into. */
  childIds?: string[];
  /** On a split, in a child's history: the card it was split from, and that card's title. */
  parentId?: string;
  parentTitle?: string;
}
