import { boardName, expect, test, type Viewer } from './fixtures';

/** Column names in the order the board shows them. */
function columnOrder(viewer: Viewer): Promise<Array<string | null>> {
  return viewer.page
    .getByRole('main')
    .getByRole('region')
    .evaluateAll((sections) => sections.map((s) => s.getAttribute('aria-label')));
}

test('cards are created, edited and deleted through the UI, and the other browser follows', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Cards'), [{ name: 'Develop' }, { name: 'Test' }]);
  const develop = board.column('Develop').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');

  await alice.page.getByTestId(`add-card-${develop}`).click();
  await alice.page.getByTestId(`new-card-title-${develop}`).fill('Payment retries');
  await alice.page.getByTestId(`new-card-title-${develop}`).press('Enter');
  await expect(bob.column(develop).getByText('Payment retries')).toBeVisible();
  await expect(bob.page.getByTestId(`column-count-${develop}`)).toHaveText('1');
  let cardId = '';
  await expect.poll(async () => (cardId = (await board.fetch()).cards.find((c) => c.title === 'Payment retries')?.id ?? '')).not.toBe('');
  await expect(alice.card(cardId)).toBeVisible();

  // Edit everything a card has, in Alice's card dialog.
  await alice.card(cardId).click();
  const dialog = alice.page.getByTestId('card-dialog');
  await expect(dialog).toBeVisible();
  await alice.page.getByTestId('card-title-input').fill('Payment retries with backoff');
  await alice.page.getByTestId('card-type-option-incident').check({ force: true });
  await alice.page.getByTestId('card-description-input').fill('Retry declined payments 3 times.');
  await alice.page.getByTestId('card-blocked-input').check();
  await alice.page.getByTestId('card-blocked-reason-input').fill('Waiting for the PSP sandbox');
  await alice.page.getByTestId('card-save').click();
  await expect(dialog).toBeHidden();

  for (const viewer of [alice, bob]) {
    await expect(viewer.card(cardId)).toContainText('Payment retries with backoff');
    await expect(viewer.page.getByTestId(`card-${cardId}`)).toHaveAttribute('data-card-type', 'incident');
    await expect(viewer.page.getByTestId(`card-${cardId}`)).toContainText('Incident');
    await expect(viewer.page.getByTestId(`card-blocked-${cardId}`)).toHaveText('Blocked: Waiting for the PSP sandbox');
  }
  // Bob sees the edit in the card's details too: the description and the history entry.
  await bob.card(cardId).click();
  await expect(bob.page.getByTestId('card-description-input')).toHaveValue('Retry declined payments 3 times.');
  await expect(bob.page.locator('[data-testid="history-entry"][data-type="card_updated"]')).toContainText('Blocked: Waiting for the PSP sandbox');
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('card-dialog')).toBeHidden();

  await alice.card(cardId).click();
  await alice.page.getByTestId('card-delete').click();
  await alice.page.getByTestId('card-delete-confirm').click();
  for (const viewer of [alice, bob]) {
    await expect(viewer.card(cardId)).toHaveCount(0);
    await expect(viewer.page.getByTestId(`column-count-${develop}`)).toHaveText('0');
  }
  expect((await board.fetch()).cards).toEqual([]);
});

