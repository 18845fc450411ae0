import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
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
import { COMMAND_NAMES, executeCommand, parseOrFail, toFailure } from './commands';
import type { Logger } from './logger';
import { Presence } from './presence';

interface SocketData {
  name: string;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type FlowSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const roomOf = (boardId: string) => `board:${boardId}`;
/** Open flow pages of a board: they get its events (and fold them in themselves) but are not viewers. */
export const flowRoomOf = (boardId: string) => `flow:${boardId}`;

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

export function createRealtimeServer(httpServer: HttpServer, deps: { store: Store; logger: Logger }): RealtimeServer {
  const { store, logger } = deps;
  const io: RealtimeServer = new Server(httpServer, { maxHttpBufferSize: MAX_MESSAGE_BYTES, serveClient: false });
  const presence = new Presence();

  const publishViewers = (boardId: string) => {
    const viewers: Viewer[] = presence.viewers(boardId);
    io.to(roomOf(boardId)).emit('presence:viewers', { boardId, viewers });
  };

  io.use((socket, next) => {
    const parsed = schemas.handshake.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      const err = new Error('INVALID: connect with auth { name } (1 to 40 characters)') as Error & { data?: unknown };
      err.data = { code: 'INVALID' };
      next(err);
      return;
    }
    socket.data.name = parsed.data.name;
    next();
  });

  io.on('connection', (socket: FlowSocket) => {
    socket.on('board:join', (...args: unknown[]) => {
      const { payload, ack, wellFormed } = requestOf<JoinAck>(args);
      if (!wellFormed) return ack(MALFORMED);
      try {
        const { boardId, sinceVersion } = parseOrFail(schemas.boardJoin, payload);
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
        const outcome = executeCommand(store, logger, name, payload, { name: socket.data.name });
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
        // The socket is still in its rooms while disconnecting: send to the others only.
        socket.to(roomOf(boardId)).emit('presence:viewers', { boardId, viewers: presence.viewers(boardId) });
      }
    });
  });

  return io;
}
