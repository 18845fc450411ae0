import { boardName, expect, test, type Viewer } from './fixtures';

/**
 * Records, from now on, whether `cardId` ever shows up inside the column: "never" cannot be
 * polled for, so the page watches every change to that column's DOM.
 */
async function watchForCard(viewer: Viewer, columnId: string, cardId: string): Promise<() => Promise<boolean>> {
  await viewer.column(columnId).evaluate((column, id) => {
    const w = window as unknown as { sawCard?: boolean };
    w.sawCard = column.querySelector(`[data-testid="card-${id}"]`) !== null;
    new MutationObserver(() => {
      if (column.querySelector(`[data-testid="card-${id}"]`)) w.sawCard = true;
    }).observe(column, { childList: true, subtree: true });
  }, cardId);
  return () => viewer.page.evaluate(() => (window as unknown as { sawCard?: boolean }).sawCard === true);
}

test.describe('WIP limits are hard in the browser', () => {
  test('a pointer drop into a full column is refused with the message, and the card returns', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Full'), [{ name: 'Develop' }, { name: 'Test', wipLimit: 2 }, { name: 'Done' }]);
    const card = await board.addCard({ title: 'Search filters', column: 'Develop' });
    await board.addCards('Test', ['Login flow', 'Export to CSV']);
    const develop = board.column('Develop').id;
    const testCol = board.column('Test').id;
    const alice = await openViewer(board.id, 'Alice');
    const bob = await openViewer(board.id, 'Bob');
    const bobSawIt = await watchForCard(bob, testCol, card.id);
    const before = (await board.fetch()).version;

    await alice.startDrag(card.id);
    await alice.dragOver(testCol);
    // While dragging, the full column says it is not a drop target, and the card does not enter it.
    await expect(alice.column(testCol)).toHaveAttribute('data-drop-state', 'refused');
    await expect(alice.page.getByTestId(`column-refused-${testCol}`)).toContainText('WIP limit reached');
    await expect(alice.page.getByTestId(`column-refused-${testCol}`)).toContainText('Test is at its WIP limit (2 of 2)');
    await expect(alice.column(develop)).toHaveAttribute('data-drop-state', 'allowed');
    await expect(alice.cardIn(testCol, card.id)).toHaveCount(0);
    await alice.page.mouse.up();

    const toast = alice.page.getByTestId('toast');
    await expect(toast).toHaveText(/Test is at its WIP limit \(2 of 2\): finish or move a card out first/);
    await expect(toast).toHaveAttribute('data-tone', 'error');
    await expect(alice.cardIn(develop, card.id)).toBeVisible();
    await expect(alice.column(testCol)).toHaveAttribute('data-drop-state', 'idle');
    await expect(alice.page.getByTestId(`column-count-${testCol}`)).toHaveText('2/2');

    // Bob's board follows every event in order: once a later change reaches him, the refused move
    // would have too, had it happened.
    const later = await board.addCard({ title: 'Later arrival', column: 'Done' });
    await expect(bob.card(later.id)).toBeVisible();
    await expect(bob.cardIn(develop, card.id)).toBeVisible();
    await expect(bob.page.getByTestId(`column-count-${testCol}`)).toHaveText('2/2');
    expect(await bobSawIt()).toBe(false);
    expect((await board.fetch()).version).toBe(before + 1);
  });

  test('a keyboard drag cannot enter a full column either: a drop there returns the card', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Full keys'), [{ name: 'Develop' }, { name: 'Test', wipLimit: 1 }]);
    const card = await board.addCard({ title: 'Webhooks', column: 'Develop' });
    await board.addCard({ title: 'Already testing', column: 'Test' });
    const develop = board.column('Develop').id;
    const testCol = board.column('Test').id;
    const alice = await openViewer(board.id, 'Alice');
    const before = (await board.fetch()).version;

    const lifted = alice.card(card.id);
    await lifted.focus();
    await lifted.press('Space');
    await expect(lifted).toHaveAttribute('aria-pressed', 'true');
    await expect(alice.column(testCol)).toHaveAttribute('data-drop-state', 'refused');
    await alice.page.keyboard.press('ArrowRight');
    // Drop only once the card is over the full column, as a person would after seeing it there.
    await expect(alice.column(testCol)).toHaveAttribute('data-drop-over', 'true');
    await alice.page.keyboard.press('Space');

    await expect(lifted).not.toHaveAttribute('aria-pressed', 'true');
    await expect(alice.page.getByTestId('toast')).toHaveText(/Test is at its WIP limit \(1 of 1\): finish or move a card out first/);
    await expect(alice.cardIn(develop, card.id)).toBeVisible();
    await expect(alice.page.getByTestId(`column-count-${testCol}`)).toHaveText('1/1');
    expect((await board.fetch()).version).toBe(before);
  });
});
