/**
 * Open sockets per account, capped (FLOWBOARD_SOCKETS_PER_ACCOUNT): one account cannot hold the
 * server's memory and fan-out with hundreds of connections. Counted in memory for one process; across
 * processes in Redis (lib/server/cluster/connections.ts), falling back to this process's own count
 * while Redis cannot answer.
 */
export interface ConnectionCounter {
  readonly cap: number;
  /** Counts a new socket of `userId`; false, with nothing counted, when the account is at its cap. Never rejects. */
  admit(userId: string, socketId: string): Promise<boolean>;
  /** Forgets a socket; a second call for the same one does nothing. */
  release(userId: string, socketId: string): void;
  close(): Promise<void>;
}

/** The sockets of each account on this process. */
export class LocalConnections {
  private readonly byAccount = new Map<string, Set<string>>();

  count(userId: string): number {
    return this.byAccount.get(userId)?.size ?? 0;
  }

  /** Adds a socket; the account's count after it. */
  add(userId: string, socketId: string): number {
    let sockets = this.byAccount.get(userId);
    if (!sockets) this.byAccount.set(userId, (sockets = new Set()));
    sockets.add(socketId);
    return sockets.size;
  }

  /** Removes a socket; false when it was not counted. */
  remove(userId: string, socketId: string): boolean {
    const sockets = this.byAccount.get(userId);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size === 0) this.byAccount.delete(userId);
    return true;
  }

  accounts(): IterableIterator<string> {
    return this.byAccount.keys();
  }
}

export class LocalConnectionCounter implements ConnectionCounter {
  private readonly local = new LocalConnections();

  constructor(readonly cap: number) {}

  async admit(userId: string, socketId: string): Promise<boolean> {
    if (this.local.count(userId) >= this.cap) return false;
    this.local.add(userId, socketId);
    return true;
  }

  release(userId: string, socketId: string): void {
    this.local.remove(userId, socketId);
  }

  async close(): Promise<void> {}
}
