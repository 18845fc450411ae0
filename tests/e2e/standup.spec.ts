import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { boardName, csvTime, expect, importBoard, shotPath, test, type Viewer } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** From the board, one click: the Standup link in its header. */
async function openStandup(viewer: Viewer): Promise<void> {
  await viewer.page.getByTestId('open-standup').click();
  await expect(viewer.page.getByTestId('standup-view')).toBeVisible();
  await viewer.expectLive();
}

const stopOf = (page: Page) => page.getByTestId('standup-stop');

test('the presenter walks the board right to left and the follower moves along; a follower can step out and back in', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Standup walk'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Review' }, { name: 'Done' }], [
    { title: 'Oldest in review', column: 'Review' },
    { title: 'Newer in review', column: 'Review' },
    { title: 'Stuck on the vendor', column: 'Review', blocked: true, blockedReason: 'Vendor sandbox down' },
    { title: 'Build the export', column: 'Develop' },
    { title: 'Idea', column: 'Backlog' },
    { title: 'Shipped first', column: 'Done' },
    { title: 'Shipped last', column: 'Done' },
  ]);
  const review = board.column('Review').id;
  const develop = board.column('Develop').id;
  const backlog = board.column('Backlog').id;
  const alice = await openViewer(board.id, 'Alice', { role: 'member' });
  const bob = await openViewer(board.id, 'Bob', { role: 'viewer' });
  await openStandup(alice);
  await openStandup(bob);

  // The walk starts right of the board (Done is counted, not walked); blocked first, then oldest.
  for (const v of [alice, bob]) await expect(stopOf(v.page)).toHaveAttribute('data-stop-id', review);
  const titles = await bob.page.locator('[data-standup-card]').evaluateAll((els) => els.map((e) => e.querySelector('span')?.textContent));
  expect(titles).toEqual(['Stuck on the vendor', 'Oldest in review', 'Newer in review']);
  await expect(bob.page.getByTestId('done-toggle')).toHaveText('Done · 2');
  await expect(bob.page.getByTestId('done-toggle')).toHaveAttribute('aria-expanded', 'false');

  // A viewer cannot lead; a member takes the lead.
  await expect(bob.page.getByTestId('lead-toggle')).toHaveCount(0);
  await alice.page.getByTestId('lead-toggle').click();
  await expect(alice.page.getByTestId('presenter-status')).toHaveAttribute('data-presenting', 'true');
  await expect(bob.page.getByTestId('presenter-status')).toContainText('Alice presents');
  await expect(bob.page.getByTestId('presenter-status')).toHaveAttribute('data-following', 'true');

  // The presenter's timer is everyone's.
  await expect(bob.page.getByTestId('standup-clock')).toHaveAttribute('data-running', 'false');
  await alice.page.keyboard.press('t');
  await expect(bob.page.getByTestId('standup-clock')).toHaveAttribute('data-running', 'true');

  // → next work center, n next card: the follower's view moves with them and is told so.
  await alice.page.keyboard.press('ArrowRight');
  await expect(stopOf(alice.page)).toHaveAttribute('data-stop-id', develop);
  await expect(stopOf(bob.page)).toHaveAttribute('data-stop-id', develop);
  await alice.page.keyboard.press('n');
  const exportCard = board.snapshot.cards.find((c) => c.title === 'Build the export');
  if (!exportCard) throw new Error('seeded card missing');
  await expect(bob.page.getByTestId(`standup-card-${exportCard.id}`)).toHaveAttribute('aria-current', 'true');
  await expect(bob.page.getByTestId('standup-announcement')).toHaveText('Alice is at Develop: Build the export');
  await expect(bob.page.getByTestId('standup-announcement')).toHaveAttribute('aria-live', 'polite');

  // Moves by others show up live.
  await board.moveCard(exportCard.id, 'Review');
  await expect(bob.page.getByTestId(`standup-card-${exportCard.id}`)).toHaveCount(0);

  // Bob steps out: Alice's next step does not move him.
  await bob.page.getByTestId('follow-toggle').click();
  await expect(bob.page.getByTestId('presenter-status')).toHaveAttribute('data-following', 'false');
  await alice.page.keyboard.press('j');
  await expect(stopOf(alice.page)).toHaveAttribute('data-stop-id', backlog);
  // Alice's step has reached Bob's page (his state carries it) while his view stays put.
  await expect(bob.page.getByTestId('presenter-status')).toContainText('You stepped out');
  await bob.page.getByTestId('done-toggle').click();
  await expect(bob.page.getByTestId('done-list').locator('li').first()).toContainText('Shipped last');
  await expect(stopOf(bob.page)).toHaveAttribute('data-stop-id', develop);

  // And back in with F: he lands where Alice is.
  await bob.page.keyboard.press('f');
  await expect(stopOf(bob.page)).toHaveAttribute('data-stop-id', backlog);
  await expect(bob.page.getByTestId('presenter-status')).toHaveAttribute('data-following', 'true');

  // A follower who moves on his own steps out by himself.
  await bob.page.keyboard.press('k');
  await expect(bob.page.getByTestId('presenter-status')).toHaveAttribute('data-following', 'false');
  await expect(stopOf(bob.page)).toHaveAttribute('data-stop-id', develop);
});

