/**
 * Opening a board: one connection that opens while the page hydrates, card ages drawn by the
 * server and hydrated as they are, dialogs and the add-card form that load their code on demand.
 */
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { boardName, csvTime, expect, importBoard, joinBoard, test, watchConnection } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('opening a board connects once: one WebSocket, one socket.io CONNECT, one join, then live, its milestones in order', async ({ page, api, baseURL }) => {
  const board = await api.createBoard(boardName('One connection'), [{ name: 'Develop' }, { name: 'Test' }], [{ title: 'Connect once', column: 'Develop' }]);
  await joinBoard(api, baseURL ?? '', 'Page user', board.id);
  const seen = watchConnection(page);

  await page.goto(`/boards/${board.id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId(`card-${board.snapshot.cards[0]!.id}`)).toBeVisible();

  expect(seen.sockets).toHaveLength(1);
  expect(seen.sockets[0]).toMatch(/\/socket\.io\/\?.*transport=websocket/);
  // WebSocket first: no long-polling handshake before it, nor an upgrade from one.
  expect(seen.polls).toEqual([]);
  expect(seen.connects).toHaveLength(1);
  expect(seen.connects[0]).toMatch(/^40(\{|$)/);
  expect(seen.joins).toHaveLength(1);

  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((mark) => mark.name.startsWith('flowboard:'))
      .map((mark) => ({ name: mark.name, at: mark.startTime })),
  );
  // Entries come back in time order (ties in the order they were made): each phase once, in the order it happens.
  expect(marks.map((mark) => mark.name)).toEqual(['flowboard:board-mounted', 'flowboard:connected', 'flowboard:live']);
  expect(marks.map((mark) => mark.at)).toEqual(marks.map((mark) => mark.at).toSorted((a, b) => a - b));
});

/** React names a hydration mismatch in development ("Hydration failed", "did not match") and by number in production (#418, #425). */
const HYDRATION = /hydrat|did not match|\b418\b|\b425\b/i;

test("a board's card ages are in the server's HTML and hydrate without a mismatch, even when the browser's clock is a day ahead", async ({ page }) => {
  // Ages well inside their units, so the seconds between the import and the render change no label.
  const now = Date.now();
  const boardId = await importBoard(page.request, boardName('Ages'), [
    'ID,Name,Todo,Doing,Done',
    `T-1,Waiting for three days,${csvTime(now - 3 * DAY - 6 * HOUR)},,`,
    `D-1,Started this morning,${csvTime(now - 6 * HOUR)},${csvTime(now - 5 * HOUR - 30 * MINUTE)},`,
    `F-1,Shipped last week,${csvTime(now - 14 * DAY)},${csvTime(now - 13 * DAY)},${csvTime(now - 12 * DAY - 6 * HOUR)}`,
  ]);
  const read = await page.request.get(`/api/boards/${boardId}`);
  expect(read.ok(), await read.text()).toBe(true);
  const { board } = (await read.json()) as { board: BoardSnapshot };
  const idOf = (title: string) => board.cards.find((card) => card.title === title)?.id ?? '';
  // What the server draws, and what a browser whose clock is a day ahead draws once it has hydrated.
  const expected = [
    { id: idOf('Waiting for three days'), server: '3d', browser: '4d' },
    { id: idOf('Started this morning'), server: '5h', browser: '1d' },
    { id: idOf('Shipped last week'), server: '12d', browser: '13d' },
  ];
  expect(expected.map((card) => card.id)).not.toContain('');

  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  // The HTML the page hydrates from, kept as it was sent.
  let html = '';
  await page.route(`**/boards/${boardId}`, async (route) => {
    const response = await route.fetch();
    html = await response.text();
    await route.fulfill({ response, body: html });
  });
  // Clocks disagree: the browser's runs a day ahead of the server's.
  await page.clock.setFixedTime(Date.now() + DAY);

  await page.goto(`/boards/${boardId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  // The server's HTML, read without running it: every card's age is already there.
  const raw = await page.context().browser()!.newContext({ javaScriptEnabled: false });
  try {
    const serverPage = await raw.newPage();
    await serverPage.setContent(html);
    await expect(serverPage.locator('[data-card-id]')).toHaveCount(expected.length);
    for (const card of expected) await expect(serverPage.locator(`[data-card-id="${card.id}"] .card-age`)).toHaveText(card.server);
  } finally {
    await raw.close();
  }

  // After hydration the browser's own clock takes over, label by label.
  for (const card of expected) await expect(page.locator(`[data-card-id="${card.id}"] .card-age`)).toHaveText(card.browser);
  expect(problems.filter((problem) => HYDRATION.test(problem))).toEqual([]);
});

test('on a live board a card opens in its dialog, and the add-card form refuses a blank title and adds a real one that the other browser sees', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Dialogs'), [{ name: 'Develop' }, { name: 'Test' }], [
    { title: 'Rotate the signing keys', column: 'Develop', type: 'chore', description: 'Keys older than **90 days** are refused.' },
  ]);
  const develop = board.column('Develop').id;
  const card = board.snapshot.cards[0]!;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');

  // The card dialog: its code loads on demand, then shows the card, its Markdown and its history.
  await alice.card(card.id).click();
  const dialog = alice.page.getByTestId('card-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Rotate the signing keys' })).toBeVisible();
  await expect(alice.page.getByTestId('card-title-input')).toHaveValue('Rotate the signing keys');
  await expect(alice.page.getByTestId('card-type-option-chore')).toBeChecked();
  await expect(alice.page.getByTestId('card-description-preview').locator('strong')).toHaveText('90 days');
  await expect(dialog.locator('[data-testid="history-entry"][data-type="card_created"]')).toHaveCount(1);
  await alice.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(alice.card(card.id)).toBeFocused();

  // A blank title, then one of spaces: refused in the form, with the reason, and nothing is sent.
  await alice.page.getByTestId(`add-card-${develop}`).click();
  const title = alice.page.getByTestId(`new-card-title-${develop}`);
  const refusal = alice.column(develop).getByRole('alert');
  await title.press('Enter');
  await expect(refusal).toHaveText('A card needs a title');
  await title.fill('   ');
  await expect(refusal).toHaveCount(0);
  await alice.page.getByTestId(`new-card-submit-${develop}`).click();
  await expect(refusal).toHaveText('A card needs a title');
  await expect(title).toHaveAttribute('aria-invalid', 'true');

  // A real title goes through, trimmed, and the other browser sees it arrive.
  await title.fill('  Renew the TLS certificate ');
  await title.press('Enter');
  await expect(refusal).toHaveCount(0);
  await expect(title).toHaveValue('');
  for (const viewer of [alice, bob]) {
    await expect(viewer.column(develop).getByText('Renew the TLS certificate', { exact: true })).toBeVisible();
    await expect(viewer.page.getByTestId(`column-count-${develop}`)).toHaveText('2');
  }
  expect((await board.fetch()).cards.map((c) => c.title).toSorted()).toEqual(['Renew the TLS certificate', 'Rotate the signing keys']);
});
