/**
 * A work center longer than a join sends (lib/shared/domain/cardWindow.ts): the page shows its first
 * 200 cards with the true count in its header, and "show more" brings the rest.
 */
import { boardName, csvTime, expect, importBoard, test } from './fixtures';

test.use({ trace: 'off' });

const HOUR = 3_600_000;

test('a long work center shows its first cards, its true count, and the rest on "show more"', async ({ page }) => {
  const now = Date.now();
  const rows = ['ID,Name,Todo,Done'];
  for (let n = 0; n < 230; n++) rows.push(`W-${n},Window card ${n},${csvTime(now - 24 * HOUR)},`);
  const boardId = await importBoard(page.request, boardName('Long work center'), rows);

  await page.goto(`/boards/${boardId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  const todo = page.getByRole('region', { name: 'Todo' });
  const more = todo.getByTestId('show-more-cards');
  await expect(more).toHaveText('Show 30 more of 30 not shown', { timeout: 15_000 });
  await expect(todo.locator('[data-card-id]')).toHaveCount(200);
  await expect(todo.getByText('230', { exact: true })).toBeVisible();
  await more.click();
  await expect(todo.locator('[data-card-id]')).toHaveCount(230);
  await expect(more).toHaveCount(0);
});
