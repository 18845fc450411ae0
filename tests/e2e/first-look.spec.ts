import { randomUUID } from 'node:crypto';
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Five weeks of work through four work centers, a few cards still in progress: a flow page with something on it. */
function history(now: number): string[] {
  const rows = ['ID,Name,Backlog,Develop,Review,Done'];
  for (let i = 0; i < 30; i++) {
    const created = now - (35 - i) * DAY;
    const develop = created + (1 + (i % 3)) * DAY;
    const review = develop + (1 + (i % 4)) * DAY;
    const done = review + (i % 2) * DAY + 2 * HOUR;
    rows.push(`W-${i},Work item ${i},${csvTime(created)},${csvTime(develop)},${done < now ? csvTime(review) : ''},${done < now ? csvTime(done) : ''}`);
  }
  return rows;
}

test('import is reachable from the home page', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('link', { name: 'Or import a CSV history →' });
  // In sight on a laptop's first screen, not below the new-board form.
  await expect(link).toBeInViewport();
  await link.click();
  await expect(page).toHaveURL(/\/import$/);
  await expect(page.getByRole('heading', { name: 'Import a work-item history' })).toBeVisible();
});

test('an invite link copies with one button, and the sign-up page it opens names the board', async ({ api, openViewer, browser, baseURL }) => {
  const name = boardName('Invited');
  const board = await api.createBoard(name, [{ name: 'Develop' }]);
  const alice = await openViewer(board.id, 'Alice');
  await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await alice.page.goto(`/boards/${board.id}/members`);
  await alice.page.getByTestId('create-invite').click();
  const link = await alice.page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);

  const copy = alice.page.getByRole('button', { name: 'Copy link' });
  await copy.focus();
  await alice.page.keyboard.press('Enter');
  // Said in the members page's status region, for a screen reader too.
  await expect(alice.page.getByTestId('invite-link-status')).toHaveText(/Link copied/);
  await expect(alice.page.getByTestId('invite-link-status')).toHaveAttribute('role', 'status');
  expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // Someone without an account opens it: the sign-up page says which board it is for.
  const stranger = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const page = await stranger.newPage();
    await page.goto(link);
    await expect(page).toHaveURL(/\/sign-up\?next=/);
    await expect(page.getByRole('heading', { name: `Create an account to join “${name}”` })).toBeVisible();
    await expect(page.getByTestId('signup-invite-board')).toContainText(name);
  } finally {
    await stranger.close();
  }
});

test('a signed-in non-member is told to ask an admin for access, in the same words as for a board that does not exist; a signed-out visitor learns nothing', async ({ api, page, playwright, baseURL }) => {
  const board = await api.createBoard(boardName('Private'), [{ name: 'Develop' }]);
  // `page` is signed in as an account that is no member of this board.
  const answers: string[] = [];
  for (const id of [board.id, randomUUID()]) {
    const res = await page.goto(`/boards/${id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId('board-not-found')).toHaveText('This board does not exist or you are not a member');
    await expect(page.getByTestId('ask-for-access')).toContainText('ask its admin for access');
    answers.push((await page.getByRole('main').innerText()).trim());
  }
  expect(answers[0]).toBe(answers[1]);

  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const statuses: Array<[number, string]> = [];
    for (const id of [board.id, randomUUID()]) {
      const res = await anonymous.get(`/boards/${id}`, { maxRedirects: 0 });
      statuses.push([res.status(), (res.headers()['location'] ?? '').replace(id, 'ID')]);
    }
    expect(statuses[0]?.[0]).toBe(307);
    expect(statuses[0]).toEqual(statuses[1]);
  } finally {
    await anonymous.dispose();
  }
});

test('screenshots of the home page and the flow page', async ({ page }, testInfo) => {
  const boardId = await importBoard(page.request, boardName('Payments'), history(Date.now()));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/boards/${boardId}/flow`);
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('bottleneck-basis')).toContainText('Based on the daily count');
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'flow-1280x800.png') });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'flow-1280x800-full.png'), fullPage: true });

  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Or import a CSV history →' })).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'home-1280x800.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'home-390x844.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
});
