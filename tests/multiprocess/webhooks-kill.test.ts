/**
 * The webhook outbox across a `kill -9`: moves stream into a real app process on PostgreSQL while its
 * deliveries go out; the process is killed mid-stream, another is started on the same database, and
 * every event that committed (acknowledged or not) reaches the receiver at least once. Receivers
 * de-duplicate by delivery id, so a delivery sent twice (in flight at the kill) is no harm.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess, type Access } from '../../db/access';
import type { Engine } from '../../db/engine';
import { openEngine } from '../../db/open';
import { createStore, type Store } from '../../db/store';
import { createTestDatabase, withPostgres, type TestDatabase } from '../services';
import { seedActor } from '../integration/helpers';
import { START_MS } from './cluster';
import { startAppProcess, type AppProcess } from './processes';

const MOVES_BEFORE_KILL = 30;
/** A delivery leased by the killed process is sent again once its lease (10 s deadline + 5 s) runs out. */
const DELIVERED_WITHIN_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase | undefined;
let engine: Engine | undefined;
let store: Store | undefined;
let access: Access | undefined;
let dir = '';
let receiver: Server | undefined;
let receiverUrl = '';
/** Delivery id → how many times it arrived. */
const received = new Map<string, number>();
const processes: AppProcess[] = [];

beforeAll(async () => {
  if (!withPostgres) return;
  dir = mkdtempSync(join(tmpdir(), 'flowboard-hooks-'));
  database = await createTestDatabase('hooks');
  engine = await openEngine({ url: database.url, sqlitePath: join(dir, 'unused.db') });
  store = createStore(engine);
  access = createAccess(engine);
  receiver = createServer((req, res) => {
    const id = String(req.headers['x-flowboard-delivery']);
    req.resume();
    // A receiver that takes a moment: deliveries are in flight when the process dies.
    setTimeout(() => {
      received.set(id, (received.get(id) ?? 0) + 1);
      res.end('ok');
    }, 30);
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, START_MS);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await engine?.close();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, START_MS);

describe.runIf(withPostgres)('the webhook outbox across a kill -9', () => {
  it('delivers every committed event at least once, by the next process on the database', async () => {
    const env = {
      FLOWBOARD_DATABASE_URL: database!.url,
      FLOWBOARD_SECRET: `webhook-kill-test-secret-${randomUUID()}`,
      FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true',
    };
    const first = await startAppProcess('app A', env);
    processes.push(first);
    const account = await access!.createServiceAccount('Ada', `ada-${randomUUID()}@test.flowboard`);
    const token = (await access!.createToken(account.id, 'tests')).secret;
    const { board } = await store!.createBoard({ name: 'Hooked', columns: [{ name: 'Develop', wipLimit: null }, { name: 'Test', wipLimit: null }] }, seedActor);
    await access!.addMember(board.id, account.id, 'admin');
    const [develop, test] = board.columns.map((c) => c.id) as [string, string];
    const api = (url: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

    const created = await api(first.url, 'POST', `/api/boards/${board.id}/webhooks`, { url: receiverUrl, eventTypes: ['card_created', 'card_moved'] });
    expect(created.status).toBe(201);
    const { webhook } = (await created.json()) as { webhook: { id: string } };
    const cards: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { card } = await store!.createCard({ boardId: board.id, columnId: develop, title: `Card ${i}` }, seedActor);
      cards.push(card.id);
    }

    const acked: number[] = [];
    let killed = false;
    const stillStreaming = () => killed;
    const streams = cards.map(async (cardId) => {
      for (let n = 0; !stillStreaming(); n++) {
        try {
          const res = await api(first.url, 'POST', `/api/cards/${cardId}/move`, n % 2 === 0 ? { toColumnId: test } : { toColumnId: develop, reason: 'Failed its test' });
          if (res.ok) acked.push(((await res.json()) as { version: number }).version);
        } catch {
          // The process is gone: this move may or may not have committed.
          if (killed) return;
        }
      }
    });
    // Killed mid-stream, once moves and their deliveries are well under way (a count, not a time:
    // a busy machine starts slowly).
    const end0 = Date.now() + START_MS;
    while ((acked.length < MOVES_BEFORE_KILL || received.size < MOVES_BEFORE_KILL / 2) && Date.now() < end0) await sleep(20);
    killed = true;
    await first.crash();
    await Promise.all(streams);
    expect(acked.length).toBeGreaterThanOrEqual(MOVES_BEFORE_KILL);

    const second = await startAppProcess('app B', env);
    processes.push(second);
    // Every event of a subscribed type in the log, acknowledged or not, is owed a delivery.
    const log = (await store!.eventsSince(board.id, 0, 1_000_000)) ?? [];
    const owed = log.filter((e) => e.type === 'card_created' || e.type === 'card_moved').map((e) => `${webhook.id}.${e.version}`);
    for (const v of acked) expect(owed).toContain(`${webhook.id}.${v}`);
    const end = Date.now() + DELIVERED_WITHIN_MS;
    while (owed.some((id) => !received.has(id)) && Date.now() < end) await sleep(100);
    expect(owed.filter((id) => !received.has(id)), 'deliveries never received').toEqual([]);
    // Nothing was delivered that no event asked for.
    expect([...received.keys()].filter((id) => !owed.includes(id))).toEqual([]);
    expect(second.takeErrors()).toEqual([]);
  }, START_MS + DELIVERED_WITHIN_MS);
});
