import { expectAxeClean } from './axe';
import { boardName, csvTime, expect, importBoard, test } from './fixtures';

/**
 * axe-core (WCAG 2.1 A/AA and best practice) finds nothing on any page or dialog, in the light and
 * the dark theme, at 1280x800. Each test fails on the first new violation, naming its rule and nodes.
 */

const DAY = 86_400_000;

test.use({ viewport: { width: 1280, height: 800 } });

test('signed out: sign-in, sign-up and an invitation link are axe-clean', async ({ browser, baseURL, api, page }) => {
  const board = await api.createBoard(boardName('Invite axe'), [{ name: 'Develop' }]);
  const invite = await api.call<{ path: string }>('POST', `/api/boards/${board.id}/invites`, { role: 'member' });
  const visitor = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, storageState: { cookies: [], origins: [] } });
  const signedOut = await visitor.newPage();
  await signedOut.goto('/sign-in');
  await expect(signedOut.getByRole('button', { name: /sign in/i })).toBeVisible();
  await expectAxeClean(signedOut, 'sign-in');
  // A wrong password's error, said in the form.
  await signedOut.getByLabel(/email/i).fill('nobody@e2e.test');
  await signedOut.getByLabel(/password/i).fill('not the password');
  await signedOut.getByRole('button', { name: /sign in/i }).click();
  await expect(signedOut.getByRole('alert').first()).toBeVisible();
  await expect(signedOut.getByRole('button', { name: /sign in/i })).toBeEnabled();
  await expectAxeClean(signedOut, 'sign-in with an error');
  await signedOut.goto('/sign-up');
  await expect(signedOut.getByRole('button', { name: /create|sign up/i })).toBeVisible();
  await expectAxeClean(signedOut, 'sign-up');
  // The invitation, signed out, is the sign-up page naming the board; signed in, its join page.
  await signedOut.goto(invite.path);
  await expect(signedOut).toHaveURL(/sign-up/);
  await expectAxeClean(signedOut, 'sign-up from an invitation');
  await visitor.close();
  await page.goto(invite.path);
  await expect(page.getByRole('heading', { name: /join/i })).toBeVisible();
  await expectAxeClean(page, 'the invitation page');
  await page.goto('/invite/no-such-token');
  await expect(page.getByRole('heading', { name: /no longer works/i })).toBeVisible();
  await expectAxeClean(page, 'a spent invitation');
});

test('home, the import page and API tokens are axe-clean', async ({ page, api }) => {
  await api.createBoard(boardName('Home axe'), [{ name: 'Develop' }]);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Boards' })).toBeVisible();
  await expectAxeClean(page, 'home');
  await page.goto('/import');
  await expect(page.getByRole('heading', { name: /import/i }).first()).toBeVisible();
  await expectAxeClean(page, 'import');
  await page.goto('/settings/tokens');
  await expect(page.getByRole('heading', { name: /token/i }).first()).toBeVisible();
  await page.getByLabel('What will use it?').fill('axe token');
  await page.getByRole('button', { name: /create/i }).first().click();
  await expectAxeClean(page, 'API tokens, one just made');
});

