import type { Page } from '@playwright/test';
import { boardName, expect, test } from './fixtures';
import type { BoardSnapshot } from '../../lib/domain/types';

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

async function cfdLines(page: Page): Promise<number[]> {
  const value = await page.getByTestId('cfd-chart').getAttribute('data-last');
  return (value ?? '').split(',').map(Number);
}

test('a move on the board updates the CFD open in another browser, live; aging marks show on the board', async ({ api, request, openViewer, browser, baseURL }) => {
  const res = await request.post(`/api/import/csv?name=${encodeURIComponent(boardName('Flow'))}&tz=UTC`, {
    data: historyCsv(Date.now()),
    headers: { 'content-type': 'text/csv' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { boardId } = (await res.json()) as { boardId: string };
  const { board } = await api.call<{ board: BoardSnapshot }>('GET', `/api/boards/${boardId}`);
  const col = (name: string) => board.columns.find((c) => c.name === name)?.id ?? '';
  const card = (title: string) => board.cards.find((c) => c.title === title)?.id ?? '';

  // The flow page, in its own browser context, in another time zone than the server.
  const flowContext = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  const flow = await flowContext.newPage();
  await flow.goto(`/boards/${boardId}/flow`);
  await expect(flow.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await expect(flow.getByTestId('cfd-chart')).toBeVisible();
  // Todo, Doing, Done: 15 cards arrived, 14 reached Doing, 12 finished.
  await expect.poll(() => cfdLines(flow)).toEqual([15, 14, 12]);
  await flow.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  // The board, in another context: the stuck card carries the 95th-percentile mark, the fresh one none.
  const ada = await openViewer(boardId, 'Ada');
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
});

test('the flow page reads well at 1280×800 and 1920×1080', async ({ request, browser, baseURL }, testInfo) => {
  const res = await request.post(`/api/import/csv?name=${encodeURIComponent(boardName('Screens'))}&tz=UTC`, {
    data: historyCsv(Date.now()),
    headers: { 'content-type': 'text/csv' },
  });
  const { boardId } = (await res.json()) as { boardId: string };
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    const context = await browser.newContext({ baseURL, viewport });
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
