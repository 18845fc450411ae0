/**
 * Inbound hooks end to end: an admin makes a hook and its mapping on the Integrations page, GitHub's
 * deliveries (the fixtures, signed with the secret the page showed) move the card they name, and a
 * second browser on the board sees it move live, then sees a refused move's warning on the card.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureOf } from '../../lib/server/hooks/verify';
import { expectAxeClean } from './axe';
import { boardName, expect, shotPath, test } from './fixtures';

const fixture = (name: string) => readFileSync(join(process.cwd(), 'tests/fixtures/hooks', name), 'utf8');

test.setTimeout(90_000);

test('an admin makes a GitHub hook in the UI; a pull request opened moves PAY-2 live in another browser; a merge into a full Test is refused on the card', async ({ api, openViewer, request }, testInfo) => {
  const board = await api.createBoard(boardName('Payments'), [{ name: 'Concept' }, { name: 'Develop', wipLimit: 3 }, { name: 'Test', wipLimit: 1 }, { name: 'Done' }]);
  await api.call('PATCH', `/api/boards/${board.id}/settings`, { keyPrefix: 'PAY' });
  const [, pay2] = await board.addCards('Concept', ['Receipts by email', 'Checkout retries a declined charge']);
  await board.addCard({ title: 'Already testing', column: 'Test' });
  if (!pay2) throw new Error('seed failed');

  const admin = await openViewer(board.id, 'Hook admin', { viewport: { width: 1280, height: 800 } });
  const watcher = await openViewer(board.id, 'Hook watcher');
  // The key is on the card face.
  await expect(watcher.card(pay2.id)).toContainText('PAY-2');

  // The admin reaches the page from Board settings, by keyboard.
  const page = admin.page;
  await page.getByTestId('board-settings').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('open-integrations').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Inbound hooks' })).toBeVisible();
  await expect(page.getByTestId('hooks-empty')).toBeVisible();

  await page.getByTestId('hook-name-input').fill('GitHub CI');
  await page.getByTestId('hook-provider-select').selectOption('github');
  await page.getByTestId('hook-create').click();
  const dialog = page.getByTestId('hook-secret-dialog');
  await expect(dialog).toBeVisible();
  const secret = (await dialog.getByTestId('hook-secret').textContent())?.trim() ?? '';
  const url = (await dialog.getByTestId('hook-url').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^fbh_/);
  expect(url).toContain('/api/hooks/');
  await expectAxeClean(page, 'the new hook\'s secret dialog', '[data-testid="hook-secret-dialog"]');
  await dialog.getByTestId('hook-secret-done').click();
  await expect(dialog).toHaveCount(0);

  await page.getByTestId('mapping-github:pull_request.opened').selectOption({ label: 'Move to Develop' });
  await page.getByTestId('mapping-github:pull_request.merged').selectOption({ label: 'Move to Test' });
  await page.getByTestId('mapping-save').click();
  await expect(page.getByTestId('mapping-status')).toHaveText('Mapping saved: 2 rules');

  const deliver = async (event: string, body: string, delivery: string) => {
    const res = await request.post(url, { data: body, headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signatureOf(secret, body) } });
    expect(res.status()).toBe(200);
    return (await res.json()) as { results: { outcome: string; code: string | null }[] };
  };
  const opened = await deliver('pull_request', fixture('github-pull_request-opened.json'), `e2e-${board.id}-1`);
  expect(opened.results[0]?.outcome).toBe('moved');
  await expect(watcher.cardIn(board.column('Develop').id, pay2.id)).toBeVisible();

  const merged = await deliver('pull_request', fixture('github-pull_request-merged.json'), `e2e-${board.id}-2`);
  expect(merged.results[0]).toMatchObject({ outcome: 'refused', code: 'WIP_LIMIT' });
  await expect(watcher.page.getByTestId(`card-refusal-${pay2.id}`)).toContainText('Not moved to Test (WIP limit) by GitHub CI');
  await expect(watcher.cardIn(board.column('Develop').id, pay2.id)).toBeVisible();
  await watcher.page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-board-refusal-1280x800.png') });
  await expectAxeClean(watcher.page, 'the card with a refused automated move', `[data-testid="card-${pay2.id}"]`);
  await watcher.card(pay2.id).click();
  await expect(watcher.page.getByTestId('card-dialog-refusal')).toContainText('GitHub CI could not move it to Test');
  await expect(watcher.page.getByTestId('card-key')).toHaveText('PAY-2');
  await expectAxeClean(watcher.page, 'a card with a refused automated move', '[data-testid="card-dialog"]');
  await watcher.page.keyboard.press('Escape');

  // The log, opened by keyboard, says what arrived and what it did.
  const hookRow = page.getByTestId('hook-list').locator('li').first();
  await hookRow.getByRole('button', { name: 'Log' }).focus();
  await page.keyboard.press('Enter');
  const table = page.getByTestId('hook-log-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody tr').first()).toContainText('refused WIP_LIMIT');
  await expect(table.locator('tbody tr').nth(1)).toContainText('moved');
  await expectAxeClean(page, 'the Integrations page');
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-1920x1080.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-1920x1080-dark.png'), fullPage: true });
  await watcher.page.emulateMedia({ colorScheme: 'dark' });
  await watcher.page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-board-refusal-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'inbound-hooks-390x844.png'), fullPage: true });

  // Delete asks first; Cancel keeps the hook.
  await page.setViewportSize({ width: 1280, height: 800 });
  await hookRow.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByTestId('hook-confirm-dialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('hook-list').locator('li')).toHaveCount(1);
  await hookRow.getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('hook-confirm').click();
  await expect(page.getByTestId('hooks-empty')).toBeVisible();
  const gone = await request.post(url, { data: '{}', headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-hub-signature-256': signatureOf(secret, '{}') } });
  expect(gone.status()).toBe(404);
});
