/**
 * Shared end-to-end fixtures: boards seeded through the REST API (each test makes its own) with the
 * API token of a "seed" account, and named viewers, each a real account signed up through
 * better-auth's endpoint, invited to the board by the seed account (its admin) and accepting, each in its own
 * browser context, so two people on one board are two browsers.
 * Waits are Playwright's polling `expect`s; nothing here sleeps.
 */
import { expect, request as playwrightRequest, test as base, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page, type WebSocket } from '@playwright/test';
import { join } from 'node:path';
import type { BoardSnapshot, CardDTO, CardType, ColumnDTO } from '../../lib/shared/domain/types';

export { expect };

export interface SeedCard {
  title: string;
  /** Column name; the first column when absent. */
  column?: string;
  type?: CardType;
  description?: string;
  blocked?: boolean;
  blockedReason?: string;
}

/** A board as created through REST, with its columns and cards found by name. */
export class SeededBoard {
  constructor(
    readonly snapshot: BoardSnapshot,
    private readonly api: Api,
  ) {}

  get id(): string {
    return this.snapshot.id;
  }

  column(name: string): ColumnDTO {
    const found = this.snapshot.columns.find((c) => c.name === name);
    if (!found) throw new Error(`no column ${name} on board ${this.snapshot.name}`);
    return found;
  }

  /** Adds a card at the end of its column (REST, WIP applies), optionally blocked. */
  async addCard(card: SeedCard): Promise<CardDTO> {
    const { column, blocked, blockedReason, ...fields } = card;
    const columnId = column === undefined ? undefined : this.column(column).id;
    const { card: created } = await this.api.call<{ card: CardDTO }>('POST', `/api/boards/${this.id}/cards`, { ...fields, columnId });
    if (blocked) await this.api.call('PATCH', `/api/cards/${created.id}`, { blocked: true, blockedReason: blockedReason ?? null });
    this.snapshot.cards.push(created);
    return created;
  }

  async addCards(column: string, titles: readonly string[]): Promise<CardDTO[]> {
    const cards: CardDTO[] = [];
    for (const title of titles) cards.push(await this.addCard({ title, column }));
    return cards;
  }

  async moveCard(cardId: string, toColumn: string, reason?: string): Promise<CardDTO> {
    const { card } = await this.api.call<{ card: CardDTO }>('POST', `/api/cards/${cardId}/move`, { toColumnId: this.column(toColumn).id, reason });
    this.snapshot.cards = this.snapshot.cards.map((c) => (c.id === card.id ? card : c));
    return card;
  }

  async setWipLimit(column: string, wipLimit: number | null): Promise<void> {
    await this.api.call('PATCH', `/api/columns/${this.column(column).id}`, { wipLimit });
  }

  /** The server's current state of the board. */
  async fetch(): Promise<BoardSnapshot> {
    const { board } = await this.api.call<{ board: BoardSnapshot }>('GET', `/api/boards/${this.id}`);
    return board;
  }
}

