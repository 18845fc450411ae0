import type { Browser, BrowserContext, Page } from '@playwright/test';
import { boardName, expect, test, Viewer } from './fixtures';
import type { BoardSnapshot } from '../../lib/shared/domain/types';

const PASSWORD = 'flow metrics all day';

type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;
/** One account for this file, signed up once: sign-ups and sign-ins are rate-limited per client. */
let session: SessionState | undefined;

/**
 * A browser context signed in to the file's account. Two contexts of one account are a person's
 * laptop and the team's standup screen.
 */
async function signedIn(browser: Browser, baseURL: string | undefined, options: { timezoneId?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const settings = { baseURL, viewport: options.viewport ?? { width: 1280, height: 800 }, timezoneId: options.timezoneId };
  if (!session) {
    const first = await browser.newContext(settings);
    const email = `flow-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
    const up = await first.request.post('/api/auth/sign-up/email', { data: { name: 'Ada', email, password: PASSWORD }, headers: { origin: baseURL ?? '' } });
    expect(up.ok(), await up.text()).toBe(true);
    session = await first.storageState();
    await first.close();
  }
  return browser.newContext({ ...settings, storageState: session });
}

/** Imports the history as a new board owned by the context's account. */
async function importHistory(context: BrowserContext, name: string): Promise<string> {
  const res = await context.request.post(`/api/import/csv?name=${encodeURIComponent(boardName(name))}&tz=UTC`, {
    data: historyCsv(Date.now()),
    headers: { 'content-type': 'text/csv', 'x-flowboard-request': '1' },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { boardId: string }).boardId;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `YYYY-MM-DD HH:mm` in UTC, the zone the import is told. */
function at(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A history with a known shape: twelve cards finished in the last three weeks after 1–3 days in
 * Doing (so the 95th percentile is about three days), one card stuck in Doing for twenty days, one
 * started an hour ago, and one waiting in Todo.
 */
function historyCsv(now: number): string {
  const rows = ['ID,Name,Todo,Doing,Done'];
  for (let i = 0; i < 12; i++) {
    const done = now - (2 + i * 1.5) * DAY;
    const committed = done - (1 + (i % 3)) * DAY;
    rows.push(`F-${i},Finished ${i},${at(committed - DAY)},${at(committed)},${at(done)}`);
  }
  rows.push(`S-1,Stuck item,${at(now - 22 * DAY)},${at(now - 20 * DAY)},`);
  rows.push(`N-1,Fresh item,${at(now - 2 * HOUR)},${at(now - HOUR)},`);
  rows.push(`B-1,Backlog item,${at(now - 2 * DAY)},,`);
  return rows.join('\n') + '\n';
}

/** A CSV file for an <input type=file>. */
const file = (body: string) => ({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });

async function cfdLines(page: Page): Promise<number[]> {
  const value = await page.getByTestId('cfd-chart').getAttribute('data-last');
  return (value ?? '').split(',').map(Number);
}

test('a move on the board updates the CFD open in another browser, live; aging marks show on the board', async ({ browser, baseURL }) => {
  const adaContext = await signedIn(browser, baseURL);
  const boardId = await importHistory(adaContext, 'Flow');
  const { board } = (await (await adaContext.request.get(`/api/boards/${boardId}`)).json()) as { board: BoardSnapshot };
  const col = (name: string) => board.columns.find((c) => c.name === name)?.id ?? '';
  const card = (title: string) => board.cards.find((c) => c.title === title)?.id ?? '';

  // The flow page on the team's screen: another browser context, in another time zone than the server.
  const flowContext = await signedIn(browser, baseURL, { timezoneId: 'Europe/Berlin' });
  const flow = await flowContext.newPage();
  await flow.goto(`/boards/${boardId}/flow`);
  await expect(flow.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await expect(flow.getByTestId('cfd-chart')).toBeVisible();
  // Todo, Doing, Done: 15 cards arrived, 14 reached Doing, 12 finished.
  await expect.poll(() => cfdLines(flow)).toEqual([15, 14, 12]);
  await flow.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  // The board, in another context: the stuck card carries the 95th-percentile mark, the fresh one none.
  const adaPage = await adaContext.newPage();
  await adaPage.goto(`/boards/${boardId}`);
  const ada = new Viewer('Ada', adaContext, adaPage);
  await ada.expectLive();
  await expect(ada.page.getByTestId(`aging-mark-${card('Stuck item')}`)).toHaveAttribute('data-level', 'p95');
  await expect(ada.page.getByTestId(`aging-mark-${card('Fresh item')}`)).toHaveCount(0);
  await expect(ada.page.getByTestId('open-flow')).toHaveAttribute('href', `/boards/${boardId}/flow`);

  // Ada pulls the backlog item into Doing with the keyboard.
  await ada.keyboardPickUpAndMove(card('Backlog item'), 1, col('Doing'));
  await ada.page.keyboard.press('Space');
  await expect(ada.cardIn(col('Doing'), card('Backlog item'))).toBeVisible();

  // The flow page folds the move in: the Doing line rises, without a reload.
  await expect.poll(() => cfdLines(flow), { timeout: 5_000 }).toEqual([15, 15, 12]);
  expect(await flow.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await expect(flow.getByTestId('aging-panel')).toContainText('3 cards in progress');

  // And a card finishing moves the bottom line.
  await ada.keyboardPickUpAndMove(card('Fresh item'), 1, col('Done'));
  await ada.page.keyboard.press('Space');
  await expect.poll(() => cfdLines(flow), { timeout: 5_000 }).toEqual([15, 15, 13]);
  await flowContext.close();
  await adaContext.close();
});

test('a card shows one age, its time in this work center, and its aging mark measures the same; the dialog adds the age since commitment', async ({ browser, baseURL }) => {
  const now = Date.now();
  const rows = ['ID,Name,Todo,Doing,Review,Done'];
  // Twelve cards finished after 1–3 days from commitment: the 95th percentile is about three days.
  for (let i = 0; i < 12; i++) {
    const done = now - (2 + i * 1.5) * DAY;
    const committed = done - (1 + (i % 3)) * DAY;
    rows.push(`F-${i},Finished ${i},${at(committed - DAY)},${at(committed)},${at(committed + HOUR)},${at(done)}`);
  }
  rows.push(`S-1,Stuck in review,${at(now - 22 * DAY)},${at(now - 21 * DAY)},${at(now - 20 * DAY)},`);
  // Committed three weeks ago, in Review for an hour: young here, old since commitment.
  rows.push(`M-1,Just moved on,${at(now - 22 * DAY)},${at(now - 21 * DAY)},${at(now - HOUR)},`);
  const context = await signedIn(browser, baseURL);
  const res = await context.request.post(`/api/import/csv?name=${encodeURIComponent(boardName('Ages'))}&tz=UTC`, {
    data: `${rows.join('\n')}\n`,
    headers: { 'content-type': 'text/csv', 'x-flowboard-request': '1' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { boardId } = (await res.json()) as { boardId: string };
  const { board } = (await (await context.request.get(`/api/boards/${boardId}`)).json()) as { board: BoardSnapshot };
  const card = (title: string) => board.cards.find((c) => c.title === title)?.id ?? '';
  const page = await context.newPage();
  await page.goto(`/boards/${boardId}`);
  const ada = new Viewer('Ada', context, page);
  await ada.expectLive();

  const stuck = ada.card(card('Stuck in review'));
  await expect(ada.page.getByTestId(`aging-mark-${card('Stuck in review')}`)).toHaveAttribute('data-level', 'p95');
  await expect(stuck.locator('.card-age-label')).toHaveText('20d here');
  await expect(stuck.locator('.card-age-label')).toHaveAttribute('title', 'Time in this work center');
  // The face says one hour here: no aging mark contradicts it, although it was committed three weeks ago.
  const moved = ada.card(card('Just moved on'));
  await expect(moved.locator('.card-age')).toHaveText('1h');
  await expect(ada.page.getByTestId(`aging-mark-${card('Stuck in review')}`)).toBeVisible();
  await expect(ada.page.getByTestId(`aging-mark-${card('Just moved on')}`)).toHaveCount(0);

  await moved.click();
  const dialog = ada.page.getByTestId('card-dialog');
  await expect(dialog.getByTestId('card-age-here')).toHaveText('1h in Review');
  await expect(dialog.getByTestId('card-age-committed')).toHaveText('21d since commitment');
  await context.close();
});

test('the flow page reads well at 1280×800 and 1920×1080', async ({ browser, baseURL }, testInfo) => {
  const owner = await signedIn(browser, baseURL);
  const boardId = await importHistory(owner, 'Screens');
  await owner.close();
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    const context = await signedIn(browser, baseURL, { viewport });
    const page = await context.newPage();
    await page.goto(`/boards/${boardId}/flow`);
    await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
    await expect(page.getByTestId('cfd-chart').locator('svg.recharts-surface')).toBeVisible();
    // Nothing sticks out sideways: the page never scrolls horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: testInfo.outputPath(`flow-${viewport.width}x${viewport.height}.png`), fullPage: true });
    await context.close();
  }
});

test('importing a CSV in the browser lists every bad line, then imports a good file and links to its flow', async ({ browser, baseURL }) => {
  const context = await signedIn(browser, baseURL);
  const page = await context.newPage();
  await page.goto('/import');
  await page.getByTestId('import-file').setInputFiles(file('ID,Todo,Done\nA,2025-01-05,2025-01-01\nB,soon,\n'));
  await page.getByTestId('import-submit').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('line 2');
  await expect(errors).toContainText('Dates go backward in the workflow');
  await expect(errors).toContainText('line 3');
  await expect(errors).toContainText('"soon" under "Todo" is not a date');

  await page.getByTestId('import-name').fill(boardName('Imported in the browser'));
  await page.getByTestId('import-file').setInputFiles(file(historyCsv(Date.now())));
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toContainText('Imported 15 items');
  await page.getByRole('link', { name: 'See its flow' }).click();
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await expect.poll(() => cfdLines(page)).toEqual([15, 14, 12]);
  await context.close();
});
