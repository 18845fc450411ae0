import { boardName, expect, test } from './fixtures';

const REASON = 'Fails the load test at 10k accounts';
const background = (el: Element) => getComputedStyle(el).backgroundColor;

test('a backward drag asks for the defect; cancel keeps the card, confirm sends it back flagged in both browsers', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Backward'), [{ name: 'Develop', wipLimit: 3 }, { name: 'Test' }, { name: 'Done' }]);
  const card = await board.addCard({ title: 'Bulk import', column: 'Test' });
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const before = (await board.fetch()).version;

  // Cancel: nothing is sent and the card stays in Test.
  await alice.startDrag(card.id);
  await alice.dragOver(develop);
  await expect(alice.column(develop)).toHaveAttribute('data-drop-state', 'backward');
  await alice.page.mouse.up();
  const dialog = alice.page.getByTestId('reason-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Bulk import');
  await alice.page.getByTestId('reason-cancel').click();
  await expect(dialog).toBeHidden();
  await expect(alice.cardIn(testCol, card.id)).toBeVisible();
  await expect(bob.cardIn(testCol, card.id)).toBeVisible();
  expect((await board.fetch()).version).toBe(before);

  // Confirm: a reason is required, then the card goes back with a defect badge.
  await alice.drag(card.id, develop);
  await expect(dialog).toBeVisible();
  await alice.page.getByTestId('reason-confirm').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText('Say what defect sends it back');
  await alice.page.getByTestId('reason-input').fill(REASON);
  await alice.page.getByTestId('reason-confirm').click();
  await expect(dialog).toBeHidden();

  for (const viewer of [alice, bob]) {
    await expect(viewer.cardIn(develop, card.id)).toBeVisible();
    const badge = viewer.page.getByTestId(`defect-badge-${card.id}`);
    await expect(badge).toHaveText('↩ 1 defect');
    await expect(badge).toHaveAttribute('data-count', '1');
    await expect(viewer.page.getByTestId(`column-defects-${develop}`)).toHaveText('↩ 1 defect in 14d');
    await expect(viewer.page.getByTestId(`column-defects-${testCol}`)).toHaveCount(0);
    await expect(viewer.page.getByTestId(`column-count-${develop}`)).toHaveText('1/3');
  }

  // Bob opens the card: its history lists the backward move, highlighted, with its reason.
  await bob.card(card.id).click();
  const details = bob.page.getByTestId('card-dialog');
  await expect(details).toBeVisible();
  const backward = details.locator('[data-testid="history-entry"][data-backward="true"]');
  await expect(backward).toHaveCount(1);
  await expect(backward).toContainText('Sent back from Test to Develop');
  await expect(backward).toContainText(`Defect: ${REASON}`);
  await expect(backward).toContainText('Alice');
  const created = details.locator('[data-testid="history-entry"][data-type="card_created"]');
  await expect(created).toHaveCount(1);
  await expect(created).not.toHaveAttribute('data-backward', /.*/);
  expect(await backward.evaluate(background)).not.toBe(await created.evaluate(background));
});
