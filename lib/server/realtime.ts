import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Access } from '../../db/access';
import type { Store } from '../../db/store';
import type { BoardEvent } from '../domain/types';
import {
  MAX_CATCH_UP_EVENTS,
  schemas,
  type ClientToServerEvents,
  type Failure,
  type JoinAck,
  type ServerToClientEvents,
  type Viewer,
} from '../realtime/protocol';
import type { Authenticate, Principal } from './auth';
import { authorize, COMMAND_NAMES, executeCommand, parseOrFail, toFailure } from './commands';
import type { Logger } from './logger';
import { Presence, ViewerListSchedule } from './presence';
import type { RateLimiter, TokenBucket } from './rateLimit';

interface SocketData {
  /** The account's display name, shown in presence. */
  name: string;
  userId: string;
  tokenId?: string;
  /** This connection's write budget. */
  writes: TokenBucket;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type FlowSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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

export function broadcastEvents(io: RealtimeServer, events: readonly BoardEvent[]): void {
  // One emit per event to both rooms (Socket.IO sends once per socket): O(1) per open flow page.
  for (const event of events) io.to(roomOf(event.boardId)).to(flowRoomOf(event.boardId)).emit('board:event', event);
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
  /** Per-token write buckets, shared with the REST API; each connection also has its own. */
  limiter: RateLimiter;
}

export interface Realtime {
  io: RealtimeServer;
  /** Takes a user's sockets out of a board's rooms at once: nothing of the board reaches them after this returns. */
  removeFromBoard(userId: string, boardId: string): void;
  /** Closes the sockets opened with a revoked API token or a session that ended. */
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
  const { store, access, logger, limiter } = deps;
  const ctx = { store, access, logger };
  const io: RealtimeServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // Cross-site WebSocket hijacking: a page elsewhere could open a socket that carries our cookie.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(origin === undefined || deps.origins.includes(origin) ? null : 'Origin not allowed', origin === undefined || deps.origins.includes(origin));
    },
  });
  const presence = new Presence();

  const viewerLists = new ViewerListSchedule(VIEWER_LIST_INTERVAL_MS, (boardId) => {
    const viewers: Viewer[] = presence.viewers(boardId);
    io.to(roomOf(boardId)).emit('presence:viewers', { boardId, viewers });
  });
  const publishViewers = (boardId: string) => viewerLists.request(boardId);
  httpServer.once('close', () => viewerLists.stop());

  // The session cookie (sent by the browser with the handshake) or an API token in `auth: { token }`.
  io.use((socket, next) => {
    const parsed = schemas.handshake.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success) return next(refusal('INVALID', 'auth must be {} or { token: string }'));
    deps.authenticate(socket.request.headers, parsed.data.token ?? null).then(
      (principal) => {
        if (!principal) return next(refusal('UNAUTHENTICATED', 'Sign in, or connect with auth { token } (an API token)'));
        socket.data.name = principal.user.name;
        socket.data.userId = principal.user.id;
        socket.data.tokenId = principal.tokenId;
        socket.data.writes = limiter.bucket();
        void socket.join([userRoomOf(principal.user.id), ...(principal.tokenId ? [tokenRoomOf(principal.tokenId)] : []), ...(principal.sessionId ? [sessionRoomOf(principal.sessionId)] : [])]);
        next();
      },
      (error: unknown) => {
        logger.error('socket authentication failed', error);
        next(refusal('INTERNAL', 'Could not check the credentials'));
      },
    );
  });

  /** The connection's own bucket and, for a token, the token's bucket shared with REST and its other sockets. */
  const mayWrite = (socket: FlowSocket): boolean =>
    socket.data.writes.take() && (socket.data.tokenId === undefined || limiter.take(`token:${socket.data.tokenId}`));
  const RATE_LIMITED: Failure = { ok: false, code: 'RATE_LIMITED', message: 'Too many changes at once: slow down and try again' };

  io.on('connection', (socket: FlowSocket) => {
    socket.on('board:join', (...args: unknown[]) => {
      const { payload, ack, wellFormed } = requestOf<JoinAck>(args);
      if (!wellFormed) return ack(MALFORMED);
      try {
        const { boardId, sinceVersion } = parseOrFail(schemas.boardJoin, payload);
        // Membership first: the room is joined only by a socket that may see every event sent to it.
        authorize(access, principalOf(socket), boardId, 'viewer');
        // The read below and the join after it run in one tick, and writes are synchronous too, so no
        // event can commit between them: the socket misses nothing and gets nothing twice.
        const snapshotOrEvents = (() => {
          if (sinceVersion !== undefined) {
            const events = store.eventsSince(boardId, sinceVersion, MAX_CATCH_UP_EVENTS);
            if (events) return { version: events.at(-1)?.version ?? sinceVersion, events };
          }
          const snapshot = store.getSnapshot(boardId);
          return { version: snapshot.version, snapshot };
        })();
        void socket.join(roomOf(boardId));
        presence.add(boardId, { id: socket.id, name: socket.data.name });
        ack({ ok: true, ...snapshotOrEvents });
        // The joiner sees who is here at once; the others hear of it with the next coalesced list.
        socket.emit('presence:viewers', { boardId, viewers: presence.viewers(boardId) });
        publishViewers(boardId);
        // A late joiner sees the cards others are dragging right now, not only the next drag.
        for (const drag of presence.drags(boardId)) {
          if (drag.viewerId !== socket.id) socket.emit('presence:drag', { boardId, ...drag });
        }
      } catch (error) {
        ack(toFailure(error, logger, 'board:join'));
      }
    });

    socket.on('flow:join', (...args: unknown[]) => {
      const { payload, ack, wellFormed } = requestOf<unknown>(args);
      if (!wellFormed) return ack(MALFORMED);
      try {
        const { boardId } = parseOrFail(schemas.flowJoin, payload);
        // The flow room carries every event of the board: the same membership as board:join.
        authorize(access, principalOf(socket), boardId, 'viewer');
        // Same tick as the version read, so the page knows exactly which events it has yet to fold.
        const version = store.flow.version(boardId);
        void socket.join(flowRoomOf(boardId));
        ack({ ok: true, version });
      } catch (error) {
        ack(toFailure(error, logger, 'flow:join'));
      }
    });

    socket.on('flow:leave', (payload) => {
      const parsed = schemas.flowJoin.safeParse(payload);
      if (parsed.success) void socket.leave(flowRoomOf(parsed.data.boardId));
    });

    socket.on('board:leave', (payload) => {
      const parsed = schemas.boardLeave.safeParse(payload);
      if (!parsed.success) return;
      void socket.leave(roomOf(parsed.data.boardId));
      if (presence.remove(parsed.data.boardId, socket.id)) publishViewers(parsed.data.boardId);
    });

    for (const name of COMMAND_NAMES) {
      socket.on(name, (...args: unknown[]) => {
        const { payload, ack, wellFormed } = requestOf<unknown>(args);
        if (!wellFormed) return ack(MALFORMED);
        if (!mayWrite(socket)) return ack(RATE_LIMITED);
        const outcome = executeCommand(ctx, name, payload, principalOf(socket));
        if (!outcome.ok) return ack(outcome);
        broadcastEvents(io, outcome.events);
        ack({ ok: true, version: outcome.version, ...outcome.reply });
      });
    }

    socket.on('card:history', (...args: unknown[]) => {
      const { payload, ack, wellFormed } = requestOf<unknown>(args);
      if (!wellFormed) return ack(MALFORMED);
      try {
        const { cardId } = parseOrFail(schemas.cardHistory, payload);
        authorize(access, principalOf(socket), store.boardOfCard(cardId), 'viewer', 'Card not found');
        ack({ ok: true, history: store.cardHistory(cardId) });
      } catch (error) {
        ack(toFailure(error, logger, 'card:history'));
      }
    });

    socket.on('presence:drag', (payload) => {
      const parsed = schemas.presenceDrag.safeParse(payload);
      if (!parsed.success || !socket.rooms.has(roomOf(parsed.data.boardId))) return;
      presence.setDragging(parsed.data.boardId, socket.id, parsed.data.cardId);
      socket.to(roomOf(parsed.data.boardId)).volatile.emit('presence:drag', {
        boardId: parsed.data.boardId,
        viewerId: socket.id,
        name: socket.data.name,
        cardId: parsed.data.cardId,
      });
    });

    socket.on('disconnecting', () => {
      for (const boardId of presence.boardsOf(socket.id)) {
        const wasDragging = presence.draggingOf(boardId, socket.id);
        presence.remove(boardId, socket.id);
        if (wasDragging) {
          socket.to(roomOf(boardId)).emit('presence:drag', { boardId, viewerId: socket.id, name: socket.data.name, cardId: null });
        }
        // Sent after the socket has left its rooms, so it goes to the others only.
        publishViewers(boardId);
      }
    });
  });

  const evict = (socketId: string, boardId: string): void => {
    const socket = io.sockets.sockets.get(socketId);
    if (!socket) return;
    const wasDragging = presence.draggingOf(boardId, socketId);
    void socket.leave(roomOf(boardId));
    void socket.leave(flowRoomOf(boardId));
    presence.remove(boardId, socketId);
    if (wasDragging) io.to(roomOf(boardId)).emit('presence:drag', { boardId, viewerId: socketId, name: socket.data.name, cardId: null });
    socket.emit('board:removed', { boardId });
  };

  return {
    io,
    removeFromBoard(userId, boardId) {
      // Synchronous with the local adapter: the rooms are left before the caller's next broadcast.
      const ids = [...(io.sockets.adapter.rooms.get(userRoomOf(userId)) ?? [])];
      for (const id of ids) evict(id, boardId);
      if (ids.length > 0) publishViewers(boardId);
    },
    disconnectToken: (tokenId) => void io.in(tokenRoomOf(tokenId)).disconnectSockets(true),
    disconnectSession: (sessionId) => void io.in(sessionRoomOf(sessionId)).disconnectSockets(true),
  };
}
