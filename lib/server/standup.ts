import { DomainError } from '../shared/domain/errors';
import { emptyStandup, isNewer, standupSchemas, type StandupState } from '../shared/standup';
import { parseOrFail, requireRole } from './commands';

/**
 * Standup mode on the server: per board, who presents, their place in the walk and the shared
 * timer. Memory only, like presence (lib/server/presence.ts): it is not board state and nothing is
 * written. Each process keeps every board's state; a change is made on the presenter's process, sent
 * to that process's standup views and, through the adapter (serverSideEmit), to the other processes,
 * which keep it and send it to theirs. Of two changes made at once on two processes, every process
 * keeps the same one (`isNewer`: seq, then time, then presenter).
 */

/** The sockets of a board's standup view (one room per board, on every process). */
export const standupRoomOf = (boardId: string) => `standup:${boardId}`;

export const STANDUP_REQUESTS = ['standup:join', 'standup:leave', 'standup:lead', 'standup:release', 'standup:step', 'standup:timer'] as const;
export type StandupRequest = (typeof STANDUP_REQUESTS)[number];

/** One socket of a standup view: its id (a tab), its account and name. */
export interface StandupViewer {
  id: string;
  userId: string;
  name: string;
}

export interface StandupHubDeps {
  /** The account's role on the board, or null when it is not a member. */
  roleOf(boardId: string, userId: string): Promise<string | null>;
  /** Sends a state to this process's sockets in the board's standup room. */
  emitLocal(state: StandupState): void;
  /** Sends a state to the other processes; absent with one process. */
  publish?(state: StandupState): void;
  /** Steps and takeovers per account (the presence:drag budget): false when over it. */
  take(userId: string): boolean;
  joinRoom(socketId: string, room: string): Promise<void> | void;
  leaveRoom(socketId: string, room: string): Promise<void> | void;
  /**
   * Whether a socket is still connected on some process (absent: assumed so). A presenter on a
   * process that died never disconnects anywhere: the next join finds it gone and frees the lead.
   */
  isConnected?(socketId: string): Promise<boolean>;
  now?: () => number;
}

const NOT_OPEN = (boardId: string) => new DomainError('FORBIDDEN', `Open the standup of board ${boardId} first (standup:join)`);
const NOT_PRESENTER = new DomainError('FORBIDDEN', 'Only the presenter may do this: take the lead first (standup:lead)');
const THROTTLED = new DomainError('RATE_LIMITED', 'Too many standup steps at once: slow down and try again');

export class StandupHub {
  private readonly states = new Map<string, StandupState>();
  /** Socket id → the boards whose standup it has open, on this process. */
  private readonly open = new Map<string, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly deps: StandupHubDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A board's standup as this process knows it. */
  stateOf(boardId: string): StandupState {
    return this.states.get(boardId) ?? emptyStandup(boardId);
  }

