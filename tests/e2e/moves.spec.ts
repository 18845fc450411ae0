import { boardName, expect, test } from './fixtures';

test.describe('moving cards between work centers, live in two browsers', () => {
  test('a mouse drag in one browser lands the card in the target column in both', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Drag'), [{ name: 'Develop' }, { name: 'Test', wipLimit: 3 }, { name: 'Done' }]);
    const card = await board.addCard({ title: 'Checkout page', column: 'Develop' });
    const develop = board.column('Develop').id;
    const testCol = board.column('Test').id;
    const alice = await openViewer(board.id, 'Alice');
    const bob = await openViewer(board.id, 'Bob');

    await alice.drag(card.id, testCol);

    for (const viewer of [alice, bob]) {
      await expect(viewer.cardIn(testCol, card.id)).toBeVisible();
      await expect(viewer.cardIn(develop, card.id)).toHaveCount(0);
      await expect(viewer.card(card.id)).toHaveAttribute('data-column-id', testCol);
      await expect(viewer.page.getByTestId(`column-count-${testCol}`)).toHaveText('1/3');
    }
    expect((await board.fetch()).cards.find((c) => c.id === card.id)?.columnId).toBe(testCol);
  });

  test('a keyboard move (Space, ArrowRight, Space) moves the card one column right, in both browsers', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Keyboard'), [{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
    const card = await board.addCard({ title: 'Rate limiter', column: 'Develop' });
    const testCol = board.column('Test').id;
    const alice = await openViewer(board.id, 'Alice');
    const bob = await openViewer(board.id, 'Bob');

    await alice.keyboardPickUpAndMove(card.id, 1, testCol);
    await alice.page.keyboard.press('Space');

    await expect(alice.card(card.id)).not.toHaveAttribute('aria-pressed', 'true');
    for (const viewer of [alice, bob]) await expect(viewer.cardIn(testCol, card.id)).toBeVisible();
    expect((await board.fetch()).cards.find((c) => c.id === card.id)?.columnId).toBe(testCol);
  });

  test('a keyboard drag cancelled with Escape puts the card back and sends nothing', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Escape'), [{ name: 'Develop' }, { name: 'Test' }]);
    const card = await board.addCard({ title: 'Audit log', column: 'Develop' });
    const develop = board.column('Develop').id;
    const testCol = board.column('Test').id;
    const alice = await openViewer(board.id, 'Alice');
    const bob = await openViewer(board.id, 'Bob');
    const before = (await board.fetch()).version;

    await alice.keyboardPickUpAndMove(card.id, 1, testCol);
    await alice.page.keyboard.press('Escape');

    await expect(alice.cardIn(develop, card.id)).toBeVisible();
    await expect(alice.card(card.id)).not.toHaveAttribute('aria-pressed', 'true');
    await expect(bob.cardIn(develop, card.id)).toBeVisible();
    expect((await board.fetch()).version).toBe(before);
  });
});
