import type { BoardEvent } from '../../shared/domain/types';

/**
 * Hands a board's events to this process's sockets in version order. Several processes commit one
 * board's writes in the database's order but publish them each on their own, so version 69 from
 * one process can reach a third before 68 from another; sent on as they came, every viewer would see
 * a gap and catch up at once, a burst of reads for nothing. A version that comes early waits here
 * for the ones before it, at most `holdMs`: an event that never comes (its process died between
 * the commit and the publish) then costs the viewers one catch-up, as a gap always did.
 */
export class BoardSequencer {
  /** Board id → the version to hand on next; unknown until the board's first event or join here. */
  private readonly next = new Map<string, number>();
  private readonly held = new Map<string, Map<number, BoardEvent>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deliver: (event: BoardEvent) => void,
    private readonly holdMs: number,
  ) {}

  /** A socket here read the board at `version`: events after it are the ones to hand on in order. */
  joined(boardId: string, version: number): void {
    if (!this.next.has(boardId)) this.next.set(boardId, version + 1);
  }

  push(event: BoardEvent): void {
    const { boardId, version } = event;
    const expected = this.next.get(boardId);
    // Older than what went out already: a viewer that lacks it sees it as stale or catches up.
    if (expected !== undefined && version < expected) return this.deliver(event);
    if (expected !== undefined && version > expected) {
      let waiting = this.held.get(boardId);
      if (!waiting) this.held.set(boardId, (waiting = new Map()));
      waiting.set(version, event);
      if (!this.timers.has(boardId)) {
        const timer = setTimeout(() => this.release(boardId), this.holdMs);
        timer.unref();
        this.timers.set(boardId, timer);
      }
      return;
    }
    this.deliver(event);
    this.next.set(boardId, version + 1);
    this.drain(boardId);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Hands on the held events that now follow in order. */
  private drain(boardId: string): void {
    const waiting = this.held.get(boardId);
    let next = this.next.get(boardId);
    if (!waiting || next === undefined) return;
    for (let event = waiting.get(next); event; event = waiting.get(next)) {
      this.deliver(event);
      waiting.delete(next);
      next += 1;
    }
    this.next.set(boardId, next);
    if (waiting.size === 0) {
      this.held.delete(boardId);
      clearTimeout(this.timers.get(boardId));
      this.timers.delete(boardId);
    }
  }

  /** Waited long enough for a missing version: send what is held, in order, and go on after it. */
  private release(boardId: string): void {
    this.timers.delete(boardId);
    const waiting = [...(this.held.get(boardId)?.values() ?? [])].toSorted((a, b) => a.version - b.version);
    this.held.delete(boardId);
    for (const event of waiting) this.deliver(event);
    const last = waiting.at(-1);
    if (last) this.next.set(boardId, last.version + 1);
  }
}