test('? shows every shortcut on the board and on the standup, and Escape closes it', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Shortcuts'), [{ name: 'Develop' }, { name: 'Done' }], [{ title: 'Something', column: 'Develop' }]);
  const alice = await openViewer(board.id, 'Alice');
  const { page } = alice;

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Keyboard shortcuts: board');
  await expect(help).toContainText('pick it up to move it');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // The ? button does the same, for a pointer.
  await page.getByTestId('open-shortcuts').click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');

  await openStandup(alice);
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Keyboard shortcuts: standup');
  await expect(help).toContainText('Next stop of the walk');
  // The walk's keys wait while the help is open.
  const stop = await stopOf(page).getAttribute('data-stop-id');
  await page.keyboard.press('ArrowRight');
  await expect(stopOf(page)).toHaveAttribute('data-stop-id', stop ?? '');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('the people walk: per person what they hold; A assigns the highlighted card to me', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Standup people'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Review' }, { name: 'Done' }], [
    { title: 'Held by Alice', column: 'Review' },
    { title: 'Nobody holds this', column: 'Develop' },
    { title: 'Already done', column: 'Done' },
  ]);
  const alice = await openViewer(board.id, 'Alice', { role: 'member' });
  const { people } = await board.fetch();
  const aliceId = people?.find((p) => p.name === 'Alice')?.id;
  if (!aliceId) throw new Error('Alice is not among the board people');
  const [held, free] = board.snapshot.cards;
  if (!held || !free) throw new Error('seeded cards missing');
  await api.call('PATCH', `/api/cards/${held.id}`, { assigneeIds: [aliceId] });

  await openStandup(alice);
  const { page } = alice;
  await page.keyboard.press('w');
  await expect(page.getByTestId(`stop-person:${aliceId}`)).toContainText('Alice');
  await expect(page.getByTestId('stop-person:')).toContainText('Nobody');
  await expect(stopOf(page)).toHaveText('Alice');
  await expect(page.getByTestId(`standup-card-${held.id}`)).toBeVisible();

  // To the cards nobody holds; the first is highlighted, and A puts it on me.
  await page.keyboard.press('j');
  await expect(stopOf(page)).toHaveText('Nobody');
  await page.keyboard.press('n');
  await expect(page.getByTestId(`standup-card-${free.id}`)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('a');
  await expect(page.getByTestId(`stop-person:${aliceId}`)).toContainText('2');
  await expect.poll(async () => (await board.fetch()).cards.find((c) => c.id === free.id)?.assigneeIds).toEqual([aliceId]);
});