test('work centers are added, renamed, limited, reordered and removed through the UI; one holding cards stays', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Columns'), [{ name: 'Develop' }, { name: 'Test' }]);
  await board.addCard({ title: 'Keeps Develop busy', column: 'Develop' });
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const page = alice.page;

  // Rename the board and add a work center with a WIP limit.
  await page.getByTestId('board-settings').click();
  await page.getByTestId('board-name-input').fill('Payments stream');
  await page.getByTestId('board-rename-save').click();
  await expect(bob.page.getByTestId('board-name')).toHaveText('Payments stream');
  await page.getByTestId('add-column').click();
  await expect(page.getByTestId('board-settings-dialog')).toBeVisible();
  await page.getByTestId('new-column-name-input').fill('Review');
  await page.getByTestId('new-column-wip-input').fill('2');
  await page.getByTestId('new-column-save').click();
  const review = bob.page.getByRole('region', { name: 'Review' });
  await expect(review).toBeVisible();
  await expect(review.getByTestId(/^column-count-/)).toHaveText('0/2');
  expect(await columnOrder(bob)).toEqual(['Develop', 'Test', 'Review']);

  // Rename Test and give it a limit; then clear the limit.
  await page.getByTestId(`column-settings-${testCol}`).click();
  await page.getByTestId('column-name-input').fill('Verify');
  await page.getByTestId('column-wip-input').fill('4');
  await page.getByTestId('column-save').click();
  await expect(bob.page.getByRole('region', { name: 'Verify' })).toBeVisible();
  await expect(bob.page.getByTestId(`column-count-${testCol}`)).toHaveText('0/4');
  await expect(bob.page.getByTestId(`column-count-${testCol}`)).toHaveAttribute('data-wip-state', 'under');
  await page.getByTestId(`column-settings-${testCol}`).click();
  await page.getByTestId('column-wip-clear').click();
  await page.getByTestId('column-save').click();
  await expect(bob.page.getByTestId(`column-count-${testCol}`)).toHaveText('0');
  await expect(bob.page.getByTestId(`column-count-${testCol}`)).toHaveAttribute('data-wip-state', 'unlimited');

  // Move Review one place earlier.
  await page.getByRole('region', { name: 'Review' }).getByTestId(/^column-settings-/).click();
  await page.getByTestId('column-move-left').click();
  await expect.poll(() => columnOrder(bob)).toEqual(['Develop', 'Review', 'Verify']);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('column-dialog')).toBeHidden();

  // A work center that holds a card is not removed, and says why.
  await page.getByTestId(`column-settings-${develop}`).click();
  await page.getByTestId('column-remove').click();
  await page.getByTestId('column-remove-confirm').click();
  await expect(page.getByTestId('column-dialog-error')).toHaveText('Develop still holds 1 card: move them out before removing it');
  await expect(page.getByTestId('column-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(bob.column(develop)).toBeVisible();

  // An empty one goes, for everyone.
  await page.getByTestId(`column-settings-${testCol}`).click();
  await page.getByTestId('column-remove').click();
  await page.getByTestId('column-remove-confirm').click();
  await expect(page.getByTestId('column-dialog')).toBeHidden();
  await expect.poll(() => columnOrder(bob)).toEqual(['Develop', 'Review']);
  expect((await board.fetch()).columns.map((c) => c.name)).toEqual(['Develop', 'Review']);
});

test('a board created from the home page starts from the edited value-stream template', async ({ page }) => {
  await page.goto('/');
  const form = page.getByTestId('create-board-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('template-row')).toHaveCount(7);

  // A board needs a name.
  await page.getByTestId('create-board-submit').click();
  await expect(page.getByTestId('create-board-error')).toBeVisible();

  const name = boardName('From the template');
  await page.getByTestId('create-board-name').fill(name);
  await page.getByLabel('Name of work center 1').fill('Ideas');
  await page.getByRole('button', { name: 'Remove Operate' }).click();
  await page.getByTestId('template-add-row').click();
  await expect(page.getByTestId('template-row')).toHaveCount(7);
  await page.getByLabel('Name of work center 7').fill('Released');
  await page.getByLabel('WIP limit of Released').fill('9');
  await page.getByTestId('create-board-submit').click();

  await expect(page).toHaveURL(/\/boards\/[^/]+$/);
  // The creator is the board's admin and goes live under the account's name.
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('presence').locator('[data-testid="viewer"][data-name="Page user"]')).toHaveCount(1);
  await expect(page.getByTestId('board-name')).toHaveText(name);
  const regions = page.getByRole('main').getByRole('region');
  await expect(regions).toHaveCount(7);
  expect(await regions.evaluateAll((s) => s.map((e) => e.getAttribute('aria-label')))).toEqual([
    'Ideas',
    'Design',
    'Develop',
    'Test',
    'Deploy',
    'Done',
    'Released',
  ]);
  await expect(page.getByRole('region', { name: 'Design' }).getByTestId(/^column-count-/)).toHaveText('0/3');
  await expect(page.getByRole('region', { name: 'Released' }).getByTestId(/^column-count-/)).toHaveText('0/9');

  await page.goto('/');
  await expect(page.getByTestId('board-list').getByRole('link', { name: new RegExp(name) })).toBeVisible();
});
