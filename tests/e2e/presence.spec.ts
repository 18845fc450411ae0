import { boardName, expect, test, type Viewer } from './fixtures';

async function expectViewers(viewer: Viewer, names: readonly string[]): Promise<void> {
  const presence = viewer.page.getByTestId('presence');
  await expect(presence).toHaveAttribute('data-count', String(names.length));
  for (const name of names) await expect(presence.locator(`[data-testid="viewer"][data-name="${name}"]`)).toHaveCount(1);
}

test('everyone on the board sees who is viewing it and which card someone is moving', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Presence'), [{ name: 'Develop' }, { name: 'Test' }]);
  const card = await board.addCard({ title: 'Dark mode', column: 'Develop' });
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  for (const viewer of [alice, bob]) await expectViewers(viewer, ['Alice', 'Bob']);

  await alice.startDrag(card.id);
  await alice.dragOver(testCol);
  await expect(bob.page.getByTestId(`being-moved-${card.id}`)).toHaveText('being moved by Alice');
  await expect(bob.card(card.id)).toHaveAccessibleName(/being moved by Alice/);
  // Someone who opens the board mid-drag sees it too, not only the next drag.
  const carol = await openViewer(board.id, 'Carol');
  await expect(carol.page.getByTestId(`being-moved-${card.id}`)).toHaveText('being moved by Alice');
  await expect(alice.page.getByTestId(`being-moved-${card.id}`)).toHaveCount(0);
  for (const viewer of [alice, bob, carol]) await expectViewers(viewer, ['Alice', 'Bob', 'Carol']);

  // Escape ends the drag where it started; the mark goes away for everyone.
  await alice.page.keyboard.press('Escape');
  await expect(alice.card(card.id)).not.toHaveAttribute('aria-pressed', 'true');
  for (const viewer of [bob, carol]) await expect(viewer.page.getByTestId(`being-moved-${card.id}`)).toHaveCount(0);
  await alice.page.mouse.up();

  await carol.close();
  for (const viewer of [alice, bob]) await expectViewers(viewer, ['Alice', 'Bob']);
});
