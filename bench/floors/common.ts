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
