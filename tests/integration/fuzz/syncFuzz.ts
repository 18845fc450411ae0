/**
 * The sync fuzz: many BoardSyncClients over real socket.io connections to one or more real
 * servers of the same database, each making random changes through the board's own actions with
 * random pauses, lost connections and (optionally) events that overtake each other. When every
 * change has settled, every client must show exactly the server's board. In the spirit of tldraw's
 * syncFuzz.test.ts; the seed of a failing run is in its error.
 */
import { io } from 'socket.io-client';
import { expect } from 'vitest';
import { boardActions, type BoardActions } from '../../../lib/client/boardActions';
import { isTempId } from '../../../lib/client/optimistic';
import type { FlowSocket } from '../../../lib/client/socket';
import { BoardSyncClient } from '../../../lib/client/sync/BoardSyncClient';
import { computeView } from '../../../lib/client/syncState';
import { CARD_TYPES, type BoardEvent, type BoardSnapshot } from '../../../lib/shared/domain/types';
import type { Ack, JoinAck } from '../../../lib/shared/protocol';
import { canonical } from '../helpers';
import { prng, type Prng } from '../../../lib/shared/random';

export interface SyncFuzzOptions {
  /** Servers sharing one database; client i connects to urls[i % urls.length]. */
  urls: readonly string[];
  /** API tokens of accounts that may change the board; client i uses tokens[i % tokens.length]. */
  tokens: readonly string[];
  boardId: string;
  seed: number;
  /** Clients making changes. */
  clients: number;
  /**
   * Clients that only watch (a standup screen), losing their connection now and then: they follow
   * the board by live events alone, so one that drops or misorders an event stays visibly behind.
   */
  observers?: number;
  /** Changes each client tries. */
  steps: number;
  /** Longest pause before each step, in ms (default 12). */
  maxDelayMs?: number;
  /** Chance that a step loses the connection instead of making a change (default 0.05). */
  dropChance?: number;
  /** Each incoming board event is held back up to this many ms, so events overtake each other (default 0). */
  jitterMs?: number;
  /** Chance that an incoming board event never arrives, as a relay between processes may lose one (default 0). */
  lossRate?: number;
  /** How long the clients get to converge once every change is in (default 8000 ms). */
  settleMs?: number;
}

