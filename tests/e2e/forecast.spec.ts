/**
 * The forecast panel on the flow page, on eight weeks of imported history: the percentiles as text,
 * the histogram's table holding the chart's numbers, working days set in the flow settings and the
 * panel following, keyboard use, axe, screenshots at 1280x800 and 1920x1080; and the card dialog's
 * "likely done by" for a started card.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Eight weeks: two items finished each weekday (three on Thursdays), none at weekends; six still open, two of them started. */
function history(now: number): string[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const rows = ['ID,Name,Backlog,Develop,Review,Done'];
  let n = 0;
  for (let d = 56; d >= 1; d--) {
    const day = today - d * DAY;
    const weekday = new Date(day).getUTCDay();
    const count = weekday === 0 || weekday === 6 ? 0 : weekday === 4 ? 3 : 2;
    for (let i = 0; i < count; i++) {
      const done = day + (10 + i) * HOUR;
      const review = done - (4 + (n % 3) * 20) * HOUR;
      const develop = review - (1 + (n % 4)) * DAY;
      rows.push(`F-${n},Finished item ${n},${csvTime(develop - DAY)},${csvTime(develop)},${csvTime(review)},${csvTime(done)}`);
      n++;
    }
  }
  for (let i = 0; i < 4; i++) rows.push(`B-${i},Waiting item ${i},${csvTime(today - (i + 2) * DAY)},,,`);
  for (let i = 0; i < 2; i++) rows.push(`S-${i},Started item ${i},${csvTime(today - 5 * DAY)},${csvTime(today - (i + 1) * DAY)},,`);
  return rows;
}

async function openFlow(page: Page, boardId: string) {
  await page.goto(`/boards/${boardId}/flow`);
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  const panel = page.getByTestId('forecast-panel');
  await expect(panel.getByTestId('forecast-when-percentiles')).toBeVisible();
  await expect(panel.getByTestId('forecast-how-many-percentiles')).toBeVisible();
  return panel;
}

/** The bars' heights and the table's trials: the same numbers, drawn to one scale. */
async function expectTableMatchesChart(page: Page, testId: string) {
  const histogram = page.getByTestId(testId);
  await histogram.locator('summary').focus();
  await page.keyboard.press('Enter');
  const table = histogram.getByTestId(`${testId}-table`);
  await expect(table).toBeVisible();
  const trials = (await table.locator('tbody tr td:nth-of-type(1)').allInnerTexts()).map(Number);
  const labels = await table.locator('tbody tr th').allInnerTexts();
  expect(trials.length).toBeGreaterThan(0);
  const bars = histogram.getByTestId(`${testId}-chart`).locator('.recharts-bar-rectangle path');
  await expect(bars).toHaveCount(trials.length);
  const heights = await bars.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  const max = Math.max(...trials);
  const tallest = Math.max(...heights);
  heights.forEach((h, i) => expect(Math.abs(h / tallest - (trials[i] ?? 0) / max), `bar ${labels[i]}`).toBeLessThan(0.02));
  return { trials, labels };
}

