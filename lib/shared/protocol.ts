/**
 * The one protocol module: event names, payload schemas and ack shapes shared by the Socket.IO
 * server, the browser client, the REST API (which reuses the payload schemas) and the tests.
 * Requests are imperative (`card:move`), facts are past tense (`board:event` carrying `card_moved`).
 */
import { z } from 'zod';
import { CARD_STAGES, CARD_TYPES, CLASSES_OF_SERVICE } from './domain/types';
import type { BoardEvent, BoardSnapshot, CardDTO, CardHistoryEntry, ColumnDTO, LaneDTO, PersonDTO } from './domain/types';
import type { ErrorCode } from './domain/errors';
import { LIMITS } from './domain/limits';
import { KEY_PREFIX_PATTERN, KEY_PREFIX_RULE } from './domain/keys';
import { BOARD_ROLES } from './domain/roles';
import { SPLIT_MAX_CHILDREN, SPLIT_MIN_CHILDREN } from './domain/cardSplit';
import type { StandupJoinInput, StandupStateMessage, StandupStepInput, StandupTimerInput } from './standup';

// In the browser, the pages' Content Security Policy forbids eval (lib/server/http/securityHeaders.ts):
// zod's compiled parsers could not run there, and its probe for them would be reported as a violation.
// The server keeps them.
if (typeof window !== 'undefined') z.config({ jitless: true });

/** Every text field: NUL is no character a person types, and PostgreSQL's text cannot hold it. */
const text = () => z.string().refine((s) => !s.includes('\u0000'), 'Text cannot contain the NUL character (U+0000)');
const id = text().min(1).max(LIMITS.id);
const clientMutationId = text().min(1).max(LIMITS.clientMutationId).optional();
const boardName = text().trim().min(1, 'A board needs a name').max(LIMITS.boardName);
const columnName = text().trim().min(1, 'A work center needs a name').max(LIMITS.columnName);
const wipLimit = z.number().int().min(1).max(LIMITS.wipLimitMax).nullable();
const cardTitle = text().trim().min(1, 'A card needs a title').max(LIMITS.cardTitle);
const cardDescription = text().max(LIMITS.cardDescription);
const reason = text().max(LIMITS.reason);
const cardType = z.enum(CARD_TYPES);
/** A card's assignees: board members' account ids, each once (the store checks they are members). */
const assigneeIds = z
  .array(id)
  .max(LIMITS.assigneesPerCard, `A card can have at most ${LIMITS.assigneesPerCard} assignees`)
  .refine((ids) => new Set(ids).size === ids.length, 'Each person can be assigned once');
