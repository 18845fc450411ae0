import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { Access } from '../../db/access';
import type { Store } from '../../db/store';
import type { BoardEvent } from '../shared/domain/types';
import { CARD_WINDOW } from '../shared/domain/cardWindow';
import type { JoinSnapshot } from './heavyReads';
import {
  MAX_CATCH_UP_EVENTS,
  schemas,
  type ClientToServerEvents,
  type Failure,
  type JoinAck,
  type ServerToClientEvents,
} from '../shared/protocol';
import type { Authenticate, Principal } from './auth';
import { authorize, COMMAND_NAMES, executeCommand, parseOrFail, toFailure } from './commands';
import type { ConnectionCounter } from './connections';
import type { Logger } from './logger';
import { BoardSequencer } from './cluster/sequencer';
import { dragsOf, viewersOf, ViewerListSchedule } from './presence';
import { joinKeyOf, writeKeyOf, type RateLimiter, type WriteLimiter } from './rateLimit';
import { STANDUP_REQUESTS, StandupHub, standupRoomOf } from './standup';
import type { StandupState } from '../shared/standup';

interface SocketData {
  /** The account's display name, shown in presence. */
  name: string;
  userId: string;
  tokenId?: string;
  /** The session a cookie socket was opened with, and when it expires as far as this socket knows. */
  sessionId?: string;
  sessionExpiresAt?: number;
  /**
   * Presence: board id → the card this socket is dragging there (null: none), for every board it
   * views. Kept here, not in a map of this process, so that fetchSockets() reads it from any process.
   */
  viewing: Record<string, string | null>;
}

/** Messages between the app processes of one cluster (Socket.IO's serverSideEmit, through the adapter). */
interface InterServerEvents {
  /** Someone joined or left a board somewhere: each process sends its own viewers a fresh list. */
  'presence:changed': (boardId: string) => void;
  /** An account lost its membership: each process evicts its own sockets of that account. */
  'member:removed': (userId: string, boardId: string) => void;
  /** Events another process committed, for this process's viewers. */
  'board:events': (events: BoardEvent[]) => void;
  /** A board's standup changed on another process (lib/server/standup.ts). */
  'standup:state': (state: StandupState) => void;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type FlowSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const roomOf = (boardId: string) => `board:${boardId}`;
/** Every socket of one account, one API token, one session: to evict or disconnect them at once. */
const userRoomOf = (userId: string) => `user:${userId}`;
const tokenRoomOf = (tokenId: string) => `token:${tokenId}`;
const sessionRoomOf = (sessionId: string) => `session:${sessionId}`;
/** Open flow pages of a board: they get its events (and fold them in themselves) but are not viewers. */
export const flowRoomOf = (boardId: string) => `flow:${boardId}`;

/** A room-wide viewer list goes out at most this often per board: presence can lag a quarter second. */
const VIEWER_LIST_INTERVAL_MS = 250;

/** Largest Socket.IO message accepted: a full card (10,000-character description) fits well inside. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** How long an event that came before its predecessor waits for it (lib/server/cluster/sequencer.ts). */
const EVENT_HOLD_MS = 500;

/** A timer cannot wait longer than about 24.8 days: a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A session check that could not read the database is tried again after this. */
const SESSION_RECHECK_MS = 5_000;

const SESSION_ENDED = { code: 'SESSION_EXPIRED', message: 'Your session ended: sign in again' } as const;

/** Tells a socket its session ended and closes it; the browser then asks the person to sign in again. */
function endSession(socket: FlowSocket): void {
  socket.emit('session:ended', SESSION_ENDED);
  socket.disconnect(true);
}

const MALFORMED: Failure = { ok: false, code: 'INVALID', message: 'Send one payload object, then the ack function' };

/**
 * Splits a request's arguments. Socket.IO puts the ack function last, whatever came before it, so
 * it is taken from there: a request with no payload or with extra arguments is then still answered
 * (refused as MALFORMED) instead of left hanging. Acks are optional: a client that sends none still
 * gets its change applied and broadcast.
 */
function requestOf<T>(args: readonly unknown[]): { payload: unknown; ack: (value: T) => void; wellFormed: boolean } {
  const last = args.at(-1);
  const hasAck = typeof last === 'function';
  const payloads = hasAck ? args.slice(0, -1) : args;
  return { payload: payloads[0], ack: hasAck ? (last as (value: T) => void) : () => {}, wellFormed: payloads.length === 1 };
}

export interface RealtimeDeps {
  store: Store;
  access: Access;
  logger: Logger;
  authenticate: Authenticate;
  /** Browser origins allowed to open a socket (a handshake without an Origin header is not a browser's). */
  origins: readonly string[];
  /** The write budget, one per account (writeKeyOf), shared with the REST API and other processes. */
  limiter: WriteLimiter;
  /** The join budget (board:join, flow:join), one per account (joinKeyOf), across processes. */
  joinLimiter: WriteLimiter;
  /** Drag announcements per account, on this process. */
  dragLimiter: RateLimiter;
  /** The cap on sockets per account. */
  connections: ConnectionCounter;
  /** When a session expires now (it may have been extended by use since a socket opened); null when it is gone. */
  sessionExpiresAt: (sessionId: string) => Promise<number | null>;
  /**
   * Socket.IO's adapter across processes (lib/server/cluster); absent: the in-memory one, one process.
   * With it, rooms, broadcasts, fetchSockets() and disconnectSockets() reach every process.
   */
  adapter?: ServerOptions['adapter'];
  /** A board's snapshot for a join; default the store's (the app reads big boards off the event loop). */
  readSnapshot?: (boardId: string) => Promise<JoinSnapshot>;
}

export interface Realtime {
  io: RealtimeServer;
  /** Sends a commit's events to every process's viewers of the board, in version order. */
  broadcast(events: readonly BoardEvent[]): void;
  /**
   * Takes a user's sockets out of a board's rooms: at once on this process (nothing of the board
   * reaches them after this returns), on the others as soon as the message through Redis arrives,
   * which is before any broadcast published after it.
   */
  removeFromBoard(userId: string, boardId: string): void;
  /** Tells a board's viewers (on every process) its people now: someone joined, left or was removed. */
  peopleChanged(boardId: string): void;
  /** Closes the sockets opened with a revoked API token, or (telling them why) with a session that ended. */
  disconnectToken(tokenId: string): void;
  disconnectSession(sessionId: string): void;
}

/** What the command table needs of a socket's account: its id for the role checks, its name for the events. */
const principalOf = (socket: FlowSocket): Principal => ({
  user: { id: socket.data.userId, name: socket.data.name, email: '', isAdmin: false },
  tokenId: socket.data.tokenId,
});

const refusal = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { data: { code } });

