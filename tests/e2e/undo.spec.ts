import { boardName, expect, test } from './fixtures';

/**
 * Undo of one's own last move, in two browsers: Alice moves and takes it back (the toast's Undo, or
 * Ctrl+Z on the board), Bob sees the card go and come back, and no defect is left behind.
 */
test('a backward move undone from the toast: both browsers see the card back and no defect badge', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Undo toast'), [{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const card = await board.addCard({ title: 'Bulk import', column: 'Test' });
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');

  await alice.drag(card.id, develop);
  await alice.page.getByTestId('reason-input').fill('Fails the load test');
  await alice.page.getByTestId('reason-confirm').click();
  for (const viewer of [alice, bob]) {
    await expect(viewer.cardIn(develop, card.id)).toBeVisible();
    await expect(viewer.page.getByTestId(`defect-badge-${card.id}`)).toHaveText('↩ 1 defect');
    await expect(viewer.page.getByTestId(`column-defects-${develop}`)).toHaveText('↩ 1 defect in 14d');
  }
  const toast = alice.page.getByTestId('toast').filter({ hasText: 'Moved “Bulk import” to Develop' });
  await expect(toast).toHaveAttribute('data-tone', 'info');
  // Bob did not move it: he is offered nothing.
  await expect(bob.page.getByRole('button', { name: 'Undo' })).toHaveCount(0);

  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(alice.page.getByTestId('toast').filter({ hasText: 'Undone: “Bulk import” is back in Test' })).toBeVisible();
  for (const viewer of [alice, bob]) {
    await expect(viewer.cardIn(testCol, card.id)).toBeVisible();
    await expect(viewer.page.getByTestId(`defect-badge-${card.id}`)).toHaveCount(0);
    await expect(viewer.page.getByTestId(`column-defects-${develop}`)).toHaveCount(0);
  }
  const server = await board.fetch();
  expect(server.cards.find((c) => c.id === card.id)).toMatchObject({ columnId: testCol, defectCount: 0 });

  // The card's history keeps both, the move marked undone and no longer a defect.
  await bob.card(card.id).click();
  const details = bob.page.getByTestId('card-dialog');
  await expect(details.locator('[data-testid="history-entry"][data-undone="true"]')).toContainText('Sent back from Test to Develop (undone)');
  await expect(details.locator('[data-testid="history-entry"][data-backward="true"]')).toHaveCount(0);
  await expect(details.getByText('Undid the move: back from Develop to Test')).toBeVisible();
});

test('Ctrl+Z on the board undoes one’s last move; Bob sees the card go back, and a move of his own is not Alice’s to undo', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Undo keys'), [{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const [first, second] = await board.addCards('Develop', ['Webhooks', 'Search filters']);
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');

  await alice.keyboardPickUpAndMove(first?.id ?? '', 1, testCol);
  await alice.page.keyboard.press('Space');
  await expect(bob.cardIn(testCol, first?.id ?? '')).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await alice.page.keyboard.press('Control+z');
  for (const viewer of [alice, bob]) await expect(viewer.cardIn(develop, first?.id ?? '')).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  // Nothing left to undo: another Ctrl+Z changes nothing.
  const version = (await board.fetch()).version;
  await alice.page.keyboard.press('Control+z');
  await expect(alice.page.getByTestId('toast').filter({ hasText: 'Undone' })).toHaveCount(1);
  expect((await board.fetch()).version).toBe(version);

  // Bob moves a card: Alice's Ctrl+Z does not touch it; his own does.
  await bob.drag(second?.id ?? '', testCol);
  await expect(alice.cardIn(testCol, second?.id ?? '')).toBeVisible();
  await alice.page.keyboard.press('Control+z');
  await bob.page.keyboard.press('Control+z');
  for (const viewer of [alice, bob]) await expect(viewer.cardIn(develop, second?.id ?? '')).toBeVisible();
  expect((await board.fetch()).cards.find((c) => c.id === second?.id)?.columnId).toBe(develop);
});

test('Done lists its cards newest first: a card dropped anywhere in Done lands on top in both browsers, and a drag within Done does not reorder it', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Done order'), [{ name: 'Develop' }, { name: 'Done' }]);
  const [older, newer] = await board.addCards('Done', ['Shipped first', 'Shipped second']);
  const card = await board.addCard({ title: 'Shipped last', column: 'Develop' });
  const done = board.column('Done').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const titles = (viewer: typeof alice) => viewer.column(done).locator('[data-card-id]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-card-id')));
  await expect.poll(() => titles(bob)).toEqual([newer?.id, older?.id]);

  await alice.drag(card.id, done);
  for (const viewer of [alice, bob]) await expect.poll(() => titles(viewer)).toEqual([card.id, newer?.id, older?.id]);

  // Done is ordered by time, not by hand: dragging a card within it changes nothing and sends nothing.
  const version = (await board.fetch()).version;
  await alice.startDrag(older?.id ?? '');
  await alice.page.mouse.move(...(await alice.card(card.id).boundingBox().then((b) => [(b?.x ?? 0) + 20, (b?.y ?? 0) + 5] as const)), { steps: 8 });
  await expect.poll(() => titles(alice)).toEqual([card.id, newer?.id, older?.id]);
  await alice.page.mouse.up();
  await expect(alice.card(older?.id ?? '')).not.toHaveAttribute('aria-pressed', 'true');
  expect(await titles(alice)).toEqual([card.id, newer?.id, older?.id]);
  expect((await board.fetch()).version).toBe(version);
});