const personWipLimit = z.number().int().min(1).max(LIMITS.wipLimitMax).nullable();
const laneName = text().trim().min(1, 'A lane needs a name').max(LIMITS.columnName);
const classOfService = z.enum(CLASSES_OF_SERVICE);
/** A limit per cell, by work center id; null removes one. */
const cellLimits = z.record(id, wipLimit).refine((r) => Object.keys(r).length <= LIMITS.columnsPerBoard, { message: `At most ${LIMITS.columnsPerBoard} cells` });
/** A calendar date as YYYY-MM-DD that exists (no 2026-02-30). */
export const isoDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}, 'A date is written YYYY-MM-DD and must exist');
/** Working days: at least one ISO weekday (1 = Monday … 7 = Sunday), each once, and holiday dates; null: every day. */
const workingDays = z
  .strictObject({
    weekdays: z
      .array(z.number().int().min(1, 'Weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'Weekdays are 1 (Monday) to 7 (Sunday)'))
      .min(1, 'At least one day of the week must be a working day')
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'Each weekday can be listed once'),
    holidays: z.array(isoDate).max(LIMITS.holidays, `At most ${LIMITS.holidays} holidays`).default([]),
  })
  .nullable();

/**
 * Payloads are strict: an unknown field is refused rather than dropped, so a misspelt optional field
 * (`beforeCardID`) fails loudly instead of silently putting the card somewhere else.
 */
export const schemas = {
  boardJoin: z.strictObject({ boardId: id, sinceVersion: z.number().int().min(0).optional() }),
  boardLeave: z.strictObject({ boardId: id }),
  boardCreate: z.strictObject({
    name: boardName,
    columns: z
      .array(z.strictObject({ name: columnName, wipLimit: wipLimit.optional() }))
      .min(1)
      .max(LIMITS.columnsPerBoard)
      .optional(),
  }),
  boardRename: z.strictObject({ boardId: id, name: boardName, clientMutationId }),
  /** Flow settings: the customer's demand (cards per week) and where cycle time starts (null: the second work center). */
  boardConfigure: z
    .strictObject({
      boardId: id,
      demandPerWeek: z.number().min(0).max(LIMITS.demandPerWeekMax).nullable().optional(),
      commitmentColumnId: id.nullable().optional(),
      /** Most cards in progress one person may hold (null: no limit). */
      personWipLimit: personWipLimit.optional(),
      /** Which days the team works, for forecasts (null: every day). */
      workingDays: workingDays.optional(),
      /** The prefix of the board's card keys (lib/shared/domain/keys.ts); written in capitals. */
      keyPrefix: z.string().trim().toUpperCase().regex(KEY_PREFIX_PATTERN, KEY_PREFIX_RULE).optional(),
      clientMutationId,
    })
    .refine((v) => v.demandPerWeek !== undefined || v.commitmentColumnId !== undefined || v.personWipLimit !== undefined || v.workingDays !== undefined || v.keyPrefix !== undefined, {
      message: 'Nothing to change',
    }),
  /** A flow page subscribes to a board's committed events without joining its viewers. */
  flowJoin: z.strictObject({ boardId: id }),
  columnAdd: z.strictObject({
    boardId: id,
    name: columnName,
    wipLimit: wipLimit.optional(),
    index: z.number().int().min(0).max(LIMITS.columnsPerBoard).optional(),
    clientMutationId,
  }),
  columnUpdate: z
    .strictObject({
      columnId: id,
      name: columnName.optional(),
      wipLimit: wipLimit.optional(),
      /** Split into doing and done, or join the halves (lib/shared/domain/split.ts). */
      split: z.boolean().optional(),
      clientMutationId,
    })
    .refine((v) => v.name !== undefined || v.wipLimit !== undefined || v.split !== undefined, { message: 'Nothing to change' }),
  columnMove: z.strictObject({ columnId: id, toIndex: z.number().int().min(0).max(LIMITS.columnsPerBoard), clientMutationId }),
  columnRemove: z.strictObject({ columnId: id, clientMutationId }),
  /** Swimlanes (lib/shared/domain/lanes.ts): an expedite lane is placed first whatever the index. */
  laneAdd: z.strictObject({
    boardId: id,
    name: laneName,
    classOfService: classOfService.optional(),
    wipLimit: wipLimit.optional(),
    index: z.number().int().min(0).max(LIMITS.columnsPerBoard).optional(),
    clientMutationId,
  }),
  laneUpdate: z
    .strictObject({ laneId: id, name: laneName.optional(), classOfService: classOfService.optional(), wipLimit: wipLimit.optional(), cellLimits: cellLimits.optional(), clientMutationId })
    .refine((v) => v.name !== undefined || v.classOfService !== undefined || v.wipLimit !== undefined || v.cellLimits !== undefined, { message: 'Nothing to change' }),
  laneMove: z.strictObject({ laneId: id, toIndex: z.number().int().min(0).max(LIMITS.columnsPerBoard), clientMutationId }),
  laneRemove: z.strictObject({ laneId: id, clientMutationId }),
  cardCreate: z.strictObject({
    boardId: id,
    columnId: id.optional(),
    /** The lane; absent: the board's first standard lane. */
    laneId: id.optional(),
    title: cardTitle,
    description: cardDescription.optional(),
    type: cardType.optional(),
    beforeCardId: id.nullable().optional(),
    assigneeIds: assigneeIds.optional(),
    clientMutationId,
  }),
  cardUpdate: z
    .strictObject({
      cardId: id,
      title: cardTitle.optional(),
      description: cardDescription.optional(),
      type: cardType.optional(),
      blocked: z.boolean().optional(),
      blockedReason: reason.nullable().optional(),
      assigneeIds: assigneeIds.optional(),
      clientMutationId,
    })
    .refine(
      (v) =>
        v.title !== undefined ||
        v.description !== undefined ||
        v.type !== undefined ||
        v.blocked !== undefined ||
        v.blockedReason !== undefined ||
        v.assigneeIds !== undefined,
      { message: 'Nothing to change' },
    ),
  cardMove: z.strictObject({
    cardId: id,
    toColumnId: id,
    /** Another lane to move the card to; absent: it stays in its lane. */
    toLaneId: id.optional(),
    /** The half of a split work center to drop into; absent: doing when arriving, the card's own half when reordering. */
    stage: z.enum(CARD_STAGES).optional(),
    beforeCardId: id.nullable().optional(),
    reason: reason.optional(),
    clientMutationId,
  }),
  /** Takes back one's own last move of a card, within seconds (lib/shared/domain/undo.ts). */
  cardUndoMove: z.strictObject({ cardId: id, version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), clientMutationId }),
  cardDelete: z.strictObject({ cardId: id, clientMutationId }),
  /** Splits a card into 2..20 smaller ones with these titles (lib/shared/domain/cardSplit.ts). */
  cardSplit: z.strictObject({
    cardId: id,
    titles: z
      .array(cardTitle)
      .min(SPLIT_MIN_CHILDREN, `A card splits into ${SPLIT_MIN_CHILDREN} to ${SPLIT_MAX_CHILDREN} cards: give at least ${SPLIT_MIN_CHILDREN} titles`)
      .max(SPLIT_MAX_CHILDREN, `A card splits into ${SPLIT_MIN_CHILDREN} to ${SPLIT_MAX_CHILDREN} cards: give at most ${SPLIT_MAX_CHILDREN} titles`),
    clientMutationId,
  }),
  cardHistory: z.strictObject({ cardId: id }),
  /** The next page of a work center sent in part (lib/shared/domain/cardWindow.ts): after its last card sent. */
  boardCards: z.strictObject({
    boardId: id,
    columnId: id,
    after: z.strictObject({ position: text().min(1).max(LIMITS.position), id }).nullable().optional(),
  }),
  presenceDrag: z.strictObject({ boardId: id, cardId: id.nullable() }),
  /**
   * The Socket.IO handshake `auth` object: empty for a browser (its session cookie goes with the
   * handshake), or an API token. Other fields (the display name older clients sent) are ignored:
   * the name comes from the account.
   */
  handshake: z.object({ token: text().min(1).max(LIMITS.apiToken).optional() }),
  /** Invite an existing account by email, or change a member's role. */
  /** An invitation by email (POST …/email-invites, and POST …/members, which records one too). */
  emailInvite: z.strictObject({ email: z.string().trim().toLowerCase().max(LIMITS.email).pipe(z.email('Enter an email address')), role: z.enum(BOARD_ROLES) }),
  memberUpdate: z.strictObject({ role: z.enum(BOARD_ROLES) }),
  inviteCreate: z.strictObject({
    role: z.enum(BOARD_ROLES),
    expiresInHours: z.number().int().min(1).max(LIMITS.inviteHoursMax).optional(),
  }),
  inviteAccept: z.strictObject({ token: text().min(1).max(LIMITS.apiToken) }),
  tokenCreate: z.strictObject({ name: text().trim().min(1, 'Name the token after what uses it').max(LIMITS.tokenName) }),
} as const;

