import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { axeFindings } from './axe';
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';

/**
 * The dark theme follows the system setting: the board (with its dialogs and toasts), the flow page
 * and home are readable in it, every text at WCAG AA contrast (axe-core's color-contrast, with the
 * rest of its WCAG 2.1 A/AA rules), and so is the light theme. The screenshots are for people to look at.
 */

const DAY = 86_400_000;

/** Both themes: the page is drawn dark when the system asks for it, light otherwise, and axe finds nothing in each. */
async function expectReadable(page: Page, label: string, root?: string) {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveCSS('color-scheme', colorScheme);
    expect(await axeFindings(page, root), `${label} in the ${colorScheme} theme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'dark' });
}

test('the board, a card dialog and a toast follow the system’s dark setting, readable at AA', async ({ api, openViewer }, testInfo) => {
  const board = await api.createBoard(boardName('Dark'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Test' }, { name: 'Done' }]);
  const types = ['feature', 'defect', 'incident', 'feedback', 'chore'] as const;
  for (const [i, type] of types.entries()) await board.addCard({ title: `Backlog ${type} item`, column: 'Backlog', type, blocked: i === 2, blockedReason: 'Waiting for the vendor sandbox' });
  await board.addCards('Develop', ['Login with SSO', 'Export report']);
  const [sentBack] = await board.addCards('Test', ['Cache warmup']);
  await board.addCards('Done', ['Audit trail', 'Fix flaky deploy']);
  await board.moveCard(sentBack?.id ?? '', 'Backlog', 'Fails the load test');

  const alice = await openViewer(board.id, 'Alice', { viewport: { width: 1280, height: 800 } });
  const { page } = alice;
  await page.emulateMedia({ colorScheme: 'dark' });
  const background = await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(background);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-board-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-board-1920x1080.png') });
  await expectReadable(page, 'the board');

  // A move's toast, with its Undo.
  await alice.drag(board.snapshot.cards[0]?.id ?? '', board.column('Test').id);
  await expect(page.getByTestId('toast')).toContainText('Moved');
  await expectReadable(page, 'a toast', '[popover]');
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-board-toast.png') });

  // A card's dialog, with its history.
  await alice.card(sentBack?.id ?? '').click();
  const dialog = page.getByTestId('card-dialog');
  await expect(dialog.locator('[data-testid="history-entry"][data-backward="true"]')).toHaveCount(1);
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-card-dialog.png') });
  await expectReadable(page, 'the card dialog', '[data-testid="card-dialog"]');
});

test('the flow page and home follow it too: charts, axes and panels readable at AA', async ({ page }, testInfo) => {
  const now = Date.now();
  const lines = ['ID,Name,Todo,Doing,Done'];
  for (let i = 0; i < 12; i++) {
    const done = now - (2 + i * 1.5) * DAY;
    const committed = done - (1 + (i % 3)) * DAY;
    lines.push(`F-${i},Finished ${i},${csvTime(committed - DAY)},${csvTime(committed)},${csvTime(done)}`);
  }
  lines.push(`S-1,Stuck item,${csvTime(now - 22 * DAY)},${csvTime(now - 20 * DAY)},`, `B-1,Backlog item,${csvTime(now - 2 * DAY)},,`);
  const boardId = await importBoard(page.request, boardName('Dark flow'), lines);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/boards/${boardId}/flow`);
  await expect(page.getByTestId('cfd-chart')).toBeVisible();
  await expect(page.locator('svg.recharts-surface').first()).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-flow-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-flow-1920x1080.png'), fullPage: true });
  // Chart lines and axes are drawn with the theme: a gridline is dark in the dark theme.
  const grid = page.locator('.recharts-cartesian-grid line').first();
  const darkGrid = await grid.evaluate((l) => getComputedStyle(l).stroke);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await grid.evaluate((l) => getComputedStyle(l).stroke)).not.toBe(darkGrid);
  await expectReadable(page, 'the flow page');

  // A chart saved as SVG carries the colours it showed as plain values: a file has no theme.
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SVG', exact: true }).first().click();
  const svg = readFileSync((await (await saved).path()) ?? '', 'utf8');
  expect(svg).toContain('<svg');
  expect(svg).not.toContain('var(');
  expect(svg).toMatch(/fill="rgba\(/);

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Boards' })).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-home-1280x800.png') });
  await expectReadable(page, 'home');
});

test('the account pages follow it: sign-in, API tokens and the import page, readable at AA', async ({ page, browser, baseURL }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const [path, heading] of [
    ['/settings/tokens', /token/i],
    ['/import', /import/i],
  ] as const) {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, `dark${path.replaceAll('/', '-')}.png`) });
    await expectReadable(page, path);
  }
  // Signed out: the sign-in page, with its side panel at this width.
  const visitor = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, colorScheme: 'dark', storageState: { cookies: [], origins: [] } });
  const signIn = await visitor.newPage();
  await signIn.goto('/sign-in');
  await expect(signIn.getByRole('button', { name: /sign in/i })).toBeVisible();
  await signIn.screenshot({ path: shotPath(testInfo.project.outputDir, 'dark-sign-in.png') });
  await expectReadable(signIn, 'sign-in');
  await visitor.close();
});