test('an expedite card says so on the standup screen, and a standard one does not', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Standup lanes'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Done' }], [
    { title: 'Urgent fix', column: 'Backlog' },
    { title: 'Ordinary work', column: 'Develop' },
  ]);
  const { lane } = await api.call<{ lane: { id: string } }>('POST', `/api/boards/${board.id}/lanes`, { name: 'Expedite', classOfService: 'expedite' });
  const [urgent, ordinary] = board.snapshot.cards;
  if (!urgent || !ordinary) throw new Error('seeded cards missing');
  await api.call('POST', `/api/cards/${urgent.id}/move`, { toColumnId: board.column('Develop').id, toLaneId: lane.id });
  const alice = await openViewer(board.id, 'Alice', { role: 'member' });
  await openStandup(alice);
  await expect(stopOf(alice.page)).toHaveText('Develop');
  await expect(alice.page.getByTestId(`standup-class-${urgent.id}`)).toHaveText('Expedite');
  await expect(alice.page.getByTestId(`standup-card-${ordinary.id}`)).toBeVisible();
  await expect(alice.page.getByTestId(`standup-class-${ordinary.id}`)).toHaveCount(0);
});

/** axe's findings on the page as it is (id, and the first element of each), [] when clean. */
async function axeFindings(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ') ?? ''}`);
}

test('the standup, its dialogs and the board’s shortcut help are axe-clean in both themes, for the presenter and a follower', async ({ api, openViewer }) => {
  // Eight axe runs over two browsers: longer than the default on a busy machine.
  test.setTimeout(90_000);
  const board = await api.createBoard(boardName('Standup axe'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Done' }], [
    { title: 'Blocked one', column: 'Develop', blocked: true, blockedReason: 'Vendor' },
    { title: 'Other', column: 'Develop' },
    { title: 'Finished', column: 'Done' },
  ]);
  const alice = await openViewer(board.id, 'Alice', { role: 'member' });
  const bob = await openViewer(board.id, 'Bob', { role: 'viewer' });
  const { page } = alice;
  for (const colorScheme of ['dark', 'light'] as const) {
    for (const p of [page, bob.page]) await p.emulateMedia({ colorScheme });
    await page.goto(`/boards/${board.id}`);
    await alice.expectLive();
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    expect(await axeFindings(page), `board shortcut help, ${colorScheme}`).toEqual([]);
    await page.keyboard.press('Escape');

    await openStandup(alice);
    // Leaving the standup (to the board) let the lead go: taken again each round; the timer runs on.
    await page.getByTestId('lead-toggle').click();
    await expect(page.getByTestId('presenter-status')).toHaveAttribute('data-presenting', 'true');
    if (colorScheme === 'dark') await page.getByTestId('timer-toggle').click();
    // The second card (the first is the blocked one): B on it asks what blocks it.
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.getByTestId('done-toggle').click();
    expect(await axeFindings(page), `standup, presenter, ${colorScheme}`).toEqual([]);
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    expect(await axeFindings(page), `standup shortcut help, ${colorScheme}`).toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await expect(page.getByTestId('block-dialog')).toBeVisible();
    expect(await axeFindings(page), `block dialog, ${colorScheme}`).toEqual([]);
    await page.keyboard.press('Escape');

    await bob.page.goto(`/boards/${board.id}/standup`);
    await bob.expectLive();
    await expect(bob.page.getByTestId('presenter-status')).toContainText('Alice presents');
    await bob.page.getByTestId('follow-toggle').click();
    expect(await axeFindings(bob.page), `standup, follower stepped out, ${colorScheme}`).toEqual([]);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await axeFindings(page), 'standup on a phone').toEqual([]);
});

