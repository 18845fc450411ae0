import { boardName, expect, test } from './fixtures';

test('a viewer follows the board live but is offered no way to change it', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Read only'), [{ name: 'Develop' }, { name: 'Test' }]);
  const card = await board.addCard({ title: 'Quarterly report', column: 'Develop' });
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const vera = await openViewer(board.id, 'Vera', { role: 'viewer' });

  await expect(vera.page.getByTestId('my-role')).toHaveText('Viewer: read only');
  await expect(vera.page.getByTestId(`add-card-${develop}`)).toHaveCount(0);
  await expect(vera.page.getByTestId(`column-settings-${develop}`)).toHaveCount(0);
  await expect(alice.page.getByTestId(`add-card-${develop}`)).toBeVisible();

  // A pointer drag to the next work center does not lift the card for a viewer.
  const box = await vera.card(card.id).boundingBox();
  const target = await vera.column(testCol).boundingBox();
  if (!box || !target) throw new Error('card or column has no box');
  await vera.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await vera.page.mouse.down();
  await vera.page.mouse.move(target.x + target.width / 2, target.y + 200, { steps: 10 });
  await expect(vera.card(card.id)).not.toHaveAttribute('aria-pressed', 'true');
  await expect(vera.page.getByTestId(`column-${testCol}`)).not.toHaveAttribute('data-drop-state', /allowed|refused|backward/);
  await vera.page.mouse.up();
  await expect(vera.cardIn(develop, card.id)).toBeVisible();

  // The card opens to read: its fields are there and cannot be edited.
  await vera.card(card.id).click();
  await expect(vera.page.getByTestId('card-title-input')).toHaveValue('Quarterly report');
  await expect(vera.page.getByTestId('card-title-input')).toBeDisabled();
  await expect(vera.page.getByTestId('card-save')).toHaveCount(0);
  await vera.page.keyboard.press('Escape');
  await expect(vera.page.getByTestId('card-dialog')).toHaveCount(0);
  // From the keyboard too.
  await vera.card(card.id).focus();
  await vera.page.keyboard.press('Enter');
  await expect(vera.page.getByTestId('card-dialog')).toBeVisible();
  await vera.page.keyboard.press('Escape');

  // And it still sees every move live.
  await alice.drag(card.id, testCol);
  await expect(vera.cardIn(testCol, card.id)).toBeVisible();
});