export type BoardJoinInput = z.infer<typeof schemas.boardJoin>;
export type BoardCardsInput = z.infer<typeof schemas.boardCards>;
export type BoardCreateInput = z.infer<typeof schemas.boardCreate>;
export type BoardRenameInput = z.infer<typeof schemas.boardRename>;
export type BoardConfigureInput = z.infer<typeof schemas.boardConfigure>;
export type ColumnAddInput = z.infer<typeof schemas.columnAdd>;
export type ColumnUpdateInput = z.infer<typeof schemas.columnUpdate>;
export type ColumnMoveInput = z.infer<typeof schemas.columnMove>;
export type ColumnRemoveInput = z.infer<typeof schemas.columnRemove>;
export type LaneAddInput = z.infer<typeof schemas.laneAdd>;
export type LaneUpdateInput = z.infer<typeof schemas.laneUpdate>;
export type LaneMoveInput = z.infer<typeof schemas.laneMove>;
export type LaneRemoveInput = z.infer<typeof schemas.laneRemove>;
export type CardCreateInput = z.infer<typeof schemas.cardCreate>;
export type CardUpdateInput = z.infer<typeof schemas.cardUpdate>;
export type CardMoveInput = z.infer<typeof schemas.cardMove>;
export type CardUndoMoveInput = z.infer<typeof schemas.cardUndoMove>;
export type CardDeleteInput = z.infer<typeof schemas.cardDelete>;
export type CardSplitInput = z.infer<typeof schemas.cardSplit>;

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type Ack<T extends object = object> = ({ ok: true; version: number } & T) | Failure;
export type AckFn<T extends object = object> = (ack: Ack<T>) => void;

/** Every successful join also carries the board's people (db/store/people.ts); put them on the snapshot. */
type JoinPeople = { people?: PersonDTO[] };
export type JoinAck =
  | ({ ok: true; version: number; snapshot: BoardSnapshot } & JoinPeople)
  /** A big board's snapshot (over 2,000 cards) travels as its JSON's UTF-8 bytes: read it with unpackSnapshot. */
  | ({ ok: true; version: number; packedSnapshot: ArrayBuffer | Uint8Array } & JoinPeople)
  | ({ ok: true; version: number; events: BoardEvent[] } & JoinPeople)
  | Failure;

/** The snapshot of a join's `packedSnapshot` (an ArrayBuffer in browsers, a Buffer in Node). */
export function unpackSnapshot(bytes: ArrayBuffer | Uint8Array): BoardSnapshot {
  return JSON.parse(new TextDecoder().decode(bytes)) as BoardSnapshot;
}