export interface SyncFuzzResult {
  seed: number;
  /** The board's version at the end. */
  version: number;
  accepted: number;
  /** Refusals by code; NOT_SENT: tried while disconnected, NO_ANSWER: the connection dropped before the ack. */
  refused: Record<string, number>;
  /** Connections lost on purpose. */
  drops: number;
  /** Events delivered after a later one (with jitter). */
  reordered: number;
  /** Events lost on purpose (with lossRate). */
  lost: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Listener = (...args: unknown[]) => void;
interface LooseEmitter {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

interface Relay {
  rng: Prng;
  jitterMs: number;
  lossRate: number;
  /**
   * Set once the run is over: nothing more is lost. A client that lost the run's last event has no
   * later one to show it the gap (a live socket loses nothing in practice, so the app only learns of
   * a gap from the next event or a reconnect): the settle step sends one more event for that.
   */
  settling?: boolean;
}

/**
 * The same socket, but its board events reach listeners up to `jitterMs` late, each by its own
 * random delay, and a few never do: what a relay between processes may do. Acks are untouched, so
 * an ack can now beat its event.
 */
function relayed(socket: FlowSocket, relay: Relay, stats: SyncFuzzResult): FlowSocket {
  const { rng, jitterMs, lossRate } = relay;
  const delayed = new Map<Listener, Listener>();
  let lastVersion = 0;
  const delayedOf = (listener: Listener): Listener => {
    let wrapper = delayed.get(listener);
    if (!wrapper) {
      wrapper = (...args) => {
        if (!relay.settling && rng.chance(lossRate)) {
          stats.lost++;
          return;
        }
        setTimeout(() => {
          const version = (args[0] as BoardEvent).version;
          if (version < lastVersion) stats.reordered++;
          lastVersion = Math.max(lastVersion, version);
          listener(...args);
        }, rng.int(jitterMs + 1));
      };
      delayed.set(listener, wrapper);
    }
    return wrapper;
  };
  return new Proxy(socket, {
    get(target, prop, receiver) {
      const loose = target as unknown as LooseEmitter;
      if (prop === 'on' || prop === 'off') {
        return (event: string, listener: Listener) => {
          loose[prop](event, event === 'board:event' ? delayedOf(listener) : listener);
          return receiver;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openSocket(url: string, token: string): FlowSocket {
  // Socket.IO's own reconnection stays on (fast), so a dropped transport comes back by itself.
  return io(url, {
    auth: { token },
    transports: ['websocket'],
    autoConnect: false,
    forceNew: true,
    reconnectionDelay: 10,
    reconnectionDelayMax: 50,
  }) as FlowSocket;
}

/** The board as the server has it now, read by a fresh connection to `url`. */
async function serverSnapshot(url: string, token: string, boardId: string): Promise<BoardSnapshot> {
  const socket = openSocket(url, token);
  try {
    socket.connect();
    const ack = (await (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<JoinAck> }).emitWithAck('board:join', { boardId }));
    if (!ack.ok || !('snapshot' in ack)) throw new Error(`board:join on ${url} gave no snapshot: ${JSON.stringify(ack)}`);
    return ack.snapshot;
  } finally {
    socket.disconnect();
  }
}

class FuzzClient {
  readonly sync: BoardSyncClient;
  readonly actions: BoardActions;
  readonly problems: string[] = [];
  private readonly inFlight: Promise<unknown>[] = [];
  private lastConfirmed: number;

  constructor(
    readonly name: string,
    readonly socket: FlowSocket,
    initial: BoardSnapshot,
    private readonly stats: SyncFuzzResult,
    relay: Relay,
  ) {
    const seen = relay.jitterMs > 0 || relay.lossRate > 0 ? relayed(socket, relay, stats) : socket;
    this.sync = new BoardSyncClient(seen, initial);
    this.actions = boardActions(initial.id, this.sync.mutate);
    this.lastConfirmed = initial.version;
    this.sync.subscribe(() => this.checkInvariants());
  }

  /** What must hold at every moment, not only at the end. */
  private checkInvariants(): void {
    const { confirmed } = this.sync.getState();
    if (confirmed.version < this.lastConfirmed) this.problems.push(`${this.name}: confirmed version went back from ${this.lastConfirmed} to ${confirmed.version}`);
    this.lastConfirmed = confirmed.version;
    for (const column of confirmed.columns) {
      const count = confirmed.cards.filter((c) => c.columnId === column.id).length;
      if (column.wipLimit !== null && count > column.wipLimit) {
        this.problems.push(`${this.name}: ${column.name} holds ${count} cards over its WIP limit ${column.wipLimit} at version ${confirmed.version}`);
      }
    }
  }

  private record(ack: Promise<Ack<object>>): Promise<void> {
    return ack.then((a) => {
      if (a.ok) this.stats.accepted++;
      else {
        const code = a.code !== 'INTERNAL' ? a.code : a.message.startsWith('Not connected') ? 'NOT_SENT' : 'NO_ANSWER';
        this.stats.refused[code] = (this.stats.refused[code] ?? 0) + 1;
      }
    });
  }

  async run(rng: Prng, steps: number, maxDelayMs: number, dropChance: number, watchOnly: boolean): Promise<void> {
    for (let i = 0; i < steps; i++) {
      await sleep(rng.int(maxDelayMs + 1));
      // A person mostly waits for the board to be live again; now and then one tries anyway.
      if (!this.socket.connected && rng.chance(0.8)) {
        await sleep(10);
        continue;
      }
      if (rng.chance(dropChance)) {
        this.drop(rng);
        continue;
      }
      if (watchOnly) continue;
      const change = this.change(rng, i);
      if (!change) continue;
      // Half the time the next change goes before this one's ack: several pending at once.
      if (rng.chance(0.5)) await change;
      else this.inFlight.push(change);
    }
    await Promise.all(this.inFlight);
  }

  /** Loses the connection: the transport (Socket.IO reconnects by itself) or the whole socket for a while. */
  private drop(rng: Prng): void {
    this.stats.drops++;
    // Only an open transport is dropped: one closed mid-handshake leaves Socket.IO's manager waiting
    // forever, which no real network does (it would time out or fail instead).
    if (rng.chance(0.5) && this.socket.connected) {
      this.socket.io.engine.close();
      return;
    }
    this.socket.disconnect();
    this.inFlight.push(sleep(rng.int(120)).then(() => void this.socket.connect()));
  }

  /** One random change a person could make on what this client shows. */
  private change(rng: Prng, step: number): Promise<void> | null {
    const view = this.sync.getSnapshot().view;
    const columns = view.columns;
    const cards = view.cards.filter((c) => !isTempId(c.id));
    const card = rng.pick(cards);
    const indexOf = (columnId: string) => columns.findIndex((c) => c.id === columnId);
    const beforeIn = (columnId: string) => (rng.chance(0.5) ? null : (rng.pick(cards.filter((c) => c.columnId === columnId && c.id !== card?.id))?.id ?? null));
    const roll = rng.int(100);
    if (roll < 14 || !card) {
      const column = rng.pick(columns);
      if (!column) return null;
      return this.record(this.actions.createCard(column.id, `${this.name} card ${step}`, rng.pick(CARD_TYPES)));
    }
    const from = indexOf(card.columnId);
    if (roll < 46) {
      // A pull: into the next work center, full or not.
      const to = columns[Math.min(from + 1, columns.length - 1)];
      if (!to) return null;
      // Into a split work center: its doing half, or straight to its done half.
      return this.record(this.actions.moveCard(card.id, to.id, beforeIn(to.id), null, undefined, to.split ? rng.pick([undefined, 'done'] as const) : undefined));
    }
    if (roll < 60) {
      // A backward move, mostly with its reason; without one it is refused.
      const to = columns[rng.int(Math.max(from, 1))];
      if (!to) return null;
      const reason = rng.chance(0.75) ? `Defect found by ${this.name}` : null;
      return this.record(this.actions.moveCard(card.id, to.id, beforeIn(to.id), reason));
    }
    if (roll < 68) {
      // Within its work center: a reorder, or in a split one (lib/shared/domain/split.ts) a move to either half.
      const split = columns[from]?.split ?? false;
      return this.record(this.actions.moveCard(card.id, card.columnId, beforeIn(card.columnId), null, undefined, split ? rng.pick(['doing', 'done'] as const) : undefined));
    }
    if (roll < 88) return this.record(this.actions.updateCard(card.id, { title: `${card.title.slice(0, 40)} · ${this.name}` }));
    return this.record(this.actions.deleteCard(card.id));
  }

  /** Every change settled, nothing held, live at the server's version. */
  settledAt(version: number): boolean {
    const state = this.sync.getState();
    return this.sync.getSnapshot().status === 'live' && state.pending.length === 0 && state.ahead.length === 0 && state.confirmed.version === version;
  }

  describe(): string {
    const state = this.sync.getState();
    return `${this.name}: ${this.sync.getSnapshot().status}, confirmed v${state.confirmed.version}, ${state.pending.length} pending, held [${state.ahead.map((e) => e.version).join(', ')}], connected ${this.socket.connected}`;
  }
}

export async function runSyncFuzz(options: SyncFuzzOptions): Promise<SyncFuzzResult> {
  const { urls, tokens, boardId, seed, clients: count, steps } = options;
  const rng = prng(seed);
  const stats: SyncFuzzResult = { seed, version: 0, accepted: 0, refused: {}, drops: 0, reordered: 0, lost: 0 };
  const fail = (message: string): never => {
    throw new Error(`sync fuzz failed with seed ${seed} (rerun: SYNC_FUZZ_SEED=${seed}): ${message}`);
  };
  const firstUrl = urls[0];
  const firstToken = tokens[0];
  if (!firstUrl || !firstToken) return fail('needs at least one url and one token');

  const initial = await serverSnapshot(firstUrl, firstToken, boardId);
  const writers = count;
  const relays: Relay[] = [];
  const clients = Array.from({ length: writers + (options.observers ?? 0) }, (_, i) => {
    const url = urls[i % urls.length] ?? firstUrl;
    const token = tokens[i % tokens.length] ?? firstToken;
    const name = i < writers ? `client ${i + 1}` : `observer ${i + 1 - writers}`;
    const relay: Relay = { rng: rng.fork(), jitterMs: options.jitterMs ?? 0, lossRate: options.lossRate ?? 0 };
    relays.push(relay);
    return new FuzzClient(name, openSocket(url, token), initial, stats, relay);
  });
  try {
    for (const client of clients) client.sync.start();
    const maxDelayMs = options.maxDelayMs ?? 12;
    const dropChance = options.dropChance ?? 0.05;
    await Promise.all(clients.map((client, i) => client.run(rng.fork(), steps, maxDelayMs, dropChance, i >= writers)));
    // One last change once nothing more is lost: every client sees a version after any it missed.
    for (const relay of relays) relay.settling = true;
    const rename = await fetch(`${firstUrl}/api/boards/${boardId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${firstToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Fuzz board, settled (seed ${seed})` }),
    });
    if (!rename.ok) fail(`the settling rename answered ${rename.status}`);

    const server = await serverSnapshot(firstUrl, firstToken, boardId);
    for (const url of urls.slice(1)) {
      const other = await serverSnapshot(url, firstToken, boardId);
      if (other.version !== server.version) fail(`${url} serves version ${other.version}, ${firstUrl} ${server.version}`);
    }
    stats.version = server.version;

    const deadline = Date.now() + (options.settleMs ?? 8_000);
    while (!clients.every((c) => c.settledAt(server.version))) {
      if (Date.now() > deadline) fail(`not settled at version ${server.version}:\n${clients.map((c) => c.describe()).join('\n')}`);
      await sleep(20);
    }
    const problems = clients.flatMap((c) => c.problems);
    if (problems.length) fail(problems.slice(0, 10).join('\n'));
    for (const client of clients) {
      try {
        expect(canonical(computeView(client.sync.getState())), client.name).toStrictEqual(canonical(server));
      } catch (error) {
        fail(`${client.name} differs from the server's board\n${(error as Error).message}`);
      }
    }
    return stats;
  } finally {
    for (const client of clients) client.sync.stop();
  }
}
