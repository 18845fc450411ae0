import { expectAxeClean } from './axe';
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';

/**
 * The flow page's charts for someone who cannot see them, or not all their colours: each is a named
 * image with a sentence of what it shows now and its data as a table, and the table holds the
 * numbers the chart draws. The charts add no tab stops of their own.
 */

const DAY = 86_400_000;

async function flowBoard(page: import('@playwright/test').Page): Promise<string> {
  const now = Date.now();
  const lines = ['ID,Name,Todo,Analyse,Build,Review,Deploy,Operate'];
  for (let i = 0; i < 18; i++) {
    const done = now - (2 + i * 1.3) * DAY;
    const start = done - (2 + (i % 4)) * DAY;
    const step = (done - start) / 5;
    lines.push(`F-${i},Finished ${i},${csvTime(start - DAY)},${csvTime(start)},${csvTime(start + step)},${csvTime(start + 2 * step)},${csvTime(start + 3 * step)},${csvTime(done)}`);
  }
  for (let i = 0; i < 6; i++) {
    const start = now - (3 + i * 2) * DAY;
    lines.push(`W-${i},In progress ${i},${csvTime(start - DAY)},${csvTime(start)},${i > 1 ? csvTime(start + DAY) : ''},${i > 3 ? csvTime(start + 1.5 * DAY) : ''},,`);
  }
  lines.push(`B-1,Backlog item,${csvTime(now - 2 * DAY)},,,,,`);
  return importBoard(page.request, boardName('Charts'), lines);
}

test('each chart is a named image with a summary and a data table, the CFD’s table holds what the chart draws', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const boardId = await flowBoard(page);
  await page.goto(`/boards/${boardId}/flow`);
  const cfd = page.getByTestId('cfd-chart');
  await expect(cfd).toBeVisible();
  await expect(page.locator('svg.recharts-surface').first()).toBeVisible();

  // Five charts, five names, five summaries; none of their drawing is a tab stop.
  const images = page.getByRole('img');
  for (const name of [/Cumulative flow diagram/, /Cycle time of finished cards/, /Aging work in progress/, /Cards finished per day/, /Work in progress per day/]) {
    await expect(images.filter({ has: page.locator('svg') }).and(page.getByRole('img', { name }))).toHaveCount(1);
  }
  await expect(page.getByTestId('chart-summary')).toHaveCount(5);
  await expect(page.getByTestId('cfd-figure').getByTestId('chart-summary')).toHaveText(/^At .+: \d+ in Todo, .+ cards? reached Operate since .+\.$/);
  expect(await page.locator('.recharts-wrapper [tabindex]:not([tabindex="-1"]), .recharts-wrapper [role="application"]').count()).toBe(0);
  const tabStops = await page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, summary, [tabindex]')]
        .filter((el) => el.tabIndex >= 0 && !el.closest('[hidden], [inert]') && el.getClientRects().length > 0)
        .map((el) => `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`),
  );
  console.log(`flow page tab stops: ${tabStops.length}\n${tabStops.join('\n')}`);
  // Each chart adds its "Show data" button, nothing else.
  expect(tabStops.filter((s) => /^(svg|g|path)\b/.test(s))).toEqual([]);

  // The CFD's table: one row per interval end the chart plots, and its last row the lines' values
  // the chart was given at the last interval end.
  const figure = page.getByTestId('cfd-figure');
  const toggle = figure.getByRole('button', { name: /Show data of Cumulative flow diagram/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(figure.getByRole('button', { name: /Hide data/ })).toHaveAttribute('aria-expanded', 'true');
  const table = figure.getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Interval end', 'Todo', 'Analyse', 'Build', 'Review', 'Deploy', 'Operate']);
  const points = Number(await cfd.getAttribute('data-points'));
  await expect(table.locator('tbody tr')).toHaveCount(points);
  const drawn = (await cfd.getAttribute('data-last'))?.split(',') ?? [];
  await expect(table.locator('tbody tr').last().locator('td')).toHaveText(drawn);
  // And the chart's own tooltip, read at the last interval, says the same numbers.
  const box = await cfd.locator('svg.recharts-surface').boundingBox();
  if (box) await page.mouse.move(box.x + box.width - 18, box.y + box.height / 2);
  const tooltip = page.locator('.recharts-tooltip-wrapper table');
  await expect(tooltip).toBeVisible();
  await expect(tooltip.locator('tbody tr td:nth-child(2)')).toHaveText(drawn);
  await page.mouse.move(0, 0);

  // The weekly table's "piling up" is said in words, not only in amber.
  const piling = page.locator('[data-piling-up]');
  if ((await piling.count()) > 0) await expect(piling.first()).toContainText('piling up');

  await expectAxeClean(page, 'the flow page with the CFD’s data shown');

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await figure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, `charts-${colorScheme}-1280x800.png`) });
    await page.getByTestId('cycle-time-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, `charts-more-${colorScheme}-1280x800.png`) });
  }
});

test('focus is seen: a card, the skip link and the reason dialog’s text box at 1280x800', async ({ api, openViewer }, testInfo) => {
  const board = await api.createBoard(boardName('Focus'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }]);
  const [first] = await board.addCards('Backlog', ['Checkout flow', 'Search filters']);
  await board.addCard({ title: 'Waiting on the vendor', column: 'Develop', blocked: true, blockedReason: 'Sandbox down' });
  const [tested] = await board.addCards('Test', ['Cache warmup']);
  const alice = await openViewer(board.id, 'Alice');
  const { page } = alice;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // From the top of the page, as it opens.
    await page.reload();
    await alice.expectLive();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('skip-link')).toBeFocused();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, `focus-skip-link-${colorScheme}.png`) });
    await page.keyboard.press('Enter');
    // Past the first work center's settings button, the first card.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(alice.card(first?.id ?? '')).toBeFocused();
    // The ring is drawn inside the card's list, not cut off by it: an outline of 2px, all round.
    const outline = await alice.card(first?.id ?? '').evaluate((el) => ({ style: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth }));
    expect(outline).toEqual({ style: 'solid', width: '2px' });
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, `focus-card-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await alice.keyboardPickUpAndMove(tested?.id ?? '', -1, board.column('Develop').id);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('reason-input')).toBeFocused();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'focus-reason-dialog.png') });
  await page.keyboard.press('Escape');
  await expect(alice.card(tested?.id ?? '')).toBeFocused();
});