/** A join's answer with any packed snapshot unpacked. */
export function unpackJoin<A extends Extract<JoinAck, { ok: true }>>(ack: A): { version: number; snapshot: BoardSnapshot } | { version: number; events: BoardEvent[] } {
  if ('packedSnapshot' in ack) return { version: ack.version, snapshot: unpackSnapshot(ack.packedSnapshot) };
  return ack;
}

export interface Viewer {
  /** Socket id: one entry per open tab. */
  id: string;
  name: string;
}

export interface ClientToServerEvents {
  'board:join': (payload: BoardJoinInput, ack: (a: JoinAck) => void) => void;
  'board:leave': (payload: { boardId: string }) => void;
  'board:rename': (payload: BoardRenameInput, ack: AckFn) => void;
  'board:configure': (payload: BoardConfigureInput, ack: AckFn) => void;
  /** Subscribe to a board's `board:event`s for a flow page; the ack carries the board's version. */
  'flow:join': (payload: { boardId: string }, ack: (a: { ok: true; version: number } | Failure) => void) => void;
  'flow:leave': (payload: { boardId: string }) => void;
  'column:add': (payload: ColumnAddInput, ack: AckFn<{ column: ColumnDTO }>) => void;
  'column:update': (payload: ColumnUpdateInput, ack: AckFn) => void;
  'column:move': (payload: ColumnMoveInput, ack: AckFn) => void;
  'column:remove': (payload: ColumnRemoveInput, ack: AckFn) => void;
  'lane:add': (payload: LaneAddInput, ack: AckFn<{ lane: LaneDTO }>) => void;
  'lane:update': (payload: LaneUpdateInput, ack: AckFn) => void;
  'lane:move': (payload: LaneMoveInput, ack: AckFn) => void;
  'lane:remove': (payload: LaneRemoveInput, ack: AckFn) => void;
  'card:create': (payload: CardCreateInput, ack: AckFn<{ card: CardDTO }>) => void;
  'card:update': (payload: CardUpdateInput, ack: AckFn) => void;
  'card:move': (payload: CardMoveInput, ack: AckFn<{ card: CardDTO }>) => void;
  'card:undo-move': (payload: CardUndoMoveInput, ack: AckFn<{ card: CardDTO }>) => void;
  'card:delete': (payload: CardDeleteInput, ack: AckFn) => void;
  'card:split': (payload: CardSplitInput, ack: AckFn<{ cards: CardDTO[] }>) => void;
  'card:history': (
    payload: { cardId: string },
    ack: (a: { ok: true; history: CardHistoryEntry[] } | Failure) => void,
  ) => void;
  /** A work center's next CARD_WINDOW cards in board order, its count, at the board's version. */
  'board:cards': (payload: BoardCardsInput, ack: AckFn<{ cards: CardDTO[]; total: number }>) => void;
  'presence:drag': (payload: { boardId: string; cardId: string | null }) => void;
  /** Standup mode (lib/shared/standup.ts, lib/server/standup.ts): each ack carries the board's standup state. */
  'standup:join': (payload: StandupJoinInput, ack: (a: StandupAck) => void) => void;
  'standup:leave': (payload: StandupJoinInput, ack: (a: StandupAck) => void) => void;
  'standup:lead': (payload: StandupJoinInput, ack: (a: StandupAck) => void) => void;
  'standup:release': (payload: StandupJoinInput, ack: (a: StandupAck) => void) => void;
  'standup:step': (payload: StandupStepInput, ack: (a: StandupAck) => void) => void;
  'standup:timer': (payload: StandupTimerInput, ack: (a: StandupAck) => void) => void;
}

export type StandupAck = { ok: true; state: StandupStateMessage } | Failure;

export interface ServerToClientEvents {
  'board:event': (event: BoardEvent) => void;
  'presence:viewers': (payload: { boardId: string; viewers: Viewer[] }) => void;
  'presence:drag': (payload: { boardId: string; viewerId: string; name: string; cardId: string | null }) => void;
  /** A board's standup changed (lead, step, timer): to every socket with its standup view open. */
  'standup:state': (state: StandupStateMessage) => void;
  /** This account was removed from the board: its sockets have left the board's rooms. */
  'board:removed': (payload: { boardId: string }) => void;
  /** The board's people changed (someone joined, left or was renamed): the whole list, as a join sends it. */
  'board:people': (payload: { boardId: string; people: PersonDTO[] }) => void;
  /**
   * The session this socket was opened with ended (it expired, or its account signed out): the server
   * closes the socket right after. Reconnecting with the same cookie would be refused: sign in again.
   */
  'session:ended': (payload: { code: 'SESSION_EXPIRED'; message: string }) => void;
}

/** Most events a `board:join` with `sinceVersion` replays before it sends a fresh snapshot instead. */
export const MAX_CATCH_UP_EVENTS = 500;

/** Turns a zod failure into the one-line message of an INVALID error. */
export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Invalid request';
  const path = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${path}${first.message}`;
}