  /** Runs one request; throws a DomainError to refuse it. Answers with the board's state after it. */
  async handle(name: StandupRequest, viewer: StandupViewer, payload: unknown): Promise<StandupState> {
    switch (name) {
      case 'standup:join': {
        const { boardId } = parseOrFail(standupSchemas.join, payload);
        requireRole(await this.deps.roleOf(boardId, viewer.userId), 'viewer');
        await this.deps.joinRoom(viewer.id, standupRoomOf(boardId));
        const boards = this.open.get(viewer.id) ?? new Set<string>();
        boards.add(boardId);
        this.open.set(viewer.id, boards);
        const current = this.stateOf(boardId);
        const presenter = current.presenter;
        if (presenter && presenter.id !== viewer.id && this.deps.isConnected && !(await this.deps.isConnected(presenter.id))) {
          // Unless someone took over meanwhile.
          const now = this.stateOf(boardId);
          if (now.presenter?.id === presenter.id) return this.commit({ ...now, presenter: null });
        }
        return this.stateOf(boardId);
      }
      case 'standup:leave': {
        const { boardId } = parseOrFail(standupSchemas.leave, payload);
        this.close(viewer.id, boardId);
        return this.stateOf(boardId);
      }
      case 'standup:lead': {
        const { boardId } = parseOrFail(standupSchemas.lead, payload);
        this.mustBeOpen(viewer, boardId);
        if (!this.deps.take(viewer.userId)) throw THROTTLED;
        // Leading changes what everyone's screen shows: a member's right, not a viewer's.
        const role = await this.deps.roleOf(boardId, viewer.userId);
        if (requireRole(role, 'viewer') === 'viewer') throw new DomainError('FORBIDDEN', 'A viewer follows the standup; leading it takes a member of the board');
        // The view may have closed while the role was read.
        this.mustBeOpen(viewer, boardId);
        const current = this.stateOf(boardId);
        // A takeover carries on from the place the last presenter left.
        return this.commit({ ...current, presenter: { id: viewer.id, name: viewer.name } });
      }
      case 'standup:release': {
        const { boardId } = parseOrFail(standupSchemas.release, payload);
        this.mustPresent(viewer, boardId);
        return this.commit({ ...this.stateOf(boardId), presenter: null });
      }
      case 'standup:step': {
        const { boardId, columnId, cardId } = parseOrFail(standupSchemas.step, payload);
        const current = this.mustPresent(viewer, boardId);
        if (!this.deps.take(viewer.userId)) throw THROTTLED;
        const moved = current.columnId !== columnId;
        return this.commit({ ...current, columnId, cardId, columnSince: moved ? this.now() : current.columnSince });
      }
      case 'standup:timer': {
        const input = parseOrFail(standupSchemas.timer, payload);
        const current = this.mustPresent(viewer, input.boardId);
        if (input.action === 'stop') return this.commit({ ...current, timer: { ...current.timer, startedAt: null } });
        const now = this.now();
        return this.commit({
          ...current,
          columnSince: now,
          timer: {
            startedAt: now,
            timeboxMs: input.timeboxMinutes === undefined ? current.timer.timeboxMs : input.timeboxMinutes * 60_000,
            columnBudgetMs: input.columnBudgetMinutes === undefined ? current.timer.columnBudgetMs : input.columnBudgetMinutes * 60_000,
          },
        });
      }
    }
  }

  /** A state another process made. */
  received(state: StandupState): void {
    if (!isNewer(state, this.states.get(state.boardId))) return;
    this.states.set(state.boardId, state);
    this.deps.emitLocal(state);
  }

  /** A socket closed: its standups are closed, and a presenter's lead is released. */
  disconnected(socketId: string): void {
    for (const boardId of this.open.get(socketId) ?? []) this.close(socketId, boardId);
    this.open.delete(socketId);
  }

  /** A socket's account lost its membership of a board: out of its standup. */
  evicted(socketId: string, boardId: string): void {
    this.close(socketId, boardId);
  }

  private isOpen(socketId: string, boardId: string): boolean {
    return this.open.get(socketId)?.has(boardId) ?? false;
  }

  private mustBeOpen(viewer: StandupViewer, boardId: string): void {
    if (!this.isOpen(viewer.id, boardId)) throw NOT_OPEN(boardId);
  }

  private mustPresent(viewer: StandupViewer, boardId: string): StandupState {
    this.mustBeOpen(viewer, boardId);
    const current = this.stateOf(boardId);
    if (current.presenter?.id !== viewer.id) throw NOT_PRESENTER;
    return current;
  }

  private close(socketId: string, boardId: string): void {
    const boards = this.open.get(socketId);
    if (!boards?.delete(boardId)) return;
    if (boards.size === 0) this.open.delete(socketId);
    void this.deps.leaveRoom(socketId, standupRoomOf(boardId));
    const current = this.stateOf(boardId);
    if (current.presenter?.id === socketId) this.commit({ ...current, presenter: null });
  }

  private commit(next: StandupState): StandupState {
    const current = this.states.get(next.boardId);
    const at = this.now();
    // A hybrid clock: ahead of every state this process has seen of the board, and of the wall clock.
    const state = { ...next, seq: Math.max((current?.seq ?? 0) + 1, at), at };
    this.states.set(state.boardId, state);
    this.deps.emitLocal(state);
    this.deps.publish?.(state);
    return state;
  }
}