/** Five weeks of work: enough finished cards for cycle-time percentiles, and a dozen in progress of every age. */
function history(now: number): string[] {
  const rows = ['ID,Name,Backlog,Analysis,Develop,Review,Deploy,Done,Assignees'];
  const names = ['Login with SSO', 'Export the monthly report as CSV', 'Fix the flaky deploy of the billing service', 'Cache warm-up after a release', 'Audit trail for role changes'];
  for (let i = 0; i < 30; i++) {
    const created = now - (40 - i) * DAY;
    const analysis = created + (1 + (i % 2)) * DAY;
    const develop = analysis + (1 + (i % 3)) * DAY;
    const review = develop + (1 + (i % 4)) * DAY;
    const deploy = review + (i % 3) * DAY + 3 * HOUR;
    const done = deploy + 5 * HOUR;
    rows.push(`W-${i},${names[i % names.length]} (${i}),${csvTime(created)},${csvTime(analysis)},${csvTime(develop)},${csvTime(review)},${csvTime(deploy)},${csvTime(done)},`);
  }
  // In progress: [days since committed (entered Analysis), how many work centers past it].
  const open: Array<[number, number, string]> = [
    [16, 3, 'Migrate the invoices to event-driven jobs idempotent across retries'],
    [3, 3, 'Rotate the payment gateway credentials without downtime'],
    [12, 2, 'Investigate the 502s on checkout during the nightly batch'],
    [6, 2, 'Refund flow for partial captures'],
    [2, 2, 'Receipt e-mails in the customer’s language'],
    [9, 1, 'Retry policy for the card network timeouts'],
    [4, 1, 'Dashboard of failed payouts'],
    [1, 1, 'Move the fraud rules to the new engine'],
    [5, 0, 'Spike: 3-D Secure 2 for recurring payments'],
    [1, 0, 'Chargeback evidence upload'],
  ];
  open.forEach(([days, past, title], i) => {
    const committed = now - days * DAY;
    const steps = [committed - 2 * DAY, committed, committed + Math.min(1, days / 3) * DAY, committed + Math.min(2, (2 * days) / 3) * DAY, committed + Math.min(3, days - 0.1) * DAY];
    const cells = steps.map((t, k) => (k <= past + 1 ? csvTime(t) : ''));
    // Every other card is the importer's (the page's account): the people walk has someone to name.
    rows.push(`O-${i},${title},${cells.join(',')},,${i % 2 === 0 ? 'Page user' : ''}`);
  });
  return rows;
}

test('screenshots of the standup at 1280x800, 1920x1080 and on a phone, with a card blocked from the standup', async ({ page }, testInfo) => {
  const boardId = await importBoard(page.request, boardName('Payments standup'), history(Date.now()));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/boards/${boardId}/standup`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('lead-toggle').click();
  await expect(page.getByTestId('presenter-status')).toHaveAttribute('data-presenting', 'true');
  await page.getByTestId('timer-toggle').click();
  await expect(page.getByTestId('standup-clock')).toHaveAttribute('data-running', 'true');

  // The walk starts at Deploy; Review holds the oldest work. The percentiles have arrived once an age compares with them.
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-standup-card]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="standup-age-"]').filter({ hasText: 'percentile' }).first()).toBeVisible();

  // b on the highlighted card asks what blocks it; the card then leads its work center.
  await page.keyboard.press('n');
  await page.keyboard.press('n');
  const highlighted = page.locator('[data-standup-card] [aria-current="true"]');
  const cardId = (await highlighted.getAttribute('data-testid'))?.replace('standup-card-', '') ?? '';
  await page.keyboard.press('b');
  await page.getByTestId('block-reason-input').fill('Waiting on the payment provider’s sandbox');
  await page.getByTestId('block-confirm').click();
  await expect(page.getByTestId(`standup-blocker-${cardId}`)).toContainText('Waiting on the payment provider');
  await expect(page.locator('[data-standup-card]').first()).toHaveAttribute('data-standup-card', cardId);

  // Large type for a screen across the room: card titles at 32px or more on the 1080p screen.
  const titleSize = await page.locator('[data-standup-card] button > span').first().evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  expect(titleSize).toBeGreaterThanOrEqual(32);
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-1920x1080.png') });
  // The system's dark theme changes nothing here: the standup is dark in both.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-1920x1080-dark-theme.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-1280x800.png') });
  await page.getByTestId('done-toggle').click();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-1280x800-done.png'), fullPage: true });

  // The people walk: half the cards in progress are the page user's, the other half nobody's.
  await page.keyboard.press('w');
  await expect(page.getByTestId('walk-people')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('standup-stop')).toHaveText('Page user');
  await expect(page.locator('[data-standup-card]')).toHaveCount(5);
  await expect(page.getByTestId('stop-person:')).toContainText('5');
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-people-1280x800.png') });
  await page.keyboard.press('w');
  await expect(page.getByTestId('walk-flow')).toHaveAttribute('aria-pressed', 'true');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'standup-390x844.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);

  // Visible focus: a focused control draws an outline.
  await page.getByTestId('back-to-board').focus();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe('none');
});
