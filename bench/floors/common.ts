import type { Server, ServerOptions } from 'socket.io';

/**
 * The options lib/server/realtime.ts gives its server, so a floor pays for the same transport. Copied,
 * not imported: importing realtime.ts would load the app's modules and bloat the memory floor.
 */
export const FLOOR_SERVER_OPTIONS: Partial<ServerOptions> = { maxHttpBufferSize: 64 * 1024, serveClient: false };

export function onShutdown(io: Server, then: () => void = () => {}): void {
  const stop = () => {
    io.close(() => {
      then();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The body of a floor's `card_moved` event: the fields the app's event carries. */
export function movedBody(card: { column_id: string }, input: { cardId: string; toColumnId: string }, position: string, backward: boolean, reason: string | null) {
  return {
    cardId: input.cardId,
    fromColumnId: card.column_id,
    toColumnId: input.toColumnId,
    position,
    backward,
    reason,
    detectedAtColumnId: backward ? card.column_id : null,
    returnedToColumnId: backward ? input.toColumnId : null,
  };
}

/** The `card_moved` event a floor broadcasts and acks, shaped like the app's. */
export function movedEvent(body: ReturnType<typeof movedBody>, boardId: string, version: number, actor: string, now: number, clientMutationId: string | null | undefined) {
  return { type: 'card_moved', ...body, boardId, version, actor, at: new Date(now).toISOString(), clientMutationId: clientMutationId ?? null };
}
