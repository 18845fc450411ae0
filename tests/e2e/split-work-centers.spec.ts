/**
 * Split work centers in the browser: a card dropped on the done half by the pointer and carried
 * there by the keyboard, seen live by a second person; the header counts both halves; the admin's
 * checkbox splits a work center; axe finds nothing in either theme; screenshots at three sizes.
 */
import type { LaneDTO } from '../../lib/shared/domain/types';
import { expectAxeClean } from './axe';
import { boardName, expect, shotPath, test, type Viewer } from './fixtures';

const half = (viewer: Viewer, stage: 'doing' | 'done', columnId: string) => viewer.page.getByTestId(`half-${stage}-${columnId}`);

/** The middle of a half's card list: a pointer drop there lands in that half. */
async function dropOnHalf(viewer: Viewer, cardId: string, stage: 'doing' | 'done', columnId: string): Promise<void> {
  await viewer.startDrag(cardId);
  const target = half(viewer, stage, columnId);
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('the half has no box');
  await viewer.page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200), { steps: 12 });
  await expect(target).toHaveAttribute('data-drop-over', 'true');
  await viewer.page.mouse.up();
}

test('a card dropped on the done half by pointer and carried there by keyboard: both browsers see it, the header counts both halves, the history names the half', async ({ api, openViewer }, testInfo) => {
  // Two axe runs (light and dark) and three browsers on a 2-core machine shared with others.
  test.setTimeout(90_000);
  const board = await api.createBoard(boardName('Split'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 3 }, { name: 'Test' }, { name: 'Done' }]);
  const develop = board.column('Develop').id;
  await api.call('PATCH', `/api/columns/${develop}`, { split: true });
  const [finished, next] = await board.addCards('Backlog', ['Checkout: one-page layout', 'Refund by bank transfer']);
  const working = await board.addCard({ title: 'Webhook retries with backoff', column: 'Develop' });
  if (!finished || !next) throw new Error('seed failed');

  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  await expect(alice.page.getByTestId(`column-${develop}`)).toHaveAttribute('data-split', 'true');
  await expect(half(alice, 'doing', develop)).toHaveAccessibleName('Develop, doing');
  await expect(half(alice, 'done', develop)).toHaveAccessibleName('Develop, done: waiting to be pulled');

  // Pointer: from Backlog straight onto Develop's done half.
  await dropOnHalf(alice, finished.id, 'done', develop);
  await expect(half(alice, 'done', develop).getByTestId(`card-${finished.id}`)).toBeVisible();
  await expect(half(bob, 'done', develop).getByTestId(`card-${finished.id}`)).toBeVisible();
  await expect(alice.page.getByTestId('drag-status')).toHaveText('Checkout: one-page layout moved to Develop, done.');
  expect((await board.fetch()).cards.find((c) => c.id === finished.id)).toMatchObject({ columnId: develop, stage: 'done' });

  // Keyboard: the card in Develop's doing half, one step right, is in its done half.
  const card = alice.card(working.id);
  await card.focus();
  await card.press('Space');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  await alice.page.keyboard.press('ArrowRight');
  await expect(half(alice, 'done', develop).getByTestId(`card-${working.id}`)).toBeVisible();
  await alice.page.keyboard.press('Space');
  await expect(alice.page.getByTestId('drag-status')).toHaveText('Webhook retries with backoff moved to Develop, done.');
  await expect(half(bob, 'done', develop).getByTestId(`card-${working.id}`)).toBeVisible();
  await expect(half(bob, 'doing', develop).getByTestId(`card-${working.id}`)).toHaveCount(0);
  expect((await board.fetch()).cards.find((c) => c.id === working.id)).toMatchObject({ columnId: develop, stage: 'done' });
  // The header's count is the work center's: both halves against one limit.
  await expect(bob.page.getByTestId(`column-count-${develop}`)).toHaveText('2/3');
  await expect(bob.page.getByTestId(`half-count-done-${develop}`)).toHaveText('2');

  // The keyboard goes on from the done half to the next work center, whose arrival is in doing.
  await card.focus();
  await card.press('Space');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  await alice.page.keyboard.press('ArrowRight');
  await expect(alice.cardIn(board.column('Test').id, working.id)).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(half(alice, 'done', develop).getByTestId(`card-${working.id}`)).toBeVisible();

  // Its history says where it went.
  await bob.card(finished.id).click();
  const dialog = bob.page.getByTestId('card-dialog');
  await expect(dialog.getByTestId('card-stage')).toHaveText(' · done, waiting to be pulled');
  await expect(dialog.getByText('Moved from Backlog to Develop · done')).toBeVisible();
  await bob.page.keyboard.press('Escape');

  await expectAxeClean(alice.page, 'a board with a split work center');
  await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-1280x800.png') });
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await expect(alice.page.locator('html')).toHaveCSS('color-scheme', 'dark');
  await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-dark-1280x800.png') });
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.page.setViewportSize({ width: 1920, height: 1080 });
  await alice.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-1920x1080.png') });
  const phone = await openViewer(board.id, 'Carol', { viewport: { width: 390, height: 844 } });
  await phone.card(finished.id).scrollIntoViewIfNeeded();
  await expect(phone.card(finished.id)).toBeInViewport();
  await expect(phone.card(finished.id)).toContainText('Checkout: one-page layout');
  await phone.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-390x844.png') });
  const pageScrolls = await phone.page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  expect(pageScrolls).toBe(false);
});

