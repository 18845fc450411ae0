/**
 * The integrations page's outgoing webhooks, as a board admin uses them from the keyboard: add a
 * webhook to a real receiver on this machine (the end-to-end server allows internal receivers), see
 * its secret once, watch a move arrive in the delivery log, redeliver it, turn it off and remove it.
 * A member of the board is not shown the webhooks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectAxeClean } from './axe';
import { boardName, expect, joinBoard, sessionOf, test } from './fixtures';

const shotsDir = (outputDir: string) => process.env.FLOWBOARD_SHOTS_DIR ?? join(outputDir, 'screenshots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
] as const;

async function shoot(page: Page, dir: string, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(dir, `${name}-${colorScheme}-${size.width}x${size.height}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}

let receiver: Server | undefined;
const deliveries: string[] = [];
test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    deliveries.push(String(req.headers['x-flowboard-delivery']));
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve())));

test('an admin adds a webhook from the keyboard, sees a move delivered, redelivers it, turns it off and removes it', async ({ browser, api, baseURL }, testInfo) => {
  if (!baseURL) throw new Error('baseURL is not configured');
  // Twelve screenshots and two axe runs in both themes: more than the default 30 s on a busy machine.
  test.setTimeout(120_000);
  const dir = shotsDir(testInfo.project.outputDir);
  if (!receiver) throw new Error('the receiver did not start');
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/flowboard`;
  const board = await api.createBoard(boardName('Hooks'), [{ name: 'Develop' }, { name: 'Test' }]);
  await joinBoard(api, baseURL, 'Hooks admin', board.id, 'admin');
  const context = await browser.newContext({ baseURL, viewport: SIZES[0], storageState: await sessionOf(baseURL, 'Hooks admin') });
  try {
    const page = await context.newPage();
    await page.goto(`/boards/${board.id}`);
    await page.getByTestId('board-settings').click();
    await page.getByTestId('open-integrations').click();
    await expect(page).toHaveURL(new RegExp(`/boards/${board.id}/integrations$`));
    await expect(page.getByTestId('no-webhooks')).toBeVisible();
    await expectAxeClean(page, 'the integrations page, empty');
    await shoot(page, dir, 'integrations-empty');

    // From the keyboard: the URL, the secret left empty (generated), the default events, submit.
    const form = page.getByTestId('add-webhook-form');
    await form.getByLabel('Payload URL').focus();
    await page.keyboard.type(url);
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Secret (optional)')).toBeFocused();
    await expect(form.getByTestId('event-card_moved')).toBeChecked();
    await form.getByTestId('event-card_created').uncheck();
    await form.getByLabel('Payload URL').press('Enter');
    const secret = page.getByTestId('new-webhook-secret');
    await expect(secret).toHaveValue(/^whsec_/);
    const row = page.getByTestId('webhook-row');
    await expect(row.getByTestId('webhook-url')).toHaveText(url);
    await expect(row.getByTestId('webhook-state')).toHaveText('On');
    // The secret is not in the list: only its last characters.
    const shown = await secret.inputValue();
    await expect(row).toContainText(`…${shown.slice(-4)}`);

    const [card] = await board.addCards('Develop', ['Payment retries']);
    await board.moveCard(card!.id, 'Test');
    await row.getByTestId('toggle-log').press('Enter');
    await expect(row.getByTestId('toggle-log')).toHaveAttribute('aria-expanded', 'true');
    const log = row.getByTestId('delivery-row');
    await expect(async () => {
      await row.getByTestId('refresh-log').click();
      await expect(log.getByTestId('delivery-status')).toHaveText(['Delivered'], { timeout: 500 });
    }).toPass();
    await expect(log).toContainText('Card moved');
    await expect(log).toContainText('200');
    await expectAxeClean(page, 'the integrations page with a webhook and its log');
    await shoot(page, dir, 'integrations-log');
    // Nothing runs past a phone's edge: the log scrolls in its own box.
    await page.setViewportSize(SIZES[2]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SIZES[2].width);
    await page.setViewportSize(SIZES[0]);

    const id = (await log.locator('code').textContent()) ?? '';
    await log.getByTestId('redeliver').press('Enter');
    await expect.poll(() => deliveries.filter((d) => d === id).length).toBe(2);

    await row.getByTestId('toggle-enabled').press('Enter');
    await expect(row.getByTestId('webhook-state')).toHaveText('Off');
    await expect(log.getByTestId('redeliver')).toBeDisabled();

    // Removal asks first; keeping it changes nothing.
    await row.getByTestId('remove-webhook').press('Enter');
    await expect(row.getByTestId('remove-webhook-confirm')).toBeFocused();
    await row.getByRole('button', { name: 'Keep it' }).press('Enter');
    await expect(page.getByTestId('webhook-row')).toHaveCount(1);
    await row.getByTestId('remove-webhook').press('Enter');
    await row.getByTestId('remove-webhook-confirm').press('Enter');
    await expect(page.getByTestId('no-webhooks')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('a member sees no way to the integrations and no webhooks', async ({ browser, api, baseURL }) => {
  if (!baseURL) throw new Error('baseURL is not configured');
  const board = await api.createBoard(boardName('Hooks member'), [{ name: 'Develop' }]);
  await joinBoard(api, baseURL, 'Hooks member', board.id, 'member');
  const context = await browser.newContext({ baseURL, viewport: SIZES[0], storageState: await sessionOf(baseURL, 'Hooks member') });
  try {
    const page = await context.newPage();
    await page.goto(`/boards/${board.id}`);
    await expect(page.getByTestId('open-members')).toBeVisible();
    // Board settings, where the link is, are an admin's.
    await expect(page.getByTestId('board-settings')).toHaveCount(0);
    await expect(page.getByTestId('open-integrations')).toHaveCount(0);
    await page.goto(`/boards/${board.id}/integrations`);
    await expect(page.getByTestId('integrations-admins-only')).toBeVisible();
    await expect(page.getByTestId('outgoing-webhooks')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
