/**
 * A client that follows one board the way the browser does (lib/client/useBoardSync.ts): joins with
 * the version it has, applies events strictly in version order, rejoins to catch up on a gap, and
 * when its process goes away connects to another one (what a load balancer does for a browser).
 */
import type { Socket } from 'socket.io-client';
import { applyEvent } from '../../lib/shared/domain/apply';
import type { BoardEvent, BoardSnapshot } from '../../lib/shared/domain/types';
import { unpackJoin, type JoinAck } from '../../lib/shared/protocol';
import { WAIT_MS, type FlowSocket, type TestUser } from '../integration/helpers';
import { whenConnected } from '../integration/helpers';

export class Follower {
  board: BoardSnapshot | null = null;
  /** Versions as they were applied: strictly consecutive by construction, checked by the tests anyway. */
  readonly applied: number[] = [];
  /** Live events that arrived out of order (a gap) and made it catch up. */
  gaps = 0;
  disconnects = 0;
  private socket: Socket | null = null;
  private buffered: BoardEvent[] = [];
  private joining: Promise<void> | null = null;
  private waiters = new Set<() => void>();
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly user: TestUser,
    private readonly boardId: string,
    /** The process to (re)connect to: the first URL it returns that accepts the connection. */
    private readonly pickUrl: () => string,
    private readonly open: (url: string, user: TestUser) => FlowSocket,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const socket = this.open(this.pickUrl(), this.user) as unknown as Socket;
      socket.on('board:event', (event: BoardEvent) => this.receive(event));
      socket.connect();
      try {
        await whenConnected(socket);
      } catch (error) {
        socket.disconnect();
        if (attempt >= 5) throw error;
        continue;
      }
      this.socket = socket;
      socket.once('disconnect', () => {
        if (this.stopped) return;
        this.disconnects++;
        this.socket = null;
        void this.connect();
      });
      await this.rejoin();
      return;
    }
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** A move of a card; the version it was acknowledged at, or null when no ack came (the process died). */
  async move(cardId: string, toColumnId: string, reason?: string): Promise<number | null> {
    const socket = this.socket;
    if (!socket?.connected) return null;
    try {
      const ack = (await socket.timeout(WAIT_MS).emitWithAck('card:move', { cardId, toColumnId, ...(reason ? { reason } : {}) })) as { ok: boolean; version?: number; code?: string };
      if (!ack.ok) throw new Error(`${this.name}: move refused: ${JSON.stringify(ack)}`);
      return ack.version ?? null;
    } catch (error) {
      if (error instanceof Error && error.message.includes('move refused')) throw error;
      return null;
    }
  }

  /** Resolves once the board it holds is at `version` or later. */
  reach(version: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if ((this.board?.version ?? -1) < version) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.name} stayed at version ${this.board?.version} waiting for ${version}`));
      }, WAIT_MS);
      const waiter = () => void (check() && this.waiters.delete(waiter));
      if (!check()) this.waiters.add(waiter);
    });
  }

  stop(): void {
    this.stopped = true;
    this.socket?.disconnect();
  }

  private receive(event: BoardEvent): void {
    if (event.boardId !== this.boardId) return;
    if (this.joining || !this.board) {
      this.buffered.push(event);
      return;
    }
    if (event.version <= this.board.version) return;
    if (event.version > this.board.version + 1) {
      this.gaps++;
      this.buffered.push(event);
      void this.rejoin();
      return;
    }
    this.apply(event);
  }

  private apply(event: BoardEvent): void {
    if (!this.board) return;
    this.board = applyEvent(this.board, event);
    this.applied.push(event.version);
    for (const waiter of this.waiters) waiter();
  }

  /** Joins with the version it has (a catch-up) and folds in what arrived meanwhile. */
  private rejoin(): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    this.joining ??= (async () => {
      try {
        const answer = (await socket
          .timeout(WAIT_MS)
          .emitWithAck('board:join', this.board ? { boardId: this.boardId, sinceVersion: this.board.version } : { boardId: this.boardId })) as JoinAck;
        if (!answer.ok) throw new Error(`${this.name}: join refused: ${answer.code}`);
        const ack = unpackJoin(answer);
        if ('snapshot' in ack) {
          this.board = ack.snapshot;
          for (const waiter of this.waiters) waiter();
        } else {
          for (const event of ack.events) if (this.board && event.version === this.board.version + 1) this.apply(event);
        }
      } catch {
        // The process went away mid-join: the reconnection joins again.
        return;
      } finally {
        this.joining = null;
      }
      const waiting = this.buffered.toSorted((a, b) => a.version - b.version);
      this.buffered = [];
      for (const event of waiting) this.receive(event);
    })();
    return this.joining;
  }
}
