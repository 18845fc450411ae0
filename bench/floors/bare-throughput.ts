/**
 * Floor of the throughput benchmark: a bare Socket.IO server that runs the irreducible transaction
 * of a move with better-sqlite3 directly (prepared statements on the app's schema, the file opened
 * with the app's pragmas, db/sqlite/engine.ts): read the card and the two work centers, check the WIP limit and find the last
 * position in one query, update the card, bump the board version, append the event (and the
 * backward-move row when the move goes back). After the commit it broadcasts the event to the board's
 * room and acks. No validation, no ORM, no presence.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { generateKeyBetween } from 'fractional-indexing';
import { Server } from 'socket.io';
import { FLOOR_SERVER_OPTIONS, movedBody, movedEvent, onShutdown } from './common';

const dbPath = process.env.FLOWBOARD_DB;
if (!dbPath) throw new Error('Set FLOWBOARD_DB to a seeded bench database');
// Seeded (so migrated) by bench/lib/seed.ts; the same pragmas as the app's connection.
const sqlite = new Database(dbPath);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('foreign_keys = ON');

const q = {
  card: sqlite.prepare<[string], { board_id: string; column_id: string; defect_count: number }>(
    'select board_id, column_id, defect_count from cards where id = ? and deleted_at is null',
  ),
  column: sqlite.prepare<[string], { board_id: string; ord: number; wip_limit: number | null }>(
    'select board_id, ord, wip_limit from columns where id = ? and removed_at is null',
  ),
  target: sqlite.prepare<[string], { n: number; last: string | null }>(
    'select count(*) as n, max(position) as last from cards where column_id = ? and deleted_at is null',
  ),
  updateCard: sqlite.prepare(
    'update cards set column_id = ?, position = ?, defect_count = ?, updated_at = ?, entered_column_at = ? where id = ?',
  ),
  bump: sqlite.prepare<[string], { version: number }>('update boards set version = version + 1 where id = ? returning version'),
  appendEvent: sqlite.prepare(
    'insert into events (board_id, version, type, actor, at, card_id, data) values (?, ?, ?, ?, ?, ?, ?)',
  ),
  backward: sqlite.prepare(
    'insert into backward_moves (event_seq, board_id, card_id, detected_at_column_id, returned_to_column_id, reason, actor, at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
};

interface MoveInput {
  cardId: string;
  toColumnId: string;
  reason?: string;
  clientMutationId?: string;
}

type Outcome = { ok: true; event: Record<string, unknown> & { boardId: string; version: number } } | { ok: false; code: string };

const move = sqlite
  .transaction((input: MoveInput, actor: string): Outcome => {
    const now = Date.now();
    const card = q.card.get(input.cardId);
    const target = q.column.get(input.toColumnId);
    const source = card && q.column.get(card.column_id);
    if (!card || !target || !source || target.board_id !== card.board_id) return { ok: false, code: 'NOT_FOUND' };
    const backward = target.ord < source.ord;
    const reason = input.reason?.trim() || null;
    if (backward && !reason) return { ok: false, code: 'REASON_REQUIRED' };
    const inTarget = q.target.get(input.toColumnId) ?? { n: 0, last: null };
    if (target.wip_limit !== null && inTarget.n >= target.wip_limit) return { ok: false, code: 'WIP_LIMIT' };
    const position = generateKeyBetween(inTarget.last, null);
    q.updateCard.run(input.toColumnId, position, card.defect_count + (backward ? 1 : 0), now, now, input.cardId);
    const bumped = q.bump.get(card.board_id);
    if (!bumped) return { ok: false, code: 'NOT_FOUND' };
    const body = movedBody(card, input, position, backward, reason);
    const data = JSON.stringify(input.clientMutationId ? { ...body, clientMutationId: input.clientMutationId } : body);
    const { lastInsertRowid } = q.appendEvent.run(card.board_id, bumped.version, 'card_moved', actor, now, input.cardId, data);
    if (backward) {
      q.backward.run(lastInsertRowid, card.board_id, input.cardId, card.column_id, input.toColumnId, reason, actor, now);
    }
    const event = movedEvent(body, card.board_id, bumped.version, actor, now, input.clientMutationId);
    return { ok: true, event };
  })
  .immediate;

const httpServer = createServer();
const io = new Server(httpServer, FLOOR_SERVER_OPTIONS);

io.on('connection', (socket) => {
  const actor = String((socket.handshake.auth as { name?: unknown }).name ?? 'anonymous');
  socket.on('board:join', (payload: { boardId: string }, ack: (a: object) => void) => {
    void socket.join(payload.boardId);
    ack({ ok: true, version: 0, events: [] });
  });
  socket.on('card:move', (payload: MoveInput, ack: (a: object) => void) => {
    const outcome = move(payload, actor);
    if (!outcome.ok) return ack({ ok: false, code: outcome.code, message: outcome.code });
    io.to(outcome.event.boardId).emit('board:event', outcome.event);
    ack({ ok: true, version: outcome.event.version });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`bare throughput floor on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
onShutdown(io, () => sqlite.close());
