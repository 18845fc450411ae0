import { boardName, expect, test, type Viewer } from './fixtures';
import { listenToLiveRegions, saidSoFar } from './live';

/**
 * The board with the keyboard alone, listening to what the live regions say: the skip link, a move
 * forward (said once the server took it), a refused move (said as refused, the card stays), a
 * backward move with its reason (focus back on the card), and cancels. And other people's changes
 * are said, one's own are not.
 */

const focusedCardId = (viewer: Viewer) => viewer.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.cardId ?? null);

test('keyboard only: skip link, forward, refused, backward with reason and cancels, each said truly', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Keyboard walk'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 3 }, { name: 'Test', wipLimit: 1 }, { name: 'Done' }]);
  const [checkout] = await board.addCards('Backlog', ['Checkout flow']);
  const [login] = await board.addCards('Develop', ['Login with SSO']);
  const [cache] = await board.addCards('Test', ['Cache warmup']);
  const alice = await openViewer(board.id, 'Alice');
  const { page } = alice;
  await listenToLiveRegions(page);
  const dragStatus = page.getByTestId('drag-status');
  const dndRegion = page.locator('[id^="DndLiveRegion"]');

  // The skip link is the first tab stop, shown when focused; it lands on the work centers, and the
  // first card is a tab or two away (past the first work center's settings button).
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toHaveText('Skip to work centers');
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#work-centers')).toBeFocused();
  let stops = 0;
  while ((await focusedCardId(alice)) === null && stops < 5) {
    await page.keyboard.press('Tab');
    stops++;
  }
  expect(await focusedCardId(alice)).toBe(checkout?.id);
  expect(stops).toBeLessThanOrEqual(2);

  // Forward: Space, right, Space. The drop is said once the server has answered, not before.
  await page.keyboard.press('Space');
  await expect(alice.card(checkout?.id ?? '')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => saidSoFar(page, 'DndLiveRegion')).toContain('Picked up Checkout flow. Arrow keys move it, Space drops it, Escape cancels.');
  await page.keyboard.press('ArrowRight');
  await expect(dndRegion).toContainText('Checkout flow is over Develop');
  await page.keyboard.press('Space');
  await expect(dragStatus).toHaveText('Checkout flow moved to Develop.');
  await expect(alice.cardIn(board.column('Develop').id, checkout?.id ?? '')).toBeFocused();
  expect((await board.fetch()).cards.find((c) => c.id === checkout?.id)?.columnId).toBe(board.column('Develop').id);

  // Refused: Test is full. Said while over it and at the drop; the card stays in Develop.
  await alice.card(login?.id ?? '').focus();
  await page.keyboard.press('Space');
  await expect(alice.card(login?.id ?? '')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(dndRegion).toContainText('Test is at its WIP limit (1 of 1)');
  await page.keyboard.press('Space');
  await expect(dragStatus).toHaveText(/^Not moved: Test is at its WIP limit \(1 of 1\)/);
  await expect(alice.cardIn(board.column('Develop').id, login?.id ?? '')).toBeVisible();

  // Backward, with its reason: the drop says a reason is needed (nothing moved yet); the dialog
  // opens in its text box; after it, focus is on the card again, in its new place.
  await alice.card(cache?.id ?? '').focus();
  await page.keyboard.press('Space');
  await expect(alice.card(cache?.id ?? '')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(dndRegion).toContainText('Cache warmup is over Develop');
  await page.keyboard.press('Space');
  const reasonDialog = page.getByTestId('reason-dialog');
  await expect(reasonDialog).toBeVisible();
  await expect(dragStatus).toHaveText(/^Not moved yet: sending Cache warmup back to Develop needs a reason/);
  await expect(page.getByTestId('reason-input')).toBeFocused();
  expect(await reasonDialog.getAttribute('aria-describedby')).toBeTruthy();
  // An empty reason: the error is tied to the text box.
  await page.keyboard.press('Control+Enter');
  const error = reasonDialog.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(page.getByTestId('reason-input')).toHaveAttribute('aria-describedby', (await error.getAttribute('id')) ?? 'none');
  await page.keyboard.type('Fails the load test');
  await page.keyboard.press('Control+Enter');
  await expect(reasonDialog).toHaveCount(0);
  await expect(dragStatus).toHaveText('Cache warmup sent back to Develop, with its defect.');
  await expect(alice.cardIn(board.column('Develop').id, cache?.id ?? '')).toBeFocused();

  // A drag cancelled with Escape: said, and the card is where it was.
  await page.keyboard.press('Space');
  await expect(alice.card(cache?.id ?? '')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Escape');
  await expect(dndRegion).toContainText('Moving Cache warmup was cancelled');
  await expect(alice.cardIn(board.column('Develop').id, cache?.id ?? '')).toBeFocused();

  // A backward drop whose reason is cancelled: said, nothing moved, focus back on the card.
  await alice.card(checkout?.id ?? '').focus();
  await page.keyboard.press('Space');
  await expect(alice.card(checkout?.id ?? '')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(dndRegion).toContainText('Checkout flow is over Backlog');
  await page.keyboard.press('Space');
  await expect(reasonDialog).toBeVisible();
  await expect(page.getByTestId('reason-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(reasonDialog).toHaveCount(0);
  await expect(dragStatus).toHaveText('Not moved: Checkout flow stays in Develop, not sent back.');
  await expect(alice.cardIn(board.column('Develop').id, checkout?.id ?? '')).toBeFocused();

  // What the drag status said, in order: never a move before the server took it.
  expect(await saidSoFar(page, 'drag-status')).toEqual([
    'Checkout flow moved to Develop.',
    expect.stringMatching(/^Not moved: Test is at its WIP limit \(1 of 1\)/),
    expect.stringMatching(/^Not moved yet: sending Cache warmup back to Develop needs a reason/),
    'Cache warmup sent back to Develop, with its defect.',
    expect.stringMatching(/^Not moved yet: sending Checkout flow back to Backlog needs a reason/),
    'Not moved: Checkout flow stays in Develop, not sent back.',
  ]);
  // dnd-kit's own region never said "dropped".
  expect((await saidSoFar(page, 'DndLiveRegion')).join(' | ')).not.toMatch(/dropped/i);
  // One's own changes are not read out as news.
  expect(await saidSoFar(page, 'remote-changes')).toEqual([]);
});

test('another person’s move and new card are announced politely; one’s own are not', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Remote news'), [{ name: 'Plan' }, { name: 'Operate' }]);
  const [checkout] = await board.addCards('Plan', ['Checkout flow']);
  const ada = await openViewer(board.id, 'Ada');
  const bob = await openViewer(board.id, 'Bob');
  await listenToLiveRegions(ada.page);
  await listenToLiveRegions(bob.page);
  const adaNews = ada.page.getByTestId('remote-changes');
  const bobNews = bob.page.getByTestId('remote-changes');
  await expect(adaNews).toHaveAttribute('aria-live', 'polite');

  await ada.keyboardPickUpAndMove(checkout?.id ?? '', 1, board.column('Operate').id);
  await ada.page.keyboard.press('Space');
  await expect(ada.page.getByTestId('drag-status')).toHaveText('Checkout flow moved to Operate.');
  await expect(bobNews).toHaveText('Ada moved Checkout flow to Operate.');

  // Bob adds a card: Ada hears it; by then Bob has had his own event back, and said nothing of it.
  await bob.page.getByTestId(`add-card-${board.column('Plan').id}`).click();
  await bob.page.getByTestId(`new-card-title-${board.column('Plan').id}`).fill('Release notes');
  await bob.page.keyboard.press('Enter');
  await expect(adaNews).toHaveText('Bob added Release notes to Plan.');
  await expect(bob.page.getByTestId('drag-status')).toHaveText('');
  expect(await saidSoFar(bob.page, 'remote-changes')).toEqual(['Ada moved Checkout flow to Operate.']);
  expect(await saidSoFar(ada.page, 'remote-changes')).toEqual(['Bob added Release notes to Plan.']);
});
