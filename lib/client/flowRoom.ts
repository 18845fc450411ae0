import type { BoardEvent } from '../shared/domain/types';
import { connectSocket, request, signInAgain, type FlowSocket } from './socket';

export interface FlowRoomHandlers {
  /** 'live' once joined, 'offline' when the join is refused or the connection drops. */
  onStatus(status: 'live' | 'offline'): void;
  /** Joined (again) at this board version: the page reads again if it holds an older one. */
  onJoined(version: number): void;
  /** A committed event of this board. */
  onEvent(event: BoardEvent): void;
}

/**
 * A flow page's live connection (the flow page, the value stream page): a socket authenticated by
 * the session cookie, like the board's, in the board's flow room, which carries every committed
 * event. Returns the function that leaves and closes it.
 */
export function joinFlowRoom(boardId: string, handlers: FlowRoomHandlers): () => void {
  const socket: FlowSocket = connectSocket();
  const join = async () => {
    const ack = await request(socket, 'flow:join', { boardId }).catch(() => null);
    if (!ack || !ack.ok) return handlers.onStatus('offline');
    handlers.onStatus('live');
    handlers.onJoined(ack.version);
  };
  socket.on('connect', () => void join());
  socket.on('disconnect', () => handlers.onStatus('offline'));
  // The server closes the socket right after: reconnecting would be refused.
  socket.on('session:ended', signInAgain);
  socket.on('connect_error', (refusal: Error & { data?: { code?: string } }) => {
    if (refusal.data?.code === 'UNAUTHENTICATED') signInAgain();
  });
  socket.on('board:event', (event) => {
    if (event.boardId === boardId) handlers.onEvent(event);
  });
  socket.connect();
  return () => {
    socket.emit('flow:leave', { boardId });
    socket.disconnect();
  };
}
