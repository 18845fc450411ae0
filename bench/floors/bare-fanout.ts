/**
 * Floor of the fan-out and memory benchmarks: a bare Socket.IO server on the same options as the
 * app. A viewer joins a room; a move is put in its board's room as it came and acknowledged. No
 * validation, no database, no presence: what is left is the irreducible cost of the fan-out.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { FLOOR_SERVER_OPTIONS, onShutdown } from './common';

const httpServer = createServer();
const io = new Server(httpServer, FLOOR_SERVER_OPTIONS);
let version = 0;

io.on('connection', (socket) => {
  socket.on('board:join', (payload: { boardId: string }, ack: (a: object) => void) => {
    void socket.join(payload.boardId);
    ack({ ok: true, version, events: [] });
  });
  socket.on('card:move', (payload: { boardId: string }, ack: (a: object) => void) => {
    version += 1;
    io.to(payload.boardId).emit('board:event', payload);
    ack({ ok: true, version });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`bare fan-out floor on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
onShutdown(io);
