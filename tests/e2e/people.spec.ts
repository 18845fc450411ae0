import type { PersonDTO } from '../../lib/shared/domain/types';
import { boardName, expect, shotPath, test, type SeededBoard } from './fixtures';

/** The board's people as the REST read names them. */
async function peopleOf(board: SeededBoard): Promise<Map<string, PersonDTO>> {
  const read = (await board.fetch()) as { people?: PersonDTO[] };
  return new Map((read.people ?? []).map((p) => [p.name, p]));
}

async function idOf(board: SeededBoard, name: string): Promise<string> {
  const person = (await peopleOf(board)).get(name);
  if (!person) throw new Error(`${name} is not on the board`);
  return person.id;
}

test.describe('people on cards', () => {
  test('assigning from the card with the keyboard: the avatar shows on both boards, and the history says it in words', async ({ api, openViewer }, testInfo) => {
    const board = await api.createBoard(boardName('People'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Done' }]);
    const card = await board.addCard({ title: 'Pair on the release notes', column: 'Develop' });
    const alice = await openViewer(board.id, 'Alice Moreau');
    const bob = await openViewer(board.id, 'Bob Achebe');
    const bobId = await idOf(board, 'Bob Achebe');

    // Alice's page learnt of Bob joining after it opened (board:people): he is in her picker.
    const face = alice.card(card.id);
    await face.focus();
    await face.press('Enter');
    const dialog = alice.page.getByTestId('card-dialog');
    await expect(dialog).toBeVisible();
    const option = dialog.getByTestId(`assignee-option-${bobId}`);
    await expect(option).toBeVisible();
    await option.focus();
    await alice.page.keyboard.press('Space');
    await expect(option).toBeChecked();
    await expect(dialog.getByTestId('card-save')).toBeEnabled();
    await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'people-card-dialog-1280x800.png') });
    // Enter in the title submits the card's form.
    await dialog.getByTestId('card-title-input').press('Enter');
    await expect(dialog).toBeHidden();

    for (const viewer of [alice, bob]) {
      const avatars = viewer.page.getByTestId(`card-assignees-${card.id}`);
      await expect(avatars).toBeVisible();
      await expect(avatars).toContainText('BA');
      await expect(avatars).toContainText('Assigned to Bob Achebe');
    }
    expect((await board.fetch()).cards.find((c) => c.id === card.id)?.assigneeIds).toEqual([bobId]);

    await bob.card(card.id).press('Enter');
    await expect(bob.page.getByTestId('card-dialog')).toContainText('Assigned to Bob Achebe');
  });

  test('a person at the board\'s limit of cards in progress: assigning one more from the card is refused with their name, and nothing changes', async ({ api, openViewer }) => {
    const board = await api.createBoard(boardName('Per person'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Done' }]);
    const held = await board.addCard({ title: 'Already on it', column: 'Develop' });
    const more = await board.addCard({ title: 'One too many', column: 'Develop' });
    const alice = await openViewer(board.id, 'Alice Moreau');
    const aliceId = await idOf(board, 'Alice Moreau');
    // An admin sets the limit in the board's settings, with the keyboard.
    await alice.page.getByTestId('board-settings').click();
    const settings = alice.page.getByTestId('board-settings-dialog');
    await settings.getByTestId('person-wip-input').fill('1');
    await settings.getByTestId('person-wip-input').press('Enter');
    await expect(settings).toBeHidden();
    await expect.poll(async () => (await board.fetch()).personWipLimit).toBe(1);
    await api.call('PATCH', `/api/cards/${held.id}`, { assigneeIds: [aliceId] });
    await expect(alice.page.getByTestId(`card-assignees-${held.id}`)).toBeVisible();

    await alice.card(more.id).press('Enter');
    const dialog = alice.page.getByTestId('card-dialog');
    await dialog.getByTestId(`assignee-option-${aliceId}`).check();
    await dialog.getByTestId('card-save').click();
    await expect(alice.page.getByTestId('toast')).toHaveText(/Alice Moreau already holds 1 card in progress \(limit 1\)/);
    await expect(alice.page.getByTestId(`card-assignees-${more.id}`)).toHaveCount(0);
    expect((await board.fetch()).cards.find((c) => c.id === more.id)?.assigneeIds).toEqual([]);

    // A card of hers waiting in the backlog: dragging it into progress is refused before the drop, naming her.
    const waiting = await board.addCard({ title: 'Waiting for her', column: 'Backlog' });
    await api.call('PATCH', `/api/cards/${waiting.id}`, { assigneeIds: [aliceId] });
    await expect(alice.page.getByTestId(`card-assignees-${waiting.id}`)).toBeVisible();
    const develop = board.column('Develop').id;
    await alice.startDrag(waiting.id);
    await alice.dragOver(develop);
    await expect(alice.column(develop)).toHaveAttribute('data-drop-state', 'refused');
    await expect(alice.page.getByTestId(`column-refused-${develop}`)).toContainText('Alice Moreau already holds 1 card in progress (limit 1)');
    await alice.page.mouse.up();
    await expect(alice.cardIn(board.column('Backlog').id, waiting.id)).toBeVisible();
    expect((await board.fetch()).cards.find((c) => c.id === waiting.id)?.columnId).toBe(board.column('Backlog').id);
  });

  test('a filtered view is a link: a second browser opens it filtered the same, follows moves live, and the counts stay whole', async ({ api, openViewer }, testInfo) => {
    const board = await api.createBoard(boardName('Filters'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 4 }, { name: 'Test' }, { name: 'Done' }]);
    const alice = await openViewer(board.id, 'Alice Moreau');
    const bob = await openViewer(board.id, 'Bob Achebe');
    const aliceId = await idOf(board, 'Alice Moreau');
    const bobId = await idOf(board, 'Bob Achebe');
    const mine = await board.addCard({ title: 'Checkout latency', column: 'Develop' });
    const theirs = await board.addCard({ title: 'Checkout copy review', column: 'Develop' });
    const nobody = await board.addCard({ title: 'Checkout analytics', column: 'Backlog' });
    const later = await board.addCard({ title: 'Checkout retries', column: 'Backlog' });
    await board.addCard({ title: 'Unrelated chore', column: 'Develop', type: 'chore' });
    await api.call('PATCH', `/api/cards/${mine.id}`, { assigneeIds: [aliceId] });
    await api.call('PATCH', `/api/cards/${theirs.id}`, { assigneeIds: [bobId, aliceId] });
    const develop = board.column('Develop').id;
    const testCol = board.column('Test').id;

    const page = alice.page;
    await expect(page.getByTestId(`card-assignees-${theirs.id}`)).toContainText('Assigned to Bob Achebe, Alice Moreau');
    // '/' goes to the search from anywhere on the board.
    await page.locator('body').press('/');
    await expect(page.getByTestId('filter-search')).toBeFocused();
    await page.keyboard.type('checkout');
    await page.getByTestId('filter-person').selectOption(aliceId);
    await expect(page.getByTestId('filter-summary')).toHaveText('2 of 5 shown · Clear filters');
    await expect(alice.card(mine.id)).toBeVisible();
    await expect(alice.card(nobody.id)).toHaveCount(0);
    // The count is the work center's whole: 3 cards of 4, although 2 are drawn.
    await expect(page.getByTestId(`column-count-${develop}`)).toHaveText('3/4');
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('checkout');
    expect(url.searchParams.get('person')).toBe(aliceId);

    // Bob opens the link Alice shares.
    await bob.page.goto(`${url.pathname}${url.search}`);
    await bob.expectLive();
    await expect(bob.page.getByTestId('filter-summary')).toHaveText('2 of 5 shown · Clear filters');
    await expect(bob.page.getByTestId('filter-search')).toHaveValue('checkout');
    await expect(bob.card(mine.id)).toBeVisible();
    await expect(bob.card(theirs.id)).toBeVisible();
    await expect(bob.card(nobody.id)).toHaveCount(0);

    // Alice moves a card: Bob's filtered view follows. A card assigned to her meanwhile joins it.
    await alice.drag(mine.id, testCol);
    await expect(bob.cardIn(testCol, mine.id)).toBeVisible();
    await api.call('PATCH', `/api/cards/${later.id}`, { assigneeIds: [aliceId] });
    await expect(bob.card(later.id)).toBeVisible();
    await expect(bob.page.getByTestId('filter-summary')).toHaveText('3 of 5 shown · Clear filters');
    await expect(bob.page.getByTestId(`column-count-${develop}`)).toHaveText('2/4');

    // A reload keeps the filter; an empty work center under a filter says so.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await alice.expectLive();
    await expect(page.getByTestId('filter-summary')).toHaveText('3 of 5 shown · Clear filters');
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'people-filtered-1280x800.png') });

    await page.getByTestId('filter-person').selectOption('none');
    await expect(page.getByTestId('filter-summary')).toHaveText('1 of 5 shown · Clear filters');
    await expect(alice.card(nobody.id)).toBeVisible();
    await expect(page.getByTestId(`column-filtered-${develop}`)).toHaveText('No card here matches the filters');
    await page.getByTestId('filter-clear').click();
    await expect(page.getByTestId('filter-summary')).toHaveText('');
    await expect(alice.card(nobody.id)).toBeVisible();
    await expect(alice.card(theirs.id)).toBeVisible();
    expect(new URL(page.url()).search).toBe('');
  });

  test('screenshots: avatars and the filter bar at 1280x800 and on a phone', async ({ api, openViewer }, testInfo) => {
    const board = await api.createBoard(boardName('Team day'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 5 }, { name: 'Test', wipLimit: 3 }, { name: 'Done' }]);
    const names = ['Ana Lima', 'Ben Okafor', 'Chen Wei', 'Dara Byrne', 'Eli Cohen'];
    const viewers = [];
    for (const name of names) viewers.push(await openViewer(board.id, name));
    const ids = await Promise.all(names.map((n) => idOf(board, n)));
    const titles = [
      ['Develop', 'Payment retries with backoff', [0]],
      ['Develop', 'Dark mode for the dashboard', [1, 2]],
      ['Develop', 'Upgrade the TLS library', [3, 4, 0, 1]],
      ['Test', 'Checkout latency under load', [2]],
      ['Test', 'Invoice PDF layout', []],
      ['Backlog', 'Search by customer email', [4]],
      ['Done', 'Login rate limit', [0, 3]],
    ] as const;
    for (const [column, title, who] of titles) {
      const card = await board.addCard({ title, column });
      if (who.length) await api.call('PATCH', `/api/cards/${card.id}`, { assigneeIds: who.map((i) => ids[i]) });
    }
    const page = viewers[0]!.page;
    await page.reload();
    await viewers[0]!.expectLive();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'people-board-1280x800.png') });
    await page.getByTestId('filter-person').selectOption(ids[0]!);
    await expect(page.getByTestId('filter-summary')).toHaveText('3 of 7 shown · Clear filters');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'people-board-390x844.png') });
    // On a phone the choices keep to one row under the search (scrolled sideways), so the board keeps the screen.
    const search = await page.getByTestId('filter-search').boundingBox();
    const boxes = await page.getByTestId('filter-choices').evaluate((row) => [...row.querySelectorAll(':scope > select, :scope > button')].map((c) => c.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(5);
    // One row: every control's box overlaps every other's vertically.
    expect(Math.max(...boxes.map((b) => b.top))).toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
    expect(Math.min(...boxes.map((b) => b.top))).toBeGreaterThan((search?.y ?? 0) + (search?.height ?? 0) - 1);
    await page.getByTestId('filter-defects').focus();
    await expect(page.getByTestId('filter-defects')).toBeInViewport();
  });
});