test('the board, its card, reason and settings dialogs, and the members page are axe-clean', async ({ api, openViewer }) => {
  test.setTimeout(60_000);
  const board = await api.createBoard(boardName('Board axe'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 3 }, { name: 'Test' }, { name: 'Done' }]);
  const types = ['feature', 'defect', 'incident', 'feedback', 'chore'] as const;
  for (const [i, type] of types.entries()) await board.addCard({ title: `Backlog ${type} item`, column: 'Backlog', type, blocked: i === 2, blockedReason: 'Waiting for the vendor sandbox' });
  await board.addCards('Develop', ['Login with SSO', 'Export report']);
  const [sentBack, testing] = await board.addCards('Test', ['Cache warmup', 'Search filters']);
  await board.moveCard(sentBack?.id ?? '', 'Backlog', 'Fails the load test');
  const alice = await openViewer(board.id, 'Alice');
  const { page } = alice;
  await expectAxeClean(page, 'the board');

  await alice.card(sentBack?.id ?? '').click();
  await expect(page.getByTestId('card-dialog')).toBeVisible();
  await expectAxeClean(page, 'the card dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('card-dialog')).toHaveCount(0);

  await page.getByTestId('board-settings').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAxeClean(page, 'the board settings dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: 'Settings for Develop' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAxeClean(page, 'a work center’s settings');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The reason dialog of a backward move, with its error.
  await alice.keyboardPickUpAndMove(testing?.id ?? '', -1, board.column('Develop').id);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('reason-dialog')).toBeVisible();
  await expectAxeClean(page, 'the reason dialog');
  await page.getByTestId('reason-confirm').click();
  await expect(page.getByTestId('reason-dialog').getByRole('alert')).toBeVisible();
  await expectAxeClean(page, 'the reason dialog with its error');
  await page.getByTestId('reason-cancel').click();

  await page.goto(`/boards/${board.id}/members`);
  await page.getByTestId('create-invite').click();
  await expect(page.getByTestId('invite-link')).toBeVisible();
  await expectAxeClean(page, 'the members page');
});

test('the flow page, its charts shown as tables too, is axe-clean', async ({ page }) => {
  test.setTimeout(90_000);
  const now = Date.now();
  const lines = ['ID,Name,Todo,Doing,Review,Done'];
  for (let i = 0; i < 16; i++) {
    const done = now - (2 + i * 1.5) * DAY;
    const committed = done - (1 + (i % 4)) * DAY;
    lines.push(`F-${i},Finished ${i},${csvTime(committed - DAY)},${csvTime(committed)},${csvTime(done - DAY / 2)},${csvTime(done)}`);
  }
  lines.push(`S-1,Stuck item,${csvTime(now - 22 * DAY)},${csvTime(now - 20 * DAY)},,`, `B-1,Backlog item,${csvTime(now - 2 * DAY)},,,`);
  const boardId = await importBoard(page.request, boardName('Flow axe'), lines);
  await page.goto(`/boards/${boardId}/flow`);
  await expect(page.getByTestId('cfd-chart')).toBeVisible();
  await expect(page.locator('svg.recharts-surface').first()).toBeVisible();
  await expectAxeClean(page, 'the flow page');
  const shows = page.getByRole('button', { name: /^Show data/ });
  await expect(shows).toHaveCount(5);
  for (let open = 1; open <= 5; open++) {
    await shows.first().click();
    await expect(page.getByTestId('chart-table')).toHaveCount(open);
  }
  await expectAxeClean(page, 'the flow page with its data tables');
});

test('the board with lanes and the standup view are axe-clean', async ({ api, openViewer }) => {
  test.setTimeout(60_000);
  const board = await api.createBoard(boardName('Lanes axe'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 4 }, { name: 'Review' }, { name: 'Done' }]);
  const { lane: expedite } = await api.call<{ lane: { id: string } }>('POST', `/api/boards/${board.id}/lanes`, { name: 'Expedite', classOfService: 'expedite', wipLimit: 1 });
  await api.call('POST', `/api/boards/${board.id}/cards`, { columnId: board.column('Develop').id, laneId: expedite.id, title: 'Checkout fails for one issuer', type: 'incident' });
  await board.addCards('Develop', ['Login with SSO', 'Export report']);
  await board.addCard({ title: 'Stuck on the vendor', column: 'Review', blocked: true, blockedReason: 'Vendor sandbox down' });
  await board.addCards('Backlog', ['Idea']);
  await board.addCards('Done', ['Shipped']);
  const alice = await openViewer(board.id, 'Alice');
  const { page } = alice;
  await expect(page.getByTestId(`cell-${board.column('Develop').id}-${expedite.id}`)).toBeVisible();
  await expectAxeClean(page, 'the board with lanes');

  await page.getByTestId('open-standup').click();
  await expect(page.getByTestId('standup-view')).toBeVisible();
  await alice.expectLive();
  await expectAxeClean(page, 'the standup view');
  await page.getByTestId('done-toggle').click();
  await expectAxeClean(page, 'the standup view with Done open');
});