/** The REST API as an integration would use it; any error status fails the test with the server's message. */
export class Api {
  constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request.fetch(path, { method, data: body, headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    if (!res.ok()) throw new Error(`${method} ${path} answered ${res.status()}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async createBoard(name: string, columns: ReadonlyArray<{ name: string; wipLimit?: number | null }>, cards: readonly SeedCard[] = []): Promise<SeededBoard> {
    const { board } = await this.call<{ board: BoardSnapshot }>('POST', '/api/boards', {
      name,
      columns: columns.map((c) => ({ name: c.name, wipLimit: c.wipLimit ?? null })),
    });
    const seeded = new SeededBoard(board, this);
    for (const card of cards) await seeded.addCard(card);
    return seeded;
  }

  /**
   * Invites an address to a board (the seed account is the admin of the boards it creates). The
   * person joins when they accept (`joinBoard`). False when they are a member already.
   */
  async invite(boardId: string, email: string, role: 'admin' | 'member' | 'viewer' = 'admin'): Promise<boolean> {
    try {
      await this.call('POST', `/api/boards/${boardId}/email-invites`, { email, role });
      return true;
    } catch (error) {
      // Opened twice on one board (two tabs of one person): already a member.
      if (String(error).includes('CONFLICT')) return false;
      throw error;
    }
  }
}

type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Unique per worker process: a retry runs in a new worker against the same database. */
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
export const E2E_PASSWORD = 'end to end, all day';

export function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${RUN}@e2e.test`;
}

/** Signed-up accounts by name, once per worker: better-auth throttles sign-ups per client address. */
const sessions = new Map<string, Promise<SessionState>>();
let seedToken: Promise<string> | undefined;

/** Signs `name` up (through better-auth's endpoint, as the sign-up page does) and keeps the session cookie. */
export function sessionOf(baseURL: string, name: string): Promise<SessionState> {
  let made = sessions.get(name);
  if (!made) {
    made = (async () => {
      const context = await playwrightRequest.newContext({ baseURL });
      const res = await context.post('/api/auth/sign-up/email', {
        data: { name, email: emailOf(name), password: E2E_PASSWORD },
        headers: { origin: baseURL },
      });
      if (!res.ok()) throw new Error(`sign-up of ${name} answered ${res.status()}: ${await res.text()}`);
      const state = await context.storageState();
      await context.dispose();
      return state;
    })();
    sessions.set(name, made);
  }
  return made;
}

/**
 * Puts the account `name` on a board as the product does: the board's admin invites its address, and
 * the person accepts the invitation with their own session.
 */
export async function joinBoard(api: Api, baseURL: string, name: string, boardId: string, role: 'admin' | 'member' | 'viewer' = 'admin'): Promise<void> {
  if (!(await api.invite(boardId, emailOf(name), role))) return;
  const context = await playwrightRequest.newContext({ baseURL, storageState: await sessionOf(baseURL, name) });
  try {
    await acceptInvitation(context, baseURL, boardId, name);
  } finally {
    await context.dispose();
  }
}

/** Accepts, with the session `request` carries, the invitation to `boardId` waiting for its account. */
export async function acceptInvitation(request: APIRequestContext, baseURL: string, boardId: string, who = 'the account'): Promise<void> {
  const listed = await request.get('/api/email-invites');
  const { invites } = (await listed.json()) as { invites: { id: string; boardId: string }[] };
  const mine = invites.find((i) => i.boardId === boardId);
  if (!mine) throw new Error(`${who} has no invitation to board ${boardId}`);
  const accepted = await request.post(`/api/email-invites/${mine.id}/accept`, { headers: { origin: baseURL } });
  if (!accepted.ok()) throw new Error(`${who} could not accept: ${accepted.status()} ${await accepted.text()}`);
}

/** The seed account's API token, made once per worker with its session (a cookie write from our origin). */
function seedTokenOf(baseURL: string): Promise<string> {
  seedToken ??= (async () => {
    const context = await playwrightRequest.newContext({ baseURL, storageState: await sessionOf(baseURL, 'seed') });
    const res = await context.post('/api/tokens', { data: { name: 'e2e seeding' }, headers: { origin: baseURL } });
    if (!res.ok()) throw new Error(`token creation answered ${res.status()}: ${await res.text()}`);
    const { secret } = (await res.json()) as { secret: string };
    await context.dispose();
    return secret;
  })();
  return seedToken;
}

/** One person at the board: their own browser context, page and name. */
export class Viewer {
  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** A work center; on a board with lanes, give the lane to get its cell (lane × work center). */
  column(id: string, laneId?: string): Locator {
    return this.page.getByTestId(laneId ? `cell-${id}-${laneId}` : `column-${id}`);
  }

  card(id: string): Locator {
    return this.page.getByTestId(`card-${id}`);
  }

  /** The card, looked for inside one column only. */
  cardIn(columnId: string, cardId: string, laneId?: string): Locator {
    return this.column(columnId, laneId).getByTestId(`card-${cardId}`);
  }

  connection(): Locator {
    return this.page.getByTestId('connection-state');
  }

  async expectLive(): Promise<void> {
    await expect(this.connection()).toHaveAttribute('data-state', 'live');
  }

  /**
   * Presses the pointer on a card and moves it just past dnd-kit's activation distance, so the
   * drag starts where the card is. Resolves once the card is lifted.
   */
  async startDrag(cardId: string): Promise<void> {
    const from = await centerOf(this.card(cardId));
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + 12, from.y + 4, { steps: 3 });
    await expect(this.card(cardId)).toHaveAttribute('aria-pressed', 'true');
  }

  /** Carries the lifted card over a column in steps, the way a hand travels. */
  async dragOver(columnId: string, laneId?: string): Promise<void> {
    const to = await dropPointOf(this.column(columnId, laneId));
    await this.page.mouse.move(to.x, to.y, { steps: 12 });
  }

  /** A whole pointer drag and drop onto a column. */
  async drag(cardId: string, toColumnId: string, laneId?: string): Promise<void> {
    await this.startDrag(cardId);
    await this.dragOver(toColumnId, laneId);
    await this.page.mouse.up();
  }

  /**
   * Picks a card up with the keyboard and moves it `steps` columns right (negative: left). Each
   * key waits for what it should have done, since dnd-kit listens for the arrows only after the pick-up.
   */
  async keyboardPickUpAndMove(cardId: string, steps: number, expectedColumnId: string, laneId?: string): Promise<void> {
    const card = this.card(cardId);
    await card.focus();
    await card.press('Space');
    await expect(card).toHaveAttribute('aria-pressed', 'true');
    for (let i = 0; i < Math.abs(steps); i++) await this.page.keyboard.press(steps > 0 ? 'ArrowRight' : 'ArrowLeft');
    await expect(this.cardIn(expectedColumnId, cardId, laneId)).toBeVisible();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box: is it visible?');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The middle of a column's card list, below its header: inside the column's droppable area. */
async function dropPointOf(column: Locator): Promise<{ x: number; y: number }> {
  const box = await column.boundingBox();
  if (!box) throw new Error('column has no box: is it visible?');
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 220) };
}

interface Fixtures {
  api: Api;
  /** Opens the board in a new browser context under `name` and waits until it is live. */
  openViewer(
    boardId: string,
    name: string,
    options?: { viewport?: { width: number; height: number }; role?: 'admin' | 'member' | 'viewer' },
  ): Promise<Viewer>;
}

async function newViewer(
  browser: Browser,
  api: Api,
  baseURL: string | undefined,
  boardId: string,
  name: string,
  viewport?: { width: number; height: number },
  role: 'admin' | 'member' | 'viewer' = 'admin',
) {
  if (!baseURL) throw new Error('baseURL is not configured');
  const storageState = await sessionOf(baseURL, name);
  await joinBoard(api, baseURL, name, boardId, role);
  const context = await browser.newContext({ baseURL, viewport: viewport ?? { width: 1280, height: 800 }, storageState });
  const page = await context.newPage();
  await page.goto(`/boards/${boardId}`);
  const viewer = new Viewer(name, context, page);
  await viewer.expectLive();
  return viewer;
}

export const test = base.extend<Fixtures>({
  // The default `page` is signed in too, as "Page user": a signed-out visitor only ever sees the sign-in page.
  storageState: async ({ baseURL }, provide) => {
    if (!baseURL) throw new Error('baseURL is not configured');
    await provide(await sessionOf(baseURL, 'Page user'));
  },
  // `provide` is Playwright's `use`, renamed: a parameter called `use` reads as a React hook to the linter.
  api: async ({ request, baseURL }, provide) => {
    if (!baseURL) throw new Error('baseURL is not configured');
    await provide(new Api(request, await seedTokenOf(baseURL)));
  },
  openViewer: async ({ browser, baseURL, api }, provide) => {
    const opened: Viewer[] = [];
    await provide(async (boardId, name, options) => {
      const viewer = await newViewer(browser, api, baseURL, boardId, name, options?.viewport, options?.role);
      opened.push(viewer);
      return viewer;
    });
    for (const viewer of opened) await viewer.close();
  },
});

/** A board name unique to the test, so a failure points at its own board. */
export function boardName(title: string): string {
  return `${title} ${Date.now().toString(36)}`;
}

/** `YYYY-MM-DD HH:mm` in UTC, the zone importBoard tells the import. */
export function csvTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A board made from a CSV history (POST /api/import/csv) by the signed-in account of `request`, which
 * owns it: the one way to seed cards that entered their work centers in the past. Returns its id.
 */
export async function importBoard(request: APIRequestContext, name: string, lines: readonly string[]): Promise<string> {
  const res = await request.post(`/api/import/csv?name=${encodeURIComponent(name)}&tz=UTC`, {
    data: `${lines.join('\n')}\n`,
    headers: { 'content-type': 'text/csv', 'x-flowboard-request': '1' },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { boardId: string }).boardId;
}

/** What a page sends over socket.io, seen from the browser's side. Call it before the page opens the board. */
export function watchConnection(page: Page) {
  const seen = { sockets: [] as string[], connects: [] as string[], joins: [] as string[], polls: [] as string[] };
  page.on('websocket', (ws: WebSocket) => {
    seen.sockets.push(ws.url());
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      // An engine.io message (4) carrying a socket.io CONNECT (0): "40", "40{auth}" or "40/namespace,".
      if (payload.startsWith('40')) seen.connects.push(payload);
      // A socket.io EVENT (2), with its ack id, naming the join.
      if (/^42\d*\["board:join"/.test(payload)) seen.joins.push(payload);
    });
  });
  page.on('request', (request) => {
    if (request.url().includes('/socket.io/') && request.url().includes('transport=polling')) seen.polls.push(request.url());
  });
  return seen;
}

/** Where screenshots go: the test's output folder, or SHOTS_DIR when someone wants them in one place to look at. */
export function shotPath(outputDir: string, name: string): string {
  return join(process.env.SHOTS_DIR ?? join(outputDir, 'screenshots'), name);
}