test('a pull into a full split work center is refused over either half; a move between its halves is not', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Split full'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 1 }, { name: 'Done' }]);
  const develop = board.column('Develop').id;
  await api.call('PATCH', `/api/columns/${develop}`, { split: true });
  const [waiting] = await board.addCards('Backlog', ['Waiting for room']);
  const inside = await board.addCard({ title: 'Being built', column: 'Develop' });
  if (!waiting) throw new Error('seed failed');
  const alice = await openViewer(board.id, 'Alice');
  await alice.startDrag(waiting.id);
  for (const stage of ['doing', 'done'] as const) {
    const box = await half(alice, stage, develop).boundingBox();
    if (!box) throw new Error('no half');
    await alice.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    await expect(half(alice, stage, develop)).toHaveAttribute('data-drop-state', 'refused');
    await expect(alice.page.getByTestId(`half-refused-${stage}-${develop}`)).toContainText('Develop is at its WIP limit (1 of 1)');
  }
  await alice.page.mouse.up();
  await expect(alice.cardIn(board.column('Backlog').id, waiting.id)).toBeVisible();
  // The card inside goes to the done half: no pull, so the full work center takes it.
  await dropOnHalf(alice, inside.id, 'done', develop);
  await expect(half(alice, 'done', develop).getByTestId(`card-${inside.id}`)).toBeVisible();
  expect((await board.fetch()).cards.find((c) => c.id === inside.id)).toMatchObject({ stage: 'done' });

  // The standup walk starts at Develop: the card in its done half says it is waiting.
  await alice.page.getByTestId('open-standup').click();
  await expect(alice.page.getByTestId('standup-view')).toBeVisible();
  await expect(alice.page.getByTestId('standup-stop')).toHaveAttribute('data-stop-id', develop);
  await expect(alice.page.getByTestId(`standup-stage-${inside.id}`)).toHaveText('done, waiting');
});

test('the admin splits a work center from its settings by keyboard; joining it back waits for an empty done half; with lanes each cell is split', async ({ api, openViewer }, testInfo) => {
  test.setTimeout(90_000);
  const board = await api.createBoard(boardName('Split settings'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const testing = board.column('Test').id;
  const [card] = await board.addCards('Backlog', ['Tax IDs on invoices']);
  if (!card) throw new Error('seed failed');
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const { page } = alice;

  // The first work center cannot be split: its box is off and says why.
  await page.getByTestId(`column-settings-${board.column('Backlog').id}`).click();
  const dialog = page.getByTestId('column-dialog');
  await expect(dialog.getByTestId('column-split-input')).toBeDisabled();
  await expect(dialog).toContainText('Only a work center between the first and the last can be split: Backlog is the first.');
  await page.keyboard.press('Escape');

  await page.getByTestId(`column-settings-${testing}`).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-settings-1280x800.png') });
  await expectAxeClean(page, 'the column settings with the split box', '[data-testid="column-dialog"]');
  await dialog.getByTestId('column-split-input').focus();
  await page.keyboard.press('Space');
  await expect(dialog.getByTestId('column-split-input')).toBeChecked();
  await dialog.getByTestId('column-save').click();
  await expect(bob.page.getByTestId(`half-done-${testing}`)).toBeVisible();

  await api.call('POST', `/api/cards/${card.id}/move`, { toColumnId: testing, stage: 'done' });
  await expect(half(alice, 'done', testing).getByTestId(`card-${card.id}`)).toBeVisible();
  await page.getByTestId(`column-settings-${testing}`).click();
  await dialog.getByTestId('column-split-input').uncheck();
  await dialog.getByTestId('column-save').click();
  await expect(dialog.getByTestId('column-dialog-error')).toHaveText('Test still holds 1 card in its done half: move them on or back to doing before joining the halves');
  await page.keyboard.press('Escape');
  expect((await board.fetch()).columns.find((c) => c.id === testing)?.split).toBe(true);

  // With lanes, every lane's cell of a split work center has both halves.
  const { lane } = await api.call<{ lane: LaneDTO }>('POST', `/api/boards/${board.id}/lanes`, { name: 'Expedite', classOfService: 'expedite' });
  await expect(bob.page.getByTestId('lane-grid')).toBeVisible();
  await expect(bob.page.getByTestId(`cell-${testing}-${lane.id}-done`)).toHaveAccessibleName('Test, done: waiting to be pulled, Expedite lane');
  const standard = (await board.fetch()).lanes.find((l) => l.classOfService === 'standard');
  await expect(bob.page.getByTestId(`cell-${testing}-${standard?.id}-done`).getByTestId(`card-${card.id}`)).toBeVisible();
  await expectAxeClean(bob.page, 'a board with lanes and a split work center');
  await bob.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'split-lanes-1280x800.png') });
});