export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { store, access, logger, limiter, joinLimiter, dragLimiter, connections } = deps;
  const ctx = { store, access, logger };
  const clustered = deps.adapter !== undefined;
  const io: RealtimeServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    // Cross-site WebSocket hijacking: a page elsewhere could open a socket that carries our cookie.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(origin === undefined || deps.origins.includes(origin) ? null : 'Origin not allowed', origin === undefined || deps.origins.includes(origin));
    },
  });

  // One emit per event to both rooms (Socket.IO sends once per socket): O(1) per open flow page.
  const sequencer = new BoardSequencer(
    (event) => io.local.to(roomOf(event.boardId)).to(flowRoomOf(event.boardId)).emit('board:event', event),
    EVENT_HOLD_MS,
  );
  /** Sends committed events to every process's viewers, in version order. */
  const broadcast = (events: readonly BoardEvent[]): void => {
    if (clustered && events.length > 0) io.serverSideEmit('board:events', [...events]);
    for (const event of events) sequencer.push(event);
  };
  io.on('board:events', (events) => {
    for (const event of events) sequencer.push(event);
  });
  httpServer.once('close', () => sequencer.stop());

  /** The sockets viewing a board on every process; a process that died is not asked (the adapter counts live ones). */
  const boardSockets = (boardId: string) => io.in(roomOf(boardId)).fetchSockets();

  // Each process sends the list to its own viewers only, built from the sockets of all processes:
  // a viewer's lists then come from one process, one at a time, so the last one it gets is the newest.
  const viewerLists = new ViewerListSchedule(VIEWER_LIST_INTERVAL_MS, async (boardId) => {
    if (!io.sockets.adapter.rooms.has(roomOf(boardId))) return;
    try {
      const viewers = viewersOf(await boardSockets(boardId), boardId);
      io.local.to(roomOf(boardId)).emit('presence:viewers', { boardId, viewers });
    } catch (error) {
      // A process that hangs without dying: the list stays as it was until the next change.
      logger.warn(`viewer list of board ${boardId} not sent`, error instanceof Error ? error.message : error);
    }
  });
  httpServer.once('close', () => viewerLists.stop());
  const presenceChanged = (boardId: string) => {
    viewerLists.request(boardId);
    if (clustered) io.serverSideEmit('presence:changed', boardId);
  };
  io.on('presence:changed', (boardId) => viewerLists.request(boardId));

  // Standup mode: the presenter's place and timer, per board, in memory (lib/server/standup.ts).
  const standup = new StandupHub({
    roleOf: (boardId, userId) => access.roleOf(boardId, userId),
    emitLocal: (state) => io.local.to(standupRoomOf(state.boardId)).emit('standup:state', { ...state, now: Date.now() }),
    publish: clustered ? (state) => io.serverSideEmit('standup:state', state) : undefined,
    take: (userId) => dragLimiter.take(userId),
    joinRoom: (socketId, room) => io.sockets.sockets.get(socketId)?.join(room),
    leaveRoom: (socketId, room) => io.sockets.sockets.get(socketId)?.leave(room),
    // Every socket is in a room named by its id, on every process; one that cannot be asked now counts as there.
    isConnected: async (socketId) => {
      if (io.sockets.sockets.has(socketId)) return true;
      try {
        return (await io.in(socketId).fetchSockets()).length > 0;
      } catch (error) {
        logger.warn('could not ask the other processes about a standup presenter', error instanceof Error ? error.message : error);
        return true;
      }
    },
  });
  io.on('standup:state', (state) => standup.received(state));

  // The session cookie (sent by the browser with the handshake) or an API token in `auth: { token }`.
  io.use((socket, next) => {
    const parsed = schemas.handshake.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success) return next(refusal('INVALID', 'auth must be {} or { token: string }'));
    void (async () => {
      let principal: Principal | null;
      try {
        principal = await deps.authenticate(socket.request.headers, parsed.data.token ?? null);
      } catch (error) {
        // The database unreachable: UNAVAILABLE (try again), logged as a warning; anything else INTERNAL.
        const failure = toFailure(error, logger, 'socket authentication');
        return next(refusal(failure.code, failure.code === 'UNAVAILABLE' ? failure.message : 'Could not check the credentials'));
      }
      if (!principal) return next(refusal('UNAUTHENTICATED', 'Sign in, or connect with auth { token } (an API token)'));
      const userId = principal.user.id;
      if (!(await connections.admit(userId, socket.id))) {
        return next(refusal('TOO_MANY_CONNECTIONS', `This account already has ${connections.cap} connections open, the most it may: close some of its tabs or integrations, then try again`));
      }
      // Counted until the socket disconnects, or until its transport closes if it never got to connect.
      const release = () => {
        socket.conn.off('close', release);
        connections.release(userId, socket.id);
      };
      socket.conn.once('close', release);
      socket.once('disconnect', release);
      if (socket.conn.readyState === 'closing' || socket.conn.readyState === 'closed') release();
      socket.data.name = principal.user.name;
      socket.data.userId = userId;
      socket.data.tokenId = principal.tokenId;
      socket.data.sessionId = principal.sessionId;
      socket.data.sessionExpiresAt = principal.sessionExpiresAt;
      socket.data.viewing = {};
      void socket.join([userRoomOf(userId), ...(principal.tokenId ? [tokenRoomOf(principal.tokenId)] : []), ...(principal.sessionId ? [sessionRoomOf(principal.sessionId)] : [])]);
      next();
    })();
  });

  const RATE_LIMITED: Failure = { ok: false, code: 'RATE_LIMITED', message: 'Too many changes at once: slow down and try again' };
  const JOINS_LIMITED: Failure = { ok: false, code: 'RATE_LIMITED', message: 'Too many boards opened at once: try again in a few seconds' };

  /**
   * Whether a cookie socket's session is still on. Before the expiry the socket holds, yes (sign-out
   * closes the socket through disconnectSession). Past it, the database says: page loads and REST
   * calls may have extended the session (better-auth's updateAge); the socket's own traffic does not.
   */
  const sessionLive = async (socket: FlowSocket): Promise<boolean> => {
    const { sessionId, sessionExpiresAt } = socket.data;
    if (sessionId === undefined || sessionExpiresAt === undefined || Date.now() < sessionExpiresAt) return true;
    const now = await deps.sessionExpiresAt(sessionId);
    if (now !== null && now > Date.now()) {
      socket.data.sessionExpiresAt = now;
      return true;
    }
    endSession(socket);
    return false;
  };

  /** Closes a cookie socket when its session expires (unless use extended it meanwhile); the timer ends with the socket. */
  const watchSession = (socket: FlowSocket): void => {
    if (socket.data.sessionExpiresAt === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const schedule = (delay: number) => {
      timer = setTimeout(() => void check(), Math.min(Math.max(delay, 0), MAX_TIMER_MS));
    };
    const check = async () => {
      try {
        if ((await sessionLive(socket)) && socket.connected) schedule((socket.data.sessionExpiresAt ?? 0) - Date.now());
      } catch (error) {
        logger.warn('the session of a socket could not be checked; trying again shortly', error instanceof Error ? error.message : error);
        if (socket.connected) schedule(SESSION_RECHECK_MS);
      }
    };
    schedule(socket.data.sessionExpiresAt - Date.now());
    socket.once('disconnect', () => clearTimeout(timer));
  };

  /** A request's session check: false (with the refusal acked) when the session ended or could not be checked. */
  const stillSignedIn = async (socket: FlowSocket, ack: (value: Failure) => void, context: string): Promise<boolean> => {
    try {
      if (await sessionLive(socket)) return true;
      ack({ ok: false, ...SESSION_ENDED });
    } catch (error) {
      ack(toFailure(error, logger, context));
    }
    return false;
  };

  /** An async handler whose failure is logged: an unhandled rejection would end the process. */
  const guarded =
    (context: string, handler: (...args: unknown[]) => Promise<void>) =>
    (...args: unknown[]): void =>
      void handler(...args).catch((error: unknown) => logger.error(`${context} failed`, error));

  /** Tells a socket that just joined who is on the board and what they are dragging, on every process. */
  const greet = async (socket: FlowSocket, boardId: string) => {
    try {
      const sockets = await boardSockets(boardId);
      socket.emit('presence:viewers', { boardId, viewers: viewersOf(sockets, boardId) });
      // A late joiner sees the cards others are dragging right now, not only the next drag.
      for (const drag of dragsOf(sockets, boardId)) if (drag.viewerId !== socket.id) socket.emit('presence:drag', { boardId, ...drag });
    } catch (error) {
      logger.warn(`viewer list of board ${boardId} not sent to a joiner`, error instanceof Error ? error.message : error);
    }
  };

  io.on('connection', (socket: FlowSocket) => {
    watchSession(socket);
    /** The account's budgets, shared by all its sockets and its REST calls on every process. */
    const mayWrite = async (): Promise<boolean> => limiter.take(writeKeyOf(socket.data.userId));
    // Before anything is looked up: a join of a board that does not exist costs the same as any other.
    const mayJoin = async (): Promise<boolean> => joinLimiter.take(joinKeyOf(socket.data.userId));

    socket.on(
      'board:join',
      guarded('board:join', async (...args) => {
        const { payload, ack, wellFormed } = requestOf<JoinAck>(args);
        if (!wellFormed) return ack(MALFORMED);
        if (!(await stillSignedIn(socket, ack, 'board:join'))) return;
        if (!(await mayJoin())) return ack(JOINS_LIMITED);
        let boardId: string | undefined;
        let wasViewing = false;
        try {
          const input = parseOrFail(schemas.boardJoin, payload);
          boardId = input.boardId;
          wasViewing = boardId in socket.data.viewing;
          // Membership first: the room is joined only by a socket that may see every event sent to it.
          await authorize(access, principalOf(socket), boardId, 'viewer');
          // The room before the read: an event committed in between then reaches the socket twice (in
          // the read and as a broadcast, and the client drops the version it has) rather than never.
          await socket.join(roomOf(boardId));
          const snapshotOrEvents = await readBoard(boardId, input.sinceVersion);
          sequencer.joined(boardId, snapshotOrEvents.version);
          // A removal that ran between the check and the join found no socket of this board to evict.
          await authorize(access, principalOf(socket), boardId, 'viewer');
          // A rejoin (catching up after a gap) can come mid-drag: the drag is still on.
          socket.data.viewing[boardId] ??= null;
          // Before the ack: the joiner knows who is here once it has the board.
          await greet(socket, boardId);
          // The board's people travel beside the board: they are not in its log (db/store/people.ts).
          ack({ ok: true, ...snapshotOrEvents, people: await store.people(boardId) });
          // The others hear of it with the next coalesced list.
          if (!wasViewing) presenceChanged(boardId);
        } catch (error) {
          if (boardId !== undefined && !wasViewing) {
            void socket.leave(roomOf(boardId));
            delete socket.data.viewing[boardId];
          }
          ack(toFailure(error, logger, 'board:join'));
        }
      }),
    );

    socket.on(
      'flow:join',
      guarded('flow:join', async (...args) => {
        const { payload, ack, wellFormed } = requestOf<unknown>(args);
        if (!wellFormed) return ack(MALFORMED);
        if (!(await stillSignedIn(socket, ack, 'flow:join'))) return;
        if (!(await mayJoin())) return ack(JOINS_LIMITED);
        let boardId: string | undefined;
        let wasIn = false;
        try {
          boardId = parseOrFail(schemas.flowJoin, payload).boardId;
          wasIn = socket.rooms.has(flowRoomOf(boardId));
          // The flow room carries every event of the board: the same membership as board:join.
          await authorize(access, principalOf(socket), boardId, 'viewer');
          // The room before the version read, as for board:join: the page ignores events up to the version it has.
          await socket.join(flowRoomOf(boardId));
          const version = await store.flow.version(boardId);
          await authorize(access, principalOf(socket), boardId, 'viewer');
          ack({ ok: true, version });
        } catch (error) {
          if (boardId !== undefined && !wasIn) void socket.leave(flowRoomOf(boardId));
          ack(toFailure(error, logger, 'flow:join'));
        }
      }),
    );

    socket.on('flow:leave', (payload) => {
      const parsed = schemas.flowJoin.safeParse(payload);
      if (parsed.success) void socket.leave(flowRoomOf(parsed.data.boardId));
    });

    socket.on('board:leave', (payload) => {
      const parsed = schemas.boardLeave.safeParse(payload);
      if (!parsed.success) return;
      const { boardId } = parsed.data;
      void socket.leave(roomOf(boardId));
      if (!(boardId in socket.data.viewing)) return;
      const dragging = socket.data.viewing[boardId];
      delete socket.data.viewing[boardId];
      if (dragging) io.to(roomOf(boardId)).emit('presence:drag', { boardId, viewerId: socket.id, name: socket.data.name, cardId: null });
      presenceChanged(boardId);
    });

    for (const name of COMMAND_NAMES) {
      socket.on(
        name,
        guarded(name, async (...args) => {
          const { payload, ack, wellFormed } = requestOf<unknown>(args);
          if (!wellFormed) return ack(MALFORMED);
          if (!(await stillSignedIn(socket, ack, name))) return;
          if (!(await mayWrite())) return ack(RATE_LIMITED);
          const outcome = await executeCommand(ctx, name, payload, principalOf(socket));
          if (!outcome.ok) return ack(outcome);
          broadcast(outcome.events);
          ack({ ok: true, version: outcome.version, ...outcome.reply });
        }),
      );
    }

    socket.on(
      'card:history',
      guarded('card:history', async (...args) => {
        const { payload, ack, wellFormed } = requestOf<unknown>(args);
        if (!wellFormed) return ack(MALFORMED);
        if (!(await stillSignedIn(socket, ack, 'card:history'))) return;
        try {
          const { cardId: ref } = parseOrFail(schemas.cardHistory, payload);
          const cardId = await store.cardIdOf(ref, { userId: principalOf(socket).user.id });
          await authorize(access, principalOf(socket), await store.boardOfCard(cardId), 'viewer', 'Card not found');
          ack({ ok: true, history: await store.cardHistory(cardId) });
        } catch (error) {
          ack(toFailure(error, logger, 'card:history'));
        }
      }),
    );

    socket.on(
      'board:cards',
      guarded('board:cards', async (...args) => {
        const { payload, ack, wellFormed } = requestOf<unknown>(args);
        if (!wellFormed) return ack(MALFORMED);
        if (!(await stillSignedIn(socket, ack, 'board:cards'))) return;
        try {
          const { boardId, columnId, after } = parseOrFail(schemas.boardCards, payload);
          await authorize(access, principalOf(socket), boardId, 'viewer');
          // A page is bounded (CARD_WINDOW cards), whatever the work center's length.
          ack({ ok: true, ...(await store.cardPage(boardId, columnId, after ?? null, CARD_WINDOW)) });
        } catch (error) {
          ack(toFailure(error, logger, 'board:cards'));
        }
      }),
    );

    for (const name of STANDUP_REQUESTS) {
      socket.on(
        name,
        guarded(name, async (...args) => {
          const { payload, ack, wellFormed } = requestOf<unknown>(args);
          if (!wellFormed) return ack(MALFORMED);
          if (!(await stillSignedIn(socket, ack, name))) return;
          try {
            const state = await standup.handle(name, { id: socket.id, userId: socket.data.userId, name: socket.data.name }, payload);
            ack({ ok: true, state: { ...state, now: Date.now() } });
          } catch (error) {
            ack(toFailure(error, logger, name));
          }
        }),
      );
    }

    socket.on('presence:drag', (payload) => {
      const parsed = schemas.presenceDrag.safeParse(payload);
      if (!parsed.success) return;
      const { boardId, cardId } = parsed.data;
      if (!(boardId in socket.data.viewing) || !socket.rooms.has(roomOf(boardId))) return;
      // The end of a drag always goes out (else the others keep seeing it), once; a start costs budget.
      if (cardId === null ? socket.data.viewing[boardId] === null : !dragLimiter.take(socket.data.userId)) return;
      socket.data.viewing[boardId] = cardId;
      socket.to(roomOf(boardId)).volatile.emit('presence:drag', { boardId, viewerId: socket.id, name: socket.data.name, cardId });
    });

    socket.on('disconnecting', () => {
      for (const [boardId, dragging] of Object.entries(socket.data.viewing)) {
        if (dragging) socket.to(roomOf(boardId)).emit('presence:drag', { boardId, viewerId: socket.id, name: socket.data.name, cardId: null });
        // Built after the socket has left its rooms, so the list goes to the others without it.
        presenceChanged(boardId);
      }
      socket.data.viewing = {};
      standup.disconnected(socket.id);
    });
  });

  /** The snapshot, or the events after `sinceVersion` when the log still has them all. */
  async function readBoard(boardId: string, sinceVersion: number | undefined) {
    if (sinceVersion !== undefined) {
      const events = await store.eventsSince(boardId, sinceVersion, MAX_CATCH_UP_EVENTS);
      if (events) return { version: events.at(-1)?.version ?? sinceVersion, events };
    }
    if (deps.readSnapshot) return deps.readSnapshot(boardId);
    const snapshot = await store.getSnapshot(boardId);
    return { version: snapshot.version, snapshot };
  }

  /** Evicts this process's sockets of an account from a board (each process does its own). */
  const evictLocal = (userId: string, boardId: string): void => {
    let evicted = false;
    for (const id of io.sockets.adapter.rooms.get(userRoomOf(userId)) ?? []) {
      const socket = io.sockets.sockets.get(id);
      if (!socket) continue;
      const dragging = socket.data.viewing[boardId];
      void socket.leave(roomOf(boardId));
      void socket.leave(flowRoomOf(boardId));
      delete socket.data.viewing[boardId];
      standup.evicted(id, boardId);
      if (dragging) io.to(roomOf(boardId)).emit('presence:drag', { boardId, viewerId: id, name: socket.data.name, cardId: null });
      socket.emit('board:removed', { boardId });
      evicted = true;
    }
    if (evicted) presenceChanged(boardId);
  };
  io.on('member:removed', evictLocal);

  return {
    io,
    broadcast,
    peopleChanged(boardId) {
      store
        .people(boardId)
        .then((people) => io.to(roomOf(boardId)).emit('board:people', { boardId, people }))
        .catch((error: unknown) => logger.warn(`board:people for ${boardId} failed`, error instanceof Error ? error.message : error));
    },
    removeFromBoard(userId, boardId) {
      // Synchronous here: the rooms are left before the caller's next broadcast.
      evictLocal(userId, boardId);
      if (clustered) io.serverSideEmit('member:removed', userId, boardId);
    },
    // Through the adapter: the sockets of every process close.
    disconnectToken: (tokenId) => void io.in(tokenRoomOf(tokenId)).disconnectSockets(true),
    disconnectSession: (sessionId) => {
      io.in(sessionRoomOf(sessionId)).emit('session:ended', SESSION_ENDED);
      io.in(sessionRoomOf(sessionId)).disconnectSockets(true);
    },
  };
}