test('the forecast panel: percentiles, the histogram as a chart and a table with the same numbers, backtests, working days from the settings, axe-clean', async ({ page }, testInfo) => {
  const boardId = await importBoard(page.request, boardName('Forecasts'), history(Date.now()));
  await page.setViewportSize({ width: 1280, height: 800 });
  const panel = await openFlow(page, boardId);

  // The default: the open cards (four waiting, two started).
  await expect(panel.getByTestId('forecast-items')).toHaveValue('6');
  const when = panel.getByTestId('forecast-when-percentiles');
  await expect(when.locator('li')).toHaveCount(4);
  await expect(when).toContainText('85% likely by');
  const dates = await when.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-date') ?? ''));
  expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  expect(dates.toSorted()).toEqual(dates);
  await expect(panel.getByTestId('when-backtest').locator('li')).toHaveCount(2);
  await expect(panel.getByTestId('how-many-backtest').locator('li')).toHaveCount(2);

  const { trials } = await expectTableMatchesChart(page, 'when-histogram');
  expect(trials.reduce((a, b) => a + b, 0)).toBe(10_000);
  const howMany = await expectTableMatchesChart(page, 'how-many-histogram');
  expect(howMany.trials.reduce((a, b) => a + b, 0)).toBe(10_000);

  // Typing a larger number of items, from the keyboard: the dates can only move later.
  await panel.getByTestId('forecast-items').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('60');
  await expect(panel.getByTestId('forecast-items')).toHaveValue('60');
  // About 2.1 a day over every day of the window: 60 items take about four weeks.
  await expect.poll(async () => Date.parse((await when.locator('li[data-level="50"]').getAttribute('data-date')) ?? '')).toBeGreaterThan(Date.parse(dates[0] ?? '') + 14 * DAY);

  // Axe on the panel, its tables open.
  const axe = await new AxeBuilder({ page }).include('[data-testid="forecast-panel"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: shotPath(testInfo.project.outputDir, 'forecast-panel-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: shotPath(testInfo.project.outputDir, 'forecast-panel-1920x1080.png') });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'forecast-page-1920x1080.png') });
  // The dark theme: axe's contrast check again, and a look.
  await page.emulateMedia({ colorScheme: 'dark' });
  const axeDark = await new AxeBuilder({ page }).include('[data-testid="forecast-panel"]').analyze();
  expect(axeDark.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await panel.screenshot({ path: shotPath(testInfo.project.outputDir, 'forecast-panel-dark-1920x1080.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Working days from the flow settings: weekends off; the sample loses its weekend days and the panel follows.
  const sampleLine = panel.getByTestId('forecast-when-result').locator('p').first();
  await expect(sampleLine).toContainText('in 30 working days');
  await page.getByTestId('flow-settings').click();
  const dialog = page.getByTestId('flow-settings-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('working-day-6').uncheck();
  await dialog.getByTestId('working-day-7').uncheck();
  await dialog.getByTestId('holidays-input').fill('2020-12-25');
  const axeDialog = await new AxeBuilder({ page }).include('[data-testid="flow-settings-dialog"]').analyze();
  expect(axeDialog.violations.map((v) => v.id)).toEqual([]);
  await dialog.getByTestId('flow-settings-save').click();
  await expect(dialog).toBeHidden();
  await expect(sampleLine).not.toContainText('in 30 working days');
  await expect(sampleLine).toContainText(/in 2[0-2] working days/);
  const saved = await page.request.get(`/api/boards/${boardId}/flow?from=2026-01-01&to=2026-01-01&tz=UTC`);
  expect(((await saved.json()) as { workingDays?: unknown }).workingDays).toEqual({ weekdays: [1, 2, 3, 4, 5], holidays: ['2020-12-25'] });

  // A bad holiday is refused in the dialog with a message, nothing sent.
  await page.getByTestId('flow-settings').click();
  await dialog.getByTestId('holidays-input').fill('next friday');
  await dialog.getByTestId('flow-settings-save').click();
  await expect(dialog.getByRole('alert')).toContainText('not a date: next, friday');
  await page.keyboard.press('Escape');
});

test('live: another client finishing a card moves the forecast on an open flow page', async ({ page, browser, baseURL }) => {
  const boardId = await importBoard(page.request, boardName('Live forecast'), history(Date.now()));
  const panel = await openFlow(page, boardId);
  const sample = panel.getByTestId('forecast-when-result').locator('p').first();
  await expect(sample).toContainText(/From \d+ items finished/);
  const before = Number(/From (\d+) items/.exec(await sample.innerText())?.[1]);
  await expect(panel.getByTestId('forecast-items')).toHaveValue('6');
  // A second browser context of the same account finishes a started card through the API.
  const other = await browser.newContext({ baseURL, storageState: await page.context().storageState() });
  try {
    const board = ((await (await other.request.get(`/api/boards/${boardId}`)).json()) as { board: { columns: { id: string; name: string }[]; cards: { id: string; title: string }[] } }).board;
    const card = board.cards.find((c) => c.title === 'Started item 0');
    const done = board.columns.find((c) => c.name === 'Done');
    const moved = await other.request.post(`/api/cards/${card?.id}/move`, { data: { toColumnId: done?.id }, headers: { 'x-flowboard-request': '1' } });
    expect(moved.status(), await moved.text()).toBe(200);
  } finally {
    await other.close();
  }
  await expect(sample).toContainText(`From ${before + 1} items finished`);
  await expect(panel.getByTestId('forecast-items')).toHaveValue('5');
});

test('the card dialog says when a started card is likely done', async ({ page }) => {
  const boardId = await importBoard(page.request, boardName('Card forecast'), history(Date.now()));
  const res = await page.request.get(`/api/boards/${boardId}`);
  const board = ((await res.json()) as { board: { cards: { id: string; title: string }[] } }).board;
  const started = board.cards.find((c) => c.title === 'Started item 0');
  if (!started) throw new Error('no started card');
  await page.goto(`/boards/${boardId}`);
  await page.getByTestId(`card-${started.id}`).click();
  const dialog = page.getByTestId('card-dialog');
  await expect(dialog.getByTestId('card-forecast')).toHaveText(/likely done by \w{3} \d{1,2} \w{3} \(85%\)/);
  const forecast = await page.request.get(`/api/boards/${boardId}/forecast/card/${started.id}?tz=UTC`);
  expect(forecast.status()).toBe(200);
});
