import type { APIRequestContext } from '@playwright/test';
import type { BoardSnapshot, CardDTO } from '../../lib/shared/domain/types';
import { expectAxeClean } from './axe';
import { boardName, csvTime, expect, importBoard, shotPath, test } from './fixtures';

const DAY = 86_400_000;

/** A write with the signed-in session of `request` (a cookie write: our custom header, as the app sends). */
async function call<T>(request: APIRequestContext, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request.fetch(path, { method, data: body, headers: { 'x-flowboard-request': '1' } });
  const text = await res.text();
  expect(res.ok(), `${method} ${path}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

test.describe('splitting a card', () => {
  test('from the card’s dialog with the keyboard: the children take its place on both boards, name their parent, and a split past a limit is refused in the form', async ({ api, openViewer }, testInfo) => {
    // Two browsers, two themes of axe, a refusal: more than the default 30 s on a loaded 2-core machine.
    test.slow();
    const board = await api.createBoard(boardName('Split'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 2 }, { name: 'Done' }]);
    const before = await board.addCard({ title: 'First in line', column: 'Backlog' });
    const parent = await board.addCard({ title: 'Checkout redesign', column: 'Backlog', type: 'feature' });
    const after = await board.addCard({ title: 'Last in line', column: 'Backlog' });
    await board.addCard({ title: 'Busy', column: 'Develop' });
    const big = await board.addCard({ title: 'Big migration', column: 'Develop' });
    const alice = await openViewer(board.id, 'Alice Moreau');
    const bob = await openViewer(board.id, 'Bob Achebe');

    const face = alice.card(parent.id);
    await face.focus();
    await face.press('Enter');
    const dialog = alice.page.getByTestId('card-dialog');
    await expect(dialog).toBeVisible();
    const splitButton = dialog.getByTestId('card-split');
    await splitButton.focus();
    await alice.page.keyboard.press('Enter');
    const form = dialog.getByTestId('split-form');
    await expect(form).toBeVisible();
    const titles = form.getByTestId('split-title-input');
    await expect(titles).toHaveCount(2);
    await expect(titles.nth(0)).toHaveValue('Checkout redesign (1)');
    await expect(titles.nth(1)).toHaveValue('Checkout redesign (2)');
    // Two rows are the least: they cannot be removed.
    await expect(form.getByTestId('split-remove-row').first()).toBeDisabled();

    // A third card, by keyboard: the new row takes the focus.
    await form.getByTestId('split-add-row').focus();
    await alice.page.keyboard.press('Enter');
    await expect(titles).toHaveCount(3);
    await expect(titles.nth(2)).toBeFocused();
    await alice.page.keyboard.press('ControlOrMeta+a');
    await alice.page.keyboard.type('Checkout: payment step');
    // An empty title is refused before anything is sent.
    await titles.nth(1).fill('');
    await titles.nth(1).press('Enter');
    await expect(form.getByTestId('split-error')).toHaveText('titles.1: A card needs a title');
    await titles.nth(1).fill('Checkout: address step');
    await titles.nth(1).press('Enter');
    const confirm = form.getByTestId('split-confirm');
    await expect(confirm).toBeFocused();
    await expect(form.getByTestId('split-confirm-row')).toContainText('Replace this card by 3 cards?');
    await expectAxeClean(alice.page, 'the split form', '[data-testid="card-dialog"]');
    await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'card-split-dialog-1280x800.png') });
    await alice.page.setViewportSize({ width: 1920, height: 1080 });
    await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'card-split-dialog-1920x1080.png') });
    await alice.page.setViewportSize({ width: 390, height: 844 });
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'card-split-dialog-dark-390x844.png') });
    await alice.page.emulateMedia({ colorScheme: 'light' });
    await alice.page.setViewportSize({ width: 1280, height: 800 });
    await expect(confirm).toBeFocused();
    await alice.page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    // On both boards: the parent gone, three children right where it was, each marked.
    const snapshot = (await board.fetch()) as BoardSnapshot;
    const children = snapshot.cards.filter((c) => c.parentId === parent.id);
    expect(children.map((c) => c.title).toSorted()).toEqual(['Checkout redesign (1)', 'Checkout: address step', 'Checkout: payment step'].toSorted());
    for (const viewer of [alice, bob]) {
      await expect(viewer.card(parent.id)).toHaveCount(0);
      const backlog = viewer.column(board.column('Backlog').id);
      await expect(backlog.locator('[data-card-id]')).toHaveCount(5);
      const order = await backlog.locator('[data-card-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-card-id')));
      expect(order[0]).toBe(before.id);
      expect(order[4]).toBe(after.id);
      for (const child of children) await expect(viewer.page.getByTestId(`split-mark-${child.id}`)).toBeVisible();
    }
    // Focus lands on the first new card for the person who split.
    await expect(alice.card(children.find((c) => c.title === 'Checkout redesign (1)')?.id ?? '')).toBeFocused();

    // Bob opens a child: it names its parent, and so does its history.
    const child = children[0] as CardDTO;
    await bob.card(child.id).focus();
    await bob.page.keyboard.press('Enter');
    const bobDialog = bob.page.getByTestId('card-dialog');
    await expect(bobDialog.getByTestId('card-split-from')).toContainText('split from “Checkout redesign”');
    await expect(bobDialog.getByTestId('history-entry').last()).toContainText('Split from “Checkout redesign” in Backlog');
    // The whole dialog, its people picker's avatars included (white initials in both themes).
    await expectAxeClean(bob.page, 'a split child’s dialog', '[data-testid="card-dialog"]');
    await bob.page.keyboard.press('Escape');

    // Develop is full (2 of 2): splitting one of its cards into two is refused, in the form, and nothing changes.
    await alice.card(big.id).focus();
    await alice.page.keyboard.press('Enter');
    await dialog.getByTestId('card-split').click();
    await form.getByTestId('split-review').click();
    await form.getByTestId('split-confirm').click();
    await expect(form.getByTestId('split-error')).toHaveText('Splitting "Big migration" into 2 cards adds 1 to Develop, which would then hold 3 (WIP limit 2): split into fewer cards, or finish work first');
    await expect(dialog).toBeVisible();
    await expect(bob.card(big.id)).toBeVisible();
    expect((await board.fetch()).cards.filter((c) => c.parentId === big.id)).toEqual([]);
  });

  test('the flow page’s Batch size panel compares split items with whole ones, in words and a table', async ({ page, request }, testInfo) => {
    test.slow();
    const now = Date.now();
    const at = (daysAgo: number) => csvTime(now - daysAgo * DAY);
    // Whole items: five finished in the last weeks, 4 to 8 days each from Develop to Done; two epics waiting.
    const boardId = await importBoard(request, boardName('Batch'), [
      'ID,Name,Backlog,Develop,Done',
      ...[4, 5, 6, 7, 8].map((d, i) => `W${i},Whole item ${i + 1},${at(d + 12)},${at(d + 10)},${at(10)}`),
      `E1,Search epic,${at(3)},,`,
      `E2,Reports epic,${at(3)},,`,
    ]);
    const board = (await call<{ board: BoardSnapshot }>(request, 'GET', `/api/boards/${boardId}`)).board;
    const columnId = (name: string) => board.columns.find((c) => c.name === name)?.id ?? '';
    const epic = (title: string) => board.cards.find((c) => c.title === title)?.id ?? '';
    const first = await call<{ cards: CardDTO[] }>(request, 'POST', `/api/cards/${epic('Search epic')}/split`, { titles: ['Search: index', 'Search: query'] });
    await call(request, 'POST', `/api/cards/${epic('Reports epic')}/split`, { titles: ['Reports: monthly', 'Reports: export', 'Reports: charts'] });
    for (const slice of first.cards) {
      await call(request, 'POST', `/api/cards/${slice.id}/move`, { toColumnId: columnId('Develop') });
      await call(request, 'POST', `/api/cards/${slice.id}/move`, { toColumnId: columnId('Done') });
    }

    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(`/boards/${boardId}/flow`);
      await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
      const panel = page.getByTestId('batch-panel');
      await expect(panel.getByTestId('batch-splits')).toHaveText('2 cards were split into 5 smaller ones in this range.');
      await expect(panel.getByTestId('batch-sentence')).toHaveText(/^Split items finished in a median of (less than an hour|[\d.]+ hours?), unsplit ones in 6\.0 days\.$/);
      await expect(panel.getByTestId('batch-warning')).toContainText('Small samples: 2 split items and 5 unsplit items');
      const rows = panel.getByTestId('batch-table').locator('tbody tr');
      await expect(rows.nth(0)).toContainText('Split from a larger card');
      await expect(rows.nth(0).locator('td').first()).toHaveText('2');
      await expect(rows.nth(1).locator('td').first()).toHaveText('5');
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(testInfo.project.outputDir, `batch-panel-${viewport.width}x${viewport.height}.png`) });
    }
    await expectAxeClean(page, 'the Batch size panel', '[data-testid="batch-panel"]');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('batch-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'batch-panel-dark-1280x800.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Live: a third slice finishing shows on the open page without a reload.
    const reports = (await call<{ board: BoardSnapshot }>(request, 'GET', `/api/boards/${boardId}`)).board.cards.find((c) => c.title === 'Reports: monthly');
    await call(request, 'POST', `/api/cards/${reports?.id}/move`, { toColumnId: columnId('Done') });
    await expect(page.getByTestId('batch-table').locator('tbody tr').nth(0).locator('td').first()).toHaveText('3');
  });
});
