import type { Viewer } from '../realtime/protocol';

/** Who is looking at which board and what they are dragging. In memory only: presence is not state. */
export class Presence {
  private readonly boards = new Map<string, Map<string, { name: string; dragging: string | null }>>();

  add(boardId: string, viewer: Viewer): void {
    let viewers = this.boards.get(boardId);
    if (!viewers) this.boards.set(boardId, (viewers = new Map()));
    // A rejoin (catching up after a gap) can come mid-drag: the drag is still on.
    viewers.set(viewer.id, { name: viewer.name, dragging: viewers.get(viewer.id)?.dragging ?? null });
  }

  remove(boardId: string, viewerId: string): boolean {
    const viewers = this.boards.get(boardId);
    if (!viewers?.delete(viewerId)) return false;
    if (viewers.size === 0) this.boards.delete(boardId);
    return true;
  }

  setDragging(boardId: string, viewerId: string, cardId: string | null): void {
    const entry = this.boards.get(boardId)?.get(viewerId);
    if (entry) entry.dragging = cardId;
  }

  draggingOf(boardId: string, viewerId: string): string | null {
    return this.boards.get(boardId)?.get(viewerId)?.dragging ?? null;
  }

  /** Who is dragging which card on a board right now, for someone who just joined it. */
  drags(boardId: string): Array<{ viewerId: string; name: string; cardId: string }> {
    return [...(this.boards.get(boardId) ?? [])].flatMap(([viewerId, v]) => (v.dragging === null ? [] : [{ viewerId, name: v.name, cardId: v.dragging }]));
  }

  viewers(boardId: string): Viewer[] {
    return [...(this.boards.get(boardId) ?? new Map<string, { name: string }>())].map(([id, v]) => ({ id, name: v.name }));
  }

  boardsOf(viewerId: string): string[] {
    return [...this.boards].filter(([, viewers]) => viewers.has(viewerId)).map(([boardId]) => boardId);
  }
}

/**
 * Sends each board's viewer list to its room at most once per `delayMs`, after the change that
 * asked for it. Every list goes to every viewer, so one list per join would make a board that N
 * people open at once (standup) cost N² entries; coalesced, a burst costs a few lists of N. The
 * joiner itself gets the list at once, with its join.
 */
export class ViewerListSchedule {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly publish: (boardId: string) => void,
  ) {}

  request(boardId: string): void {
    if (this.timers.has(boardId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(boardId);
      this.publish(boardId);
    }, this.delayMs);
    // Presence must not keep a stopping server alive.
    timer.unref();
    this.timers.set(boardId, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
