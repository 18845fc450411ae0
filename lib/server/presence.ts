import type { Viewer } from '../shared/protocol';

/**
 * Who is looking at which board and what they are dragging lives on each socket (`socket.data.viewing`,
 * lib/server/realtime.ts), in memory only: presence is not state. A board's list is read from the
 * sockets in its room, which Socket.IO's adapter fetches from every process, so every process shows
 * the same list and a process that dies takes its viewers with it.
 */
export interface PresentSocket {
  id: string;
  data: { name: string; viewing: Readonly<Record<string, string | null>> };
}

/** Ordered by name, then id: every process builds the same list from the same sockets. */
export function viewersOf(sockets: readonly PresentSocket[], boardId: string): Viewer[] {
  return sockets
    .filter((s) => boardId in (s.data.viewing ?? {}))
    .map((s) => ({ id: s.id, name: s.data.name }))
    .toSorted((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
}

/** Who is dragging which card on a board right now, for someone who just joined it. */
export function dragsOf(sockets: readonly PresentSocket[], boardId: string): Array<{ viewerId: string; name: string; cardId: string }> {
  return sockets.flatMap((s) => {
    const cardId = s.data.viewing?.[boardId];
    return typeof cardId === 'string' ? [{ viewerId: s.id, name: s.data.name, cardId }] : [];
  });
}

/**
 * Sends each board's viewer list at most once per `delayMs`, after the change that asked for it.
 * Every list goes to every viewer, so one list per join would make a board that N people open at
 * once (standup) cost N² entries; coalesced, a burst costs a few lists of N. The joiner itself gets
 * the list at once, with its join. A board's lists are built one at a time: a list asked for while
 * one is being built waits for it, so a later list never overtakes an earlier one.
 */
export class ViewerListSchedule {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly building = new Set<string>();
  private readonly again = new Set<string>();
  private stopped = false;

  constructor(
    private readonly delayMs: number,
    private readonly publish: (boardId: string) => Promise<void>,
  ) {}

  request(boardId: string): void {
    if (this.stopped) return;
    if (this.building.has(boardId)) {
      this.again.add(boardId);
      return;
    }
    if (this.timers.has(boardId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(boardId);
      this.building.add(boardId);
      void this.publish(boardId).finally(() => {
        this.building.delete(boardId);
        if (this.again.delete(boardId)) this.request(boardId);
      });
    }, this.delayMs);
    // Presence must not keep a stopping server alive.
    timer.unref();
    this.timers.set(boardId, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
