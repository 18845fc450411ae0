/**
 * The value stream page: the map of an imported history with numbers that follow by hand, a work
 * center's longest items opened from the keyboard, axe in both themes, screenshots at 1280x800 and
 * 1920x1080 (and a phone); and the page following a move made by someone else, live.
 */
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';
import { expectAxeClean } from './axe';

/** The map is a replay in the server's heavy-read worker, queued behind other heavy reads: on a busy 2-core machine its first answer can take seconds. */
const FIRST_ANSWER = { timeout: 15_000 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Twelve items finished in the last three weeks, each two days in Develop and one in Test; two more
 * in Develop now. So: Develop median 2.0 d, Test 1.0 d, lead time 3.0 d, all of it active (nothing is
 * split nor blocked), nothing sent back.
 */
function history(now: number): string[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const rows = ['ID,Name,Backlog,Develop,Test,Done'];
  for (let i = 0; i < 12; i++) {
    const develop = today - (20 - i) * DAY + 9 * HOUR;
    rows.push(`F-${i},Finished item ${i},${csvTime(develop - 3 * DAY)},${csvTime(develop)},${csvTime(develop + 2 * DAY)},${csvTime(develop + 3 * DAY)}`);
  }
  for (let i = 0; i < 2; i++) rows.push(`S-${i},Started item ${i},${csvTime(today - 4 * DAY)},${csvTime(today - (i + 1) * DAY)},,`);
  return rows;
}

test('the value stream map: the numbers of the history, a work center’s longest items from the keyboard, axe-clean, screenshots', async ({ page }, testInfo) => {
  test.slow();
  const boardId = await importBoard(page.request, boardName('Value stream history'), history(Date.now()));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/boards/${boardId}/vsm`);
  await expect(page).toHaveTitle(/Value stream/);
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');

  // The summary line, by hand: 2 days in Develop + 1 in Test, all active, nothing sent back.
  await expect(page.getByTestId('vsm-lead-time')).toHaveText('3.0 d', FIRST_ANSWER);
  await expect(page.getByTestId('vsm-active-time')).toHaveText('3.0 d');
  await expect(page.getByTestId('vsm-activity-ratio')).toHaveText('100%');
  await expect(page.getByTestId('vsm-rolled-c-a')).toHaveText('100%');
  const boxes = page.getByTestId('vsm-box');
  await expect(boxes).toHaveCount(2);
  await expect(boxes.nth(0)).toHaveAccessibleName(/^Develop 2\.0 d median 85th percentile 2\.0 d 100% active, 0% waiting, 0% blocked %C\/A 100%/);
  await expect(boxes.nth(1)).toHaveAccessibleName(/^Test 1\.0 d median/);
  await expect(page.getByTestId('efficiency-headline')).toContainText('Median 100% · board 100% · 12 finished cards');

  // Every number of the map as a table too.
  const mapPanel = page.getByTestId('vsm-panel');
  await mapPanel.getByTestId('show-data').click();
  await expect(mapPanel.getByTestId('chart-table').locator('tbody tr').first()).toContainText('Develop');
  await expect(mapPanel.getByTestId('chart-table').locator('tbody tr').first()).toContainText('2.00');

  // The keyboard: Tab reaches the boxes, Enter opens the longest items and takes the reader there.
  await boxes.nth(0).focus();
  await expect(boxes.nth(0)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(boxes.nth(1)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const worst = page.getByTestId('vsm-worst');
  await expect(worst.getByRole('heading', { name: 'Longest in Develop' })).toBeFocused();
  await expect(boxes.nth(0)).toHaveAttribute('aria-expanded', 'true');
  await expect(worst.getByTestId('vsm-worst-item')).toHaveCount(10);
  await expect(worst.getByTestId('vsm-worst-item').first()).toContainText('2.0 d');
  const link = worst.getByRole('link').first();
  await expect(link).toHaveAttribute('href', new RegExp(`^/boards/${boardId}\\?card=`));

  await expectAxeClean(page, 'the value stream page with a work center open');
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'value-stream-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'value-stream-1920x1080.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone the map scrolls sideways inside its panel; the page itself does not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: shotPath(testInfo.outputDir, 'value-stream-390x844.png'), fullPage: true });

  // The card's link opens the board with the card's dialog.
  await page.setViewportSize({ width: 1280, height: 800 });
  const title = (await link.innerText()).trim();
  await link.click();
  await expect(page.getByRole('dialog')).toContainText(title);

  await page.goBack();
  await expect(page.getByTestId('vsm-lead-time')).toHaveText('3.0 d', FIRST_ANSWER);

  // The flow page links here, and here back to it.
  await page.getByTestId('open-flow').click();
  await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/flow$`));
  await page.getByTestId('open-vsm').click();
  await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/vsm$`));
  await expect(page.getByTestId('vsm-lead-time')).toHaveText('3.0 d', FIRST_ANSWER);
});

test('the value stream page follows the board live: a move by someone else fills in the work center', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Value stream live'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const [card] = await board.addCards('Develop', ['Live item', 'Other item']);
  const watcher = await openViewer(board.id, 'Stream watcher');
  await watcher.page.goto(`/boards/${board.id}/vsm`);
  await expect(watcher.page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  const develop = watcher.page.getByTestId('vsm-box').first();
  await expect(develop).toHaveAccessibleName(/^Develop – median .*Nothing left it in this range/, FIRST_ANSWER);
  await expect(watcher.page.getByTestId('vsm-empty')).toBeVisible();

  const mover = await openViewer(board.id, 'Stream mover');
  await mover.keyboardPickUpAndMove(card?.id ?? '', 1, board.column('Test').id);
  await mover.page.keyboard.press('Space');

  // No reload: the page reads the map again when the move arrives.
  await expect(develop).toHaveAccessibleName(/^Develop \S+ h median /, FIRST_ANSWER);
  await expect(watcher.page.getByTestId('vsm-empty')).toHaveCount(0);
  await mover.close();
  await watcher.close();
});
