/**
 * Opening a thousand-card board. Its own file: tracing is off here (a Playwright option that cannot
 * change within a file), since a trace's DOM snapshots of a thousand cards slow the page they record
 * several times over, and this board must hydrate in a few seconds, as it does for a person.
 */
import { boardName, csvTime, expect, importBoard, test, watchConnection } from './fixtures';

test.use({ trace: 'off' });

const HOUR = 3_600_000;

test('a key pressed while a big board hydrates leaves it on its one connection', async ({ page }) => {
  const now = Date.now();
  const rows = ['ID,Name,Todo,Doing,Done'];
  for (let n = 0; n < 1000; n++) rows.push(`B-${n},Card ${n} of a big board,${csvTime(now - 24 * HOUR)},${n % 2 ? csvTime(now - HOUR) : ''},`);
  const boardId = await importBoard(page.request, boardName('Big board'), rows);

  const seen = watchConnection(page);
  // A slower processor widens the moment to press the key in (hydrating a thousand cards), as a
  // phone's would; it stays well under the ten seconds an unclaimed early connection is kept.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // The connection opens as the board's code loads, just before it hydrates. A key pressed then is
  // an interaction React answers by finishing the hydration at once, redoing the render it had begun.
  let pressed: Promise<void> | undefined;
  page.on('websocket', () => {
    pressed ??= page.keyboard.press('Shift');
  });
  await page.goto(`/boards/${boardId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await pressed;
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  expect(seen.sockets).toHaveLength(1);
  expect(seen.connects).toHaveLength(1);
  expect(seen.joins).toHaveLength(1);
});
