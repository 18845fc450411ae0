/**
 * Floor of the PostgreSQL fan-out and throughput benchmarks: a bare Socket.IO server that runs the
 * irreducible transaction of a move on PostgreSQL with `pg` directly, the app's driver, on the app's
 * schema (a database seeded by bench/lib/seed.ts): lock the board's row (what serialises a board's
 * writes across processes), read the card and the two work centers, check the WIP limit and find
 * the last position in one query, update the card, bump the board version, append the event (and
 * the backward-move row when the move goes back), commit. After the commit it broadcasts the event
 * to the board's room and acks. Named statements and a pool of the app's size (db/postgres/engine.ts);
 * no validation, no ORM, no presence, no flow projection.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyBetween } from 'fractional-indexing';
import { Pool, type PoolClient } from 'pg';
import { Server } from 'socket.io';
import { FLOOR_SERVER_OPTIONS, movedBody, movedEvent, onShutdown } from './common';

const url = process.env.FLOWBOARD_DATABASE_URL;
if (!url) throw new Error('Set FLOWBOARD_DATABASE_URL to a seeded bench database');
/** The app's pool size (db/postgres/engine.ts). */
const pool = new Pool({ connectionString: url, max: 10 });

const q = {
  lock: { name: 'lock', text: 'select version from boards where id = $1 for update' },
  card: { name: 'card', text: 'select board_id, column_id, defect_count from cards where id = $1 and deleted_at is null' },
  column: { name: 'column', text: 'select board_id, ord, wip_limit from columns where id = $1 and removed_at is null' },
  target: { name: 'target', text: 'select count(*)::int as n, max(position) as last from cards where column_id = $1 and deleted_at is null' },
  updateCard: {
    name: 'updateCard',
    text: 'update cards set column_id = $1, position = $2, defect_count = $3, updated_at = $4, entered_column_at = $5 where id = $6',
  },
  bump: { name: 'bump', text: 'update boards set version = version + 1 where id = $1 returning version' },
  appendEvent: {
    name: 'appendEvent',
    text: 'insert into events (board_id, version, type, actor, at, card_id, data) values ($1, $2, $3, $4, $5, $6, $7) returning seq',
  },
  backward: {
    name: 'backward',
    text: 'insert into backward_moves (event_seq, board_id, card_id, detected_at_column_id, returned_to_column_id, reason, actor, at) values ($1, $2, $3, $4, $5, $6, $7, $8)',
  },
};

interface MoveInput {
  boardId: string;
  cardId: string;
  toColumnId: string;
  reason?: string;
  clientMutationId?: string;
}

type Outcome = { ok: true; event: Record<string, unknown> & { boardId: string; version: number } } | { ok: false; code: string };

async function rows<T>(client: PoolClient, query: { name: string; text: string }, values: unknown[]): Promise<T[]> {
  return (await client.query({ ...query, values })).rows as T[];
}

async function moveIn(client: PoolClient, input: MoveInput, actor: string): Promise<Outcome> {
  const now = Date.now();
  const [locked] = await rows<{ version: number }>(client, q.lock, [input.boardId]);
  const [card] = await rows<{ board_id: string; column_id: string; defect_count: number }>(client, q.card, [input.cardId]);
  const [target] = await rows<{ board_id: string; ord: number; wip_limit: number | null }>(client, q.column, [input.toColumnId]);
  const [source] = card ? await rows<{ board_id: string; ord: number }>(client, q.column, [card.column_id]) : [];
  if (!locked || !card || !target || !source || card.board_id !== input.boardId || target.board_id !== card.board_id) return { ok: false, code: 'NOT_FOUND' };
  const backward = target.ord < source.ord;
  const reason = input.reason?.trim() || null;
  if (backward && !reason) return { ok: false, code: 'REASON_REQUIRED' };
  const [inTarget] = await rows<{ n: number; last: string | null }>(client, q.target, [input.toColumnId]);
  if (target.wip_limit !== null && (inTarget?.n ?? 0) >= target.wip_limit) return { ok: false, code: 'WIP_LIMIT' };
  const position = generateKeyBetween(inTarget?.last ?? null, null);
  await client.query({ ...q.updateCard, values: [input.toColumnId, position, card.defect_count + (backward ? 1 : 0), now, now, input.cardId] });
  const [bumped] = await rows<{ version: number }>(client, q.bump, [card.board_id]);
  if (!bumped) return { ok: false, code: 'NOT_FOUND' };
  const body = movedBody(card, input, position, backward, reason);
  const data = JSON.stringify(input.clientMutationId ? { ...body, clientMutationId: input.clientMutationId } : body);
  const [appended] = await rows<{ seq: string }>(client, q.appendEvent, [card.board_id, bumped.version, 'card_moved', actor, now, input.cardId, data]);
  if (backward) await client.query({ ...q.backward, values: [appended?.seq, card.board_id, input.cardId, card.column_id, input.toColumnId, reason, actor, now] });
  const event = movedEvent(body, card.board_id, bumped.version, actor, now, input.clientMutationId);
  return { ok: true, event };
}

async function move(input: MoveInput, actor: string): Promise<Outcome> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const outcome = await moveIn(client, input, actor);
    await client.query(outcome.ok ? 'commit' : 'rollback');
    return outcome;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const httpServer = createServer();
const io = new Server(httpServer, FLOOR_SERVER_OPTIONS);

io.on('connection', (socket) => {
  const actor = String((socket.handshake.auth as { name?: unknown }).name ?? 'anonymous');
  socket.on('board:join', (payload: { boardId: string }, ack: (a: object) => void) => {
    void socket.join(payload.boardId);
    ack({ ok: true, version: 0, events: [] });
  });
  socket.on('card:move', (payload: MoveInput, ack: (a: object) => void) => {
    move(payload, actor).then(
      (outcome) => {
        if (!outcome.ok) return ack({ ok: false, code: outcome.code, message: outcome.code });
        io.to(outcome.event.boardId).emit('board:event', outcome.event);
        ack({ ok: true, version: outcome.event.version });
      },
      (error: unknown) => ack({ ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }),
    );
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`PostgreSQL move floor on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
onShutdown(io, () => void pool.end());
