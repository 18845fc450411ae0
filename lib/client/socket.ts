import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol';

export type FlowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Long enough for a slow network, short enough that a lost change is reported while it still matters. */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * Created idle: the caller connects it once it listens, and again after a StrictMode re-mount. Same
 * origin as the page (the custom server hosts Socket.IO next to Next), so the browser sends the
 * session cookie with the handshake; the server takes the name from the account.
 */
export function connectSocket(): FlowSocket {
  // WebSocket first: one round trip to connect instead of a long-polling handshake, a few polls and an
  // upgrade. Where a proxy refuses WebSocket, long-polling is tried next (tryAllTransports).
  return io({ autoConnect: false, transports: ['websocket', 'polling'], tryAllTransports: true });
}

/**
 * The session this page's socket was opened with ended: to the sign-in page, which says so, and
 * back here afterwards.
 */
export function signInAgain(): void {
  window.location.assign(`/sign-in?${new URLSearchParams({ next: window.location.pathname, ended: '1' }).toString()}`);
}

/** An early connection no board claimed in this time (the board never mounted) is closed. */
const EARLY_SOCKET_TTL_MS = 10_000;
let early: FlowSocket | null = null;

/**
 * Opens the board's connection while the page is still hydrating, so that the handshake overlaps
 * the work of drawing a big board instead of following it. Called when the board's code loads.
 */
export function connectEarly(): void {
  if (typeof window === 'undefined' || early) return;
  const socket = connectSocket().connect();
  early = socket;
  window.setTimeout(() => {
    if (early === socket) {
      early = null;
      socket.disconnect();
    }
  }, EARLY_SOCKET_TTL_MS);
}

/**
 * The early connection, or a new idle socket. Called while rendering, so it hands out the same early
 * connection until an effect claims it: React may throw a render away and run it again (an
 * interaction during hydration does that), and a connection handed to a lost render would stay open,
 * unused, beside a second one.
 */
export function takeSocket(): FlowSocket {
  return early ?? connectSocket();
}

/** The board's effect now owns `socket`: it is no longer the early connection (nor closed as unclaimed). */
export function claimSocket(socket: FlowSocket): void {
  if (early === socket) early = null;
}

type Requests = {
  [K in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[K]> extends [unknown, unknown] ? K : never;
}[keyof ClientToServerEvents];

export type RequestPayload<K extends Requests> = Parameters<ClientToServerEvents[K]>[0];
export type RequestAck<K extends Requests> = Parameters<Parameters<ClientToServerEvents[K]>[1]>[0];

/**
 * Emits a request and resolves with its ack; rejects when none arrives in time. Socket.IO's own
 * typing loses the ack type once a timeout is set, so it is restored here from the protocol.
 */
export function request<K extends Requests>(socket: FlowSocket, event: K, payload: RequestPayload<K>): Promise<RequestAck<K>> {
  const loose = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emitWithAck(event: string, payload: unknown): Promise<unknown>;
  };
  return loose.emitWithAck(event, payload) as Promise<RequestAck<K>>;
}
