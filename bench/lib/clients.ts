/**
 * Socket.IO clients of the benchmarks: viewers that join a board and senders that move cards. The
 * same code talks to the app and to the floors, which answer the same events.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/shared/protocol';
import { withTimeout } from './time';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Longest wait for one connection or one ack; a slower answer is a failure, not a data point. */
export const CLIENT_TIMEOUT_MS = 10_000;
/** Connections opened at once: enough to be quick, few enough not to flood the accept queue. */
const CONNECT_CONCURRENCY = 50;

/**
 * `token`: an API token (bench/lib/seed.ts makes one); the app refuses sockets without credentials.
 * The floors ignore it.
 */
export async function connect(url: string, name: string, token?: string): Promise<BenchSocket> {
  // forceNew: without it every client of one URL shares a single multiplexed connection.
  const socket: BenchSocket = io(url, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CLIENT_TIMEOUT_MS,
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      }),
      CLIENT_TIMEOUT_MS,
      `connect ${name}`,
    );
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

export async function join(socket: BenchSocket, boardId: string): Promise<void> {
  const ack = await socket.timeout(CLIENT_TIMEOUT_MS).emitWithAck('board:join', { boardId });
  if (!ack.ok) throw new Error(`board:join refused: ${ack.code} ${ack.message}`);
}

/**
 * Opens `boardIds.length` viewers, the i-th joined to `boardIds[i]`, a bounded number at a time.
 * On any failure the ones already open are closed before the error propagates.
 */
export async function connectViewers(url: string, boardIds: readonly string[], prefix: string, token?: string): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  try {
    for (let start = 0; start < boardIds.length; start += CONNECT_CONCURRENCY) {
      const batch = boardIds.slice(start, start + CONNECT_CONCURRENCY);
      const opened = await Promise.allSettled(
        batch.map(async (boardId, i) => {
          const socket = await connect(url, `${prefix} ${start + i + 1}`, token);
          sockets.push(socket);
          await join(socket, boardId);
          return socket;
        }),
      );
      const failed = opened.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return sockets;
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
}

export function closeAll(sockets: Iterable<BenchSocket>): void {
  for (const socket of sockets) socket.close();
}

/**
 * Resolves once none of `sockets` has received anything for `quietMs` (or after `maxMs`): joins set
 * off presence broadcasts, and a measurement must not start while they are still arriving.
 */
export async function settle(sockets: readonly BenchSocket[], quietMs: number, maxMs: number): Promise<void> {
  let last = performance.now();
  const touch = () => {
    last = performance.now();
  };
  for (const s of sockets) s.onAny(touch);
  const deadline = performance.now() + maxMs;
  try {
    while (performance.now() - last < quietMs && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(quietMs, 50)));
    }
  } finally {
    for (const s of sockets) s.offAny(touch);
  }
}
